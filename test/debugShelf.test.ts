// The GC and exceptions example of testWorkspace through the debug adapter: shelf.wat walks a list
// of structs that stock.wat builds, and catches the $missing that stock.wat's search throws.

import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, exitCode, frames, launch, resume, scope, topFrameId, useAdapter, ws } from './debugHelpers';

const SHELF = { program: ws('shelf.wat'), imports: { stock: ws('stock.wat') }, invoke: 'main', args: [4, 101] };

describe('debug adapter: the GC and exceptions example (shelf.wat, stock.wat)', function () {
  this.timeout(60000);
  const dc = useAdapter();
  const children = async (ref: number): Promise<string[]> =>
    (await dc.variablesRequest({ variablesReference: ref })).body.variables.map((v: DebugProtocol.Variable) => `${v.name}: ${v.type} = ${v.value}`);
  const local = async (name: string): Promise<DebugProtocol.Variable> => {
    const scopes = (await dc.scopesRequest({ frameId: await topFrameId(dc) })).body.scopes;
    const locals = (await dc.variablesRequest({ variablesReference: scopes.find((s) => s.name === 'Locals')!.variablesReference })).body.variables;
    return locals.find((v) => v.name === name)!;
  };

  it('stops in shelf!take with the item stock!find returned: a struct of the other module, fields by name', async () => {
    const stop = await launch(dc, SHELF, () => dc.setBreakpointsRequest({ source: { path: ws('shelf.wat') }, breakpoints: [{ line: 18 }] }));
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown, ['shelf!take shelf.wat:18:33', 'shelf!main shelf.wat:47:12']);
    const item = await local('$item');
    assert.strictEqual(item.value, '$item struct (3 fields)');
    const fields = await children(item.variablesReference);
    assert.deepStrictEqual(fields.slice(0, 2), ['code: i32 = 101', 'count: (mut i32) = 6']);
    assert.match(fields[2], /^next: \(ref null \d+\) = \$item struct \(3 fields\)$/);
    // Line 18 is entered again after line 19 computed the new count: the breakpoint stops there too.
    await resume(dc, 'continue');
    assert.deepStrictEqual((await frames(dc)).shown, ['shelf!take shelf.wat:18:8', 'shelf!main shelf.wat:47:12']);
    // The second take finds the count the first one left.
    await resume(dc, 'continue');
    assert.deepStrictEqual((await frames(dc)).shown, ['shelf!take shelf.wat:18:33', 'shelf!main shelf.wat:48:12']);
    assert.deepStrictEqual((await children((await local('$item')).variablesReference)).slice(0, 2), ['code: i32 = 101', 'count: (mut i32) = 5']);
  });

  it('stops at the throw in stock!find with "All thrown exceptions", then lands in the handler in shelf!take', async () => {
    const stop = await launch(dc, SHELF, () => dc.setExceptionBreakpointsRequest({ filters: ['trap', 'uncaughtException', 'allException'] }));
    assert.strictEqual(stop?.body.reason, 'exception');
    assert.strictEqual(stop?.body.text, 'Exception stock!missing(i32 999), caught');
    assert.deepStrictEqual((await frames(dc)).shown, ['stock!find stock.wat:33:6', 'shelf!take shelf.wat:17:12', 'shelf!main shelf.wat:49:12']);
    const out = await resume(dc, 'stepOut');
    assert.strictEqual(out?.body.reason, 'step');
    assert.deepStrictEqual((await frames(dc)).shown, ['shelf!take shelf.wat:22:6', 'shelf!main shelf.wat:49:12']);
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Operand Stack'), ['[0] = 999: i32']);
    const output = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.strictEqual(output.console, 'shelf!main(4, 101) returned 24\n');
  });

  it('stops at an uncaught $missing with the stack of both modules', async () => {
    const stop = await launch(dc, { ...SHELF, invoke: 'unchecked', args: [7] });
    assert.strictEqual(stop?.body.text, 'Uncaught exception stock!missing(i32 7)');
    assert.deepStrictEqual((await frames(dc)).shown, ['stock!find stock.wat:33:6', 'shelf!unchecked shelf.wat:61:31']);
  });
});
