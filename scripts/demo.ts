// A real debugging session on the bundled testWorkspace, driven through the debug adapter over DAP
// exactly as VS Code drives it: stop on entry, step into another module and out again, breakpoints,
// an instance-labelled recursive stack, locals, program output, and a trap in another module.
// Run with `npm run demo`.
import * as path from 'path';
import * as fs from 'fs';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const root = path.resolve(__dirname, '..', '..');
const workspace = path.join(root, 'testWorkspace');
const file = (name: string) => path.join(workspace, name);
const TIMEOUT = 20000;

/** The 1-based number of the first line of `name` containing `text`. */
function lineOf(name: string, text: string): number {
  const index = fs.readFileSync(file(name), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${name}: no line contains ${JSON.stringify(text)}`);
  return index + 1;
}

/** Prints the stop: its reason, the call stack with each frame's instance, the top frame's locals. */
async function showStop(dc: DebugClient, stopped: DebugProtocol.StoppedEvent): Promise<void> {
  const trace = await dc.stackTraceRequest({ threadId: stopped.body.threadId ?? 1, startFrame: 0, levels: 20 });
  const frames = trace.body.stackFrames;
  const detail = stopped.body.text ? `: ${stopped.body.text}` : '';
  console.log(`  stopped (${stopped.body.reason}${detail}); call stack:`);
  for (const f of frames) {
    const where = f.source ? `${f.source.name}:${f.line}:${f.column}` : '(no source)';
    console.log(`    ${f.name.padEnd(22)} ${where}`);
  }
  const scopes = await dc.scopesRequest({ frameId: frames[0].id });
  const locals = scopes.body.scopes.find((s) => s.name === 'Locals');
  if (locals) {
    const vars = await dc.variablesRequest({ variablesReference: locals.variablesReference });
    console.log('    locals: ' + vars.body.variables.map((v) => `${v.name} = ${v.value}`).join(', '));
  }
}

/** Sends a request that resumes the program and waits for the stop it leads to. */
async function untilStop(dc: DebugClient, request: Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', TIMEOUT);
  await request;
  return (await stopped) as DebugProtocol.StoppedEvent;
}

/** One debug session: initialize, launch with breakpoints, run `steps`, then report how it ended. */
async function session(
  title: string,
  launch: Record<string, unknown>,
  breakpoints: { name: string; lines: number[] }[],
  steps: (dc: DebugClient, first: DebugProtocol.StoppedEvent) => Promise<void>,
): Promise<void> {
  console.log(`\n== ${title}`);
  const dc = new DebugClient('node', path.join(root, 'out', 'src', 'debugAdapter.js'), 'wat');
  const output: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'stdout' || e.body.category === 'stderr') output.push(e.body.output);
  });
  await dc.start();
  try {
    const initialized = dc.waitForEvent('initialized', TIMEOUT);
    await dc.initializeRequest({ adapterID: 'wat', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const launched = dc.launchRequest(launch as DebugProtocol.LaunchRequestArguments);
    await initialized;
    for (const bp of breakpoints) {
      const set = await dc.setBreakpointsRequest({ source: { path: file(bp.name) }, breakpoints: bp.lines.map((line) => ({ line })) });
      console.log(`  breakpoints: ${set.body.breakpoints.map((b) => `${bp.name}:${b.line}`).join(', ')}`);
    }
    const ended = dc.waitForEvent('terminated', 60000);
    const exited = new Promise<number | undefined>((resolve) => dc.once('exited', (e: DebugProtocol.ExitedEvent) => resolve(e.body.exitCode)));
    const first = dc.waitForEvent('stopped', TIMEOUT);
    await dc.configurationDoneRequest();
    await launched;
    await steps(dc, (await first) as DebugProtocol.StoppedEvent);
    await ended;
    console.log('  program output:\n' + output.join('').replace(/^/gm, '    ').trimEnd());
    console.log(`  exited with code ${await exited}`);
  } finally {
    await dc.stop();
  }
}

async function main(): Promise<void> {
  const gcdLine = lineOf('math.wat', '(if (result i32) (i32.eqz (local.get $b))');
  await session(
    'app.wat: three modules (app, math, logger), main(10)',
    {
      program: file('app.wat'),
      imports: { math: file('math.wat'), logger: file('logger.wat') },
      invoke: 'main',
      args: [10],
      stopOnEntry: true,
    },
    [{ name: 'math.wat', lines: [gcdLine] }],
    async (dc, entry) => {
      const threadId = entry.body.threadId ?? 1;
      await showStop(dc, entry);
      console.log('> step in: from app!main into math!fib');
      await showStop(dc, await untilStop(dc, dc.stepInRequest({ threadId })));
      console.log('> step out: back into the app instance');
      await showStop(dc, await untilStop(dc, dc.stepOutRequest({ threadId })));
      console.log('> continue: to the breakpoint in math!gcd');
      await showStop(dc, await untilStop(dc, dc.continueRequest({ threadId })));
      console.log('> continue: gcd calls itself');
      await showStop(dc, await untilStop(dc, dc.continueRequest({ threadId })));
      console.log('> reverse continue: back in time to the previous stop at the breakpoint');
      await showStop(dc, await untilStop(dc, dc.reverseContinueRequest({ threadId })));
      console.log('> step back: out of math!gcd, to the line of app!main that called it');
      await showStop(dc, await untilStop(dc, dc.stepBackRequest({ threadId })));
      console.log('> remove the breakpoint, continue to the end (nothing is printed twice)');
      await dc.setBreakpointsRequest({ source: { path: file('math.wat') }, breakpoints: [] });
      await dc.continueRequest({ threadId });
    },
  );

  await session(
    'trap.wat: main(5, 5) averages an empty range and divides by zero in math.wat',
    { program: file('trap.wat'), imports: { math: file('math.wat') }, invoke: 'main', args: [5, 5] },
    [],
    async (dc, trap) => {
      await showStop(dc, trap);
      const info = await dc.exceptionInfoRequest({ threadId: trap.body.threadId ?? 1 });
      console.log(`  exception info: ${info.body.exceptionId}: ${info.body.description}`);
      console.log('> continue: the trap ends the program');
      await dc.continueRequest({ threadId: trap.body.threadId ?? 1 });
    },
  );

  await session(
    'js/main.mjs: JavaScript puts a.wasm and b.wasm together; a!caller calls b!callback_target through a JavaScript callback',
    { program: file('js/main.mjs') },
    [{ name: 'js/b.wat', lines: [lineOf('js/b.wat', '(call $log (local.get $x))')] }],
    async (dc, hit) => {
      const threadId = hit.body.threadId ?? 1;
      await showStop(dc, hit);
      console.log('> step out: through the JavaScript relay, back into a!caller after its call');
      await showStop(dc, await untilStop(dc, dc.stepOutRequest({ threadId })));
      console.log('> remove the breakpoint, continue to the end');
      await dc.setBreakpointsRequest({ source: { path: file('js/b.wat') }, breakpoints: [] });
      await dc.continueRequest({ threadId });
    },
  );
}

main().catch((err) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
