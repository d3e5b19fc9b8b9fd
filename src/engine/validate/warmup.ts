// Warms up the decoder and the validator once per process by checking a small built-in module
// with the common instructions (every scalar numeric and memory instruction, locals, globals,
// blocks, branches, calls). V8 optimises the validator's loop from the type feedback it has seen;
// an instruction met for the first time in a real module after that throws the optimised code
// away, and on a large module that happened five to seven times, each a recompilation of the loop.

import { decodeModule } from '../decode';
import { opcodeInfo } from '../opcodes';
import { moduleProblems } from './module';
import { signatureOf } from './signatures';
import { F32, F64, I32, I64 } from './valueTypes';

const CONSTS = new Map<number, number[]>([
  [I32, [0x41, 0x01]],
  [I64, [0x42, 0x01]],
  [F32, [0x43, 0x00, 0x00, 0x80, 0x3f]],
  [F64, [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]],
]);

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? b : b | 0x80);
  } while (n !== 0);
  return out;
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

/** The body of the warm-up's main function: locals 0-3 are i32, i64, f32, f64. */
function mainBody(): number[] {
  const code: number[] = [];
  const emit = (...bytes: number[]) => code.push(...bytes);
  // Scalar numeric instructions and loads and stores (a zero memarg), operands from constants.
  const fixed = [...Array.from({ length: 0xc4 - 0x28 + 1 }, (_, i) => [0x28 + i]), ...Array.from({ length: 8 }, (_, i) => [0xfc, i])];
  for (const bytes of fixed) {
    const op = bytes.length === 1 ? bytes[0] : 0xfc00 | bytes[1];
    const info = opcodeInfo(op);
    const sig = info && signatureOf(info);
    if (!sig || (op >= 0x3f && op <= 0x44) || [...sig.params, ...sig.results].some((t) => !CONSTS.has(t))) continue;
    for (const t of sig.params) emit(...CONSTS.get(t)!);
    emit(...bytes);
    if (sig.natural) emit(0x00, 0x00);
    for (let i = 0; i < sig.results.length; i++) emit(0x1a);
  }
  [I32, I64, F32, F64].forEach((t, l) => {
    emit(...CONSTS.get(t)!, 0x21, l, 0x20, l, 0x22, l, 0x1a, 0x23, l, 0x24, l);
  });
  emit(0x01, 0x02, 0x40, 0x00, 0x0b); // nop; block unreachable end
  emit(0x02, 0x7f, 0x41, 0x01, 0x0b, 0x1a, 0x03, 0x40, 0x0b); // block (result i32), loop
  emit(0x41, 0x01, 0x04, 0x40, 0x0b, 0x41, 0x01, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0b, 0x1a); // if, if-else
  emit(0x02, 0x40, 0x0c, 0x00, 0x0b, 0x02, 0x40, 0x41, 0x00, 0x0d, 0x00, 0x0b); // br, br_if
  emit(0x02, 0x7f, 0x41, 0x01, 0x41, 0x00, 0x0d, 0x00, 0x0b, 0x1a); // br_if with a value
  emit(0x02, 0x40, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x00, 0x0b); // br_table
  emit(0x41, 0x01, 0x10, 0x01, 0x1a, 0x41, 0x01, 0x41, 0x00, 0x11, 0x01, 0x00, 0x1a); // call, call_indirect
  emit(0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1b, 0x1a); // select
  emit(0x0f, 0x0b); // return, end
  return [...leb(4), 0x01, 0x7f, 0x01, 0x7e, 0x01, 0x7d, 0x01, 0x7c, ...code];
}

export function warmupBytes(): Uint8Array {
  const body = mainBody();
  const callee = [0x00, 0x20, 0x00, 0x0b];
  const globals = [0x7f, 0x01, 0x41, 0x00, 0x0b, 0x7e, 0x01, 0x42, 0x00, 0x0b, 0x7d, 0x01, ...CONSTS.get(F32)!, 0x0b, 0x7c, 0x01, ...CONSTS.get(F64)!, 0x0b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f]),
    ...section(3, [0x02, 0x00, 0x01]),
    ...section(4, [0x01, 0x70, 0x00, 0x01]),
    ...section(5, [0x01, 0x00, 0x01]),
    ...section(6, [0x04, ...globals]),
    ...section(10, [0x02, ...leb(body.length), ...body, ...leb(callee.length), ...callee]),
  ]);
}

let done = false;

/** Decodes and validates the warm-up module, once per process. */
export function warmUpValidator(): void {
  if (done) return;
  done = true;
  const problems = moduleProblems(decodeModule(warmupBytes()));
  if (problems.length > 0) throw new Error(`internal error: the validator's warm-up module is invalid: ${problems[0].reason}`);
}
