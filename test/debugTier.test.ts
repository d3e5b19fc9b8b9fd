// The debug adapter with the compiled tier on (WAT_TIER=hot in the adapter's environment): a loop
// that runs long enough to be compiled pauses, stops at a breakpoint set while it runs, steps and
// shows its locals, globals and stack as the interpreter would (test/tier.test.ts compares the
// two engines stop by stop; this checks the adapter on top of it).

import * as assert from 'assert';
import { evaluate, firstOf, frames, launchRunning, resume, scope, tempProgram, topFrameId, useAdapter } from './debugHelpers';

/** A loop that calls a function each iteration and never ends. Lines: 8 the call, 9 the global.set, 10 the branch. */
function countProgram(): string {
  return tempProgram('count.wat', [
    '(module $count', //                                              1
    '  (global $last (mut i32) (i32.const -1))', //                   2
    '  (func $next (param $x i32) (result i32)', //                   3
    '    (i32.add (local.get $x) (i32.const 1)))', //                 4
    '  (func $count (export "count")', //                             5
    '    (local $i i32)', //                                          6
    '    (loop $again', //                                            7
    '      (local.set $i (call $next (local.get $i)))', //            8
    '      (global.set $last (local.get $i))', //                     9
    '      (br $again))))', //                                        10
  ]);
}

describe('debug adapter with the compiled tier', function () {
  this.timeout(60000);
  let before: string | undefined;
  // Set before the adapter starts (useAdapter's beforeEach runs after this describe's before).
  this.beforeAll(() => {
    before = process.env.WAT_TIER;
    process.env.WAT_TIER = 'hot';
  });
  this.afterAll(() => {
    if (before === undefined) delete process.env.WAT_TIER;
    else process.env.WAT_TIER = before;
  });
  const dc = useAdapter();

  it('pauses a running loop, stops at a breakpoint set then, steps, and shows the interpreter\'s values', async () => {
    const file = countProgram();
    await launchRunning(dc, { program: file, invoke: 'count' });
    await new Promise((r) => setTimeout(r, 300));
    const paused = firstOf(dc, ['stopped']);
    await dc.pauseRequest({ threadId: 1 });
    assert.strictEqual(((await paused) as { body: { reason: string } }).body.reason, 'pause');
    assert.ok(Number((await evaluate(dc, '$last')).split(':')[0]) > 0, 'the loop ran');

    await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: 9 }] });
    const hit = await resume(dc, 'continue');
    assert.strictEqual(hit?.body.reason, 'breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown, ['count!count count.wat:9:26']);
    // At line 9 the global still holds the previous iteration's value.
    const [local] = await scope(dc, await topFrameId(dc), 'Locals');
    const i = Number(/^\$i = (-?\d+): i32$/.exec(local)![1]);
    assert.strictEqual(await evaluate(dc, '$last'), `${i - 1}: i32`);

    // Step over the global.set and the branch, into the next iteration's call.
    assert.strictEqual((await resume(dc, 'next'))?.body.reason, 'step');
    assert.deepStrictEqual((await frames(dc)).shown, ['count!count count.wat:10:8']);
    assert.strictEqual(await evaluate(dc, '$last'), `${i}: i32`);
    await resume(dc, 'next');
    await resume(dc, 'stepIn');
    assert.deepStrictEqual((await frames(dc)).shown.map((f) => f.replace(/:\d+$/, '')), ['count!next count.wat:4', 'count!count count.wat:8']);
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Locals'), [`$x = ${i}: i32`]);

    // The breakpoint again, one iteration later, after the loop ran compiled past the step.
    assert.strictEqual((await resume(dc, 'continue'))?.body.reason, 'breakpoint');
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Locals'), [`$i = ${i + 1}: i32`]);
  });
});
