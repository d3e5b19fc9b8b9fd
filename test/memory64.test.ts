// 64-bit memories and tables (memory64, table64), and the editions of the rules (2.0 or 3.0) that
// the decoder and validator apply: i64 addresses checked exactly beyond 4 GiB, size and grow as
// i64, copies between an i64 and an i32 memory, call_indirect through a table64, the validator's
// address types, the printer's text, and the runner's choice of edition and module definitions.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DecodeError, Store, Trap, ValidationError, decodeModule, funcCode, importCount, instantiate, invoke, loadModule, type Instance, type Value } from '../src/engine/index';
import { scriptEdition } from '../src/program/editions';
import { runScriptText } from '../src/program/script';
import { assembleWat } from '../src/text/assemble';
import { ModuleNames } from '../src/text/print/names';
import { NO_LIMITS, printFunction, printModuleFields } from '../src/text/print/printer';

const MEMORY64 = `(module
  (memory $big i64 1 4)
  (memory $small 1)
  (data (memory $big) (i64.const 8) "\\01\\02\\03\\04\\05\\06\\07\\08")
  (func (export "load") (param i64) (result i64) (i64.load $big (local.get 0)))
  (func (export "loadFar") (param i64) (result i32) (i32.load8_u $big offset=0xffff_ffff_ffff_fff0 (local.get 0)))
  (func (export "loadBeyond4G") (param i64) (result i32) (i32.load8_u $big offset=0x1_0000_0000 (local.get 0)))
  (func (export "store") (param i64 i32) (i32.store8 $big offset=2 (local.get 0) (local.get 1)))
  (func (export "size") (result i64) (memory.size $big))
  (func (export "grow") (param i64) (result i64) (memory.grow $big (local.get 0)))
  (func (export "fill") (param i64 i32 i64) (memory.fill $big (local.get 0) (local.get 1) (local.get 2)))
  (func (export "toSmall") (param i32 i64 i32) (memory.copy $small $big (local.get 0) (local.get 1) (local.get 2)))
  (func (export "toBig") (param i64 i32 i32) (memory.copy $big $small (local.get 0) (local.get 1) (local.get 2)))
  (func (export "v128") (param i64) (result i32) (i32x4.extract_lane 1 (v128.load $big (local.get 0))))
)`;

const TABLE64 = `(module
  (type $r (func (result i32)))
  (table $t i64 3 5 funcref)
  (elem (table $t) (i64.const 1) func $seven $eight)
  (func $seven (result i32) (i32.const 7))
  (func $eight (result i32) (i32.const 8))
  (func (export "call") (param i64) (result i32) (call_indirect $t (type $r) (local.get 0)))
  (func (export "size") (result i64) (table.size $t))
  (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "isNull") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
)`;

const i32 = (value: number): Value => ({ type: 'i32', value });
const i64 = (value: bigint): Value => ({ type: 'i64', value });

async function instance(text: string): Promise<{ inst: Instance; call: (name: string, ...args: Value[]) => Value | undefined }> {
  const store = new Store();
  const inst = instantiate(store, await loadModule(await assembleWat(text, 'm.wat')), () => undefined, 'm');
  return { inst, call: (name, ...args) => invoke(store, inst.exportedFunc(name), args)[0] };
}

/** The trap message of a call that must trap. */
function trapOf(call: () => unknown): string {
  try {
    call();
  } catch (e) {
    if (e instanceof Trap) return e.message;
    throw e;
  }
  return assert.fail('the call returned');
}

describe('memory64', () => {
  it('loads and stores at i64 addresses, and places a data segment at an i64 offset', async () => {
    const { inst, call } = await instance(MEMORY64);
    assert.deepStrictEqual(call('load', i64(8n)), i64(0x0807060504030201n));
    call('store', i64(6n), i32(0xff));
    assert.deepStrictEqual(Array.from(inst.memories[0].u8.subarray(7, 10)), [0, 0xff, 2]);
    assert.deepStrictEqual(call('load', i64(65536n - 8n)), i64(0n));
    assert.deepStrictEqual(call('v128', i64(8n)), i32(0x08070605));
  });

  it('traps on addresses and offsets beyond the memory, 4 GiB and 2^64 included, exactly at the edge', async () => {
    const { call } = await instance(MEMORY64);
    assert.strictEqual(trapOf(() => call('load', i64(65536n - 7n))), 'out of bounds memory access');
    assert.strictEqual(trapOf(() => call('load', i64(1n << 32n))), 'out of bounds memory access');
    assert.strictEqual(trapOf(() => call('load', i64(-1n))), 'out of bounds memory access');
    // An offset near 2^64: address + offset overflows 64 bits, still out of bounds, never wrapping to 0.
    assert.strictEqual(trapOf(() => call('loadFar', i64(0x10n))), 'out of bounds memory access');
    assert.strictEqual(trapOf(() => call('loadBeyond4G', i64(0n))), 'out of bounds memory access');
    assert.strictEqual(trapOf(() => call('store', i64((1n << 32n) + 3n), i32(1))), 'out of bounds memory access');
    assert.strictEqual(trapOf(() => call('v128', i64(1n << 40n))), 'out of bounds memory access');
  });

  it('answers memory.size and memory.grow as i64, and -1 for a grow it cannot satisfy', async () => {
    const { call } = await instance(MEMORY64);
    assert.deepStrictEqual(call('size'), i64(1n));
    assert.deepStrictEqual(call('grow', i64(1n)), i64(1n));
    assert.deepStrictEqual(call('size'), i64(2n));
    assert.deepStrictEqual(call('grow', i64(3n)), i64(-1n)); // beyond the maximum of 4
    assert.deepStrictEqual(call('grow', i64(1n << 32n)), i64(-1n));
    assert.deepStrictEqual(call('grow', i64(-1n)), i64(-1n));
    assert.deepStrictEqual(call('size'), i64(2n));
  });

  it('fills with an i64 count and copies between an i64 and an i32 memory (the count is an i32)', async () => {
    const { inst, call } = await instance(MEMORY64);
    call('fill', i64(100n), i32(0xab), i64(3n));
    assert.deepStrictEqual(Array.from(inst.memories[0].u8.subarray(99, 104)), [0, 0xab, 0xab, 0xab, 0]);
    call('toSmall', i32(10), i64(100n), i32(4));
    assert.deepStrictEqual(Array.from(inst.memories[1].u8.subarray(10, 14)), [0xab, 0xab, 0xab, 0]);
    call('toBig', i64(200n), i32(10), i32(2));
    assert.deepStrictEqual(Array.from(inst.memories[0].u8.subarray(200, 203)), [0xab, 0xab, 0]);
    assert.strictEqual(trapOf(() => call('fill', i64(1n << 32n), i32(0), i64(0n))), 'out of bounds memory access');
    assert.strictEqual(trapOf(() => call('fill', i64(0n), i32(0), i64(1n << 33n))), 'out of bounds memory access');
    assert.strictEqual(trapOf(() => call('toSmall', i32(0), i64(1n << 32n), i32(0))), 'out of bounds memory access');
  });
});

describe('table64', () => {
  it('calls through an i64 index, sizes and grows as i64', async () => {
    const { call } = await instance(TABLE64);
    assert.deepStrictEqual(call('call', i64(1n)), i32(7));
    assert.deepStrictEqual(call('call', i64(2n)), i32(8));
    assert.strictEqual(trapOf(() => call('call', i64(0n))), 'uninitialized element 0');
    assert.strictEqual(trapOf(() => call('call', i64(3n))), 'undefined element 3');
    assert.strictEqual(trapOf(() => call('call', i64(1n << 32n))), 'undefined element 4294967296');
    assert.deepStrictEqual(call('size'), i64(3n));
    assert.deepStrictEqual(call('grow', i64(2n)), i64(3n));
    assert.deepStrictEqual(call('grow', i64(1n)), i64(-1n));
    assert.deepStrictEqual(call('grow', i64(1n << 32n)), i64(-1n));
    assert.deepStrictEqual(call('isNull', i64(4n)), i32(1));
    assert.strictEqual(trapOf(() => call('isNull', i64((1n << 32n) + 1n))), 'out of bounds table access');
  });
});

describe('memory64 and table64: validation', () => {
  const invalid = async (text: string) => {
    try {
      await loadModule(await assembleWat(text, 'bad.wat'));
    } catch (e) {
      if (e instanceof ValidationError) return e.reason;
      throw e;
    }
    return assert.fail('the module validated');
  };

  it('types addresses, sizes and counts by the address type of the memory or table', async () => {
    assert.strictEqual(await invalid('(module (memory i64 1) (func (drop (i32.load (i32.const 0)))))'),
      'type mismatch: i32.load expects [i64] but the stack has [i32] (in function 0)');
    assert.strictEqual(await invalid('(module (memory i64 1) (func (result i32) (memory.size)))'),
      'type mismatch: the end of the function expects [i32] but the stack has [i64] (in function 0)');
    assert.strictEqual(await invalid('(module (memory $a i64 1) (memory $b 1) (func (memory.copy $a $b (i64.const 0) (i32.const 0) (i64.const 0))))'),
      'type mismatch: memory.copy expects [i64 i32 i32] but the stack has [i64 i32 i64] (in function 0)');
    assert.strictEqual(await invalid('(module (table i64 1 funcref) (func (drop (table.get 0 (i32.const 0)))))'),
      'type mismatch: table.get expects [i64] but the stack has [i32] (in function 0)');
    assert.strictEqual(await invalid('(module (memory i64 1) (data (i32.const 0) "x"))'),
      'type mismatch: the offset of data segment 0 must be i64, its constant expression gives [i32]');
    assert.strictEqual(await invalid('(module (memory i64 0x1_0000_0000_0001))'),
      'memory size must be at most 2^48 pages (256 TiB) for i64, got 281474976710657');
  });

  it('rejects an offset of 4 GiB or more on an i32 memory', async () => {
    // i32.const 0; i32.load offset=2^32 (a u64 in 3.0); drop
    const bytes = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 5, 3, 1, 0, 1,
      10, 14, 1, 12, 0, 0x41, 0, 0x28, 2, 0x80, 0x80, 0x80, 0x80, 0x10, 0x1a, 0x0b]);
    await assert.rejects(loadModule(bytes), /offset out of range: i32\.load's offset 4294967296 does not fit the 32-bit addresses of memory 0/);
  });
});

describe('editions: WebAssembly 2.0 rules beside 3.0', () => {
  // Two memories; memory.size with its index byte 1 (a reserved zero byte in 2.0).
  const header = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  const twoMemories = Uint8Array.from([...header, 5, 5, 2, 0, 1, 0, 1]);
  const sizeOfMemory1 = Uint8Array.from([...header, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 5, 5, 2, 0, 1, 0, 1, 10, 6, 1, 4, 0, 0x3f, 1, 0x0b]);
  const memory64 = Uint8Array.from([...header, 5, 3, 1, 4, 1]);

  it('accepts what 3.0 added by default', async () => {
    assert.strictEqual((await loadModule(twoMemories)).memories.length, 2);
    assert.strictEqual(funcCode(await loadModule(sizeOfMemory1), 0).body[0].index, 1);
    assert.deepStrictEqual((await loadModule(memory64)).memories[0].limits, { min: 1, max: null, address64: true });
  });

  it('rejects it by 2.0 rules with the 2.0 suite\'s messages', async () => {
    await assert.rejects(loadModule(twoMemories, '2.0'), (e: unknown) => e instanceof ValidationError && e.reason === 'multiple memories: the module has 2 (WebAssembly 2.0 allows one)');
    await assert.rejects(loadModule(sizeOfMemory1, '2.0'), (e: unknown) => e instanceof DecodeError && e.reason === 'zero byte expected');
    await assert.rejects(loadModule(memory64, '2.0'), (e: unknown) => e instanceof DecodeError && e.reason === 'integer too large');
    assert.strictEqual(decodeModule(twoMemories, '2.0').edition, '2.0');
  });

  it('runs a script by the edition its suite\'s README names, else by 3.0', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'editions-'));
    try {
      fs.mkdirSync(path.join(root, 'old', 'proposals', 'x'), { recursive: true });
      fs.mkdirSync(path.join(root, 'new'));
      fs.writeFileSync(path.join(root, 'old', 'README.md'), '# WebAssembly core spec test suite (WebAssembly 2.0)\n\ntext\n');
      fs.writeFileSync(path.join(root, 'new', 'README.md'), '# Some scripts\n');
      assert.strictEqual(scriptEdition(path.join(root, 'old', 'a.wast')), '2.0');
      assert.strictEqual(scriptEdition(path.join(root, 'old', 'proposals', 'x', 'b.wast')), '2.0');
      assert.strictEqual(scriptEdition(path.join(root, 'new', 'c.wast')), '3.0');
    } finally {
      fs.rmSync(root, { recursive: true });
    }
  });

  it('checks a script\'s assertions by its edition', async () => {
    const script = '(assert_invalid (module (memory 0) (memory 0)) "multiple memories")';
    assert.deepStrictEqual(await counts(runScriptText(script, 'e.wast', { edition: '2.0' })), [1, 0, 0]);
    const by3 = await runScriptText(script, 'e.wast', { edition: '3.0' });
    assert.deepStrictEqual([by3.passed, by3.failed, by3.skipped], [0, 1, 0]);
    assert.strictEqual(by3.failures[0].message, 'expected an invalid module ("multiple memories"), but it was accepted');
  });
});

async function counts(report: Promise<{ passed: number; failed: number; skipped: number }>): Promise<number[]> {
  const r = await report;
  return [r.passed, r.failed, r.skipped];
}

describe('module definitions and instances in scripts', () => {
  it('loads a definition without instantiating it, and instantiates it once per module instance', async () => {
    const report = await runScriptText(`
      (module definition $M (memory i64 1) (global $g (mut i64) (i64.const 0))
        (func (export "bump") (result i64) (global.set $g (i64.add (global.get $g) (i64.const 1))) (global.get $g)))
      (module instance $a $M)
      (module instance $b $M)
      (assert_return (invoke $a "bump") (i64.const 1))
      (assert_return (invoke $a "bump") (i64.const 2))
      (assert_return (invoke $b "bump") (i64.const 1))
      (module definition (memory i64 0x1_0000_0000_0000))
      (module instance $c $Nope)`, 'd.wast');
    assert.deepStrictEqual([report.passed, report.failed, report.skipped], [7, 1, 0]);
    assert.deepStrictEqual(report.failures, [{ line: 10, column: 7, message: 'unknown module definition $Nope' }]);
  });
});

describe('memory64 and table64: printed text', () => {
  it('writes i64 limits and offsets beyond 2^53 exactly', async () => {
    const module = decodeModule(await assembleWat(`(module
      (memory $m i64 1 0x1_0000_0000_0000)
      (table $t i64 0 0xffff_ffff_ffff_ffff funcref)
      (func $f (param i64) (result i32) (i32.load8_u offset=0xffff_ffff_ffff_fff0 (local.get 0))))`, 'p.wat'));
    const names = new ModuleNames(module, true);
    assert.deepStrictEqual(printModuleFields(names, NO_LIMITS).filter((l) => /memory|table/.test(l)).map((l) => l.trim()), [
      '(table $t i64 0 18446744073709551615 funcref)',
      '(memory $m i64 1 281474976710656)',
    ]);
    const lines = printFunction(names, importCount(module, 'func'), []).text.split('\n').map((l) => l.trim());
    assert.ok(lines.includes('i32.load8_u offset=18446744073709551600'), lines.join('\n'));
  });
});
