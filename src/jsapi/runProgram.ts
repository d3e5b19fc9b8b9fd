// Runs a JavaScript program unchanged with this thread's `WebAssembly` on our engine: wasm files
// read through `fs` are noted (modules are named after their file), error stacks show wasm frames
// as V8's do, and the program is imported with `process.argv` as `node program args...` gives it.
// Used by the debugger's program thread and by the runner that compares programs with V8.

import { pathToFileURL } from 'url';
import { installWebAssembly } from './namespace';
import { useJsApiEngine, type JsApiEngine } from './realm';
import { watchFileReads } from './fileReads';
import { installWasmErrorStacks } from './errorStacks';

// tsc turns `import()` into `require()` for CommonJS output; this one stays a real dynamic import,
// so .mjs programs (and .js ones in "type": "module" packages) load as ES modules.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** Installs our `WebAssembly` on `engine` and imports `program`; settles when its top level has run. */
export function runJsProgram(program: string, args: string[], engine: JsApiEngine): Promise<unknown> {
  useJsApiEngine(engine);
  installWebAssembly(globalThis);
  installWasmErrorStacks();
  watchFileReads();
  return importProgram(program, args);
}

/** Imports `program` with `process.argv` as `node program args...` gives it (on whatever `WebAssembly` the thread has). */
export function importProgram(program: string, args: string[]): Promise<unknown> {
  process.argv = [process.execPath, program, ...args];
  return importModule(pathToFileURL(program).href);
}
