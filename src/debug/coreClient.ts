// The session's side of the core: starts the worker thread that runs the program and its
// debugger core, sends it requests (waking it with the shared counter when it waits at a stop),
// and hands back answers and events. A thread whose program ended by itself is kept for the next
// session of the process (VS Code's extension host runs one after the other): V8 has optimised
// the interpreter in it already, so that session's program starts warm.

import * as path from 'path';
import { Worker } from 'worker_threads';
import type { CoreArgs, CoreEvent, CoreMessage, CoreMethod, CoreRequest, CoreResult, CoreWorkerData } from './coreProtocol';

/** The compiled worker beside this file (out/src/debug/, or the bundle's dist/). */
const WORKER_FILE = path.join(__dirname, 'coreWorker.js');
/**
 * The thread's young generation (V8 makes two semi-spaces of a third of it each, rounded down to a
 * power of two). V8's default grows them to 16 MiB each while a big module loads, and they stay
 * that size: 20 MiB resident for a 30 MB module, which its loaded objects do not need (they move
 * to the old generation). The interpreter allocates little while it runs; a JavaScript program's
 * glue may allocate much, and sql.js's demo runs 8-10% slower with semi-spaces of 2 MiB than with
 * these of 4 MiB, as fast as with V8's default.
 */
const YOUNG_GENERATION_MB = 12;
/** How long a session that ends waits to hear whether its thread can be kept. */
const REUSE_WAIT_MS = 1000;

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

interface CoreThread {
  worker: Worker;
  /** Requests posted (slot 0), shared with the thread. */
  posted: Int32Array;
  seq: number;
  /** Settles when the thread has loaded the debugger and warmed up its engine. */
  ready: Promise<void>;
}

/** A thread waiting for the next session: one started ahead, or the last session's whose program ended cleanly. */
let spare: CoreThread | null = null;

function newThread(): CoreThread {
  const signal = new SharedArrayBuffer(4);
  const data: CoreWorkerData = { signal };
  // The program's own stdout/stderr are redirected to events; anything else its thread prints comes here, not on the adapter's stdout.
  const worker = new Worker(WORKER_FILE, { workerData: data, stdout: true, stderr: true, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  const ready = new Promise<void>((resolve) => {
    const onMessage = (m: CoreMessage) => {
      if (!('ready' in m)) return;
      worker.off('message', onMessage);
      resolve();
    };
    worker.on('message', onMessage);
    worker.once('exit', () => resolve());
  });
  return { worker, posted: new Int32Array(signal), seq: 0, ready };
}

/**
 * Starts a thread for the next session ahead of time (the extension at activation, the adapter at
 * start, and after each session), so a launch does not wait for it to load and warm up. Resolves
 * when it is ready.
 */
export function prepareThread(): Promise<void> {
  if (!spare) {
    const thread = (spare = newThread());
    // Once ready, a thread kept for later does not keep the process alive.
    void thread.ready.then(() => spare === thread && thread.worker.unref());
  }
  return spare.ready;
}

export class CoreClient {
  private readonly thread: CoreThread;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exitCode: number | null = null;
  private readonly listeners: [NodeJS.EventEmitter, string, (...a: any[]) => void][] = []; // eslint-disable-line @typescript-eslint/no-explicit-any

  constructor(onEvent: (event: CoreEvent) => void, onExit: (exitCode: number) => void) {
    const reused = spare;
    spare = null;
    this.thread = reused ?? newThread();
    const { worker } = this.thread;
    worker.ref();
    this.listen(worker.stdout, 'data', (chunk: Buffer) => onEvent({ event: 'output', category: 'stdout', text: chunk.toString() }));
    this.listen(worker.stderr, 'data', (chunk: Buffer) => onEvent({ event: 'output', category: 'stderr', text: chunk.toString() }));
    this.listen(worker, 'message', (message: CoreMessage) => {
      if ('ready' in message) return;
      if ('event' in message) return onEvent(message.event);
      const waiting = this.pending.get(message.seq);
      if (!waiting) return;
      this.pending.delete(message.seq);
      if ('error' in message) waiting.reject(new CoreError(message.error, message.expected, message.stack));
      else waiting.resolve(message.result);
    });
    this.listen(worker, 'error', (e: Error) => onEvent({ event: 'output', category: 'stderr', text: `wat-debugger: the program's thread failed: ${e.stack ?? e.message}\n` }));
    this.listen(worker, 'exit', (code: number) => {
      this.exitCode = code;
      for (const waiting of this.pending.values()) waiting.reject(new CoreError('the program has ended', true));
      this.pending.clear();
      onExit(code);
    });
    if (reused) void this.send('newSession', []);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private listen(emitter: NodeJS.EventEmitter, name: string, listener: (...a: any[]) => void): void {
    emitter.on(name, listener);
    this.listeners.push([emitter, name, listener]);
  }

  /** Calls a method of the core in its thread. */
  call<M extends CoreMethod>(method: M, ...args: CoreArgs<M>): Promise<CoreResult<M>> {
    return this.send(method, args) as Promise<CoreResult<M>>;
  }

  private send(method: CoreRequest['method'], args: unknown[]): Promise<unknown> {
    if (this.exitCode !== null) return Promise.reject(new CoreError('the program has ended', true));
    const seq = ++this.thread.seq;
    const answer = new Promise((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    const request: CoreRequest = { seq, method, args };
    this.thread.worker.postMessage(request);
    Atomics.add(this.thread.posted, 0, 1);
    Atomics.notify(this.thread.posted, 0);
    return answer;
  }

  /** Stops the thread, wherever the program is. */
  async stop(): Promise<void> {
    if (this.exitCode === null) await this.thread.worker.terminate();
  }

  /** Ends the session: the thread is kept for the next one when its program ended by itself, else stopped. */
  async release(): Promise<void> {
    if (this.exitCode !== null) return;
    const reusable = spare === null && (await Promise.race([this.call('reusable').catch(() => false), new Promise<false>((resolve) => setTimeout(() => resolve(false), REUSE_WAIT_MS).unref())]));
    if (!reusable) return this.stop();
    for (const [emitter, name, listener] of this.listeners) emitter.removeListener(name, listener);
    // A kept thread does not keep the adapter's process alive.
    this.thread.worker.unref();
    spare = this.thread;
  }
}
