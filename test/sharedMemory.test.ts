// Shared memories (the threads proposal's memory type, without atomic instructions): decoding and
// validation of the `shared` flag, import matching, the printer's text, and what JavaScript sees of
// a shared WebAssembly.Memory: a frozen SharedArrayBuffer that a grow never detaches.

import * as assert from 'assert';
import * as path from 'path';
import * as vm from 'vm';
import { requireInContext } from '../scripts/contextModules';
import { DecodeError, Store, ValidationError, createMemory, instantiate, invoke, loadModule, type Value } from '../src/engine/index';
import { createWebAssembly } from '../src/jsapi/index';
import { assembleWat } from '../src/text/assemble';
import { ModuleNames } from '../src/text/print/names';
import { NO_LIMITS, printModuleFields } from '../src/text/print/printer';
import { assembleText } from '../src/text/wat/index';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const WA: Any = createWebAssembly();

const SHARED = `(module
  (memory (export "mem") 1 3 shared)
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size)))`;

const IMPORTS_SHARED = `(module (import "env" "mem" (memory 1 2 shared)))`;

/** A module whose only section is a memory section of one memory with these limits bytes. */
function memoryModule(...limits: number[]): Uint8Array {
  return Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, limits.length + 1, 1, ...limits);
}

function wasm(text: string): Uint8Array {
  return assembleText(text, 'test.wat').bytes;
}

describe('shared memories', () => {
  describe('decoding and validation', () => {
    it('decodes limits flags 0x02 and 0x03 as a shared memory', async () => {
      const module = await loadModule(memoryModule(0x03, 1, 2));
      assert.deepStrictEqual(module.memories, [{ limits: { min: 1, max: 2 }, shared: true }]);
      const unshared = await loadModule(memoryModule(0x01, 1, 2));
      assert.deepStrictEqual(unshared.memories, [{ limits: { min: 1, max: 2 } }]);
    });

    it('rejects a shared memory without a maximum with the proposal\'s message', async () => {
      await assert.rejects(loadModule(memoryModule(0x02, 1)), (e: unknown) => e instanceof ValidationError && e.reason === 'shared memory must have maximum');
      await assert.rejects(loadModule(await assembleWat('(module (memory 1 shared))', 'm.wat')), (e: unknown) => e instanceof ValidationError && e.reason === 'shared memory must have maximum');
    });

    it('keeps the shared flag out of tables and out of WebAssembly 2.0', async () => {
      const table = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 4, 5, 1, 0x70, 0x03, 1, 2);
      await assert.rejects(loadModule(table), (e: unknown) => e instanceof DecodeError && e.message === 'malformed module at byte 0xc: malformed limits flags (0x03 in a table: only bit 0 (a maximum follows) and bit 2 (i64 addresses) are defined)');
      await assert.rejects(loadModule(memoryModule(0x0b, 1, 2)), (e: unknown) => e instanceof DecodeError && e.message === 'malformed module at byte 0xb: malformed limits flags (0x0b in a memory: only bit 0 (a maximum follows), bit 1 (shared) and bit 2 (i64 addresses) are defined)');
      await assert.rejects(loadModule(memoryModule(0x03, 1, 2), '2.0'), (e: unknown) => e instanceof DecodeError && e.reason === 'integer too large');
    });

    it('prints the memory with its shared flag', async () => {
      const module = await loadModule(await assembleWat('(module (import "env" "m" (memory $in 1 2 shared)) (memory $own i64 0 1 shared))', 'm.wat'));
      const lines = printModuleFields(new ModuleNames(module, true), NO_LIMITS).map((l) => l.trim()).filter((l) => l.includes('memory'));
      assert.deepStrictEqual(lines, ['(import "env" "m" (memory $in 1 2 shared))', '(memory $own i64 0 1 shared)']);
    });
  });

  describe('in the engine', () => {
    it('runs loads, stores and memory.grow on a shared memory whose bytes stay in place', async () => {
      const store = new Store();
      const inst = instantiate(store, await loadModule(await assembleWat(SHARED, 'm.wat')), () => undefined, 'm');
      const call = (name: string, ...args: number[]): Value | undefined => invoke(store, inst.exportedFunc(name), args.map((value) => ({ type: 'i32', value })))[0];
      const mem = inst.memories[0];
      const before = mem.buffer;
      assert.ok(before instanceof SharedArrayBuffer);
      call('store', 5, 42);
      assert.deepStrictEqual(call('grow', 1), { type: 'i32', value: 1 });
      assert.deepStrictEqual(call('size'), { type: 'i32', value: 2 });
      assert.deepStrictEqual(call('grow', 2), { type: 'i32', value: -1 });
      assert.strictEqual(before.byteLength, 65536);
      assert.strictEqual(mem.buffer.byteLength, 131072);
      new Uint8Array(before)[6] = 7;
      assert.deepStrictEqual([call('load', 5), call('load', 6)], [{ type: 'i32', value: 42 }, { type: 'i32', value: 7 }]);
    });

    it('gives a shared memory put back to another size a shared buffer again', () => {
      const mem = createMemory({ limits: { min: 2, max: 4 }, shared: true });
      mem.resize(1);
      assert.ok(mem.buffer instanceof SharedArrayBuffer);
      assert.strictEqual(mem.pages(), 1);
      assert.strictEqual(mem.grow(3), 1);
      assert.strictEqual(mem.grow(1), -1);
    });
  });

  it('without a host WebAssembly, keeps the bytes in one growable SharedArrayBuffer', () => {
    const context = vm.createContext({});
    vm.runInContext('delete globalThis.WebAssembly', context);
    const { SharedBacking } = requireInContext(context, path.resolve(__dirname, '../src/engine/sharedBacking.js')) as typeof import('../src/engine/sharedBacking');
    const backing = new SharedBacking(1, 3, 65536);
    const buffer = backing.buffer;
    assert.strictEqual(Object.prototype.toString.call(buffer), '[object SharedArrayBuffer]');
    assert.strictEqual(Object.isFrozen(buffer), true);
    new Uint8Array(buffer)[1] = 5;
    assert.strictEqual(backing.grow(1, 2 * 65536), true);
    assert.strictEqual(backing.buffer, buffer, 'the one growable buffer');
    assert.strictEqual(buffer.byteLength, 2 * 65536);
    assert.strictEqual(new Uint8Array(buffer)[1], 5);
    assert.strictEqual(backing.grow(2, 4 * 65536), false);
  });

  describe('WebAssembly.Memory', () => {
    it('hands out a frozen SharedArrayBuffer, the same one until a grow', () => {
      const memory = new WA.Memory({ initial: 1, maximum: 2, shared: true });
      const buffer = memory.buffer;
      assert.strictEqual(Object.prototype.toString.call(buffer), '[object SharedArrayBuffer]');
      assert.ok(buffer instanceof SharedArrayBuffer);
      assert.strictEqual(memory.buffer, buffer);
      assert.strictEqual(Object.isFrozen(buffer), true);
      assert.strictEqual(buffer.byteLength, 65536);
    });

    it('grows without detaching: the old buffer keeps its length and its bytes are the memory\'s', () => {
      const memory = new WA.Memory({ initial: 1, maximum: 2, shared: true });
      const old = memory.buffer;
      assert.strictEqual(memory.grow(1), 1);
      const grown = memory.buffer;
      assert.notStrictEqual(grown, old);
      assert.deepStrictEqual([old.byteLength, grown.byteLength], [65536, 131072]);
      new Uint8Array(old)[3] = 9;
      assert.strictEqual(new Uint8Array(grown)[3], 9);
      assert.strictEqual(memory.grow(0), 2);
      assert.notStrictEqual(memory.buffer, grown, 'grow(0) still refreshes the buffer');
      assert.strictEqual(grown.byteLength, 131072);
      assert.throws(() => memory.grow(1), { name: 'RangeError', message: 'WebAssembly.Memory.grow: cannot grow 2 pages by 1 (maximum 2)' });
    });

    it('sees wasm\'s memory.grow on an exported shared memory without detaching', () => {
      const e = new WA.Instance(new WA.Module(wasm(SHARED)), {}).exports;
      const old = e.mem.buffer;
      assert.ok(old instanceof SharedArrayBuffer);
      e.store(100, 200);
      assert.strictEqual(e.grow(2), 1);
      assert.strictEqual(old.byteLength, 65536);
      assert.strictEqual(e.mem.buffer.byteLength, 3 * 65536);
      assert.strictEqual(new Uint8Array(old)[100], 200);
      new Uint8Array(e.mem.buffer)[2 * 65536] = 11;
      assert.strictEqual(e.load(2 * 65536), 11);
    });

    it('requires a maximum for a shared memory', () => {
      assert.throws(() => new WA.Memory({ initial: 1, shared: true }), { name: 'TypeError', message: 'WebAssembly.Memory: a shared memory needs a maximum' });
    });

    it('imports a shared memory only where a shared one is expected', () => {
      const module = new WA.Module(wasm(IMPORTS_SHARED));
      new WA.Instance(module, { env: { mem: new WA.Memory({ initial: 1, maximum: 2, shared: true }) } });
      assert.throws(() => new WA.Instance(module, { env: { mem: new WA.Memory({ initial: 1, maximum: 2 }) } }), (e: Any) => e instanceof WA.LinkError && e.message.includes('(memory 1 2 shared)') && e.message.includes('(memory 1 2)'));
      const unshared = new WA.Module(wasm('(module (import "env" "mem" (memory 1 2)))'));
      assert.throws(() => new WA.Instance(unshared, { env: { mem: new WA.Memory({ initial: 1, maximum: 2, shared: true }) } }), WA.LinkError);
    });
  });
});
