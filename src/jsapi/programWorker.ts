// The worker side of running a JavaScript program on our engine: this thread's `WebAssembly` becomes
// ours, wasm files read through `fs` are noted (so modules are named after their file), error
// stacks show wasm frames instead of the engine's, and the program is imported unchanged, as
// `node program args...` would run it. Loaded as a worker by runInWorker.ts, which it tells of each
// instance the program creates and, at exit, of the calls JavaScript made into wasm.

import { isMainThread, parentPort, workerData } from 'worker_threads';
import { jsApiEngine } from './realm';
import { moduleOrigin } from './bytesOrigin';
import { importProgram, runJsProgram } from './runProgram';
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

/**
 * Runs `program` with our `WebAssembly` on this thread's engine, counting calls from JavaScript into
 * wasm. `loaded` settles when the program's top level has run (its asynchronous work may go on); a
 * failure is left for the caller to report.
 */
export function startProgramHere(program: string, args: string[], hooks: ProgramHooks = {}): { wasmCalls(): number; loaded: Promise<unknown> } {
  const base = jsApiEngine();
  let wasmCalls = 0;
  const loaded = runJsProgram(program, args, {
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
  return { wasmCalls: () => wasmCalls, loaded };
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
