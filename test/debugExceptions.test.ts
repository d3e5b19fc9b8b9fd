// WebAssembly exceptions through the debug adapter, on testWorkspace's tally.wat (catches) and
// checked.wat (throws $overflow): stops at throws with the whole stack, the exception filters,
// exceptionInfo, and stepping over and out of code an exception unwinds.

import * as assert from 'assert';
import { collectOutput, exitCode, frames, launch, resume, scope, tempProgram, topFrameId, useAdapter, ws } from './debugHelpers';

const TALLY = { program: ws('tally.wat'), imports: { checked: ws('checked.wat') } };
/** 1,000,000,000 three times: the third add overflows with the operands 2,000,000,000 and 1,000,000,000. */
const OVERFLOWING = [3, 1_000_000_000];
const EXCEPTION = 'checked!overflow(i32 2000000000, i32 1000000000)';

describe('debug adapter: exceptions', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it('stops at a throw no handler catches, in the other instance, with the whole stack and the payload', async () => {
    const stop = await launch(dc, { ...TALLY, invoke: 'unchecked', args: OVERFLOWING });
    assert.strictEqual(stop?.body.reason, 'exception');
    assert.strictEqual(stop?.body.text, `Uncaught exception ${EXCEPTION}`);
    assert.strictEqual(stop?.body.description, `Paused on uncaught exception ${EXCEPTION}`);
    assert.deepStrictEqual((await frames(dc)).shown, ['checked!add checked.wat:13:14', 'checked!repeat checked.wat:22:28', 'tally!unchecked tally.wat:23:6']);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.exceptionId, 'checked!overflow');
    assert.strictEqual(info.body.description, `Uncaught exception ${EXCEPTION}`);
    assert.strictEqual(info.body.breakMode, 'unhandled');
    assert.strictEqual(info.body.details?.message, EXCEPTION);
    // The payload is still on the operand stack of the throwing frame.
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Operand Stack'), ['[0] = 2000000000: i32', '[1] = 1000000000: i32']);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 1);
    assert.strictEqual(out.stderr, [
      `uncaught exception ${EXCEPTION}`,
      `    at checked!add (${ws('checked.wat')}:13:14)`,
      `    at checked!repeat (${ws('checked.wat')}:22:28)`,
      `    at tally!unchecked (${ws('tally.wat')}:23:6)`,
      '',
    ].join('\n'));
  });

  it('does not stop at a caught exception unless "All thrown exceptions" is on', async () => {
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => launch(dc, { ...TALLY, invoke: 'main', args: OVERFLOWING })), 0);
    assert.strictEqual(out.console, 'tally!main(3, 1000000000) returned -1\n');
    assert.strictEqual(out.stderr, '');
  });

  it('stops at a caught exception with "All thrown exceptions", then runs on to its handler', async () => {
    const stop = await launch(dc, { ...TALLY, invoke: 'main', args: OVERFLOWING }, () =>
      dc.setExceptionBreakpointsRequest({ filters: ['trap', 'uncaughtException', 'allException'] }));
    assert.strictEqual(stop?.body.reason, 'exception');
    assert.strictEqual(stop?.body.text, `Exception ${EXCEPTION}, caught`);
    assert.deepStrictEqual((await frames(dc)).shown, ['checked!add checked.wat:13:14', 'checked!repeat checked.wat:22:28', 'tally!times tally.wat:12:12', 'tally!main tally.wat:19:6']);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.breakMode, 'always');
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.strictEqual(out.console, 'tally!main(3, 1000000000) returned -1\n');
  });

  it('steps out of a frame the exception unwinds to where it is caught, two frames down in the other module', async () => {
    const stop = await launch(dc, { ...TALLY, invoke: 'main', args: OVERFLOWING }, () =>
      dc.setBreakpointsRequest({ source: { path: ws('checked.wat') }, breakpoints: [{ line: 13 }] }));
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown, ['checked!add checked.wat:13:31', 'checked!repeat checked.wat:22:28', 'tally!times tally.wat:12:12', 'tally!main tally.wat:19:6']);
    const out = await resume(dc, 'stepOut');
    assert.strictEqual(out?.body.reason, 'step');
    assert.deepStrictEqual((await frames(dc)).shown, ['tally!times tally.wat:14:6', 'tally!main tally.wat:19:6']);
    // The handler got the payload: the two operands that overflowed.
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Operand Stack'), ['[0] = 2000000000: i32', '[1] = 1000000000: i32']);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
  });

  it('steps over a call that throws into the handler of the same frame', async () => {
    const stop = await launch(dc, { ...TALLY, invoke: 'main', args: OVERFLOWING }, () =>
      dc.setBreakpointsRequest({ source: { path: ws('tally.wat') }, breakpoints: [{ line: 12 }] }));
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown, ['tally!times tally.wat:12:26', 'tally!main tally.wat:19:6']);
    const next = await resume(dc, 'next');
    assert.strictEqual(next?.body.reason, 'step');
    assert.deepStrictEqual((await frames(dc)).shown, ['tally!times tally.wat:14:6', 'tally!main tally.wat:19:6']);
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Locals'), ['$n = 3: i32', '$step = 1000000000: i32']);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
  });

  const expectedScript = () => tempProgram('expected.wast', [
    '(module $m',
    '  (tag $e (param i32))',
    '  (func (export "throws") (throw $e (i32.const 5))))',
    '(assert_exception (invoke "throws"))',
  ]);

  it('runs past an exception a script expects (assert_exception)', async () => {
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => launch(dc, { program: expectedScript() })), 0);
    assert.strictEqual(out.console, 'expected.wast: 2 passed, 0 failed, 0 skipped\n');
  });

  it('stops at an exception a script expects when "Expected traps" is on', async () => {
    const stop = await launch(dc, { program: expectedScript() }, () => dc.setExceptionBreakpointsRequest({ filters: ['trap', 'expectedTrap', 'uncaughtException'] }));
    assert.strictEqual(stop?.body.text, 'Uncaught exception m!e(i32 5)');
    assert.deepStrictEqual((await frames(dc)).shown, ['m!throws expected.wast:3:28', 'expected.wast: (assert_exception (invoke "throws")) expected.wast:4:1']);
  });

  it('keeps stopping at traps as before, with the exception filters on', async () => {
    const stop = await launch(dc, { program: ws('trap.wat'), imports: { math: ws('math.wat') }, invoke: 'main', args: [5, 5] }, () =>
      dc.setExceptionBreakpointsRequest({ filters: ['trap', 'uncaughtException', 'allException'] }));
    assert.strictEqual(stop?.body.reason, 'exception');
    assert.strictEqual(stop?.body.text, 'integer divide by zero');
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.strictEqual(info.body.exceptionId, 'trap');
  });
});
