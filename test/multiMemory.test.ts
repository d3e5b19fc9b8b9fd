// Multiple memories (WebAssembly 3.0): one module with two memories, loads, stores, SIMD accesses,
// memory.size/grow/fill/copy/init on the second one and between the two, data segments for each,
// bounds traps that name the access, the binary encoding of a memarg's memory index, and the
// printer writing the indices so that the generated text assembles back to the same code.

import * as assert from 'assert';
import { DecodeError, Store, Trap, decodeModule, funcCode, importCount, instantiate, invoke, loadModule, type Instance, type Instr, type Module, type Value } from '../src/engine/index';
import { assembleWat } from '../src/text/assemble';
import { ModuleNames } from '../src/text/print/names';
import { NO_LIMITS, printFunction, printModuleFields } from '../src/text/print/printer';

const TWO_MEMORIES = `(module
  (memory $a (export "a") 1)
  (memory $b (export "b") 1 3)
  (data (memory $a) (i32.const 0) "\\01\\02\\03\\04")
  (data (memory $b) (i32.const 8) "\\f0\\f1\\f2\\f3\\f4\\f5\\f6\\f7")
  (data $words "\\aa\\bb\\cc\\dd")
  (func (export "loadA") (param i32) (result i32) (i32.load $a (local.get 0)))
  (func (export "loadB") (param i32) (result i32) (i32.load $b (local.get 0)))
  (func (export "load8sB") (param i32) (result i32) (i32.load8_s $b offset=1 (local.get 0)))
  (func (export "load64B") (param i32) (result i64) (i64.load $b (local.get 0)))
  (func (export "load32uB") (param i32) (result i64) (i64.load32_u $b (local.get 0)))
  (func (export "storeB") (param i32 i32) (i32.store $b offset=4 (local.get 0) (local.get 1)))
  (func (export "store16B") (param i32 i64) (i64.store16 $b (local.get 0) (local.get 1)))
  (func (export "sizeA") (result i32) (memory.size $a))
  (func (export "sizeB") (result i32) (memory.size $b))
  (func (export "growB") (param i32) (result i32) (memory.grow $b (local.get 0)))
  (func (export "fillB") (param i32 i32 i32) (memory.fill $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copyAtoB") (param i32 i32 i32) (memory.copy $b $a (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copyBtoB") (param i32 i32 i32) (memory.copy $b $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "initB") (param i32 i32 i32) (memory.init $b $words (local.get 0) (local.get 1) (local.get 2)))
  (func (export "laneB") (param i32) (result i32)
    (i32x4.extract_lane 1 (v128.load $b (local.get 0))))
  (func (export "storeLaneB") (param i32)
    (v128.store8_lane $b 3 (local.get 0) (v128.const i32x4 0x11223344 0x55667788 0 0)))
)`;

const i32 = (value: number): Value => ({ type: 'i32', value });
const i64 = (value: bigint): Value => ({ type: 'i64', value });

async function twoMemories(): Promise<{ store: Store; inst: Instance; call: (name: string, ...args: Value[]) => Value | undefined }> {
  const store = new Store();
  const inst = instantiate(store, await loadModule(await assembleWat(TWO_MEMORIES, 'two.wat')), () => undefined, 'two');
  return { store, inst, call: (name, ...args) => invoke(store, inst.exportedFunc(name), args)[0] };
}

/** The bytes of memory `index` of `inst` in [from, to). */
function bytesOf(inst: Instance, index: number, from: number, to: number): number[] {
  return Array.from(inst.memories[index].u8.subarray(from, to));
}

describe('multiple memories', () => {
  it('puts each data segment into its own memory and reads each memory by index', async () => {
    const { inst, call } = await twoMemories();
    assert.deepStrictEqual(bytesOf(inst, 0, 0, 4), [1, 2, 3, 4]);
    assert.deepStrictEqual(bytesOf(inst, 1, 0, 4), [0, 0, 0, 0]);
    assert.deepStrictEqual(bytesOf(inst, 1, 8, 16), [0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7]);
    assert.deepStrictEqual(call('loadA', i32(0)), i32(0x04030201));
    assert.deepStrictEqual(call('loadB', i32(0)), i32(0));
    assert.deepStrictEqual(call('loadB', i32(8)), i32(0xf3f2f1f0 | 0));
    assert.deepStrictEqual(call('load8sB', i32(8)), i32(-15)); // 0xf1 at 9, sign-extended
    assert.deepStrictEqual(call('load64B', i32(8)), i64(-0x08090a0b0c0d0e10n)); // 0xf7f6f5f4f3f2f1f0
    assert.deepStrictEqual(call('load32uB', i32(12)), i64(0xf7f6f5f4n));
  });

  it('stores into the named memory only', async () => {
    const { inst, call } = await twoMemories();
    call('storeB', i32(0), i32(0x11223344));
    assert.deepStrictEqual(bytesOf(inst, 1, 4, 8), [0x44, 0x33, 0x22, 0x11]);
    assert.deepStrictEqual(bytesOf(inst, 0, 4, 8), [0, 0, 0, 0]);
    call('store16B', i32(20), i64(0x12345678n));
    assert.deepStrictEqual(bytesOf(inst, 1, 20, 23), [0x78, 0x56, 0]);
    assert.deepStrictEqual(call('loadA', i32(0)), i32(0x04030201));
  });

  it('sizes and grows one memory, leaving the other', async () => {
    const { inst, call } = await twoMemories();
    assert.deepStrictEqual(call('growB', i32(2)), i32(1));
    assert.deepStrictEqual(call('sizeB'), i32(3));
    assert.deepStrictEqual(call('sizeA'), i32(1));
    assert.deepStrictEqual(call('growB', i32(1)), i32(-1)); // its maximum is 3 pages
    call('storeB', i32(3 * 65536 - 8), i32(7));
    assert.deepStrictEqual(call('loadB', i32(3 * 65536 - 4)), i32(7));
    assert.strictEqual(inst.memories[0].u8.length, 65536);
  });

  it('fills, copies between the memories and within one, and initialises from a segment', async () => {
    const { inst, call } = await twoMemories();
    call('fillB', i32(100), i32(0x5a), i32(3));
    assert.deepStrictEqual(bytesOf(inst, 1, 99, 104), [0, 0x5a, 0x5a, 0x5a, 0]);
    call('copyAtoB', i32(200), i32(1), i32(3));
    assert.deepStrictEqual(bytesOf(inst, 1, 200, 204), [2, 3, 4, 0]);
    call('copyBtoB', i32(9), i32(8), i32(4)); // overlapping, within memory 1
    assert.deepStrictEqual(bytesOf(inst, 1, 8, 14), [0xf0, 0xf0, 0xf1, 0xf2, 0xf3, 0xf5]);
    call('initB', i32(300), i32(1), i32(3));
    assert.deepStrictEqual(bytesOf(inst, 1, 300, 304), [0xbb, 0xcc, 0xdd, 0]);
    assert.deepStrictEqual(bytesOf(inst, 0, 0, 8), [1, 2, 3, 4, 0, 0, 0, 0]);
  });

  it('runs SIMD loads and lane stores on the named memory', async () => {
    const { inst, call } = await twoMemories();
    assert.deepStrictEqual(call('laneB', i32(8)), i32(0xf7f6f5f4 | 0));
    call('storeLaneB', i32(40));
    assert.deepStrictEqual(bytesOf(inst, 1, 40, 41), [0x11]); // byte lane 3 of 0x11223344
    assert.deepStrictEqual(bytesOf(inst, 0, 40, 41), [0]);
  });

  it('traps on an access beyond the named memory, whatever the size of the other, writing nothing', async () => {
    const { inst, call } = await twoMemories();
    const oob = (name: string, ...args: Value[]) =>
      assert.throws(() => call(name, ...args), (e: unknown) => e instanceof Trap && e.message === 'out of bounds memory access');
    oob('loadB', i32(65533));
    oob('storeB', i32(65530), i32(1));
    oob('fillB', i32(65535), i32(1), i32(2));
    oob('copyAtoB', i32(0), i32(65535), i32(2));
    oob('initB', i32(0), i32(2), i32(3));
    oob('laneB', i32(65530));
    assert.deepStrictEqual(bytesOf(inst, 1, 65530, 65536), [0, 0, 0, 0, 0, 0]);
  });

  it('shares an exported memory with a module that imports it as its second memory', async () => {
    const { store, inst } = await twoMemories();
    const user = await loadModule(await assembleWat(`(module
      (memory $other (import "two" "a") 1)
      (memory $shared (import "two" "b") 1)
      (func (export "peek") (param i32) (result i32) (i32.load8_u $shared (local.get 0))))`, 'user.wat'));
    const userInst = instantiate(store, user, (imp) => (imp.module === 'two' ? inst.exports.get(imp.name) : undefined), 'user');
    assert.deepStrictEqual(invoke(store, userInst.exportedFunc('peek'), [i32(15)])[0], i32(0xf7));
  });
});

describe('multiple memories: binary encoding', () => {
  /** A module of one memory-using function whose body is `code` (bytes after the locals). */
  function withBody(memories: number, code: number[]): Uint8Array {
    const body = [0, ...code, 0x0b];
    const memorySection = [memories, ...Array.from({ length: memories }, () => [0, 1]).flat()];
    return Uint8Array.from([
      0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
      1, 4, 1, 0x60, 0, 0, // type () -> ()
      3, 2, 1, 0,
      5, memorySection.length, ...memorySection,
      10, body.length + 2, 1, body.length, ...body,
    ]);
  }

  it('reads bit 6 of the alignment field as "a memory index follows"', () => {
    // i32.const 0; i32.load align=4 (2 | 0x40) memory 1 offset 8; drop
    const module = decodeModule(withBody(2, [0x41, 0, 0x28, 0x42, 1, 8, 0x1a]));
    assert.deepStrictEqual(funcCode(module, 0).body[1].memarg, { align: 2, offset: 8, memory: 1 });
  });

  it('rejects an alignment field of 128 or more as malformed, and a memory index beyond the module as invalid', async () => {
    await assert.rejects(loadModule(withBody(1, [0x41, 0, 0x28, 0x80, 1, 0, 0x1a])), (e: unknown) =>
      e instanceof DecodeError && e.message === 'malformed module at byte 0x1f: malformed memop flags (the field is 128: bits 0 to 5 are the alignment exponent, bit 6 says a memory index follows, no other bit is defined)');
    // Field 96: bit 6 and alignment exponent 32, well-formed and then too large for a 4-byte load.
    await assert.rejects(loadModule(withBody(2, [0x41, 0, 0x28, 0xe0, 0, 1, 0, 0x1a])), /alignment must not be larger than natural \(i32\.load accesses 4 bytes, the alignment is 4294967296\)/);
    await assert.rejects(loadModule(withBody(1, [0x41, 0, 0x28, 0x42, 1, 0, 0x1a])), /unknown memory 1/);
    await assert.rejects(loadModule(withBody(2, [0x3f, 2, 0x1a])), /unknown memory 2/); // memory.size 2
  });
});

describe('multiple memories: printed text', () => {
  it('names every memory other than 0 and assembles back to the same code', async () => {
    const module = decodeModule(await assembleWat(TWO_MEMORIES, 'two.wat'));
    const names = new ModuleNames(module, true);
    const imported = importCount(module, 'func');
    const fn = (name: string) => {
      const index = module.exports.find((e) => e.name === name)!.index;
      return printFunction(names, index, []).text.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
    };
    assert.deepStrictEqual(fn('load8sB'), ['local.get $p0', 'i32.load8_s $b offset=1']);
    assert.deepStrictEqual(fn('loadA'), ['local.get $p0', 'i32.load']);
    assert.deepStrictEqual(fn('sizeB'), ['memory.size $b']);
    assert.deepStrictEqual(fn('sizeA'), ['memory.size']);
    assert.deepStrictEqual(fn('copyAtoB').slice(3), ['memory.copy $b $a']);
    assert.deepStrictEqual(fn('initB').slice(3), ['memory.init $b $words']);
    assert.deepStrictEqual(fn('storeLaneB').slice(2), ['v128.store8_lane $b 3']);

    const text = ['(module', ...printModuleFields(names, NO_LIMITS), ...module.funcs.map((_, i) => printFunction(names, imported + i, []).text), ')'].join('\n');
    const again = decodeModule(await assembleWat(text, 'printed.wat'));
    const code = (m: Module) => m.codes.map((_, i) => funcCode(m, i).body.map(immediates));
    assert.deepStrictEqual(code(again), code(module));
    assert.deepStrictEqual(again.datas.map((d) => [d.mode, d.memory]), [['active', 0], ['active', 1], ['passive', 0]]);
  });
});

/** An instruction without its byte offset. */
function immediates(i: Instr): Omit<Instr, 'offset'> {
  const { offset: _, ...rest } = i;
  return rest;
}
