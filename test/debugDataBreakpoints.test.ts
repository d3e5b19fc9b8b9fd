// Data breakpoints through the debug adapter: on a global, on memory read by an expression, and on
// a local of one frame; each stops right after the write with the old and the new value, and
// reverseContinue goes back to the write before, stopping before it happens.

import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { failure, frames, launch, resume, scope, tempProgram, topFrameId, useAdapter } from './debugHelpers';

const PROGRAM = [
  '(module $counter',
  '  (global $total (mut i32) (i32.const 0))',
  '  (memory 1)',
  '  (func $bump (param $by i32)',
  '    (global.set $total (i32.add (global.get $total) (local.get $by)))',
  '    (i32.store (i32.const 16) (global.get $total)))',
  '  (func (export "main") (result i32)',
  '    (local $i i32)',
  '    (block $done',
  '      (loop $next',
  '        (br_if $done (i32.ge_u (local.get $i) (i32.const 3)))',
  '        (call $bump (i32.add (local.get $i) (i32.const 1)))',
  '        (local.set $i (i32.add (local.get $i) (i32.const 1)))',
  '        (br $next)))',
  '    (global.get $total)))',
];

describe('debug adapter: data breakpoints', function () {
  this.timeout(60000);
  const dc = useAdapter();
  let program = '';
  before(() => {
    program = tempProgram('counter.wat', PROGRAM);
  });

  async function scopeRef(name: string): Promise<number> {
    const scopes = (await dc.scopesRequest({ frameId: await topFrameId(dc) })).body.scopes;
    return scopes.find((s) => s.name.startsWith(name))!.variablesReference;
  }
  async function watch(args: DebugProtocol.DataBreakpointInfoArguments): Promise<string> {
    const info = await dc.customRequest('dataBreakpointInfo', args);
    assert.ok(info.body.dataId, info.body.description);
    const set = await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] });
    assert.strictEqual(set.body.breakpoints[0].verified, true);
    return info.body.description;
  }

  it('stops after each write of a global with its old and new value, and going back at the last write, before it', async () => {
    await launch(dc, { program, invoke: 'main', stopOnEntry: true });
    assert.strictEqual(await watch({ variablesReference: await scopeRef('Globals'), name: '$total' }), 'counter!$total');
    const changes: string[] = [];
    for (let k = 0; k < 3; k++) {
      const stop = await resume(dc, 'continue');
      assert.strictEqual(stop?.body.reason, 'data breakpoint');
      changes.push(stop!.body.text!);
      assert.deepStrictEqual((await frames(dc)).shown.map((f) => f.replace(/^(\S+) \S+?:(\d+):\d+$/, '$1 $2')), ['counter!bump 6', 'counter!main 12']);
    }
    assert.deepStrictEqual(changes, ['counter!$total: 0 -> 1', 'counter!$total: 1 -> 3', 'counter!$total: 3 -> 6']);
    // To the end of main, then backwards: the last write, before it happened.
    await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 15 }] });
    assert.strictEqual((await resume(dc, 'continue'))?.body.reason, 'breakpoint');
    const last = await resume(dc, 'reverseContinue');
    assert.strictEqual(last?.body.reason, 'data breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown.map((f) => f.replace(/^(\S+) \S+?:(\d+):\d+$/, '$1 $2')), ['counter!bump 5', 'counter!main 12']);
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Operand Stack'), ['[0] = 6: i32']);
    assert.deepStrictEqual((await scope(dc, await topFrameId(dc), 'Globals (counter)'))[0], '$total = 3: mut i32');
  });

  it('watches memory read by an expression, and a local of one frame', async () => {
    await launch(dc, { program, invoke: 'main', stopOnEntry: true });
    assert.strictEqual(await watch({ name: 'i32[16]', frameId: await topFrameId(dc) }), 'i32[16] (counter memory 0, 4 bytes at 0x10)');
    const stop = await resume(dc, 'continue');
    assert.strictEqual(stop?.body.text, 'i32[16] (counter memory 0, 4 bytes at 0x10): 00 00 00 00 -> 01 00 00 00');
    assert.deepStrictEqual((await frames(dc)).shown.map((f) => f.replace(/^(\S+) \S+?:(\d+):\d+$/, '$1 $2')), ['counter!bump 6', 'counter!main 12']);
    // Back in main: its $i.
    await resume(dc, 'stepOut');
    assert.strictEqual(await watch({ variablesReference: await scopeRef('Locals'), name: '$i' }), '$i of counter!main');
    const local = await resume(dc, 'continue');
    assert.strictEqual(local?.body.text, '$i of counter!main: 0 -> 1');
  });

  it('stops after a read of a global or of memory, and at reads and writes alike with readWrite', async () => {
    await launch(dc, { program, invoke: 'main', stopOnEntry: true });
    const info = await dc.customRequest('dataBreakpointInfo', { variablesReference: await scopeRef('Globals'), name: '$total' });
    assert.deepStrictEqual(info.body.accessTypes, ['write', 'read', 'readWrite']);
    await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'read' }] });
    const read = await resume(dc, 'continue');
    assert.strictEqual(read?.body.text, 'counter!$total read: 0');
    assert.deepStrictEqual((await frames(dc)).shown.map((f) => f.replace(/^(\S+) \S+?:(\d+):\d+$/, '$1 $2')), ['counter!bump 5', 'counter!main 12']);
    // Both ways: the write on the same line comes next, then the read on line 6.
    await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'readWrite' }] });
    assert.strictEqual((await resume(dc, 'continue'))?.body.text, 'counter!$total: 0 -> 1');
    assert.strictEqual((await resume(dc, 'continue'))?.body.text, 'counter!$total read: 1');
    assert.deepStrictEqual((await frames(dc)).shown.map((f) => f.replace(/^(\S+) \S+?:(\d+):\d+$/, '$1 $2')), ['counter!bump 6', 'counter!main 12']);
  });

  it('stops when a host function writes watched memory: after WASI fd_read returns, with the bytes before and after', async () => {
    const echo = tempProgram('echo.wat', [
      '(module $echo',
      '  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))',
      '  (memory (export "memory") 1)',
      '  (func (export "_start")',
      '    (i32.store (i32.const 0) (i32.const 100))',
      '    (i32.store (i32.const 4) (i32.const 64))',
      '    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))',
      '    (nop)))',
    ]);
    await launch(dc, { program: echo, stdin: 'hi', stopOnEntry: true });
    await watch({ name: 'u16[100]', frameId: await topFrameId(dc) });
    const stop = await resume(dc, 'continue');
    assert.strictEqual(stop?.body.reason, 'data breakpoint');
    assert.strictEqual(stop?.body.text, 'u16[100] (echo memory 0, 2 bytes at 0x64): 00 00 -> 68 69');
    assert.deepStrictEqual((await frames(dc)).shown.map((f) => f.replace(/^(\S+) \S+?:(\d+):\d+$/, '$1 $2')), ['echo!_start 7']);
  });

  it('watches bytes at an address from the memory view (asAddress), by memory reference or by address', async () => {
    await launch(dc, { program, invoke: 'main', stopOnEntry: true });
    const byReference = await dc.customRequest('dataBreakpointInfo', { name: 'memory/1/0/0x12', asAddress: true, bytes: 2 });
    assert.strictEqual(byReference.body.description, '2 bytes at 0x12 (counter memory 0)');
    const byAddress = await dc.customRequest('dataBreakpointInfo', { name: '16', asAddress: true, bytes: 4, frameId: await topFrameId(dc) });
    assert.strictEqual(byAddress.body.description, '4 bytes at 0x10 (counter memory 0)');
    await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: byAddress.body.dataId, accessType: 'write' }] });
    assert.strictEqual((await resume(dc, 'continue'))?.body.text, '4 bytes at 0x10 (counter memory 0): 00 00 00 00 -> 01 00 00 00');
    const wrong = await dc.customRequest('dataBreakpointInfo', { name: 'here', asAddress: true });
    assert.strictEqual(wrong.body.description, 'here is neither a memory reference nor an address (decimal, or hex after 0x)');
  });

  it('says what cannot be watched', async () => {
    await launch(dc, { program, invoke: 'main', stopOnEntry: true });
    const operands = await dc.customRequest('dataBreakpointInfo', { variablesReference: await scopeRef('Operand'), name: '[0]' });
    assert.strictEqual(operands.body.dataId, null);
    assert.strictEqual(operands.body.description, '[0] cannot be watched: only locals, globals and memory (an expression such as i32[$p]) can');
    const set = await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: 'nothing', accessType: 'write' }] });
    assert.deepStrictEqual(set.body.breakpoints, [{ verified: false, message: 'setDataBreakpoints: breakpoints[0].dataId "nothing" names nothing dataBreakpointInfo gave' }]);
    assert.match(await failure(dc.customRequest('dataBreakpointInfo', {})), /dataBreakpointInfo.*name/);
  });
});
