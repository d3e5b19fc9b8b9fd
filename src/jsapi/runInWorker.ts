// Runs a JavaScript program (.js, .mjs, .cjs), unchanged, in a fresh worker thread whose global
// `WebAssembly` is ours (programWorker.ts), so its wasm runs in our engine while its globals stay
// apart from this thread's. Collects what it printed, the instances it created (named as a debugger
// shows them, with the file their bytes came from) and how many calls it made into wasm.

import * as path from 'path';
import { Worker } from 'worker_threads';
import type { ProgramWorkerData, ProgramWorkerMessage } from './programWorker';

export interface JsProgramOptions {
  /** Command-line arguments the program sees after its own path (process.argv[2]...). */
  args?: string[];
  /** Environment variables added to this process's for the program. */
  env?: Record<string, string>;
  /** 'v8' runs the program the same way on Node's own WebAssembly, to compare with (default 'ours'). */
  webAssembly?: 'ours' | 'v8';
}

export interface JsProgramRun {
  /** The worker's exit code (1 after an uncaught error, or what the program gave process.exit). */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Each instance the program created, in order: its name and, when known, the file of its bytes. */
  instances: { name: string; origin: string | null }[];
  /** Calls from JavaScript into wasm that ran on our engine (exported functions, start functions). */
  wasmCalls: number;
}

const WORKER_ENTRY = path.join(__dirname, 'programWorker.js');

export function runJsProgramInWorker(program: string, options: JsProgramOptions = {}): Promise<JsProgramRun> {
  const data: ProgramWorkerData = { kind: 'js-program', program: path.resolve(program), args: options.args ?? [], webAssembly: options.webAssembly ?? 'ours' };
  const worker = new Worker(WORKER_ENTRY, {
    workerData: data,
    env: { ...process.env, ...options.env },
    stdout: true,
    stderr: true,
  });
  const run: JsProgramRun = { exitCode: 0, stdout: '', stderr: '', instances: [], wasmCalls: 0 };
  worker.stdout.setEncoding('utf8').on('data', (s: string) => (run.stdout += s));
  worker.stderr.setEncoding('utf8').on('data', (s: string) => (run.stderr += s));
  worker.on('message', (m: ProgramWorkerMessage) => {
    if (m.kind === 'instance') run.instances.push({ name: m.name, origin: m.origin });
    else run.wasmCalls = m.wasmCalls;
  });
  // An uncaught error ends the worker; node would print its stack on stderr.
  worker.on('error', (e: unknown) => (run.stderr += `Uncaught ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`));
  return new Promise((resolve) => {
    worker.on('exit', (code) => {
      run.exitCode = code;
      // The streams may still hold the last output when the thread is gone.
      let open = 2;
      const done = () => --open === 0 && resolve(run);
      for (const s of [worker.stdout, worker.stderr]) {
        if (s.readableEnded) done();
        else s.once('end', done);
      }
    });
  });
}
