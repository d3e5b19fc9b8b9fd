// Warms up the run loop once per process by running a small built-in module that executes every
// internal instruction a few times. V8 optimises `execute` from the type feedback it has seen;
// a case that never ran before optimisation has none, and reaching it later throws the optimised
// code away ("insufficient type feedback"), which for a loop this size costs whole seconds over a
// long run. Running each case first gives every case feedback, so the optimised code stays.

import { FUSE_BINOPS, FUSE_COMPARES, compileSignature } from './compile';
import { FuncInst, hostFunction } from './runtime';
import { PREFIX_SIMD, prefixedOpcode } from './opcodes';
import { simdSignature } from './simd';
import { Store } from './store';
import { instantiate } from './instantiate';
import { markValidated } from './validate/index';
import type { FuncBody, Instr, Module, ValType } from './types';

let done = false;

export function warmUpExecutor(): void {
  if (done) return;
  done = true;
  const store = new Store({ maxCallDepth: 100 });
  const noop = hostFunction({ params: ['i32'], results: ['i32'] }, 'warmup.id', (args) => args);
  const inst = instantiate(store, markValidated(warmupModule()), () => ({ kind: 'func', func: noop }), 'warmup');
  // A few runs, so V8 has allocated the feedback before most of them; then again without fused
  // pairs, so the plain cases of fused instructions get feedback too.
  for (let i = 0; i < 3; i++) runInSlices(store, inst.funcs[1] as FuncInst);
  for (const f of inst.funcs) if (f.compiled) f.compiled.code.set(f.compiled.orig);
  for (let i = 0; i < 3; i++) runInSlices(store, inst.funcs[1] as FuncInst);
}

/**
 * Runs `func` to its end, leaving `execute` every other backward branch or call: V8 then compiles
 * the run loop once when it is next entered, instead of a second time on-stack (OSR) for a call
 * that is still going on, the two at once doubling the compiler's memory.
 */
function runInSlices(store: Store, func: FuncInst): void {
  const ex = store.begin(func, []);
  for (;;) {
    // A fraction (slices of two): the budget's type feedback is then a double, as callers' Infinity
    // is; a whole number here would make V8 throw the optimised code away at the first Infinity.
    const r = ex.run(1.5);
    if (r.status === 'done') return;
    if (r.status === 'trapped') throw r.trap;
  }
}

export function warmupModule(): Module {
  let offset = 0;
  const I = (op: number, extra: Partial<Instr> = {}): Instr => ({ op, offset: offset++, ...extra });
  const konst = (t: ValType): Instr => {
    switch (t) {
      case 'i32': return I(0x41, { value: 1 });
      case 'i64': return I(0x42, { value: 1n });
      case 'f32': return I(0x43, { value: 0x3f800000 });
      case 'f64': return I(0x44, { value: 0x3ff0000000000000n });
      case 'v128': return I(0xfd0c, { bytes: Uint8Array.from({ length: 16 }, (_, i) => i * 17) });
      default: return I(0xd0, { refType: t as 'funcref' });
    }
  };
  const memarg = { align: 0, offset: 0 };
  const body: Instr[] = [];
  const emit = (...xs: Instr[]) => body.push(...xs);

  // Function indices: 0 the host import, 1 main, 2 callee, 3 tail caller, 4 indirect tail caller.
  emit(I(0x41, { value: 1 }), I(0x21, { index: 9 }), I(0x41, { value: 2 }), I(0x21, { index: 10 }));
  emit(I(0x02, { blockType: 'empty' }), I(0x03, { blockType: 'empty' })); // block $exit, loop $l
  for (let op = 0x45; op <= 0xc4; op++) {
    const sig = compileSignature(op)!;
    emit(...sig[0].map(konst), I(op), I(0x1a));
  }
  for (let sub = 0; sub <= 7; sub++) {
    const sig = compileSignature(0xe0 + sub)!;
    emit(...sig[0].map(konst), I(0xfc00 | sub), I(0x1a));
  }
  // i64 shifts by more than 32 and compares with equal high halves take their other paths.
  for (const op of [0x86, 0x87, 0x88]) emit(konst('i64'), I(0x42, { value: 40n }), I(op), I(0x1a));
  for (let op = 0x53; op <= 0x5a; op++) emit(I(0x42, { value: 3n }), I(0x42, { value: -1n }), I(op), I(0x1a));
  // Operands with the high bit set: their unsigned halves are beyond small integers, which code
  // optimised on small operands only is thrown away for (i64.add and i64.sub, unsigned compares).
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const i32 = (v: number) => I(0x41, { value: v });
  const i64 = (v: number) => I(0x42, { value: BigInt(v) });
  for (const op of [...range(0x46, 0x4f), ...range(0x6a, 0x78)]) emit(i32(-1), i32(-2), I(op), I(0x1a), i32(1), i32(-1), I(op), I(0x1a));
  for (const op of [...range(0x51, 0x5a), ...range(0x7c, 0x8a)]) emit(i64(-1), i64(-2), I(op), I(0x1a), i64(1), i64(-1), I(op), I(0x1a));
  for (let op = 0x28; op <= 0x35; op++) emit(konst('i32'), I(op, { memarg }), I(0x1a));
  const storeTypes: ValType[] = ['i32', 'i64', 'f32', 'f64', 'i32', 'i32', 'i64', 'i64', 'i64'];
  storeTypes.forEach((t, i) => emit(konst('i32'), konst(t), I(0x36 + i, { memarg })));
  emit(I(0x3f), I(0x1a), I(0x41, { value: 0 }), I(0x40), I(0x1a));
  // Every SIMD instruction (one case of the run loop, the lanes in simd.ts), lane 1 where there is one.
  for (let sub = 0; sub <= 0x113; sub++) {
    const sig = simdSignature(sub);
    if (sig === undefined) continue;
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => (i * 7) & 31);
    emit(...sig[0].map(konst), I(prefixedOpcode(PREFIX_SIMD, sub), { memarg, lane: 1, bytes }));
    if (sig[1] !== null) emit(I(0x1a));
  }
  // v128 locals, globals, select, a block result moved by a branch, a call returning a v128.
  emit(konst('v128'), I(0x21, { index: 11 }), I(0x20, { index: 11 }), I(0x22, { index: 11 }), I(0x1a));
  emit(I(0x23, { index: 3 }), I(0x24, { index: 3 }), konst('v128'), konst('v128'), I(0x41, { value: 0 }), I(0x1b), I(0x1a));
  emit(I(0x02, { blockType: 'v128' }), konst('i32'), konst('v128'), I(0x0c, { index: 0 }), I(0x0b), I(0x1a));
  emit(I(0x10, { index: 5 }), I(0x1a));
  // Locals: 0 i32 counter, 1 i64, 2 f32, 3 f64, 4 funcref, 5-10 i32 (8, 9, 10 hold 0, 1, 2), 11 v128.
  (['i64', 'f32', 'f64', 'funcref'] as ValType[]).forEach((t, i) => {
    const l = i + 1;
    emit(konst(t), I(0x21, { index: l }), I(0x20, { index: l }), I(0x22, { index: l }), I(0x1a));
  });
  // Globals: 0 i32, 1 i64, 2 funcref, 3 v128 (all mutable).
  for (let g = 0; g < 3; g++) emit(I(0x23, { index: g }), I(0x24, { index: g }));
  emit(konst('funcref'), I(0xd1), I(0x1a), I(0xd2, { index: 2 }), I(0x1a));
  // Tables and bulk operations (segments are empty or dropped: lengths 0 keep them in bounds).
  const c = (v: number) => I(0x41, { value: v });
  emit(c(0), I(0x25, { index: 0 }), I(0x1a), c(1), I(0xd2, { index: 2 }), I(0x26, { index: 0 }));
  emit(I(0xfc10, { index: 0 }), I(0x1a), konst('funcref'), c(0), I(0xfc0f, { index: 0 }), I(0x1a));
  emit(c(1), I(0xd2, { index: 2 }), c(1), I(0xfc11, { index: 0 }));
  emit(c(0), c(0), c(0), I(0xfc08, { index: 0, index2: 0 }), I(0xfc09, { index: 0 }));
  emit(c(0), c(1), c(2), I(0xfc0a, { index: 0, index2: 0 }), c(0), c(7), c(3), I(0xfc0b, { index: 0 }));
  emit(c(0), c(0), c(0), I(0xfc0c, { index: 0, index2: 0 }), I(0xfc0d, { index: 0 }), c(0), c(1), c(1), I(0xfc0e, { index: 0, index2: 0 }));
  // select, untyped and typed.
  emit(c(1), c(2), c(0), I(0x1b), I(0x1a), konst('f64'), konst('f64'), c(1), I(0x1b), I(0x1a));
  emit(konst('funcref'), I(0xd2, { index: 2 }), c(1), I(0x1c, { types: ['funcref'] }), I(0x1a));
  // Branches: taken and not, with and without values to move, forward and backward.
  emit(I(0x02, { blockType: 'i32' }), c(5), c(6), c(0), I(0x0d, { index: 0 }), c(1), I(0x0d, { index: 0 }), I(0x1a), I(0x0b), I(0x1a));
  emit(I(0x02, { blockType: 'empty' }), c(0), I(0x0d, { index: 0 }), c(1), I(0x0d, { index: 0 }), I(0x0b));
  emit(I(0x02, { blockType: 'empty' }), I(0x0c, { index: 0 }), I(0x0b));
  emit(I(0x02, { blockType: 'i32' }), c(5), c(6), I(0x0c, { index: 0 }), I(0x0b), I(0x1a));
  for (const k of [0, 1, 5]) {
    emit(I(0x02, { blockType: 'empty' }), I(0x02, { blockType: 'empty' }), c(k), I(0x0e, { labels: [0, 1, 1] }), I(0x0b), I(0x0b));
    emit(I(0x02, { blockType: 'i32' }), c(6), c(7), c(k), I(0x0e, { labels: [0, 0] }), I(0x0b), I(0x1a));
  }
  for (const k of [0, 1]) emit(c(k), I(0x04, { blockType: 'i32' }), c(1), I(0x05), c(2), I(0x0b), I(0x1a));
  emit(c(1), I(0x04, { blockType: 'empty' }), I(0x01), I(0x0b));
  emit(I(0x03, { blockType: 'empty' }), I(0x20, { index: 5 }), c(1), I(0x6a), I(0x22, { index: 5 }), c(3), I(0x49), I(0x0d, { index: 0 }), I(0x0b));
  // Fused pairs (compile.ts): every binop with a constant or local operand and into a local,
  // every comparison before a forward br_if, an if, and a backward br_if, taken and not.
  const get = (l: number) => I(0x20, { index: l });
  // (A nop in front keeps the instruction before a group from fusing with it instead.)
  const nop = () => I(0x01);
  for (const bin of FUSE_BINOPS) {
    emit(c(5), c(2), I(bin), I(0x1a), c(5), get(7), I(bin), I(0x1a), c(1), c(2), nop(), I(bin), I(0x21, { index: 7 }));
    emit(nop(), get(7), get(8), I(bin), I(0x1a), nop(), get(7), c(2), I(bin), I(0x1a));
    emit(nop(), get(7), get(8), I(bin), I(0x21, { index: 7 }), nop(), get(7), c(2), I(bin), I(0x21, { index: 7 }));
  }
  emit(get(7), get(7), I(0x1a), I(0x1a), get(7), c(1), I(0x1a), I(0x1a), nop(), get(8), I(0x28, { memarg }), I(0x1a));
  for (const cmp of FUSE_COMPARES) {
    const unary = cmp === 0x45;
    for (const y of [0, 1, 2]) {
      // A nop before the comparison keeps the constant from fusing with it instead.
      const operands = unary ? [c(y)] : [c(1), c(y), I(0x01)];
      emit(I(0x02, { blockType: 'empty' }), ...operands, I(cmp), I(0x0d, { index: 0 }), I(0x0b));
      emit(...operands, I(cmp), I(0x04, { blockType: 'empty' }), I(0x01), I(0x0b));
      // counter 1, 2: the comparison's backward br_if goes round while it holds; counter 3 leaves.
      emit(c(0), I(0x21, { index: 6 }), I(0x02, { blockType: 'empty' }), I(0x03, { blockType: 'empty' }));
      emit(get(6), c(1), I(0x6a), I(0x22, { index: 6 }), c(3), I(0x4f), I(0x0d, { index: 1 }));
      emit(...(unary ? [get(6), c(1), I(0x6b)] : [get(6), c(y), I(0x01)]), I(cmp), I(0x0d, { index: 0 }), I(0x0b), I(0x0b));
      if (unary) continue;
      // The same loops with the operands fused in: local.get + (i32.const | local.get) + compare + br_if.
      for (const second of [c(y), I(0x20, { index: 8 + y })]) {
        emit(c(0), I(0x21, { index: 6 }), I(0x02, { blockType: 'empty' }), I(0x03, { blockType: 'empty' }));
        emit(get(6), c(1), I(0x6a), I(0x22, { index: 6 }), c(3), I(0x4f), I(0x0d, { index: 1 }));
        emit(nop(), get(6), { ...second, offset: offset++ }, I(cmp), I(0x0d, { index: 0 }), I(0x0b), I(0x0b));
        emit(I(0x02, { blockType: 'empty' }), nop(), get(9), { ...second, offset: offset++ }, I(cmp), I(0x0d, { index: 0 }), I(0x0b));
      }
    }
  }
  // Calls of every form, and a host call.
  emit(c(3), I(0x10, { index: 2 }), I(0x1a), c(3), c(0), I(0x11, { index: 1, index2: 0 }), I(0x1a));
  emit(c(3), I(0x10, { index: 3 }), I(0x1a), c(3), I(0x10, { index: 4 }), I(0x1a), c(3), I(0x10, { index: 0 }), I(0x1a));
  // Eight rounds: leave by a forward br_if, go round by a backward br.
  emit(I(0x20, { index: 0 }), c(1), I(0x6a), I(0x22, { index: 0 }), c(8), I(0x4f), I(0x0d, { index: 1 }), I(0x0c, { index: 0 }));
  emit(I(0x0b), I(0x0b), I(0x0f), I(0x0b));

  // Built in memory, so each function's code is there from the start rather than decoded from bytes.
  const fn = (instrs: Instr[], locals: ValType[] = []): FuncBody => ({
    offset: offset++,
    endOffset: offset++,
    code: { locals: locals.map((type) => ({ count: 1, type })), body: instrs },
  });
  const callee = fn([I(0x20, { index: 0 }), c(1), I(0x6a), I(0x21, { index: 1 }), I(0x20, { index: 1 }), I(0x0b)], ['i32']);
  const tail = fn([I(0x20, { index: 0 }), I(0x12, { index: 2 }), I(0x0b)]);
  const vector = fn([konst('i32'), I(0x1a), I(0x20, { index: 0 }), I(0x0b)], ['v128']);
  const tailIndirect = fn([I(0x20, { index: 0 }), c(0), I(0x13, { index: 1, index2: 0 }), I(0x0b)]);
  return {
    types: [{ params: [], results: [] }, { params: ['i32'], results: ['i32'] }, { params: [], results: ['v128'] }],
    imports: [{ module: 'warmup', name: 'id', desc: { kind: 'func', typeIndex: 1 } }],
    funcs: [0, 1, 1, 1, 2],
    tables: [{ elem: 'funcref', limits: { min: 4, max: null } }],
    memories: [{ limits: { min: 1, max: 2 } }],
    globals: [
      { type: { type: 'i32', mutable: true }, init: [c(0)] },
      { type: { type: 'i64', mutable: true }, init: [konst('i64')] },
      { type: { type: 'funcref', mutable: true }, init: [konst('funcref')] },
      { type: { type: 'v128', mutable: true }, init: [konst('v128')] },
    ],
    tags: [],
    exports: [],
    start: null,
    elems: [{ type: 'funcref', mode: 'active', table: 0, offset: [c(0)], init: [[I(0xd2, { index: 2 })]] }],
    datas: [{ mode: 'passive', memory: 0, offset: null, bytes: new Uint8Array([1, 2, 3, 4]) }],
    dataCount: 1,
    codes: [fn(body, ['i32', 'i64', 'f32', 'f64', 'funcref', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'v128']), callee, tail, tailIndirect, vector],
    codeSectionOffset: 0,
    names: null,
    customs: [],
    bytes: new Uint8Array(0),
  };
}
