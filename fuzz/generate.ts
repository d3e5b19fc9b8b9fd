// Fuzz modules from a seed: the seed expands deterministically into random bytes, which binaryen's
// translate-to-fuzz (`wasm-opt -ttf`, from the `binaryen` npm package) turns into a valid module
// using only the features wat-debugger runs. The same seed gives the same module with the same
// binaryen version, so a divergence is replayed from its seed alone.

import * as fs from 'fs';
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
 * none of them): the binaryen flags of each, and whether our engine runs it yet. A module made with
 * a feature ours does not run counts as unsupported when ours rejects it; set `ours` when the
 * engine gains the feature, and those rejections become divergences.
 */
export const EXTRA_FEATURES: Record<string, { flags: string[]; ours: boolean }> = {
  // translate-to-fuzz writes code for memory 0 only: the other memories come from initial contents.
  'multi-memory': { flags: ['--enable-multimemory', `--initial-fuzz=${path.join(__dirname, '..', '..', 'fuzz', 'initial', 'multiMemory.wat')}`], ours: true },
  'relaxed-simd': { flags: ['--enable-relaxed-simd'], ours: true },
  // exnref and try_table, and the legacy try/catch/delegate/rethrow too.
  'exceptions': { flags: ['--enable-exception-handling'], ours: true },
  // Typed function references come with GC in binaryen (it has no switch of their own).
  'gc': { flags: ['--enable-gc'], ours: true },
  'memory64': { flags: ['--enable-memory64'], ours: true },
};

/** The binaryen flags of FUZZ_FEATURES (or `base`) plus the named extra features; throws on an unknown name. */
export function featureFlags(names: string[], base: string[] = FUZZ_FEATURES): string[] {
  const flags = [...base];
  for (const name of names) {
    const feature = EXTRA_FEATURES[name];
    if (!feature) throw new Error(`unknown feature ${name} (known: ${Object.keys(EXTRA_FEATURES).join(', ')}, all)`);
    flags.push(...feature.flags);
  }
  return flags;
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
