// Checkpoints of a fresh memory (src/engine/checkpoint.ts, memoryImage.ts): a page that still holds
// what instantiation wrote there (the data segments, views of the module's bytes) is kept as a
// reference to them, not copied, and restoring gives back exactly the bytes that were there.

import * as assert from 'assert';
import { checkpointsBytes, restoreCheckpoint, takeCheckpoint } from '../src/engine/checkpoint';
import { instantiate } from '../src/engine/instantiate';
import { PAGE_SIZE } from '../src/engine/runtime';
import { Store } from '../src/engine/store';
import { loadModule } from '../src/engine/validate/index';
import { assembleWat } from '../src/text/assemble';
import { dataString } from './engineHelpers';

// Page 0 and the start of page 1: one segment. Page 1 also holds two small ones with zeros
// between them; page 2 holds two segments that overlap (the later one wins there); pages 3 to 5
// are zeros.
const SOURCE = `(module
  (memory (export "memory") 6)
  (data (i32.const 0) "${dataString(PAGE_SIZE + 100, 1)}")
  (data (i32.const ${PAGE_SIZE + 200}) "${dataString(50, 7)}")
  (data (i32.const ${PAGE_SIZE + 1000}) "${dataString(3000, 9)}")
  (data (i32.const ${2 * PAGE_SIZE + 10}) "${dataString(40, 3)}")
  (data (i32.const ${2 * PAGE_SIZE + 20}) "${dataString(40, 5)}")
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))`;

async function fresh() {
  const module = await loadModule(await assembleWat(SOURCE, 'image.wat'));
  const store = new Store();
  const instance = instantiate(store, module, () => undefined, 'image');
  const memory = instance.memories[0];
  const poke = (address: number, value: number) => store.invoke(instance.exportedFunc('poke'), [{ type: 'i32', value: address }, { type: 'i32', value }]);
  return { store, instance, memory, poke };
}

describe('checkpoints of memory that instantiation wrote', () => {
  it('copies only the page where segments overlap: the others refer to the module or are zeros', async () => {
    const { store, instance } = await fresh();
    const cp = takeCheckpoint(store, [instance], null);
    // One copied page (page 2) and the zero page every zero page shares.
    assert.strictEqual(checkpointsBytes([cp]) - cp.otherBytes, 2 * PAGE_SIZE);
  });

  it('restores the bytes instantiation wrote after the program changed them, and the changes after them', async () => {
    const { store, instance, memory, poke } = await fresh();
    const initial = memory.u8.slice();
    const first = takeCheckpoint(store, [instance], null);
    poke(5, 0xee); // page 0, inside the big segment
    poke(PAGE_SIZE + 120, 0xdd); // page 1, in the zeros between segments
    poke(3 * PAGE_SIZE + 1, 0xcc); // page 3, zeros until now
    const changed = memory.u8.slice();
    const second = takeCheckpoint(store, [instance], first);
    // Pages 0, 1 and 3 are copied now; page 2 is shared with the first checkpoint.
    assert.strictEqual(checkpointsBytes([first, second]) - first.otherBytes - second.otherBytes, 5 * PAGE_SIZE);
    restoreCheckpoint(store, first);
    assert.ok(Buffer.from(memory.u8).equals(Buffer.from(initial)), 'back to what instantiation wrote');
    restoreCheckpoint(store, second);
    assert.ok(Buffer.from(memory.u8).equals(Buffer.from(changed)), 'forward to the changed bytes');
  });

  it('restores pages kept before another module was instantiated into the same memory', async () => {
    const { store, instance, memory } = await fresh();
    const initial = memory.u8.slice();
    const first = takeCheckpoint(store, [instance], null);
    // Its segment lies before the first module's last ones, and over its first: page 0 is now copied.
    const other = await loadModule(await assembleWat(`(module (import "m" "memory" (memory 1)) (data (i32.const 30) "zzzz"))`, 'other.wat'));
    const second = instantiate(store, other, () => ({ kind: 'memory', memory }), 'other');
    const after = memory.u8.slice();
    const next = takeCheckpoint(store, [instance, second], first);
    assert.strictEqual(checkpointsBytes([first, next]) - first.otherBytes - next.otherBytes, 3 * PAGE_SIZE);
    memory.u8.fill(0x11, 0, 3 * PAGE_SIZE);
    restoreCheckpoint(store, first);
    assert.ok(Buffer.from(memory.u8).equals(Buffer.from(initial)), 'as before the second module');
    restoreCheckpoint(store, next);
    assert.ok(Buffer.from(memory.u8).equals(Buffer.from(after)), 'as after it');
  });

  it('restores a page changed and changed back as the image, and a grown memory to its size then', async () => {
    const { store, instance, memory, poke } = await fresh();
    const initial = memory.u8.slice();
    const first = takeCheckpoint(store, [instance], null);
    poke(10, 0);
    const second = takeCheckpoint(store, [instance], first);
    poke(10, initial[10]);
    const third = takeCheckpoint(store, [instance], second);
    // The third checkpoint's page 0 is the image again: only the second's copy of it is held.
    assert.strictEqual(checkpointsBytes([first, third]) - first.otherBytes - third.otherBytes, 2 * PAGE_SIZE);
    assert.strictEqual(memory.grow(2), 6);
    memory.u8.fill(0x5a, 0, 3 * PAGE_SIZE);
    restoreCheckpoint(store, third);
    assert.strictEqual(memory.pages(), 6);
    assert.ok(Buffer.from(memory.u8).equals(Buffer.from(initial)));
  });
});

describe('checkpoints of tables and segment lists', () => {
  const TABLES = `(module
    (table (export "table") 3 funcref)
    (elem (i32.const 0) $a $b)
    (elem $later func $b)
    (data $passive "xy")
    (func $a) (func $b)
    (func (export "change") (table.set (i32.const 2) (ref.func $a)) (elem.drop $later) (data.drop $passive)))`;

  it('shares what did not change with the previous checkpoint, and restores what did', async () => {
    const module = await loadModule(await assembleWat(TABLES, 'tables.wat'));
    const store = new Store();
    const instance = instantiate(store, module, () => undefined, 'tables');
    const table = instance.tables[0];
    const first = takeCheckpoint(store, [instance], null);
    const second = takeCheckpoint(store, [instance], first);
    assert.strictEqual(second.tables[0].elements, first.tables[0].elements);
    assert.strictEqual(second.segments[0].datas, first.segments[0].datas);
    assert.strictEqual(second.segments[0].elems, first.segments[0].elems);
    assert.strictEqual(second.otherBytes, first.otherBytes - 3 * 8, 'the shared table is not counted again');
    store.invoke(instance.exportedFunc('change'), []);
    const third = takeCheckpoint(store, [instance], second);
    assert.notStrictEqual(third.tables[0].elements, second.tables[0].elements);
    assert.notStrictEqual(third.segments[0].datas, second.segments[0].datas);
    restoreCheckpoint(store, second);
    assert.deepStrictEqual(table.elements.map((f) => (f === null ? null : (f as { index: number }).index)), [0, 1, null]);
    assert.strictEqual(instance.datas[0].length, 2);
    assert.strictEqual(instance.elems[1].length, 1);
    restoreCheckpoint(store, third);
    assert.deepStrictEqual(table.elements.map((f) => (f === null ? null : (f as { index: number }).index)), [0, 1, 0]);
    assert.strictEqual(instance.datas[0].length, 0);
    assert.strictEqual(instance.elems[1].length, 0);
  });
});
