// A .wasm's big active data segments stay in its file (src/program/wasmFile.ts): the module's
// bytes hold zeros there, instantiation reads them from the file into memory, checkpoints refer to
// the file for pages that still hold them (the file stays open: a new build renamed over it does
// not change what is read), and once the file is written over nothing uses other bytes: going
// back to such a checkpoint says why it cannot, and new checkpoints copy the pages.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkpointsBytes, restoreCheckpoint, takeCheckpoint } from '../src/engine/checkpoint';
import { instantiate } from '../src/engine/instantiate';
import { PAGE_SIZE } from '../src/engine/runtime';
import { Store } from '../src/engine/store';
import { loadModule } from '../src/engine/validate/index';
import type { Module } from '../src/engine/types';
import { loadModuleFile } from '../src/program/launch';
import { assembleWat } from '../src/text/assemble';
import { dataString } from './engineHelpers';
import { launch, resume, useAdapter } from './debugHelpers';

// Page 0 and the start of page 1: a big segment at an offset from a global and an extended
// constant expression. Page 1 also holds a small one (kept in the module's bytes); page 3 a big one
// at a plain offset; a big passive segment is copied in by `init` (it stays in the module's bytes).
const SOURCE = `(module
  (memory (export "memory") 6)
  (global $base i32 (i32.const 0))
  (data (offset (i32.add (global.get $base) (i32.const 0))) "${dataString(PAGE_SIZE + 100, 1)}")
  (data (i32.const ${PAGE_SIZE + 1000}) "${dataString(3000, 9)}")
  (data (i32.const ${3 * PAGE_SIZE + 16}) "${dataString(5000, 3)}")
  (data $later "${dataString(4500, 5)}")
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "init") (memory.init $later (i32.const ${4 * PAGE_SIZE}) (i32.const 0) (i32.const 4500))))`;

async function wasmFile(): Promise<{ file: string; bytes: Uint8Array }> {
  const bytes = await assembleWat(SOURCE, 'data.wat');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wat-debugger-')), 'data.wasm');
  fs.writeFileSync(file, bytes);
  return { file, bytes };
}

function start(module: Module) {
  const store = new Store();
  const instance = instantiate(store, module, () => undefined, 'data');
  const memory = instance.memories[0];
  const call = (name: string, ...args: number[]) => store.invoke(instance.exportedFunc(name), args.map((value) => ({ type: 'i32' as const, value })));
  return { store, instance, memory, call };
}

describe('big data segments left in their .wasm file', () => {
  it('are zeros in the module bytes, read from the file when instantiated or asked for, and give the same memory', async () => {
    const { file, bytes } = await wasmFile();
    const { module } = await loadModuleFile(file);
    const whole = await loadModule(bytes);
    assert.deepStrictEqual(module.datas.map((d) => d.stored?.length ?? null), [PAGE_SIZE + 100, null, 5000, null]);
    const first = module.datas[0].stored!;
    assert.ok(module.bytes.subarray(first.position, first.position + first.length).every((b) => b === 0), 'not in the module bytes');
    module.datas.forEach((d, i) => assert.deepStrictEqual(Buffer.from(d.bytes), Buffer.from(whole.datas[i].bytes), `segment ${i}`));
    const ours = start(module);
    const reference = start(whole);
    ours.call('init');
    reference.call('init');
    assert.ok(Buffer.from(ours.memory.u8).equals(Buffer.from(reference.memory.u8)));
  });

  it('are referred to by checkpoints, not copied, and restored from the file', async () => {
    const { file } = await wasmFile();
    const { store, instance, memory, call } = start((await loadModuleFile(file)).module);
    const initial = memory.u8.slice();
    const first = takeCheckpoint(store, [instance], null);
    // Every page is the image or zeros: only the zero page is held.
    assert.strictEqual(checkpointsBytes([first]) - first.otherBytes, PAGE_SIZE);
    call('poke', 5, 0xee); // page 0, in the first big segment
    call('poke', 3 * PAGE_SIZE + 20, 0xdd); // page 3, in the other
    const changed = memory.u8.slice();
    const second = takeCheckpoint(store, [instance], first);
    assert.strictEqual(checkpointsBytes([first, second]) - first.otherBytes - second.otherBytes, 3 * PAGE_SIZE);
    restoreCheckpoint(store, first);
    assert.ok(Buffer.from(memory.u8).equals(Buffer.from(initial)), 'back to what instantiation wrote');
    restoreCheckpoint(store, second);
    assert.ok(Buffer.from(memory.u8).equals(Buffer.from(changed)), 'forward to the changed bytes');
    // A new build written elsewhere and renamed over the file: the open file is still the one loaded.
    fs.writeFileSync(`${file}.new`, Buffer.alloc(100, 7));
    fs.renameSync(`${file}.new`, file);
    restoreCheckpoint(store, first);
    assert.ok(Buffer.from(memory.u8).equals(Buffer.from(initial)), 'back again after the rebuild');
  });

  it('once the file is written over: going back to a checkpoint that refers to it says so and changes nothing, new checkpoints copy the pages', async () => {
    const { file, bytes } = await wasmFile();
    const { module } = await loadModuleFile(file);
    const { store, instance, memory, call } = start(module);
    const initial = memory.u8.slice();
    const first = takeCheckpoint(store, [instance], null);
    call('poke', 5, 0xee);
    const changed = memory.u8.slice();
    const rebuilt = Buffer.from(bytes);
    rebuilt[module.datas[0].stored!.position] ^= 0xff;
    fs.writeFileSync(file, rebuilt);
    // The file's modification time may not have moved; its size has.
    fs.appendFileSync(file, Buffer.from([0]));
    assert.throws(() => restoreCheckpoint(store, first), { message: `cannot go back to this moment: ${file} changed after it was loaded, and the recording refers to its data` });
    assert.ok(Buffer.from(memory.u8).equals(Buffer.from(changed)), 'nothing restored');
    assert.throws(() => module.datas[0].bytes, { message: `cannot read the data segment at byte offset ${module.datas[0].stored!.position}: ${file} changed after it was loaded` });
    // Pages 1 and 3 still hold what instantiation wrote, but the file cannot show it: they are copied, as page 0.
    const second = takeCheckpoint(store, [instance], null);
    assert.strictEqual(checkpointsBytes([second]) - second.otherBytes, 4 * PAGE_SIZE);
    memory.u8.fill(0x11);
    restoreCheckpoint(store, second);
    assert.ok(Buffer.from(memory.u8).equals(Buffer.from(changed)));
    assert.notDeepStrictEqual(changed, initial);
  });

  it('a data section it cannot follow is read whole, and decoding reports what is wrong as for the whole bytes', async () => {
    const { file, bytes } = await wasmFile();
    // Cut inside the first big segment's payload: the section runs past the end of the file.
    const cut = bytes.subarray(0, bytes.length - 9000);
    fs.writeFileSync(file, cut);
    const expected = await loadModule(cut).then(
      () => 'loaded',
      (e: Error) => e.message,
    );
    await assert.rejects(loadModuleFile(file), (e: Error) => e.message === `${file}: ${expected}`);
  });
});

describe('debug adapter: a .wasm whose big data segment stayed in its file', function () {
  this.timeout(60000);
  const dc = useAdapter();
  const PROGRAM = `(module
  (memory (export "memory") 2)
  (data (i32.const 16) "${dataString(6000, 40)}")
  (func (export "main")
    (i32.store (i32.const 20) (i32.const 0x01020304))
    (i32.store (i32.const 5000) (i32.const -1))
    (nop)))`;

  const read = async (address: number, count: number) => {
    const r = await dc.customRequest('readMemory', { memoryReference: 'memory/1/0', offset: address, count });
    return Buffer.from(r.body!.data!, 'base64').toString('hex');
  };

  it('watches a data address, shows the bytes before and after, and goes back to the bytes from the file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wat-debugger-')), 'big.wasm');
    fs.writeFileSync(file, await assembleWat(PROGRAM, 'big.wat'));
    await launch(dc, { program: file, invoke: 'main', stopOnEntry: true });
    // Data bytes count up from 40 at address 16: 44 at 20, and (40 + 4984) mod 251 = 4 at 5000.
    assert.strictEqual(await read(20, 4), '2c2d2e2f');
    assert.strictEqual(await read(5000, 4), '04050607');
    const info = await dc.customRequest('dataBreakpointInfo', { name: 'memory/1/0/0x1388', asAddress: true, bytes: 4 });
    await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] });
    assert.strictEqual((await resume(dc, 'continue'))?.body.text, '4 bytes at 0x1388 (big memory 0): 04 05 06 07 -> ff ff ff ff');
    assert.strictEqual(await read(20, 4), '04030201');
    await dc.customRequest('setDataBreakpoints', { breakpoints: [] });
    const start = await resume(dc, 'reverseContinue');
    assert.strictEqual(start?.body.reason, 'entry');
    assert.strictEqual(await read(20, 4), '2c2d2e2f');
    assert.strictEqual(await read(5000, 4), '04050607');
  });
});
