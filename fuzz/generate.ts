// Fuzz modules from a seed: the seed expands deterministically into random bytes, which binaryen's
// translate-to-fuzz (`wasm-opt -ttf`, from the `binaryen` npm package) turns into a valid module
// using only the features wat-debugger runs. The same seed gives the same module with the same
// binaryen version, so a divergence is replayed from its seed alone.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runWasmOpt } from './wasmOpt';

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

/** The module binaryen makes from `seed`. */
export async function generateModule(seed: number, features: string[] = FUZZ_FEATURES): Promise<Uint8Array> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watdbg-fuzz-'));
  try {
    const input = path.join(dir, 'input.bin');
    const output = path.join(dir, 'fuzz.wasm');
    fs.writeFileSync(input, randomBytes(seed));
    try {
      await runWasmOpt(['-ttf', input, ...features, '-o', output]);
    } catch (e) {
      throw new Error(`seed ${seed}: ${(e as Error).message}`);
    }
    return new Uint8Array(fs.readFileSync(output));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
