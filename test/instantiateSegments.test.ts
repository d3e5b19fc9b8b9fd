// Active data segments at instantiation (src/engine/instantiate.ts): each is dropped once written,
// and one that instantiation did not reach (a trap before it) keeps its bytes, which the instance's
// functions, already placed in an imported table, can still copy with memory.init.

import * as assert from 'assert';
import { instantiate } from '../src/engine/instantiate';
import { MemoryInst, TableInst, type FuncInst } from '../src/engine/runtime';
import { Store } from '../src/engine/store';
import { Trap } from '../src/engine/trap';
import { loadModule } from '../src/engine/validate/index';
import { assembleWat } from '../src/text/assemble';

const SOURCE = `(module
  (import "env" "table" (table 1 funcref))
  (import "env" "memory" (memory 1))
  (elem (i32.const 0) $copy)
  (data (i32.const 0) "ab")
  (data (i32.const 65535) "too long")
  (data (i32.const 8) "cd")
  ;; Copies segment $which (2 bytes) to address 16.
  (func $copy (param $which i32)
    (if (i32.eqz (local.get $which))
      (then (memory.init 0 (i32.const 16) (i32.const 0) (i32.const 2)))
      (else (memory.init 2 (i32.const 16) (i32.const 0) (i32.const 2))))))`;

describe('instantiation: active data segments', () => {
  it('drops the segments it wrote; those after a trap keep their bytes for the functions already in a table', async () => {
    const module = await loadModule(await assembleWat(SOURCE, 'segments.wat'));
    const store = new Store();
    const memory = new MemoryInst({ limits: { min: 1, max: null } });
    const table = new TableInst({ elem: 'funcref', limits: { min: 1, max: null } });
    const resolve = (imp: { name: string }) => (imp.name === 'table' ? { kind: 'table' as const, table } : { kind: 'memory' as const, memory });
    assert.throws(() => instantiate(store, module, resolve, 'segments'), (e: unknown) => e instanceof Trap && e.message === 'out of bounds memory access');
    assert.strictEqual(Buffer.from(memory.u8.subarray(0, 2)).toString(), 'ab', 'the first segment was written');
    assert.strictEqual(memory.u8[8], 0, 'the third was not');
    const copy = table.elements[0] as FuncInst;
    store.invoke(copy, [{ type: 'i32', value: 1 }]);
    assert.strictEqual(Buffer.from(memory.u8.subarray(16, 18)).toString(), 'cd', 'memory.init of a segment not reached copies its bytes');
    assert.throws(() => store.invoke(copy, [{ type: 'i32', value: 0 }]), (e: unknown) => e instanceof Trap && e.message === 'out of bounds memory access');
  });
});
