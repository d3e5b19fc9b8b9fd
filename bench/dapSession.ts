// Our engine under the debug adapter, driven in process the way VS Code drives it: the
// DAP session gets initialize, launch, 10 source breakpoints on lines the run never
// reaches (the `never_called` function every benchmark program carries; for a C program,
// in the document the debugger generates for that function of its .wasm), configurationDone, and the
// call time is from configurationDone to the session's `terminated` event.

import * as fs from 'fs';
import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { WatDebugSession } from '../src/debug/session';
import { Benchmark, PROGRAMS_DIR } from './benchmarks';
import { Clock, Measurement, WrongResult, clock, emptyMeasurement, since } from './measure';
import type { TierMode } from '../src/engine/tier/modes';

type Message = DebugProtocol.Response | DebugProtocol.Event;

/** A minimal in-process DAP client: requests by promise, events by waiting for them. */
export class InProcessClient {
  private seq = 1;
  private readonly responses = new Map<number, (r: DebugProtocol.Response) => void>();
  private readonly waiters: { event: string; test: (e: DebugProtocol.Event) => boolean; resolve: (e: DebugProtocol.Event) => void }[] = [];
  readonly output: string[] = [];

  constructor(private readonly session: WatDebugSession) {
    session.onDidSendMessage((m) => this.receive(m as Message));
  }

  private receive(m: Message): void {
    if (m.type === 'response') {
      const r = m as DebugProtocol.Response;
      this.responses.get(r.request_seq)?.(r);
      this.responses.delete(r.request_seq);
      return;
    }
    const e = m as DebugProtocol.Event;
    if (e.event === 'output') this.output.push((e as DebugProtocol.OutputEvent).body.output);
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i];
      if (w.event === e.event && w.test(e)) {
        this.waiters.splice(i, 1);
        w.resolve(e);
        return;
      }
    }
  }

  send(command: string, args?: object): Promise<DebugProtocol.Response> {
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.responses.set(seq, (r) => (r.success ? resolve(r) : reject(new Error(`${command}: ${r.message ?? 'failed'}`))));
      this.session.handleMessage({ seq, type: 'request', command, arguments: args } as DebugProtocol.Request);
    });
  }

  /** Resolves on the next `event` that passes `test`; register before the event can happen. */
  next(event: string, test: (e: DebugProtocol.Event) => boolean = () => true): Promise<DebugProtocol.Event> {
    return new Promise((resolve) => this.waiters.push({ event, test, resolve }));
  }
}

/** The ten instruction lines of `(func $never_called` in a module's text. */
export function neverCalledLines(text: string): number[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /\(func \$never_called\b/.test(l));
  if (start < 0) return [];
  const out: number[] = [];
  for (let i = start + 1; i < lines.length && out.length < 10; i++) {
    const t = lines[i].trim();
    if (/^\(func\b/.test(t)) break;
    if (t && !t.startsWith(';;') && !/^\((local|param|result)\s/.test(t)) out.push(i + 1);
  }
  return out;
}

export function launchArgs(b: Benchmark, record: boolean, compiledTier: TierMode = 'off'): object {
  const files = b.modules.map((m) => path.join(PROGRAMS_DIR, sourceOf(m.file)));
  const imports: Record<string, string> = {};
  b.modules.slice(0, -1).forEach((m, i) => (imports[m.name] = files[i]));
  if (b.modules[b.modules.length - 1].name !== b.entryModule) throw new Error(`${b.name}: the entry must be in the last module to launch it`);
  return { program: files[files.length - 1], imports, invoke: b.entry, args: b.args, stopOnEntry: false, maxCallDepth: Math.max(100_000, b.depth + 16), record, compiledTier };
}

/** The .wat source when there is one (the debugger assembles it), else the binary. */
function sourceOf(wasmFile: string): string {
  const wat = wasmFile.replace(/\.wasm$/, '.wat');
  return fs.existsSync(path.join(PROGRAMS_DIR, wat)) ? wat : wasmFile;
}

/** One launch of the benchmark under the adapter: load time and call time. */
async function debugRun(b: Benchmark, record: boolean, compiledTier: TierMode): Promise<{ load: Clock; call: Clock }> {
  const session = new WatDebugSession();
  const client = new InProcessClient(session);
  try {
    await client.send('initialize', { adapterID: 'wat', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const t0 = clock();
    const modules: Promise<DebugProtocol.Event>[] = b.modules.map(() => client.next('module'));
    const sources: DebugProtocol.Source[] = [];
    const sourceEvents = b.modules.map(() => client.next('loadedSource').then((e) => sources.push((e as DebugProtocol.LoadedSourceEvent).body.source)));
    const launched = client.send('launch', launchArgs(b, record, compiledTier));
    // The launch response comes after configurationDone; a failed launch answers at once.
    const early = launched.then(() => {
      throw new Error(`${b.name}: the launch ended before the program loaded`);
    });
    await Promise.race([Promise.all([...modules, ...sourceEvents]), early]);
    const load = since(t0);

    let set = 0;
    for (const announced of sources) {
      // A .wasm's generated text exists only in the session: ask it (by reference, or by path
      // when there is none), as VS Code does to show the document. Its overview lists the
      // functions; the code of each is in a document of its own, `hello.wasm/NAME.wat`.
      const fetch = async (source: DebugProtocol.Source) =>
        ((await client.send('source', { source, sourceReference: source.sourceReference ?? 0 })) as DebugProtocol.SourceResponse).body.content;
      const onDisk = announced.path !== undefined && !announced.sourceReference && fs.existsSync(announced.path);
      let source = announced;
      let text = onDisk ? fs.readFileSync(announced.path!, 'utf8') : await fetch(announced);
      if (!onDisk && /\(func \$never_called\b/.test(text) && announced.path?.endsWith('.wat')) {
        source = { name: 'never_called.wat', path: path.join(announced.path.slice(0, -'.wat'.length), 'never_called.wat') };
        text = await fetch(source);
      }
      const lines = neverCalledLines(text);
      if (lines.length === 0) continue;
      const r = (await client.send('setBreakpoints', { source, breakpoints: lines.map((line) => ({ line })) })) as DebugProtocol.SetBreakpointsResponse;
      const verified = r.body.breakpoints.filter((bp) => bp.verified).length;
      if (verified !== 10) throw new Error(`${b.name}: ${verified} of the 10 breakpoints in ${source.name} were verified`);
      set += verified;
    }
    if (set !== 10) throw new Error(`${b.name}: found no never_called function to set the 10 breakpoints in (sources: ${sources.map((s) => s.path ?? s.name).join(", ")})`);

    const terminated = client.next('terminated');
    const stopped = client.next('stopped');
    const t1 = clock();
    await client.send('configurationDone');
    const first = await Promise.race([terminated.then(() => 'terminated'), stopped.then(() => 'stopped')]);
    const call = since(t1);
    await launched;
    if (first === 'stopped') throw new WrongResult(b, 'ours + debugger', b.args, 'a stop at a breakpoint that is never reached', b.expected);
    const text = client.output.join('');
    const m = /returned (-?\d+)/.exec(text);
    const got = m ? Number(m[1]) >>> 0 : `no result (output: ${text.trim()})`;
    if (got !== b.expected) throw new WrongResult(b, 'ours + debugger', b.args, got, b.expected);
    return { load, call };
  } finally {
    await client.send('disconnect', {}).catch(() => undefined);
  }
}

/** Runs under the adapter, recording the run for going backwards (engine 'recording') or not ('debug'). */
export async function measureDapSession(b: Benchmark, runs: number, engine: 'debug' | 'recording' = 'debug', compiledTier: TierMode = 'off'): Promise<Measurement> {
  const m = emptyMeasurement(b.name, engine);
  for (let i = 0; i < runs; i++) {
    const { load, call } = await debugRun(b, engine === 'recording', compiledTier);
    m.loadMs.push(load.cpu);
    m.callMs.push(call.cpu);
    m.callWallMs.push(call.wall);
  }
  return m;
}

/**
 * A session launched with `args`, configured by `configure` (between `initialized` and
 * `configurationDone`, where a client sets its breakpoints), and stopped at its first stop.
 * `what` names the program in errors; `close` ends the session.
 */
export async function launchStopped(
  args: object,
  what: string,
  configure: (client: InProcessClient) => Promise<void> = async () => {},
): Promise<{ session: WatDebugSession; client: InProcessClient; first: DebugProtocol.StoppedEvent; close: () => Promise<void> }> {
  const session = new WatDebugSession();
  const client = new InProcessClient(session);
  const close = async (): Promise<void> => {
    await client.send('disconnect', {}).catch(() => undefined);
  };
  try {
    await client.send('initialize', { adapterID: 'wat', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const stopped = client.next('stopped');
    const initialized = client.next('initialized');
    const launched = client.send('launch', args);
    // The program is loaded when the session sends initialized: breakpoints are verified in their answer.
    await Promise.race([initialized, launched.then(() => Promise.reject(new Error(`${what}: the launch ended before the program loaded`)))]);
    await configure(client);
    await client.send('configurationDone');
    const first = (await stopped) as DebugProtocol.StoppedEvent;
    void launched.catch(() => undefined);
    return { session, client, first, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Launches `program` calling `invoke(args)` with one breakpoint at `file:line`, and resolves
 * once the session has stopped there. `close` ends the session.
 */
export async function stoppedAt(
  program: string,
  invoke: string,
  args: number[],
  maxCallDepth: number,
  line: number,
): Promise<{ client: InProcessClient; close: () => Promise<void> }> {
  const what = path.basename(program);
  const { client, first, close } = await launchStopped({ program, invoke, args, stopOnEntry: false, maxCallDepth }, what, async (c) => {
    const r = (await c.send('setBreakpoints', { source: { path: program }, breakpoints: [{ line }] })) as DebugProtocol.SetBreakpointsResponse;
    const bp = r.body.breakpoints[0];
    if (!bp?.verified) throw new Error(`${what}: the breakpoint on line ${line} is not verified (${bp?.message ?? 'no answer'})`);
  });
  if (first.body.reason !== 'breakpoint') {
    await close();
    throw new Error(`${what}: stopped for ${first.body.reason}, not at the breakpoint on line ${line}`);
  }
  return { client, close };
}
