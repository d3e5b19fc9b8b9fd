// A real debugging session on testWorkspace/app.wat, driven through the debug adapter over DAP
// exactly as VS Code drives it: breakpoints, instance-labelled stacks, locals, stepping across
// module boundaries. Run with `npm run demo`.
import * as path from 'path';
import * as fs from 'fs';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const root = path.resolve(__dirname, '..', '..');
const workspace = path.join(root, 'testWorkspace');
const appFile = path.join(workspace, 'app.wat');
const mathFile = path.join(workspace, 'math.wat');

/** The 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${file}: no line contains ${JSON.stringify(text)}`);
  return index + 1;
}

async function showStop(dc: DebugClient, stopped: DebugProtocol.StoppedEvent): Promise<number> {
  const threadId = stopped.body.threadId ?? 1;
  const trace = await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 20 });
  const frames = trace.body.stackFrames;
  console.log(`\nstopped (${stopped.body.reason}); call stack of ${trace.body.totalFrames ?? frames.length} frames:`);
  for (const f of frames) {
    const where = f.source ? `${path.basename(f.source.path ?? f.source.name ?? '?')}:${f.line}:${f.column}` : '(no source)';
    console.log(`  ${f.name.padEnd(24)} ${where}`);
  }
  const top = frames[0];
  const scopes = await dc.scopesRequest({ frameId: top.id });
  const locals = scopes.body.scopes.find((s) => s.name === 'Locals');
  if (locals) {
    const vars = await dc.variablesRequest({ variablesReference: locals.variablesReference });
    console.log('  locals: ' + vars.body.variables.map((v) => `${v.name} = ${v.value}`).join(', '));
  }
  return threadId;
}

/** Sends a resuming request (step, continue) and waits for the stop it leads to. */
async function resumeUntilStop(dc: DebugClient, request: Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', 20000);
  await request;
  return (await stopped) as DebugProtocol.StoppedEvent;
}

async function main(): Promise<void> {
  const adapter = path.join(root, 'out', 'src', 'debugAdapter.js');
  const dc = new DebugClient('node', adapter, 'wat');
  const output: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'stdout' || e.body.category === 'stderr') output.push(e.body.output);
  });
  await dc.start();
  try {
    await dc.initializeRequest({ adapterID: 'wat', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const fibLine = lineOf(mathFile, '(local.set $next');
    const gcdLine = lineOf(mathFile, '(else (call $gcd');
    console.log(`breakpoints: math.wat:${fibLine} (inside fib's loop), math.wat:${gcdLine} (gcd's recursive call)`);
    const launched = dc.launchRequest(<DebugProtocol.LaunchRequestArguments>{
      program: appFile,
      imports: { math: mathFile, logger: path.join(workspace, 'logger.wat') },
      invoke: 'main',
      args: [10],
    });
    await dc.waitForEvent('initialized');
    await dc.setBreakpointsRequest({ source: { path: mathFile }, breakpoints: [{ line: fibLine }, { line: gcdLine }] });
    // Listen before the program starts: the first stop can arrive before launch's response.
    const firstStop = dc.waitForEvent('stopped', 20000);
    await dc.configurationDoneRequest();
    await launched;

    const stop = (await firstStop) as DebugProtocol.StoppedEvent;
    const threadId = await showStop(dc, stop);

    console.log('\n> step out (back into the app instance)');
    await dc.setBreakpointsRequest({ source: { path: mathFile }, breakpoints: [{ line: gcdLine }] });
    await showStop(dc, await resumeUntilStop(dc, dc.stepOutRequest({ threadId })));

    console.log('\n> continue (to gcd in the math instance)');
    await showStop(dc, await resumeUntilStop(dc, dc.continueRequest({ threadId })));

    console.log('\n> step in (gcd calls itself)');
    await dc.setBreakpointsRequest({ source: { path: mathFile }, breakpoints: [] });
    await showStop(dc, await resumeUntilStop(dc, dc.stepInRequest({ threadId })));

    console.log('\n> continue to the end');
    const exitedEvent = dc.waitForEvent('exited', 20000);
    await dc.continueRequest({ threadId });
    const exited = (await exitedEvent) as DebugProtocol.ExitedEvent;
    console.log('\nprogram output:\n' + output.join('').replace(/^/gm, '  ').trimEnd());
    console.log(`exited with code ${exited.body.exitCode}`);
  } finally {
    await dc.stop();
  }
}

main().catch((err) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
