// The session's side of the core: starts the worker thread that runs the program and its
// debugger core, sends it requests (waking it with the shared counter when it waits at a stop),
// and hands back answers and events.

import * as path from 'path';
import { Worker } from 'worker_threads';
import type { CoreArgs, CoreEvent, CoreMessage, CoreMethod, CoreResult, CoreWorkerData } from './coreProtocol';

/** The compiled worker beside this file (out/src/debug/, or the bundle's dist/). */
const WORKER_FILE = path.join(__dirname, 'coreWorker.js');

/** A request the core refused: `expected` when the user's request was at fault, not the debugger. */
export class CoreError extends Error {
  constructor(
    message: string,
    readonly expected: boolean,
    readonly coreStack?: string,
  ) {
    super(message);
  }
}

export class CoreClient {
  private readonly worker: Worker;
  private readonly posted: Int32Array;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exitCode: number | null = null;

  constructor(
    onEvent: (event: CoreEvent) => void,
    onExit: (exitCode: number) => void,
    env?: Record<string, string>,
  ) {
    const signal = new SharedArrayBuffer(4);
    this.posted = new Int32Array(signal);
    const data: CoreWorkerData = { signal };
    // The program's own stdout/stderr are redirected to events; anything else its thread prints comes here, not on the adapter's stdout.
    this.worker = new Worker(WORKER_FILE, { workerData: data, stdout: true, stderr: true, env: env ? { ...process.env, ...env } : undefined });
    this.worker.stdout.on('data', (chunk: Buffer) => onEvent({ event: 'output', category: 'stdout', text: chunk.toString() }));
    this.worker.stderr.on('data', (chunk: Buffer) => onEvent({ event: 'output', category: 'stderr', text: chunk.toString() }));
    this.worker.on('message', (message: CoreMessage) => {
      if ('event' in message) return onEvent(message.event);
      const waiting = this.pending.get(message.seq);
      if (!waiting) return;
      this.pending.delete(message.seq);
      if ('error' in message) waiting.reject(new CoreError(message.error, message.expected, message.stack));
      else waiting.resolve(message.result);
    });
    this.worker.on('error', (e) => onEvent({ event: 'output', category: 'stderr', text: `wat-debugger: the program's thread failed: ${e.stack ?? e.message}\n` }));
    this.worker.on('exit', (code) => {
      this.exitCode = code;
      for (const waiting of this.pending.values()) waiting.reject(new CoreError('the program has ended', true));
      this.pending.clear();
      onExit(code);
    });
  }

  /** Calls a method of the core in its thread. */
  call<M extends CoreMethod>(method: M, ...args: CoreArgs<M>): Promise<CoreResult<M>> {
    if (this.exitCode !== null) return Promise.reject(new CoreError('the program has ended', true));
    const seq = ++this.seq;
    const answer = new Promise<CoreResult<M>>((resolve, reject) => this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject }));
    this.worker.postMessage({ seq, method, args });
    Atomics.add(this.posted, 0, 1);
    Atomics.notify(this.posted, 0);
    return answer;
  }

  /** Stops the thread, wherever the program is. */
  async stop(): Promise<void> {
    if (this.exitCode === null) await this.worker.terminate();
  }
}
