// The second oracle: binaryen's own interpreter (`wasm-opt --fuzz-exec-before`, run in-process by
// wasmOpt.ts), which runs what Node 20's V8 cannot (GC, exceptions, typed function references,
// memory64, multiple memories). It prints what it does; this turns that into a trace in the
// binaryen format of trace.ts. `--fuzz-exec-before` runs the module as read, before any pass
// (`--fuzz-exec` would also optimize it and run it again, comparing the two).

import * as fs from 'fs';
import * as path from 'path';
import type { Export } from '../src/engine';
import { generateModule } from './generate';
import { Trace, showExactFloat } from './trace';
import { inTempDir, runWasmOpt } from './wasmOpt';

/** The interpreter's output for `bytes`, read with `features` (the flags the module was made with). */
export function binaryenOutput(bytes: Uint8Array, features: string[]): Promise<string> {
  return inTempDir((dir) => {
    const file = path.join(dir, 'module.wasm');
    fs.writeFileSync(file, bytes);
    return runWasmOpt([file, ...features, '--fuzz-exec-before']);
  });
}

/**
 * The module of `seed` and the interpreter's output for it. binaryen's interpreter makes every NaN
 * an arithmetic instruction returns positive and canonical (Literal::standardizeNaN) where ours,
 * like V8, passes an operand's NaN on; the spec allows both, and copysign, reinterpretations and
 * stores show the difference. So the module goes through binaryen's `--denan` pass first, which
 * turns every NaN a float instruction returns into 0 (as binaryen's own fuzzer does when it
 * compares engines). `--fuzz-exec-before` runs before any pass, hence two wasm-opt runs. A
 * failure of the interpreter (its stack overflowing, say) is returned as the output: it says
 * nothing of the module's behaviour, while a failure to generate is the harness's and throws.
 */
export async function generateAndRun(seed: number, features: string[]): Promise<{ bytes: Uint8Array; output: string | Error }> {
  const bytes = await generateModule(seed, features, ['--denan']);
  return { bytes, output: await binaryenOutput(bytes, features).catch((e: Error) => e) };
}

/** One value as binaryen prints it (Literal's operator<< or execution-results.h's printValue), as the trace shows it. */
export function canonicalValue(text: string): string {
  const vector = /^i32x4 0x([0-9a-f]{8}) 0x([0-9a-f]{8}) 0x([0-9a-f]{8}) 0x([0-9a-f]{8})$/.exec(text);
  if (vector) return `v128 ${vector.slice(1).join(' ')}`;
  if (/^-?nan(:0x[0-9a-f]+)?$/.test(text)) return 'nan';
  if (text === 'inf' || text === '-inf') return showExactFloat(text === 'inf' ? Infinity : -Infinity);
  // Integers are exact. A float with an integral value prints as one too, exactly below 2^64 (as
  // %llu), but 2^64 itself as 18446744073709551615 (saturated): beyond the i64 range, a float.
  if (/^-?\d+$/.test(text)) return BigInt.asIntN(64, BigInt(text)) === BigInt(text) ? text : showExactFloat(Number(text));
  // A float in cashew's numToString form: `1e3`, `0.5`, `1.5e-07`, always read back exactly.
  if (/^-?\d*\.?\d+(e[+-]?\d+)?$/.test(text)) return showExactFloat(Number(text));
  return text; // a reference: null, function, externref(N), i31ref(N), object(...), jserror
}

/** A logging's values: binaryen splits an i64 into its low and high i32 halves; they are joined again. */
function loggedValue(text: string): string {
  const halves = /^(-?\d+) (-?\d+)$/.exec(text);
  if (!halves) return canonicalValue(text);
  const low = BigInt(Number(halves[1]) >>> 0);
  return BigInt.asIntN(64, (BigInt(halves[2]) << 32n) | low).toString();
}

/** The values of an exception's payload, split at spaces: a v128 (`i32x4` and four words) is one. */
function payloadValues(words: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const n = words[i] === 'i32x4' ? 5 : 1;
    values.push(canonicalValue(words.slice(i, i + n).join(' ')));
    i += n - 1;
  }
  return values;
}

/** binaryen's names of its two fuzzing tags (`imported-js-tag` carries host errors). */
const TAG_NAMES: Record<string, string> = { 'imported-js-tag': 'jstag', 'imported-wasm-tag': 'wasmtag' };

/**
 * The trace of binaryen's output for a module with `exports` (it announces function and global
 * exports in that order; the kind says whether a logging line that follows is the global's value).
 * Throws on a line it does not know, so a change of binaryen's format is noticed.
 */
export function parseBinaryenOutput(output: string, exports: readonly Pick<Export, 'name' | 'kind'>[]): Trace {
  const trace: Trace = [];
  const announced = exports.filter((e) => e.kind === 'func' || e.kind === 'global');
  let next = 0; // the next export binaryen announces
  let current: Pick<Export, 'name' | 'kind'> | null = null;
  let results: string[] | null = null; // values of a `note result` still being read
  const endResults = () => {
    if (results) trace.push(`result ${results.join(', ')}`);
    results = null;
  };
  const lines = output.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const where = () => `binaryen's output line ${n + 1}: ${JSON.stringify(line)}`;
    if (results && line !== '' && !line.startsWith('[')) {
      results.push(canonicalValue(line));
      continue;
    }
    endResults();
    let m: RegExpExecArray | null;
    if (line === '') continue;
    if ((m = /^\[fuzz-exec\] export (.*)$/.exec(line))) {
      current = announced[next++] ?? null;
      if (current?.name !== m[1]) throw new Error(`${where()}: expected export ${current ? JSON.stringify(current.name) : '(none left)'}`);
      if (current.kind === 'func') trace.push(`call ${current.name}`);
    } else if ((m = /^\[fuzz-exec\] note result: (.*) => (.*)$/.exec(line))) {
      if (current?.name !== m[1]) throw new Error(`${where()}: a result of an export not being called`);
      results = [canonicalValue(m[2])];
    } else if ((m = /^\[LoggingExternalInterface logging (.*)\]$/.exec(line))) {
      if (current?.kind === 'global') {
        trace.push(`global ${current.name} = ${canonicalValue(m[1])}`);
        current = null;
      } else {
        trace.push(`log ${loggedValue(m[1])}`);
      }
    } else if (/^\[trap .*\]$/.test(line)) {
      trace.push(next > 0 ? 'trap' : 'instantiation trapped');
    } else if ((m = /^\[exception thrown: (.*)\]$/.exec(line))) {
      if (m[1] === 'failed to instantiate module') {
        trace.push('instantiation threw');
      } else {
        const [tag, ...payload] = m[1].split(' ');
        trace.push(['exception', TAG_NAMES[tag] ?? tag, ...payloadValues(payload)].join(' '));
      }
    } else if ((m = /^\[host limit (.*)\]$/.exec(line))) {
      trace.push(`host limit ${m[1]}`);
    } else {
      throw new Error(`${where()}: not a line binaryen's interpreter is known to print`);
    }
  }
  endResults();
  return trace;
}
