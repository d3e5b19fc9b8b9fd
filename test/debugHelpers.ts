// Helpers for the DAP tests: start the real adapter over stdio, launch a testWorkspace program,
// and read what a user would see (frames as `name file:line:column`, variables as `name = value`).

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

/**
 * The adapter under test: the compiled one by default, or another build (the esbuild bundle
 * `dist/debugAdapter.js` that the extension ships) named by WAT_DEBUG_ADAPTER.
 */
export const ADAPTER = process.env.WAT_DEBUG_ADAPTER ? path.resolve(process.env.WAT_DEBUG_ADAPTER) : path.resolve(__dirname, '../src/debugAdapter.js');
export const WS = path.resolve(__dirname, '../../testWorkspace');
export const ws = (file: string) => path.join(WS, file);

/** Writes a program (one string a line) to a fresh temporary directory and gives its path. */
export function tempProgram(name: string, lines: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-debugger-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

export const APP = {
  program: ws('app.wat'),
  imports: { math: ws('math.wat'), logger: ws('logger.wat') },
  invoke: 'main',
  args: [10],
};
export const TWICE = { program: ws('twice.wat'), imports: { left: ws('counter.wat'), right: ws('counter.wat') }, invoke: 'main' };
export const TRAP = { program: ws('trap.wat'), imports: { math: ws('math.wat') }, invoke: 'main', args: [5, 5] };

async function startAdapter(): Promise<DebugClient> {
  const dc = new DebugClient('node', ADAPTER, 'wat');
  dc.defaultTimeout = 20000;
  await dc.start();
  return dc;
}

/**
 * Gives the calling describe a running adapter: started before each test and stopped after it
 * (or, with 'suite', one adapter for all its tests). The returned client stands for the current
 * one, so tests and helpers use it as a plain DebugClient, also outside the hooks' closures.
 */
export function useAdapter(lifetime: 'test' | 'suite' = 'test'): DebugClient {
  let current: DebugClient | undefined;
  const client = (): DebugClient => {
    if (!current) throw new Error('the adapter is only running inside a test of the describe that called useAdapter');
    return current;
  };
  (lifetime === 'test' ? beforeEach : before)(async () => {
    current = await startAdapter();
  });
  (lifetime === 'test' ? afterEach : after)(async () => {
    await current?.stop();
    current = undefined;
  });
  return new Proxy({} as DebugClient, {
    get(_target, key) {
      const value = Reflect.get(client(), key);
      // Methods keep the real client as `this` (DebugClient reads its own private fields).
      return typeof value === 'function' ? value.bind(client()) : value;
    },
    set(_target, key, value) {
      return Reflect.set(client(), key, value);
    },
  });
}

/**
 * Launches with `configure` run between `initialized` and `configurationDone` (where a client
 * sets its breakpoints), and waits for the first stop (or the end, giving null).
 */
export async function launch(
  dc: DebugClient,
  args: Record<string, unknown>,
  configure: () => Promise<unknown> = async () => {},
): Promise<DebugProtocol.StoppedEvent | null> {
  const initialized = dc.waitForEvent('initialized');
  const outcome = firstOf(dc, ['stopped', 'terminated']);
  // The adapter answers launch once configuration is done, as VS Code expects.
  const launched = dc.launch(args as DebugProtocol.LaunchRequestArguments);
  await initialized;
  await configure();
  await dc.configurationDoneRequest();
  await launched;
  const event = await outcome;
  return event.event === 'stopped' ? (event as DebugProtocol.StoppedEvent) : null;
}

/** Launches and lets the program run (for programs that do not stop by themselves). */
export async function launchRunning(dc: DebugClient, args: Record<string, unknown>): Promise<void> {
  const initialized = dc.waitForEvent('initialized');
  const launched = dc.launch(args as DebugProtocol.LaunchRequestArguments);
  await initialized;
  await dc.configurationDoneRequest();
  await launched;
}

/** The first of several events (registered before the request that causes them). */
export function firstOf(dc: DebugClient, names: string[]): Promise<DebugProtocol.Event> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      if (!done) reject(new Error(`none of ${names.join(', ')} within ${dc.defaultTimeout} ms`));
    }, dc.defaultTimeout);
    const listeners = names.map((name) => {
      const listener = (e: DebugProtocol.Event) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        // The other events' listeners go too, so steps in a loop do not pile them up.
        names.forEach((other, i) => dc.removeListener(other, listeners[i]));
        resolve(e);
      };
      dc.once(name, listener);
      return listener;
    });
  });
}

/** Sends a stepping/continue request (forwards or backwards) and waits for the stop (null: the program ended). */
export async function resume(
  dc: DebugClient,
  command: 'continue' | 'next' | 'stepIn' | 'stepOut' | 'stepBack' | 'reverseContinue' | 'restartFrame',
  extra: Record<string, unknown> = {},
): Promise<DebugProtocol.StoppedEvent | null> {
  const outcome = firstOf(dc, ['stopped', 'terminated']);
  await dc.send(command, { threadId: 1, ...extra });
  const event = await outcome;
  return event.event === 'stopped' ? (event as DebugProtocol.StoppedEvent) : null;
}

export async function frames(dc: DebugClient, startFrame?: number, levels?: number): Promise<{ shown: string[]; total: number; raw: DebugProtocol.StackFrame[] }> {
  const st = await dc.stackTraceRequest({ threadId: 1, startFrame, levels });
  return {
    shown: st.body.stackFrames.map((f) => `${f.name} ${f.source ? path.basename(f.source.path ?? f.source.name ?? '') : '-'}:${f.line}:${f.column}`),
    total: st.body.totalFrames ?? -1,
    raw: st.body.stackFrames,
  };
}

export async function topFrameId(dc: DebugClient): Promise<number> {
  return (await frames(dc, 0, 1)).raw[0].id;
}

/** Variables of one scope of a frame as `name = value: type` lines. */
export async function scope(dc: DebugClient, frameId: number, scopeName: string): Promise<string[]> {
  const scopes = await dc.scopesRequest({ frameId });
  const found = scopes.body.scopes.find((s) => s.name === scopeName);
  assert.ok(found, `scope ${scopeName} among ${scopes.body.scopes.map((s) => s.name).join(', ')}`);
  const vars = await dc.variablesRequest({ variablesReference: found.variablesReference });
  return vars.body.variables.map((v) => `${v.name} = ${v.value}${v.type ? `: ${v.type}` : ''}`);
}

export async function evaluate(dc: DebugClient, expression: string, frameId?: number): Promise<string> {
  const r = await dc.evaluateRequest({ expression, frameId, context: 'watch' });
  return `${r.body.result}: ${r.body.type}`;
}

/** The message of a request that must fail. */
export async function failure(request: Promise<unknown>): Promise<string> {
  try {
    await request;
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('the request succeeded');
}

/** Collects output events by category. */
export function collectOutput(dc: DebugClient): Record<string, string> {
  const out: Record<string, string> = { stdout: '', stderr: '', console: '' };
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    const category = e.body.category ?? 'console';
    out[category] = (out[category] ?? '') + e.body.output;
  });
  return out;
}

/** Waits for the end of the session, returning the exit code. */
export async function exitCode(dc: DebugClient, whileWaiting?: () => Promise<unknown>): Promise<number> {
  const exited = dc.waitForEvent('exited');
  const terminated = dc.waitForEvent('terminated');
  await whileWaiting?.();
  const e = (await exited) as DebugProtocol.ExitedEvent;
  await terminated;
  return e.body.exitCode;
}
