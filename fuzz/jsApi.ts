// The part of V8's JavaScript WebAssembly API the fuzzer uses (the project compiles without the
// DOM library, which is where TypeScript declares it).

export type Exports = Record<string, unknown>;
export interface JsModule { readonly __module: true }
export interface JsInstance { exports: Exports }
export interface JsTable { length: number; get(i: number): unknown; set(i: number, v: unknown): void }
export interface JsGlobal { value: unknown }
export interface JsMemory { buffer: ArrayBuffer }

export interface WebAssemblyApi {
  Module: new (bytes: Uint8Array | ArrayBuffer) => JsModule;
  Instance: new (module: JsModule, imports: Record<string, Record<string, unknown>>) => JsInstance;
  RuntimeError: new (...args: unknown[]) => Error;
  CompileError: new (...args: unknown[]) => Error;
}

export const WA = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
