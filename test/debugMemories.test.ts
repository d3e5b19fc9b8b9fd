// The debugger and several memories, one of them a memory64: each memory of an instance has its
// own memoryReference (the Memory scope, the rows of a memory, variables that hold addresses),
// readMemory/writeMemory reach any of them at 64-bit addresses, expressions name the memory
// (`$heap.u8[2]`, `memory1.i32[0]`, `mems!memory1.u8[0]`), and out-of-range requests are refused
// naming the request and the argument.

import * as assert from 'assert';
import { collectOutput, evaluate, exitCode, failure, frames, launch, scope, tempProgram, topFrameId, useAdapter } from './debugHelpers';

const PROGRAM = [
  '(module $mems',
  '  (memory $big i64 2)',
  '  (memory $heap 1)',
  '  (data (memory $big) (i64.const 0x1fff8) "top!")',
  '  (data (memory $heap) (i32.const 0) "heap")',
  '  (func (export "main") (param $p i64) (result i32)',
  '    (i32.add (i32.load8_u $big (local.get $p)) (i32.load8_u $heap (i32.const 2)))))',
];

const text = (data: string | undefined) => Buffer.from(data ?? '', 'base64').toString('latin1');
const base64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');

describe('debug adapter: several memories and memory64', function () {
  this.timeout(60000);
  const dc = useAdapter();

  async function stopInMain(): Promise<number> {
    await launch(dc, { program: tempProgram('mems.wat', PROGRAM), invoke: 'main', args: ['0x1fff8'], stopOnEntry: true });
    return topFrameId(dc);
  }

  it('gives every memory its own memoryReference, and an address variable one into memory 0', async () => {
    const frameId = await stopInMain();
    assert.deepStrictEqual(await scope(dc, frameId, 'Memory (mems)'), ['$big = 2 pages (131072 bytes): memory', '$heap = 1 page (65536 bytes): memory']);
    const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    const memories = (await dc.variablesRequest({ variablesReference: scopes.find((s) => s.name === 'Memory (mems)')!.variablesReference })).body.variables;
    assert.deepStrictEqual(memories.map((m) => m.memoryReference), ['memory/1/0', 'memory/1/1']);
    const rows = await dc.variablesRequest({ variablesReference: memories[1].variablesReference, filter: 'indexed', start: 0, count: 1 });
    assert.deepStrictEqual(rows.body.variables.map((v) => [`${v.name}: ${v.value}`, v.memoryReference]), [
      ['0x0000: 68 65 61 70 00 00 00 00 00 00 00 00 00 00 00 00  heap............', 'memory/1/1/0x0'],
    ]);
    // $p is an i64 and memory 0 a memory64: it is an address there.
    const locals = (await dc.variablesRequest({ variablesReference: scopes[0].variablesReference })).body.variables;
    assert.deepStrictEqual(locals.map((v) => [`${v.name} = ${v.value}`, v.memoryReference]), [['$p = 131064', 'memory/1/0/0x1fff8']]);
    // The debug console completes memory names, then their loads.
    const complete = async (typed: string) => (await dc.completionsRequest({ text: typed, column: typed.length + 1, frameId })).body.targets.map((t) => `${t.label}@${t.start}+${t.length}`);
    assert.deepStrictEqual(await complete('$h'), ['$heap.@1+2']);
    assert.deepStrictEqual(await complete('1 + $heap.u'), ['$heap.u8[@5+7', '$heap.u16[@5+7', '$heap.u32[@5+7', '$heap.u64[@5+7']);
    assert.deepStrictEqual(await complete('mems!$b'), ['mems!$big.@1+7']);
  });

  it('reads and writes the second memory through the memory view and through expressions', async () => {
    const frameId = await stopInMain();
    const written = await dc.customRequest('writeMemory', { memoryReference: 'memory/1/1', offset: 2, data: base64('XY') });
    assert.deepStrictEqual(written.body, { offset: 2, bytesWritten: 2 });
    const read = await dc.customRequest('readMemory', { memoryReference: 'memory/1/1', offset: 0, count: 4 });
    assert.deepStrictEqual([text(read.body.data), read.body.address, read.body.unreadableBytes], ['heXY', '0x0', 0]);
    assert.strictEqual(await evaluate(dc, '$heap.u8[2]', frameId), '88: i32');
    assert.strictEqual(await evaluate(dc, 'memory1.i32[0]', frameId), '1498965352: i32'); // 0x59586568, "heXY" little-endian
    assert.strictEqual(await evaluate(dc, 'mems!memory1.u8[3] - $heap.u8[2]', frameId), '1: i32');
    // A value read from memory comes with the place it was read, for the memory view.
    const places = [];
    for (const expression of ['memory1.i32[2]', '$big.u8[$p]', 'u8[$p + 1]', 'mems!$heap.u8[1]', '$heap.u8[2] + 1']) {
      places.push((await dc.evaluateRequest({ expression, frameId, context: 'watch' })).body.memoryReference);
    }
    assert.deepStrictEqual(places, ['memory/1/1/0x2', 'memory/1/0/0x1fff8', 'memory/1/0/0x1fff9', 'memory/1/1/0x1', undefined]);
    const repl = await dc.evaluateRequest({ expression: 'memory1.u8[0] = 0x48', frameId, context: 'repl' });
    assert.strictEqual(repl.body.result, '72');
    const again = await dc.customRequest('readMemory', { memoryReference: 'memory/1/1', count: 4 });
    assert.strictEqual(text(again.body.data), 'HeXY');
    // Memory 0 is untouched by all of it.
    const big = await dc.customRequest('readMemory', { memoryReference: 'memory/1/0', count: 4 });
    assert.strictEqual(text(big.body.data), '\0\0\0\0');
    // The program reads what was written: 't' (116) from $big plus 'X' (88) from $heap.
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.match(out.console, /mems!main\(131064\) returned 204\n/);
  });

  it('reads a memory64 at its highest page and at 64-bit addresses beyond it, exactly', async () => {
    const frameId = await stopInMain();
    const top = await dc.customRequest('readMemory', { memoryReference: 'memory/1/0/0x1fff8', count: 12 });
    assert.deepStrictEqual([text(top.body.data), top.body.address, top.body.unreadableBytes], ['top!\0\0\0\0', '0x1fff8', 4]);
    const beyond4G = await dc.customRequest('readMemory', { memoryReference: 'memory/1/0/0x100000000', offset: 16, count: 8 });
    assert.deepStrictEqual([text(beyond4G.body.data), beyond4G.body.address, beyond4G.body.unreadableBytes], ['', '0x100000010', 8]);
    const nearTop = await dc.customRequest('readMemory', { memoryReference: 'memory/1/0/0xfffffffffffffff0', offset: 8, count: 4 });
    assert.deepStrictEqual([nearTop.body.address, nearTop.body.unreadableBytes], ['0xfffffffffffffff8', 4]);
    assert.strictEqual(await evaluate(dc, '$big.u8[$p]', frameId), '116: i32');
    assert.strictEqual(await evaluate(dc, '$big.u32[0x1fffc]', frameId), '0: u32');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: '$big.u8[0x100000000]', frameId })),
      'out of bounds memory access: $big.u8[4294967296] reads 1 byte but the memory is 131072 bytes at column 1');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: '$big.i64[0xffff_ffff_ffff_fffc]', frameId })),
      'out of bounds memory access: $big.i64[18446744073709551612] reads 8 bytes but the memory is 131072 bytes at column 1');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: 'memory2.u8[0]', frameId })), 'mems has no memory memory2 (memories: $big, $heap) at column 1');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: 'moon!memory0.u8[0]', frameId })), 'no instance named moon (instances: mems) at column 1');
  });

  it('refuses out-of-range addresses naming the request and the argument', async () => {
    await stopInMain();
    assert.strictEqual(await failure(dc.customRequest('writeMemory', { memoryReference: 'memory/1/1', offset: 65535, data: base64('ab') })),
      "writeMemory: writing 2 bytes at 0xffff goes past the end of the memory (65536 bytes); set 'allowPartial' to write what fits");
    assert.strictEqual(await failure(dc.customRequest('writeMemory', { memoryReference: 'memory/1/0/0x100000000', data: base64('a') })),
      "writeMemory: address 0x100000000 (argument 'offset' 0) is outside the memory (131072 bytes)");
    assert.strictEqual(await failure(dc.customRequest('writeMemory', { memoryReference: 'memory/1/0/0xfffffffffffffff0', offset: 16, data: base64('a') })),
      "writeMemory: argument 'offset' 16 from address 0xfffffffffffffff0 leads to an address beyond 2^64-1");
    assert.strictEqual(await failure(dc.customRequest('readMemory', { memoryReference: 'memory/1/0', offset: 2 ** 60, count: 1 })),
      "readMemory: argument 'offset' must be an exact integer (at most 2^53 in size), got 1152921504606847000; put larger addresses in the memoryReference (memory/<instance>/<memory>/0x<address>)");
    assert.strictEqual(await failure(dc.customRequest('readMemory', { memoryReference: 'memory/1/2', count: 1 })), 'readMemory: unknown memoryReference memory/1/2');
    const partial = await dc.customRequest('writeMemory', { memoryReference: 'memory/1/0/0x1fffe', data: base64('abcd'), allowPartial: true });
    assert.deepStrictEqual(partial.body, { offset: 0, bytesWritten: 2 });
  });

  const FAR = ['(module $far', '  (memory i64 1)', '  (func (export "main") (param $p i64) (result i64)', '    (i64.load offset=8', '      (local.get $p))))'];
  for (const [address, shown, why] of [['0x100000000', '4294967296', 'beyond 4 GiB'], ['65528', '65528', 'whose offset passes the end']]) {
    it(`stops at a memory64 access ${why}, with its i64 address on the operand stack`, async () => {
      const stop = await launch(dc, { program: tempProgram('far.wat', FAR), invoke: 'main', args: [address] });
      assert.strictEqual(stop?.body.text, 'out of bounds memory access');
      assert.deepStrictEqual((await frames(dc)).shown, ['far!main far.wat:4:6']);
      assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Operand Stack'), [`[0] = ${shown}: i64`]);
      assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 1);
    });
  }
});
