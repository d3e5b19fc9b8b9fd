// The thread that runs the program and its debugger core. Requests come from the session over
// the worker's message port; while the program runs they are taken between slices, and while it
// is stopped the thread waits on a shared counter (Atomics.wait) and takes them with
// receiveMessageOnPort: it never has to return to its event loop, so a stop can block anywhere,
// even under JavaScript frames of the program.

import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'worker_threads';
import { DebuggerCore, type RequestChannel } from './core';
import { warmUpEngine } from '../engine/index';
import { CORE_METHODS, type CoreEvent, type CoreMessage, type CoreRequest, type CoreWorkerData } from './coreProtocol';
import { RequestError } from './requestError';
import { EvalError } from './evaluate';
import { LaunchArgError } from './launchArgs';
import { AssignError } from './assign';

const ALLOWED = new Set<string>(CORE_METHODS);

class WorkerChannel implements RequestChannel {
  private readonly posted: Int32Array;
  private taken = 0;
  core: DebuggerCore = this.makeCore();

  constructor(
    private readonly port: MessagePort,
    data: CoreWorkerData,
  ) {
    this.posted = new Int32Array(data.signal);
    // While the thread is idle in its event loop, requests arrive as messages.
    port.on('message', (request: CoreRequest) => this.handle(request));
  }

  private makeCore(): DebuggerCore {
    return new DebuggerCore((event: CoreEvent) => this.send({ event }), this);
  }

  send(message: CoreMessage): void {
    this.port.postMessage(message);
  }

  poll(): void {
    while (this.taken < Atomics.load(this.posted, 0)) if (!this.takeOne(5)) return;
  }

  waitForRequest(): void {
    while (this.taken >= Atomics.load(this.posted, 0)) Atomics.wait(this.posted, 0, this.taken, 1000);
    this.takeOne(1000);
  }

  release(): void {
    this.port.unref();
  }

  /** Takes one posted request off the port (it may show up a moment after the counter moved). */
  private takeOne(waitMs: number): boolean {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (received) {
        this.handle(received.message as CoreRequest);
        return true;
      }
      if (Date.now() >= deadline) return false;
      Atomics.wait(this.posted, 0, Atomics.load(this.posted, 0), 1);
    }
  }

  private handle(request: CoreRequest): void {
    this.taken++;
    const { seq, method, args } = request;
    const answer = (result: unknown) => {
      this.send({ seq, result });
      for (const event of this.core.takeAfterAnswer()) this.send({ event });
    };
    const fail = (e: unknown) => {
      const error = e instanceof Error ? e : new Error(String(e));
      const expected = e instanceof RequestError || e instanceof EvalError || e instanceof LaunchArgError || e instanceof AssignError;
      this.send({ seq, error: error.message, expected, stack: expected ? undefined : error.stack });
      this.core.takeAfterAnswer();
    };
    try {
      if (method === 'newSession') {
        this.core = this.makeCore();
        return answer(null);
      }
      if (!ALLOWED.has(method)) throw new RequestError(`unknown request "${method}"`);
      const result = (this.core[method] as (...a: unknown[]) => unknown)(...args);
      if (result instanceof Promise) result.then(answer, fail);
      else answer(result);
    } catch (e) {
      fail(e);
    }
  }
}

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('coreWorker runs as a worker thread of the debug adapter');
  new WorkerChannel(port, workerData as CoreWorkerData);
  // Before any program comes (a thread is often started ahead of its session), so it runs warm.
  setImmediate(() => {
    warmUpEngine();
    port.postMessage({ ready: true } satisfies CoreMessage);
  });
}

main();
