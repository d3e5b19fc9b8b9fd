// The debug adapter driven over stdio by a DAP client, on the testWorkspace programs: launch,
// stacks with instance names, stepping across modules, breakpoints of every kind, traps.

import * as assert from 'assert';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { APP, TRAP, TWICE, collectOutput, evaluate, exitCode, failure, firstOf, frames, launch, launchRunning, resume, scope, tempProgram, topFrameId, useAdapter, ws } from './debugHelpers';

/** A program that never ends by itself, written to a temporary directory. */
function spinProgram(): string {
  return tempProgram('spin.wat', [
    '(module $spin',
    '  (global $ticks (mut i32) (i32.const 0))',
    '  ;; Counts forever.',
    '  (func $spin (export "spin")',
    '    (loop $again',
    '      (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))',
    '      (br $again))))',
  ]);
}

/** Lets the program run a moment, then pauses it. */
async function pauseSoon(dc: DebugClient): Promise<void> {
  await new Promise((r) => setTimeout(r, 200));
  const stopped = firstOf(dc, ['stopped']);
  await dc.pauseRequest({ threadId: 1 });
  assert.strictEqual(((await stopped) as { body: { reason: string } }).body.reason, 'pause');
}

describe('debug adapter: launch and stepping', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it('fails a launch with a message naming the bad argument', async () => {
    assert.strictEqual(await failure(dc.launch({} as never)), "launch argument 'program': missing: give the .wat, .wasm or .wast file to run");
    assert.strictEqual(
      await failure(dc.launchRequest({ program: ws('app.wat'), imports: { math: ws('maths.wat') } } as never)),
      `launch argument 'imports.math': file not found: ${ws('maths.wat')}`,
    );
  });

  it('fails a launch whose program cannot link, saying which import is missing', async () => {
    const message = await failure(dc.launch({ program: ws('app.wat'), invoke: 'main', args: [10] } as never));
    assert.strictEqual(
      message,
      `launch argument 'imports': app (${ws('app.wat')}) imports module "math", which is not bound to a file in "imports" and is not a host module (console, wasi_snapshot_preview1, spectest)`,
    );
    assert.strictEqual(
      await failure(dc.launchRequest({ ...APP, invoke: 'nope' } as never)),
      `launch argument 'invoke': ${ws('app.wat')} exports no function "nope" (its exported functions: main, printed)`,
    );
    assert.strictEqual(await failure(dc.launchRequest({ ...APP, args: ['ten'] } as never)), "launch argument 'args': argument 1 of main (i32): malformed integer literal \"ten\"");
  });

  it('stops on entry at the first instruction of the invoked export', async () => {
    const stop = await launch(dc, { ...APP, stopOnEntry: true });
    assert.strictEqual(stop?.body.reason, 'entry');
    const { shown, total, raw } = await frames(dc);
    assert.deepStrictEqual(shown, ['app!main app.wat:22:31']);
    assert.strictEqual(total, 1);
    assert.match(raw[0].instructionPointerReference!, /^0x[0-9a-f]+$/);
    assert.deepStrictEqual(await scope(dc, raw[0].id, 'Locals'), ['$n = 10: i32', '$f = 0: i32', '$g = 0: i32', '$fact = 0: i32']);
  });

  it('steps over, into another module, and out again, line by line', async () => {
    await launch(dc, { ...APP, stopOnEntry: true });
    const out = collectOutput(dc);
    assert.strictEqual((await resume(dc, 'next'))?.body.reason, 'step');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:23:20']);
    await resume(dc, 'next');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:24:31']);
    assert.strictEqual(out.stdout, 'fib(n) = 55\n'); // stepping over the call ran logger!report whole
    await resume(dc, 'stepIn');
    assert.deepStrictEqual((await frames(dc)).shown, ['math!gcd math.wat:23:32', 'app!main app.wat:24:20']);
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Locals'), ['$a = 55: i32', '$b = 60: i32']);
    await resume(dc, 'next');
    assert.deepStrictEqual((await frames(dc)).shown, ['math!gcd math.wat:25:25', 'app!main app.wat:24:20']);
    await resume(dc, 'stepOut');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:24:6']);
    await resume(dc, 'next');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:25:20']);
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Locals'), ['$n = 10: i32', '$f = 55: i32', '$g = 5: i32', '$fact = 0: i32']);
  });

  it('steps by instruction, into the callee and over one instruction at a time', async () => {
    await launch(dc, { ...APP, stopOnEntry: true });
    await resume(dc, 'stepIn', { granularity: 'instruction' });
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:22:20']); // call $fib, after local.get $n
    await resume(dc, 'stepIn', { granularity: 'instruction' });
    assert.deepStrictEqual((await frames(dc)).shown, ['math!fib math.wat:8:26', 'app!main app.wat:22:20']);
    await resume(dc, 'next', { granularity: 'instruction' });
    assert.deepStrictEqual((await frames(dc)).shown, ['math!fib math.wat:8:6', 'app!main app.wat:22:20']);
    await resume(dc, 'stepOut');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:22:6']);
  });

  it('steps over a call into another module without stopping inside, unless a breakpoint is there', async () => {
    await launch(dc, { ...APP, stopOnEntry: true }, () =>
      dc.setBreakpointsRequest({ source: { path: ws('logger.wat') }, breakpoints: [{ line: 50 }] }),
    );
    await resume(dc, 'next'); // over math!fib: no breakpoint there
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:23:20']);
    const stop = await resume(dc, 'next'); // over logger!report: its breakpoint stops the step
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown, ['logger!report logger.wat:50:27', 'app!main app.wat:23:6']);
  });

  it('a step over a call passes breakpoints inside it that do not stop (false conditions, log points) and ends in the caller', async () => {
    await launch(dc, { ...APP, stopOnEntry: true }, () =>
      dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [{ line: 14, logMessage: 'n={$n}' }, { line: 15, condition: '$n == 100' }] }),
    );
    const out = collectOutput(dc);
    assert.strictEqual((await resume(dc, 'next'))?.body.reason, 'step');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:23:20']);
    assert.strictEqual(out.console, 'n=10\nn=9\nn=8\nn=7\nn=6\nn=5\nn=4\nn=3\nn=2\n');
  });

  it('logs the protocol to the debug console with trace', async () => {
    const out = collectOutput(dc);
    await launch(dc, { ...APP, stopOnEntry: true, trace: true });
    await dc.threadsRequest();
    assert.match(out.console, /From client: threads\(undefined\)/);
    assert.match(out.console, /To client: \{"seq":0,"type":"response","request_seq":\d+,"command":"threads","success":true,"body":\{"threads":\[\{"id":1,"name":"app.wat"\}\]\}\}/);
  });

  it('a step that lands on a breakpoint reports the breakpoint, and counts its hit', async () => {
    let id = 0;
    await launch(dc, { ...APP, stopOnEntry: true }, async () => {
      const r = await dc.setBreakpointsRequest({ source: { path: ws('app.wat') }, breakpoints: [{ line: 23 }, { line: 24, hitCondition: '2' }] });
      id = r.body.breakpoints[0].id!;
    });
    const stop = await resume(dc, 'next');
    assert.deepStrictEqual([stop?.body.reason, stop?.body.hitBreakpointIds], ['breakpoint', [id]]);
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:23:20']);
    // Line 24's breakpoint wants its second hit: the step onto it is the first, so it is a plain step.
    assert.strictEqual((await resume(dc, 'next'))?.body.reason, 'step');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:24:31']);
  });

  it('ends with the exited event and the result on the console', async () => {
    const out = collectOutput(dc);
    const code = await exitCode(dc, () => launch(dc, APP));
    assert.strictEqual(code, 0);
    assert.strictEqual(out.stdout, 'fib(n) = 55\ngcd(fib(n), 60) = 5\nn! mod 1000 = 800\n');
    assert.match(out.console, /app!main\(10\) returned 860\n/);
  });
});

describe('debug adapter: breakpoints', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it('moves a breakpoint on a line without code to the next line with code, and hits it in every instance', async () => {
    let response: DebugProtocol.Breakpoint | undefined;
    const stop = await launch(dc, TWICE, async () => {
      const r = await dc.setBreakpointsRequest({ source: { path: ws('counter.wat') }, breakpoints: [{ line: 9 }] });
      response = r.body.breakpoints[0];
    });
    // The program is loaded before configuration: verified in the response, where it moved to.
    assert.deepStrictEqual(response, {
      id: 1,
      verified: true,
      source: { name: 'counter.wat', path: ws('counter.wat') },
      line: 10,
      column: 34,
      instructionReference: response?.instructionReference,
    });
    assert.deepStrictEqual(stop?.body.hitBreakpointIds, [1]);
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { shown } = await frames(dc);
      const globals = await scope(dc, await topFrameId(dc), shown[0].startsWith('left') ? 'Globals (left)' : 'Globals (right)');
      seen.push(`${shown.join(' < ')} | ${globals.join(', ')}`);
      await resume(dc, 'continue');
    }
    assert.deepStrictEqual(seen, [
      'left!add counter.wat:10:34 < twice!main twice.wat:14:14 | $count = 0: mut i32, $calls = 0: mut i32',
      'left!add counter.wat:10:34 < twice!main twice.wat:14:14 | $count = 1: mut i32, $calls = 1: mut i32',
      'left!add counter.wat:10:34 < twice!main twice.wat:14:14 | $count = 2: mut i32, $calls = 2: mut i32',
      'right!add counter.wat:10:34 < twice!main twice.wat:17:12 | $count = 0: mut i32, $calls = 0: mut i32',
      'right!add counter.wat:10:34 < twice!main twice.wat:18:12 | $count = 10: mut i32, $calls = 1: mut i32',
    ]);
  });

  it('offers each column of a line with several instructions', async () => {
    await launch(dc, { ...TWICE, stopOnEntry: true });
    const r = await dc.customRequest('breakpointLocations', { source: { path: ws('counter.wat') }, line: 10 });
    assert.deepStrictEqual(r.body.breakpoints, [
      { line: 10, column: 6 },
      { line: 10, column: 25 },
      { line: 10, column: 34 },
      { line: 10, column: 54 },
    ]);
    const set = await dc.setBreakpointsRequest({ source: { path: ws('counter.wat') }, breakpoints: [{ line: 10, column: 54 }] });
    assert.deepStrictEqual([set.body.breakpoints[0].line, set.body.breakpoints[0].column], [10, 54]);
    await resume(dc, 'continue');
    assert.deepStrictEqual((await frames(dc)).shown, ['left!add counter.wat:10:54', 'twice!main twice.wat:14:14']);
  });

  it('a breakpoint on a line that starts with else stops where the else branch starts, not when the then branch ends', async () => {
    // math.wat:25 is `(else (call $gcd (local.get $b) (i32.rem_u (local.get $a) (local.get $b))))`.
    const stop = await launch(dc, APP, () => dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [{ line: 25 }] }));
    assert.ok(stop);
    assert.deepStrictEqual((await frames(dc)).shown, ['math!gcd math.wat:25:25', 'app!main app.wat:24:20']);
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Locals'), ['$a = 55: i32', '$b = 60: i32']);
  });

  it('stepping over the end of a then branch does not stop at the else', async () => {
    // gcd's base case: line 24 `(then (local.get $a))`, reached in the innermost recursive call.
    const stop = await launch(dc, APP, () => dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [{ line: 24 }] }));
    assert.ok(stop);
    await dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [] });
    await resume(dc, 'next');
    // Not the else at 25:8: the if's own end, its closing parenthesis at the end of line 25.
    assert.deepStrictEqual((await frames(dc)).shown.slice(0, 2), ['math!gcd math.wat:25:83', 'math!gcd math.wat:25:14']);
  });

  it('sets and clears breakpoints while stopped', async () => {
    await launch(dc, { ...APP, stopOnEntry: true });
    await dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [{ line: 30 }] });
    await resume(dc, 'continue');
    assert.deepStrictEqual((await frames(dc)).shown, ['math!factorial math.wat:30:26', 'app!main app.wat:27:33']);
    await dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [] });
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
  });

  it('pause interrupts an endless loop, continue resumes it, and a breakpoint set while it runs stops it', async () => {
    const file = spinProgram();
    await launchRunning(dc, { program: file, invoke: 'spin' });
    await pauseSoon(dc);
    assert.deepStrictEqual((await frames(dc)).shown.map((f) => f.replace(/:\d+:\d+$/, '')), ['spin!spin spin.wat']);
    const ticks = Number((await evaluate(dc, '$ticks')).split(':')[0]);
    assert.ok(ticks > 0, `the loop ran (${ticks} times)`);
    await dc.continueRequest({ threadId: 1 });
    await new Promise((r) => setTimeout(r, 100));
    // While it runs, requests that need a stop say so.
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: '$ticks' })), 'the program is running; pause it first');
    assert.strictEqual(await failure(dc.stackTraceRequest({ threadId: 1 })), 'the program is running; pause it first');
    assert.strictEqual(await failure(dc.nextRequest({ threadId: 1 })), 'the program is running; pause it first');
    const stopped = firstOf(dc, ['stopped']);
    const set = await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: 6 }] });
    assert.strictEqual(set.body.breakpoints[0].verified, true);
    assert.strictEqual(((await stopped) as { body: { reason: string } }).body.reason, 'breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown, ['spin!spin spin.wat:6:36']);
    assert.ok(Number((await evaluate(dc, '$ticks')).split(':')[0]) > ticks);
    await dc.terminateRequest();
  });

  it('conditional breakpoints stop only where the condition holds, and report bad conditions', async () => {
    const stop = await launch(dc, { program: ws('deep.wat'), invoke: 'sum', args: [50] }, async () => {
      const r = await dc.setBreakpointsRequest({
        source: { path: ws('deep.wat') },
        // Line 8 holds only `else`, which execution never enters a branch through: the breakpoint moves to line 9.
        breakpoints: [{ line: 8, condition: '$n == 3' }, { line: 9, condition: '$n +' }],
      });
      assert.strictEqual(r.body.breakpoints[1].verified, false);
      assert.strictEqual(r.body.breakpoints[1].message, "condition '$n +': expected a value, found end of expression at column 5");
    });
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    const { shown, total } = await frames(dc, 0, 2);
    assert.strictEqual(total, 48);
    assert.deepStrictEqual(shown, ['deep!sum deep.wat:9:19', 'deep!sum deep.wat:9:34']);
    assert.strictEqual(await evaluate(dc, '$n'), '3: i64');
  });

  it('stops and says why when a condition cannot be evaluated; log points show errors inline', async () => {
    const out = collectOutput(dc);
    const stop = await launch(dc, TWICE, () =>
      dc.setBreakpointsRequest({
        source: { path: ws('counter.wat') },
        breakpoints: [{ line: 11, condition: 'i32[$step] == 0' }, { line: 12, logMessage: 'next {$nothing}' }],
      }),
    );
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    assert.strictEqual(out.stderr, 'breakpoint condition failed: i32[...] needs a memory, and this instance has none at column 1\n');
    await dc.setBreakpointsRequest({ source: { path: ws('counter.wat') }, breakpoints: [{ line: 12, logMessage: 'next {$nothing}' }] });
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.match(out.console, /^next <\$nothing: no local, parameter or global named \$nothing at column 1>$/m);
  });

  it('hit-count breakpoints stop at the given hit', async () => {
    await launch(dc, TWICE, () =>
      dc.setBreakpointsRequest({ source: { path: ws('counter.wat') }, breakpoints: [{ line: 11, hitCondition: '4' }] }),
    );
    assert.deepStrictEqual((await frames(dc)).shown, ['right!add counter.wat:11:34', 'twice!main twice.wat:17:12']);
    const r = await dc.setBreakpointsRequest({ source: { path: ws('counter.wat') }, breakpoints: [{ line: 11, hitCondition: 'often' }] });
    assert.strictEqual(r.body.breakpoints[0].message, 'hit count \'often\': expected a number, optionally after >, >=, <, <=, == or % (e.g. ">= 3")');
  });

  it('log points print their message with values and do not stop', async () => {
    const out = collectOutput(dc);
    const code = await exitCode(dc, () =>
      launch(dc, TWICE, () =>
        dc.setBreakpointsRequest({ source: { path: ws('counter.wat') }, breakpoints: [{ line: 12, logMessage: 'count={$count} calls={$calls} {{x}}' }] }),
      ),
    );
    assert.strictEqual(code, 0);
    assert.strictEqual(
      out.console.split('\n').filter((l) => l.startsWith('count=')).join('\n'),
      ['count=1 calls=1 {x}', 'count=2 calls=2 {x}', 'count=3 calls=3 {x}', 'count=10 calls=1 {x}', 'count=20 calls=2 {x}'].join('\n'),
    );
  });

  it('function breakpoints by name, $name and instance!name', async () => {
    let first: { body: { breakpoints: { verified: boolean; message?: string }[] } } | undefined;
    const stop = await launch(dc, TWICE, async () => {
      first = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'right!add' }, { name: '$get' }, { name: 'nope' }, { name: 'middle!add' }] });
    });
    // The instances exist before configuration (no start function runs first).
    assert.deepStrictEqual(first!.body.breakpoints.map((b) => b.message ?? 'verified'), [
      'verified',
      'verified',
      'no function named nope',
      'no instance named middle',
    ]);
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    // left!add never stops: the breakpoint names the right instance only.
    assert.deepStrictEqual((await frames(dc)).shown, ['right!add counter.wat:10:34', 'twice!main twice.wat:17:12']);
    await resume(dc, 'continue');
    assert.deepStrictEqual((await frames(dc)).shown, ['right!add counter.wat:10:34', 'twice!main twice.wat:18:12']);
    await resume(dc, 'continue');
    assert.deepStrictEqual((await frames(dc)).shown, ['left!get counter.wat:16:6', 'twice!main twice.wat:21:19']);
  });

  it('instruction breakpoints at an instruction address from the disassembly', async () => {
    await launch(dc, { ...APP, stopOnEntry: true });
    const ip = (await frames(dc)).raw[0].instructionPointerReference!;
    const dis = await dc.customRequest('disassemble', { memoryReference: ip, instructionOffset: 0, instructionCount: 4 });
    const instructions = dis.body.instructions.map((i: { instruction: string; symbol: string; line?: number }) => `${i.symbol} ${i.instruction} @${i.line}`);
    assert.deepStrictEqual(instructions, ['app!main local.get $n @22', 'app!main call $fib @22', 'app!main local.set $f @22', 'app!main i32.const 256 @23']);
    // Before the module's first instruction the window is filled with invalid entries, addresses still ascending.
    const around = await dc.customRequest('disassemble', { memoryReference: ip, instructionOffset: -2, instructionCount: 4 });
    const rows = around.body.instructions as { address: string; instruction: string; presentationHint?: string }[];
    assert.deepStrictEqual(rows.map((i) => i.presentationHint ?? i.instruction), ['invalid', 'invalid', 'local.get $n', 'call $fib']);
    assert.ok(rows.every((r, i) => i === 0 || BigInt(r.address) > BigInt(rows[i - 1].address)), 'addresses ascend');
    assert.strictEqual(rows[2].address, ip);
    const target = dis.body.instructions[2].address;
    const r = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: target }] });
    assert.deepStrictEqual([r.body.breakpoints[0].verified, r.body.breakpoints[0].line, r.body.breakpoints[0].column], [true, 22, 6]);
    const stop = await resume(dc, 'continue');
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    const top = (await frames(dc)).raw[0];
    assert.strictEqual(top.instructionPointerReference, target);
    const bad = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: target, offset: 1 }] });
    assert.strictEqual(bad.body.breakpoints[0].verified, false);
  });
});

/** A library whose start function sets what it exports, and a main module that reads it. */
function startPrograms(): { math: string; app: string } {
  const math = tempProgram('math.wat', [
    '(module $math',
    '  (global $ready (mut i32) (i32.const 0))',
    '  (func $seven (result i32)',
    '    (i32.const 7))',
    '  ;; Runs when the module is instantiated, before any importer is.',
    '  (func $init',
    '    (global.set $ready',
    '      (call $seven)))',
    '  (start $init)',
    '  (func (export "ready") (result i32)',
    '    (global.get $ready)))',
  ]);
  const app = tempProgram('app.wat', [
    '(module $app',
    '  (import "math" "ready" (func $ready (result i32)))',
    '  (func (export "main") (result i32)',
    '    (call $ready)))',
  ]);
  return { math, app };
}

describe('debug adapter: start functions', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it('a breakpoint in a start function stops there, before the importing module exists; continue runs the entry', async () => {
    const { math, app } = startPrograms();
    const modules: string[] = [];
    dc.on('module', (e) => modules.push(e.body.module.name));
    const stop = await launch(dc, { program: app, imports: { math } }, () => dc.setBreakpointsRequest({ source: { path: math }, breakpoints: [{ line: 4 }] }));
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown, ['math!seven math.wat:4:6', 'math!init math.wat:8:8']);
    assert.deepStrictEqual(modules, ['math']);
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Globals (math)'), ['$ready = 0: mut i32']);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.deepStrictEqual(modules, ['math', 'app']);
    assert.strictEqual(out.console, 'app!main() returned 7\n');
  });

  it('stops on entry at the first instruction of the first start function', async () => {
    const { math, app } = startPrograms();
    const stop = await launch(dc, { program: app, imports: { math }, stopOnEntry: true });
    assert.strictEqual(stop?.body.reason, 'entry');
    assert.deepStrictEqual((await frames(dc)).shown, ['math!init math.wat:8:8']);
  });

  it('a module that cannot link after a start function ran ends the session with the reason', async () => {
    const { math } = startPrograms();
    const app = tempProgram('app.wat', ['(module $app', '  (import "math" "nope" (func))', '  (func (export "main")))']);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => launch(dc, { program: app, imports: { math } })), 1);
    assert.strictEqual(out.stderr, `wat-debugger: app (${app}) imports "math"."nope", but math (${math}) exports no "nope" (its exports: ready)\n`);
    assert.strictEqual(out.console, '');
  });

  it('stops at a trap in a start function; continuing ends the program without instantiating its importer', async () => {
    const { app } = startPrograms();
    const boom = tempProgram('boom.wat', [
      '(module $boom',
      '  (func $init',
      '    (unreachable))',
      '  (start $init)',
      '  (func (export "ready") (result i32)',
      '    (i32.const 1)))',
    ]);
    const modules: string[] = [];
    dc.on('module', (e) => modules.push(e.body.module.name));
    const stop = await launch(dc, { program: app, imports: { math: boom } });
    assert.strictEqual(stop?.body.reason, 'exception');
    assert.strictEqual(stop?.body.text, 'unreachable');
    assert.deepStrictEqual((await frames(dc)).shown, ['math!init boom.wat:3:6']);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 1);
    assert.strictEqual(out.stderr, `trap: unreachable\n    at math!init (${boom}:3:6)\n`);
    assert.strictEqual(out.console, 'math!init trapped: unreachable\n');
    assert.deepStrictEqual(modules, ['math']);
  });

  it("a breakpoint in a reactor's _initialize stops there, before the entry; continue runs the entry", async () => {
    const reactor = tempProgram('reactor.wat', [
      '(module $reactor',
      '  (global $base (mut i32) (i32.const 0))',
      '  (func $setup',
      '    (global.set $base (i32.const 41)))',
      '  (func $init (export "_initialize")',
      '    (call $setup))',
      '  (func (export "main") (result i32)',
      '    (i32.add (global.get $base) (i32.const 1))))',
    ]);
    const stop = await launch(dc, { program: reactor, invoke: 'main' }, () => dc.setBreakpointsRequest({ source: { path: reactor }, breakpoints: [{ line: 4 }] }));
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown, ['reactor!setup reactor.wat:4:24', 'reactor!init reactor.wat:6:6']);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.strictEqual(out.console, 'reactor!main() returned 42\n');
  });
});

describe('debug adapter: traps', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it('stops at the trapping instruction with the stack intact and the trap message', async () => {
    const stop = await launch(dc, TRAP);
    assert.strictEqual(stop?.body.reason, 'exception');
    assert.strictEqual(stop?.body.text, 'integer divide by zero');
    assert.deepStrictEqual((await frames(dc)).shown, ['math!divide math.wat:42:6', 'trap!average trap.wat:31:6', 'trap!main trap.wat:35:6']);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.exceptionId, 'trap');
    assert.strictEqual(info.body.description, 'integer divide by zero');
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Operand Stack'), ['[0] = 0: i32', '[1] = 0: i32']);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 1);
    assert.strictEqual(out.stderr, [
      'trap: integer divide by zero',
      `    at math!divide (${ws('math.wat')}:42:6)`,
      `    at trap!average (${ws('trap.wat')}:31:6)`,
      `    at trap!main (${ws('trap.wat')}:35:6)`,
      '',
    ].join('\n'));
  });

  it('reports a WASI exit code with the exited event', async () => {
    const file = tempProgram('exit.wat', [
      '(module $exit',
      '  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))',
      '  (func $start (export "_start")',
      '    (call $proc_exit (i32.const 3))))',
    ]);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => launch(dc, { program: file })), 3);
    assert.match(out.console, /exit!_start exited with code 3\n/);
    assert.strictEqual(out.stderr, '');
  });

  it('stops when the call stack is exhausted and reports only both ends of the stack', async () => {
    const stop = await launch(dc, { program: ws('deep.wat'), invoke: 'sum', args: [100000], maxCallDepth: 1000 });
    assert.strictEqual(stop?.body.text, 'call stack exhausted');
    const { total, shown } = await frames(dc, 0, 2);
    assert.strictEqual(total, 1000);
    assert.deepStrictEqual(shown, ['deep!sum deep.wat:9:34', 'deep!sum deep.wat:9:34']);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 1);
    const lines = out.stderr.trimEnd().split('\n');
    assert.strictEqual(lines.length, 1 + 20 + 1 + 5);
    assert.strictEqual(lines[0], 'trap: call stack exhausted');
    assert.strictEqual(lines[21], '    ... 975 more frames ...');
    assert.strictEqual(lines[26], `    at deep!sum (${ws('deep.wat')}:9:34)`);
  });

  it('runs through a trap when the trap filter is off', async () => {
    const out = collectOutput(dc);
    const code = await exitCode(dc, () => launch(dc, TRAP, () => dc.setExceptionBreakpointsRequest({ filters: [] })));
    assert.strictEqual(code, 1);
    assert.match(out.stderr, /^trap: integer divide by zero\n/);
    assert.strictEqual(await failure(dc.setExceptionBreakpointsRequest({ filters: ['everything'] })), 'unknown exception filter "everything" (known: trap, expectedTrap, uncaughtException, allException)');
  });
});

describe('debug adapter: breakpoints are verified when they are set', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it('in the main file and an imported module\'s file, before configurationDone, at the line they move to', async () => {
    let responses: string[] = [];
    const shown = (bps: DebugProtocol.Breakpoint[]) => bps.map((b) => (b.verified ? `${b.source?.name}:${b.line}:${b.column}` : `unverified: ${b.message}`));
    const changed: unknown[] = [];
    dc.on('breakpoint', (e) => changed.push(e.body));
    const stop = await launch(dc, APP, async () => {
      const app = await dc.setBreakpointsRequest({ source: { path: ws('app.wat') }, breakpoints: [{ line: 24 }] });
      // Line 20 is blank: the breakpoint moves to gcd's first line with code.
      const math = await dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [{ line: 20 }] });
      const other = await dc.setBreakpointsRequest({ source: { path: ws('trap.wat') }, breakpoints: [{ line: 31 }] });
      responses = [...shown(app.body.breakpoints), ...shown(math.body.breakpoints), ...shown(other.body.breakpoints)];
    });
    assert.deepStrictEqual(responses, ['app.wat:24:31', 'math.wat:23:32', 'unverified: this file is not part of the program']);
    assert.deepStrictEqual(changed, [], 'nothing to fix up by events later');
    assert.deepStrictEqual(stop?.body.hitBreakpointIds, [1]);
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:24:31']);
    await resume(dc, 'continue');
    assert.deepStrictEqual((await frames(dc)).shown, ['math!gcd math.wat:23:32', 'app!main app.wat:24:20']);
  });

  it('in a module instantiated after a start function has run', async () => {
    const { math, app } = startPrograms();
    let response: DebugProtocol.Breakpoint | undefined;
    const stop = await launch(dc, { program: app, imports: { math } }, async () => {
      response = (await dc.setBreakpointsRequest({ source: { path: app }, breakpoints: [{ line: 3 }] })).body.breakpoints[0];
    });
    assert.deepStrictEqual([response?.verified, response?.line, response?.column], [true, 4, 6]);
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:4:6']);
    assert.deepStrictEqual(stop?.body.hitBreakpointIds, [response?.id]);
  });

  it('in a .wast script\'s modules, also those its later commands define', async () => {
    let responses: DebugProtocol.Breakpoint[] = [];
    const stop = await launch(dc, { program: ws('example.wast') }, async () => {
      responses = (await dc.setBreakpointsRequest({ source: { path: ws('example.wast') }, breakpoints: [{ line: 32 }, { line: 49 }, { line: 2 }] })).body.breakpoints;
    });
    assert.deepStrictEqual(
      responses.map((b) => (b.verified ? `${b.line}:${b.column}` : b.message)),
      ['32:17', '49:15', 'no code of a loaded module and no invocation at line 2'],
    );
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown.slice(0, 1), ['User!quotient example.wast:32:17']);
  });
});

describe('debug adapter: unresolvedImports "trap"', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it('runs a module whose missing import is never called to its end', async () => {
    const out = collectOutput(dc);
    const code = await exitCode(dc, () => launch(dc, { program: ws('host.wat'), args: [21], unresolvedImports: 'trap' }));
    assert.strictEqual(code, 0);
    assert.strictEqual(out.stdout, '42\n');
    assert.match(out.console, /host!main\(21\) returned 42\n/);
  });

  it('stops with the trap message when it is called; the stack shows the host frame above its caller', async () => {
    const stop = await launch(dc, { program: ws('host.wat'), args: [-3], unresolvedImports: 'trap' });
    assert.strictEqual(stop?.body.reason, 'exception');
    assert.strictEqual(stop?.body.text, 'called unresolved import rb-host.eval');
    const { shown, total, raw } = await frames(dc);
    assert.deepStrictEqual(shown, ['[host] rb-host.eval -:0:0', 'host!compute host.wat:10:14', 'host!main host.wat:13:17']);
    assert.strictEqual(total, 3);
    // Paging starts below the host frame like any other.
    assert.deepStrictEqual((await frames(dc, 1, 1)).shown, ['host!compute host.wat:10:14']);
    assert.strictEqual(await failure(dc.scopesRequest({ frameId: raw[0].id })), `frame ${raw[0].id} is a host function (rb-host.eval): it has no wasm state`);
    assert.deepStrictEqual(await scope(dc, raw[1].id, 'Locals'), ['$n = -3: i32']);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.description, 'called unresolved import rb-host.eval');
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 1);
    assert.strictEqual(out.stderr.split('\n').slice(0, 3).join('\n'), ['trap: called unresolved import rb-host.eval', '    at [host] rb-host.eval (host)', `    at host!compute (${ws('host.wat')}:10:14)`].join('\n'));
  });

  it('without it, the missing import fails the launch, naming it', async () => {
    const program = ws('host.wat');
    await dc.initializeRequest();
    const message = await failure(dc.launch({ program, args: [21] } as DebugProtocol.LaunchRequestArguments));
    assert.strictEqual(message, `launch argument 'imports': host (${program}) imports module "rb-host", which is not bound to a file in "imports" and is not a host module (console, wasi_snapshot_preview1, spectest)`);
    const bad = await failure(dc.launch({ program, unresolvedImports: 'ignore' } as DebugProtocol.LaunchRequestArguments));
    assert.strictEqual(bad, `launch argument 'unresolvedImports': expected "error" or "trap", got "ignore"`);
  });
});
