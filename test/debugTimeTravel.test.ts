// Going backwards through the debug adapter (stepBack, reverseContinue, restartFrame) on
// testWorkspace's app.wat (app, math, logger) and trap.wat: every view shows the earlier moment,
// running forward again reproduces the run without printing anything twice, and a change made in
// the past starts a new future.

import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { APP, TRAP, collectOutput, exitCode, failure, frames, launch, resume, scope, tempProgram, topFrameId, useAdapter, ws } from './debugHelpers';

const GCD_LINE = 23; // math.wat: (if (result i32) (i32.eqz (local.get $b))
const ALL_OUTPUT = 'fib(n) = 55\ngcd(fib(n), 60) = 5\nn! mod 1000 = 800\n';

describe('debug adapter: going backwards', function () {
  this.timeout(60000);
  const dc = useAdapter();

  /** A request that goes back in time, and the stop it ends with. */
  async function back(command: 'stepBack' | 'reverseContinue' | 'restartFrame', args: Record<string, unknown> = {}): Promise<DebugProtocol.StoppedEvent> {
    const stop = await resume(dc, command, args);
    assert.ok(stop, `${command} ended the program instead of stopping`);
    return stop;
  }
  const locals = async () => scope(dc, await topFrameId(dc), 'Locals');

  it('says it can step back and restart frames', async () => {
    const init = await dc.initializeRequest({ adapterID: 'wat', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    assert.strictEqual(init.body?.supportsStepBack, true);
    assert.strictEqual(init.body?.supportsRestartFrame, true);
  });

  it('reverse-continues to the previous breakpoint hit, then to the start, and runs forward again without printing twice', async () => {
    const out = collectOutput(dc);
    await launch(dc, APP, () => dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [{ line: GCD_LINE }] }));
    await resume(dc, 'continue'); // gcd(55, 60) -> gcd(60, 55)
    assert.deepStrictEqual((await frames(dc)).shown.slice(0, 2), ['math!gcd math.wat:23:32', 'math!gcd math.wat:25:14']);
    assert.deepStrictEqual(await locals(), ['$a = 60: i32', '$b = 55: i32']);
    assert.strictEqual(out.stdout, 'fib(n) = 55\n');

    const first = await back('reverseContinue');
    assert.strictEqual(first.body.reason, 'breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown, ['math!gcd math.wat:23:32', 'app!main app.wat:24:20']);
    assert.deepStrictEqual(await locals(), ['$a = 55: i32', '$b = 60: i32']);
    // Before the first hit there is none: the start of the run, with nothing computed yet.
    const start = await back('reverseContinue');
    assert.strictEqual(start.body.reason, 'entry');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:22:31']);
    assert.deepStrictEqual(await locals(), ['$n = 10: i32', '$f = 0: i32', '$g = 0: i32', '$fact = 0: i32']);

    // Forward again: the same stops, and the output printed once.
    await resume(dc, 'continue');
    assert.deepStrictEqual(await locals(), ['$a = 55: i32', '$b = 60: i32']);
    await dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [] });
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.strictEqual(out.stdout, ALL_OUTPUT);
  });

  it('steps back over a call by line, and out of a function into its caller', async () => {
    await launch(dc, APP, () => dc.setBreakpointsRequest({ source: { path: ws('app.wat') }, breakpoints: [{ line: 24 }] }));
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:24:31']);
    // Back over `(call $report ...)` on line 23, to where it starts.
    await back('stepBack');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:23:20']);
    await back('stepBack');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:22:31']);
    assert.deepStrictEqual(await locals(), ['$n = 10: i32', '$f = 0: i32', '$g = 0: i32', '$fact = 0: i32']);
    // Into math!fib, then back out of it: at the call in app!main.
    await resume(dc, 'stepIn');
    assert.deepStrictEqual((await frames(dc)).shown.map((f) => f.split(' ')[0]), ['math!fib', 'app!main']);
    await back('stepBack');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:22:31']);
    // By instruction: back to the `local.set $f` that had not run yet, then into fib's last instruction.
    await resume(dc, 'next');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:23:20']);
    assert.deepStrictEqual(await locals(), ['$n = 10: i32', '$f = 55: i32', '$g = 0: i32', '$fact = 0: i32']);
    await back('stepBack', { granularity: 'instruction' });
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:22:6']);
    assert.deepStrictEqual(await locals(), ['$n = 10: i32', '$f = 0: i32', '$g = 0: i32', '$fact = 0: i32']);
    await back('stepBack', { granularity: 'instruction' });
    assert.deepStrictEqual((await frames(dc)).shown.map((f) => f.split(' ')[0]), ['math!fib', 'app!main']);
  });

  it('restarts a frame: back to its entry with its arguments, the frames below unchanged', async () => {
    await launch(dc, APP, () => dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [{ line: 25 }] }));
    await resume(dc, 'stepIn'); // into the recursive call gcd(60, 55)
    const stack = await frames(dc);
    assert.deepStrictEqual(stack.shown.map((f) => f.split(' ')[0]), ['math!gcd', 'math!gcd', 'app!main']);
    await dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [] });
    await resume(dc, 'next');
    const stopped = await back('restartFrame', { frameId: stack.raw[0].id });
    assert.strictEqual(stopped.body.reason, 'restart');
    assert.deepStrictEqual((await frames(dc)).shown, ['math!gcd math.wat:23:32', 'math!gcd math.wat:25:14', 'app!main app.wat:24:20']);
    assert.deepStrictEqual(await locals(), ['$a = 60: i32', '$b = 55: i32']);
  });

  it('steps back from a trap to the moment before it, with every value as it was then', async () => {
    const stop = await launch(dc, TRAP);
    assert.strictEqual(stop?.body.reason, 'exception');
    const trapped = (await frames(dc)).shown;
    await back('stepBack', { granularity: 'instruction' });
    const before = (await frames(dc)).shown;
    assert.strictEqual(before.length, trapped.length);
    assert.notDeepStrictEqual(before, trapped);
    // Forward again, the same trap at the same place.
    const again = await resume(dc, 'continue');
    assert.strictEqual(again?.body.reason, 'exception');
    assert.deepStrictEqual((await frames(dc)).shown, trapped);
  });

  it('a change made in the past starts a new future: the program runs on from it and prints again', async () => {
    const out = collectOutput(dc);
    await launch(dc, APP, () => dc.setBreakpointsRequest({ source: { path: ws('app.wat') }, breakpoints: [{ line: 28 }] }));
    assert.strictEqual(out.stdout, 'fib(n) = 55\ngcd(fib(n), 60) = 5\n');
    await back('reverseContinue'); // the start
    const set = await dc.setVariableRequest({ variablesReference: (await dc.scopesRequest({ frameId: await topFrameId(dc) })).body.scopes[0].variablesReference, name: '$n', value: '6' });
    assert.strictEqual(set.body.value, '6');
    await dc.setBreakpointsRequest({ source: { path: ws('app.wat') }, breakpoints: [] });
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.strictEqual(out.stdout, 'fib(n) = 55\ngcd(fib(n), 60) = 5\nfib(n) = 8\ngcd(fib(n), 60) = 4\nn! mod 1000 = 720\n');
  });

  it('steps back through a loop: the previous iteration\'s lines, with the locals as they were', async () => {
    const program = tempProgram('loop.wat', [
      '(module $loop',
      '  (func (export "main") (result i32)',
      '    (local $i i32) (local $sum i32)',
      '    (block $done',
      '      (loop $next',
      '        (br_if $done (i32.ge_u (local.get $i) (i32.const 3)))',
      '        (local.set $sum (i32.add (local.get $sum) (local.get $i)))',
      '        (local.set $i (i32.add (local.get $i) (i32.const 1)))',
      '        (br $next)))',
      '    (local.get $sum)))',
    ]);
    await launch(dc, { program, invoke: 'main' }, () => dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 7 }] }));
    await resume(dc, 'continue');
    await resume(dc, 'continue');
    assert.deepStrictEqual(await locals(), ['$i = 2: i32', '$sum = 1: i32']);
    const seen: string[] = [];
    for (let k = 0; k < 4; k++) {
      await back('stepBack');
      const line = (await frames(dc)).shown[0].split(':')[1];
      seen.push(`${line}: ${(await locals()).join(', ')}`);
    }
    assert.deepStrictEqual(seen, [
      '6: $i = 2: i32, $sum = 1: i32',
      '9: $i = 2: i32, $sum = 1: i32',
      '8: $i = 1: i32, $sum = 1: i32',
      '7: $i = 1: i32, $sum = 0: i32',
    ]);
  });

  it('says why it cannot go back when the run is not recorded', async () => {
    await launch(dc, { ...APP, record: false, stopOnEntry: true });
    assert.strictEqual(await failure(dc.send('stepBack', { threadId: 1 })), 'stepBack: this run is not recorded ("record": false in the launch configuration)');
  });
});

describe('debug adapter: going backwards over WASI input and output', function () {
  this.timeout(60000);
  const dc = useAdapter();
  const ECHO = [
    '(module $echo',
    '  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))',
    '  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))',
    '  (memory (export "memory") 1)',
    '  (data (i32.const 96) "got ")',
    '  (func (export "_start")',
    '    (i32.store (i32.const 0) (i32.const 100))',
    '    (i32.store (i32.const 4) (i32.const 64))',
    '    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))',
    '    (i32.store (i32.const 0) (i32.const 96))',
    '    (i32.store (i32.const 4) (i32.add (i32.const 4) (i32.load (i32.const 8))))',
    '    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))))',
  ];

  it('steps back over a read of standard input and forward again: nothing is read again or printed twice', async () => {
    const program = tempProgram('echo.wat', ECHO);
    const out = collectOutput(dc);
    await launch(dc, { program, stdin: 'hello\n' }, () => dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 12 }] }));
    const readBytes = async () => (await dc.evaluateRequest({ expression: 'u32[8]', context: 'watch', frameId: await topFrameId(dc) })).body.result;
    assert.strictEqual(await readBytes(), '6');
    // Back over the write of the length (line 11) and over the read (line 9): nothing read yet.
    for (const line of [11, 10, 9]) {
      assert.ok(await resume(dc, 'stepBack'));
      assert.deepStrictEqual((await frames(dc)).shown.map((f) => f.split(':')[1]), [String(line)]);
    }
    assert.strictEqual(await readBytes(), '0');
    // Forward to the end: the same six bytes come from the recording, and the line is printed once.
    await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.strictEqual(out.stdout, 'got hello\n');
  });
});
