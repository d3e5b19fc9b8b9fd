// Fuzz modules from a seed: the seed expands deterministically into random bytes, which binaryen's
// translate-to-fuzz (`wasm-opt -ttf`, from the `binaryen` npm package) turns into a valid module
// using only the features wat-debugger runs. The same seed gives the same module with the same
// binaryen version, so a divergence is replayed from its seed alone.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inTempDir, runWasmOpt } from './wasmOpt';

/** The features our engine executes; every other binaryen feature is off (`--mvp-features` first). */
export const FUZZ_FEATURES = [
  '--mvp-features',
  '--enable-simd',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-bulk-memory',
  '--enable-bulk-memory-opt',
  '--enable-multivalue',
  '--enable-reference-types',
  '--enable-tail-call',
  '--enable-extended-const',
];

/** The same without SIMD (`--no-simd`): fuzzing the scalar instructions alone. */
export const SCALAR_FEATURES = FUZZ_FEATURES.filter((f) => f !== '--enable-simd');

/**
 * The WebAssembly 3.0 features `--features a,b` adds for the binaryen oracle (Node 20's V8 runs
 * none of them): the binaryen flags of each, the file of fuzz/initial/ its modules start from (for
 * code translate-to-fuzz does not write), and whether our engine runs it yet. A module made with
 * a feature ours does not run counts as unsupported when ours rejects it; set `ours` when the
 * engine gains the feature, and those rejections become divergences.
 */
export const EXTRA_FEATURES: Record<string, { flags: string[]; initial?: string; ours: boolean }> = {
  // translate-to-fuzz writes code for memory 0 only: the other memories come from initial contents.
  'multi-memory': { flags: ['--enable-multimemory'], initial: 'multiMemory.wat', ours: true },
  'relaxed-simd': { flags: ['--enable-relaxed-simd'], ours: true },
  // exnref and try_table, and the legacy try/catch; delegate, rethrow and catch_ref come from initial contents.
  'exceptions': { flags: ['--enable-exception-handling'], initial: 'exceptions.wat', ours: true },
  // Typed function references come with GC in binaryen (it has no switch of their own).
  'gc': { flags: ['--enable-gc'], ours: true },
  'memory64': { flags: ['--enable-memory64'], ours: true },
};

/** The binaryen flags of FUZZ_FEATURES (or `base`) plus the named extra features; throws on an unknown name. */
export function featureFlags(names: string[], base: string[] = FUZZ_FEATURES): string[] {
  const flags = [...base];
  const initial: string[] = [];
  for (const name of names) {
    const feature = EXTRA_FEATURES[name];
    if (!feature) throw new Error(`unknown feature ${name} (known: ${Object.keys(EXTRA_FEATURES).join(', ')}, all)`);
    flags.push(...feature.flags);
    if (feature.initial) initial.push(feature.initial);
  }
  if (initial.length) flags.push(`--initial-fuzz=${initialContents(initial)}`);
  return flags;
}

const INITIAL_DIR = path.join(__dirname, '..', '..', 'fuzz', 'initial');

/**
 * The initial contents file for `files` of fuzz/initial/: wasm-opt takes one, so several are
 * joined into one module (their fields side by side), written to the temporary directory. The
 * same files always give the same module, so a seed still gives the same module.
 */
function initialContents(files: string[]): string {
  if (files.length === 1) return path.join(INITIAL_DIR, files[0]);
  const fields = files.map((file) => {
    const text = fs.readFileSync(path.join(INITIAL_DIR, file), 'utf8');
    const open = text.search(/^\(module\b/m);
    const close = text.lastIndexOf(')');
    if (open < 0 || close < open) throw new Error(`fuzz/initial/${file}: not one (module ...)`);
    return `;; ${file}\n${text.slice(open + '(module'.length, close)}`;
  });
  const joined = `(module\n${fields.join('\n')}\n)\n`;
  const file = path.join(os.tmpdir(), `wat-debugger-fuzz-${files.map((f) => path.basename(f, '.wat')).join('+')}.wat`);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (current !== joined) {
    // Written under a name of this process and renamed: shards writing at once never read half a file.
    const partial = `${file}.${process.pid}`;
    fs.writeFileSync(partial, joined);
    fs.renameSync(partial, file);
  }
  return file;
}

/** Bytes of random input per module: about 2-3 KB of wasm with a dozen functions. */
export const INPUT_BYTES = 4096;

/** splitmix32: a small, well-mixed generator, the same on every machine. */
export function randomBytes(seed: number, length = INPUT_BYTES): Uint8Array {
  let state = seed >>> 0;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    for (let b = 0; b < 4 && i + b < length; b++) out[i + b] = (z >>> (b * 8)) & 0xff;
  }
  return out;
}

/** The module binaryen makes from `seed`, transformed by binaryen's `passes` (such as `--denan`) if any. */
export function generateModule(seed: number, features: string[] = FUZZ_FEATURES, passes: string[] = []): Promise<Uint8Array> {
  return inTempDir(async (dir) => {
    const input = path.join(dir, 'input.bin');
    const output = path.join(dir, 'fuzz.wasm');
    fs.writeFileSync(input, randomBytes(seed));
    try {
      await runWasmOpt(['-ttf', input, ...features, ...passes, '-o', output]);
    } catch (e) {
      throw new Error(`seed ${seed}: ${(e as Error).message}`);
    }
    return new Uint8Array(fs.readFileSync(output));
  });
}
