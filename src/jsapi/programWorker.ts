// The worker side of running a JavaScript program on our engine: this thread's `WebAssembly` becomes
// ours, wasm files read through `fs` are noted (so modules are named after their file), error
// stacks show wasm frames instead of the engine's, and the program is imported unchanged, as
// `node program args...` would run it. Loaded as a worker by runInWorker.ts, which it tells of each
// instance the program creates and, at exit, of the calls JavaScript made into wasm.

import { isMainThread, parentPort, workerData } from 'worker_threads';
import { pathToFileURL } from 'url';
import { installWebAssembly } from './namespace';
import { jsApiEngine, useJsApiEngine } from './realm';
import { watchFileReads } from './fileReads';
import { installWasmErrorStacks } from './errorStacks';
import { moduleOrigin } from './bytesOrigin';
import type { Instance } from '../engine/index';

/** What the worker reports to the thread that started it. */
export type ProgramWorkerMessage =
  | { kind: 'instance'; name: string; origin: string | null }
  | { kind: 'exit'; wasmCalls: number };

export interface ProgramWorkerData {
  /** Marks this worker's data (this module may be bundled into another worker's entry file). */
  kind: 'js-program';
  program: string;
  args: string[];
  /** 'v8' leaves Node's own WebAssembly in place (to compare against). */
  webAssembly: 'ours' | 'v8';
}

export interface ProgramHooks {
  /** Each new instance, before its start function runs. */
  instantiated?(instance: Instance): void;
}

// tsc turns `import()` into `require()` for CommonJS output; this one stays a real dynamic import,
// so .mjs programs (and .js ones in "type": "module" packages) load as ES modules.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/**
 * Makes this thread's `WebAssembly` ours (with error stacks that show its wasm frames), counts
 * calls from JavaScript into wasm, and imports `program` with `process.argv` as node would give it.
 * `loaded` settles when the program's top level has run (its asynchronous work may go on); a
 * failure is left for the caller to report.
 */
export function startProgramHere(program: string, args: string[], hooks: ProgramHooks = {}): { wasmCalls(): number; loaded: Promise<unknown> } {
  installWebAssembly(globalThis);
  installWasmErrorStacks();
  watchFileReads();
  const base = jsApiEngine();
  let wasmCalls = 0;
  useJsApiEngine({
    store: base.store,
    invoke: (func, callArgs) => {
      wasmCalls++;
      return base.invoke(func, callArgs);
    },
    instantiated: (module, instance) => {
      base.instantiated?.(module, instance);
      hooks.instantiated?.(instance);
    },
  });
  return { wasmCalls: () => wasmCalls, loaded: importProgram(program, args) };
}

/** Imports `program` with `process.argv` as `node program args...` gives it. */
function importProgram(program: string, args: string[]): Promise<unknown> {
  process.argv = [process.execPath, program, ...args];
  return importModule(pathToFileURL(program).href);
}

function post(message: ProgramWorkerMessage): void {
  parentPort!.postMessage(message);
}

// Only in a worker started by runInWorker.ts: another thread that imports this module runs nothing.
if (!isMainThread && parentPort !== null && (workerData as ProgramWorkerData | undefined)?.kind === 'js-program') {
  const { program, args, webAssembly } = workerData as ProgramWorkerData;
  // A rejection of the import is the program's uncaught error: the worker's 'error' event reports it.
  if (webAssembly === 'v8') {
    void importProgram(program, args);
  } else {
    const run = startProgramHere(program, args, {
      instantiated: (instance) => post({ kind: 'instance', name: instance.name, origin: moduleOrigin(instance.module) ?? null }),
    });
    process.on('exit', () => post({ kind: 'exit', wasmCalls: run.wasmCalls() }));
    void run.loaded;
  }
}
