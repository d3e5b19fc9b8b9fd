// JavaScript programs under the debugger: testWorkspace/js/main.mjs instantiates a.wasm and b.wasm
// (assembled from a.wat and b.wat) with our WebAssembly; a's `caller` calls the JavaScript `relay`,
// which calls b's `callback_target`. The stack crosses JavaScript, steps go through it, and pause,
// traps and output work as they do for wasm programs.

import * as assert from 'assert';
import * as fs from 'fs';
import { assembleWat } from '../src/text/assemble';
import { collectOutput, exitCode, firstOf, frames, launch, launchRunning, resume, scope, useAdapter, ws } from './debugHelpers';

const MAIN = ws('js/main.mjs');
const A = ws('js/a.wat');
const B = ws('js/b.wat');

describe('debug adapter: JavaScript programs', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it('the example\'s .wasm files are the assembly of its .wat files', async () => {
    for (const name of ['a', 'b']) {
      const wat = ws(`js/${name}.wat`);
      assert.deepStrictEqual(Buffer.from(fs.readFileSync(ws(`js/${name}.wasm`))), Buffer.from(await assembleWat(fs.readFileSync(wat, 'utf8'), wat)), `${name}.wasm is stale: run watdbg assemble ${name}.wat`);
    }
  });

  it('a breakpoint in wasm called from a JavaScript callback stops there, with wasm and JavaScript frames on the stack', async () => {
    const stop = await launch(dc, { program: MAIN }, () => dc.setBreakpointsRequest({ source: { path: B }, breakpoints: [{ line: 5 }] }));
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    const { shown } = await frames(dc);
    assert.deepStrictEqual(shown, [
      'b!callback_target b.wat:5:17',
      '[js] relay main.mjs:14:29',
      'a!caller a.wat:9:6',
      '[js] <module> main.mjs:19:68',
    ]);
    assert.deepStrictEqual(await scope(dc, (await frames(dc)).raw[0].id, 'Locals'), ['$x = 2: i32']);
    // A JavaScript frame has no wasm state; the wasm frame below it has its own.
    const js = (await frames(dc)).raw[1];
    assert.deepStrictEqual((await dc.scopesRequest({ frameId: js.id })).body.scopes, []);
    await assert.rejects(dc.evaluateRequest({ expression: '$x', frameId: js.id }), /frame \d+ is a JavaScript frame: it has no wasm state/);
    assert.deepStrictEqual(await scope(dc, (await frames(dc)).raw[2].id, 'Locals'), ['$n = 1: i32', '$doubled = 2: i32']);
  });

  it('steps in from a wasm call of a JavaScript import to the wasm the JavaScript calls, and out again to the caller', async () => {
    await launch(dc, { program: MAIN }, () => dc.setBreakpointsRequest({ source: { path: A }, breakpoints: [{ line: 9 }] }));
    assert.deepStrictEqual((await frames(dc)).shown[0], 'a!caller a.wat:9:19');
    assert.strictEqual((await resume(dc, 'stepIn'))?.body.reason, 'step');
    assert.deepStrictEqual((await frames(dc)).shown.slice(0, 3), ['b!callback_target b.wat:5:17', '[js] relay main.mjs:14:29', 'a!caller a.wat:9:6']);
    assert.strictEqual((await resume(dc, 'stepOut'))?.body.reason, 'step');
    // Back in the caller, after the call: the JavaScript in between ran on.
    assert.deepStrictEqual((await frames(dc)).shown, ['a!caller a.wat:10:15', '[js] <module> main.mjs:19:68']);
  });

  it('stepping out of wasm that JavaScript called, with no wasm below, runs on to the next stop', async () => {
    await launch(dc, { program: MAIN }, () => dc.setBreakpointsRequest({ source: { path: A }, breakpoints: [{ line: 8 }] }));
    assert.deepStrictEqual((await frames(dc)).shown, ['a!caller a.wat:8:35', '[js] <module> main.mjs:19:68']);
    // The next call of `caller` (n = 2) stops at the same breakpoint.
    assert.strictEqual((await resume(dc, 'stepOut'))?.body.reason, 'breakpoint');
    assert.deepStrictEqual(await scope(dc, (await frames(dc)).raw[0].id, 'Locals'), ['$n = 2: i32', '$doubled = 0: i32']);
  });

  it('pause interrupts a wasm loop called from JavaScript', async () => {
    const out = collectOutput(dc);
    await launchRunning(dc, { program: MAIN, args: ['spin'] });
    // The spin starts once the three calls of `caller` have printed.
    while (!out.stdout.includes('caller(3) = 37')) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopped = dc.waitForEvent('stopped');
    await dc.pauseRequest({ threadId: 1 });
    assert.strictEqual(((await stopped) as { body: { reason: string } }).body.reason, 'pause');
    const { shown } = await frames(dc);
    assert.match(shown[0], /^a!spin a\.wat:1[4-6]:\d+$/);
    assert.strictEqual(shown[1], '[js] <module> main.mjs:22:54');
  });

  it('a trap in wasm called from JavaScript stops with the stack intact; continuing hands the JavaScript a RuntimeError', async () => {
    const out = collectOutput(dc);
    const stop = await launch(dc, { program: MAIN, args: ['divide'] });
    assert.strictEqual(stop?.body.reason, 'exception');
    assert.strictEqual(stop?.body.text, 'integer divide by zero');
    assert.deepStrictEqual((await frames(dc)).shown, ['a!divide a.wat:21:6', '[js] <module> main.mjs:25:15']);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.match(out.stdout, /divide failed: RuntimeError: integer divide by zero\n$/);
  });

  it('restarts the program in a new thread with the breakpoints the client set, under the ids it knows them by', async () => {
    let id: number | undefined;
    const first = await launch(dc, { program: MAIN }, async () => {
      id = (await dc.setBreakpointsRequest({ source: { path: B }, breakpoints: [{ line: 5 }] })).body.breakpoints[0].id;
    });
    assert.deepStrictEqual(first?.body.hitBreakpointIds, [id]);
    await resume(dc, 'continue'); // caller(2)
    assert.deepStrictEqual(await scope(dc, (await frames(dc)).raw[0].id, 'Locals'), ['$x = 4: i32']);
    const modules = new Set<string>();
    dc.on('module', (e: { body: { reason: string; module: { name: string } } }) => modules.add(`${e.body.reason} ${e.body.module.name}`));
    const stopped = firstOf(dc, ['stopped']);
    await dc.restartRequest({} as never);
    const again = (await stopped) as { body: { reason: string; hitBreakpointIds?: number[] } };
    assert.strictEqual(again.body.reason, 'breakpoint');
    assert.deepStrictEqual(again.body.hitBreakpointIds, [id]);
    assert.deepStrictEqual(await scope(dc, (await frames(dc)).raw[0].id, 'Locals'), ['$x = 2: i32']);
    assert.deepStrictEqual([...modules].sort(), ['new a', 'new b', 'removed a', 'removed b']);
  });

  it('the program\'s output comes in order, with what its wasm makes it print', async () => {
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => launchRunning(dc, { program: MAIN })), 0);
    assert.strictEqual(out.stdout, ['relay 2', 'b got 2', 'caller(1) = 5', 'relay 4', 'b got 4', 'caller(2) = 17', 'relay 6', 'b got 6', 'caller(3) = 37', ''].join('\n'));
  });
});
