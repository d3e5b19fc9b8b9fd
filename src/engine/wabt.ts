// The one shared instance of the `wabt` package (text assembling and text generation; the type
// checking of modules is our own, in src/engine), and the feature set wat-debugger supports,
// always passed explicitly: wabt's own defaults differ between its calls.

import wabtFactory from 'wabt';

export type WabtModule = Awaited<ReturnType<typeof wabtFactory>>;
export type WabtFeatures = Parameters<WabtModule['parseWat']>[2] & { multi_memory?: boolean };

export const WABT_FEATURES = Object.freeze({
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  multi_value: true,
  bulk_memory: true,
  reference_types: true,
  tail_call: true,
  extended_const: true,
  simd: true,
  exceptions: true,
  threads: false,
  function_references: false,
  annotations: false,
  code_metadata: false,
  gc: false,
  memory64: true,
  multi_memory: true,
  relaxed_simd: true,
} satisfies WabtFeatures);

let instance: Promise<WabtModule> | null = null;

export function loadWabt(): Promise<WabtModule> {
  instance ??= wabtFactory();
  return instance;
}

/**
 * A copy of `bytes` in a buffer of its own. wabt copies a typed array's whole underlying
 * ArrayBuffer size, so a view into a larger (e.g. pooled Node.js Buffer) buffer would hand it garbage.
 */
export function freshBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
