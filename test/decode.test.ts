import * as assert from 'assert';
import * as fc from 'fast-check';
import { DecodeError, decodeModule, funcCode } from '../src/engine/decode';
import { formatInstr as formatWithNames } from '../src/text/print/instr';
import { ModuleNames } from '../src/text/print/names';
import { formatF32 } from '../src/engine/format';
import { opcodeName } from '../src/engine/opcodes';
import type { Instr, Module } from '../src/engine/types';
import type { Edition } from '../src/engine/features';
import { loadModule, validateModule } from '../src/engine/validate/index';
import { instantiate } from '../src/engine/instantiate';
import { Store } from '../src/engine/store';
import { assembleWat } from '../src/text/assemble';

/** Bytes from hex pairs ("00 61 73 6d") and strings (UTF-8). */
function bin(...parts: (string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (Array.isArray(p)) out.push(...p);
    else out.push(...p.trim().split(/\s+/).filter(Boolean).map((h) => parseInt(h, 16)));
  }
  return new Uint8Array(out);
}

const HEADER = '00 61 73 6d 01 00 00 00';

/** The error loading gives: decoding the sections, then the validator's pass over every body's bytes. */
function malformed(bytes: Uint8Array, edition?: Edition): DecodeError {
  try {
    validateModule(decodeModule(bytes, edition));
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  assert.fail('the binary decoded but is malformed');
}

async function assemble(text: string): Promise<Uint8Array> {
  return assembleWat(text, 'test.wat');
}


/** An instruction of function 0 as the disassembly writes it, with the module's own names. */
function formatInstr(instr: Instr, m: Module): string {
  return formatWithNames(instr, ModuleNames.of(m), 0);
}

describe('decode: malformed binaries', () => {
  it('names the byte offset, the spec reason and what was expected', () => {
    const e = malformed(bin(HEADER, '0e 01 00'));
    assert.strictEqual(e.message, 'malformed module at byte 0x8: malformed section id (0x0e is not a section id, expected 0 to 13)');
    assert.strictEqual(e.offset, 8);
    assert.strictEqual(e.reason, 'malformed section id');
  });

  it('header: unexpected end, magic, version', () => {
    assert.strictEqual(malformed(bin('')).message, 'malformed module at byte 0x0: unexpected end (a module starts with the 4 bytes \\0asm)');
    assert.strictEqual(malformed(bin('00 61 73')).reason, 'unexpected end');
    assert.strictEqual(malformed(bin('00 41 53 4d 01 00 00 00')).message, 'malformed module at byte 0x0: magic header not detected (a module starts with the 4 bytes \\0asm)');
    assert.strictEqual(malformed(bin('00 61 73 6d 01 00')).message, 'malformed module at byte 0x6: unexpected end (expected the 4-byte binary version after the magic)');
    assert.strictEqual(malformed(bin('00 61 73 6d 0d 00 00 00')).message, 'malformed module at byte 0x4: unknown binary version (expected version 1 (01 00 00 00))');
  });

  it('LEB128: too large and too long', () => {
    // Memory limits flag 2 (binary.wast of 2.0; in 3.0 a flags byte where 2 is shared and 8 undefined) and a 6-byte u32 (binary-leb128.wast of 2.0).
    assert.strictEqual(malformed(bin(HEADER, '05 02 01 02'), '2.0').message, 'malformed module at byte 0xb: integer too large (the limits flag of a memory does not fit in 1 bit)');
    assert.strictEqual(malformed(bin(HEADER, '05 02 01 08')).message, 'malformed module at byte 0xb: malformed limits flags (0x08 in a memory: only bit 0 (a maximum follows), bit 1 (shared) and bit 2 (i64 addresses) are defined)');
    const tooLong = malformed(bin(HEADER, '05 08 01 00 82 80 80 80 80 00'), '2.0');
    assert.strictEqual(tooLong.message, 'malformed module at byte 0x11: integer representation too long (the minimum of a memory is a u32, at most 5 bytes of LEB128)');
    const bigLocals = malformed(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '0a 0c 01 0a 02 80 80 80 80 10 7f 02 7e 0b'));
    assert.strictEqual(bigLocals.message, 'malformed module at byte 0x1b: integer too large (a local count does not fit in 32 bits)');
    // i32.const with a 5th byte whose unused bits are not sign bits.
    const constTooLarge = malformed(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '0a 0a 01 08 00 41 80 80 80 80 70 0b'));
    assert.strictEqual(constTooLarge.reason, 'integer too large');
    assert.strictEqual(constTooLarge.offset, 0x1c);
  });

  it('sizes, counts and section order', () => {
    assert.strictEqual(malformed(bin(HEADER, '01 07 01 60 00 00 60 00 00')).message, 'malformed module at byte 0xa: section size mismatch (the type section declares 7 bytes but its content takes 4)');
    assert.strictEqual(malformed(bin(HEADER, '01 07 02 60 00 00')).message, 'malformed module at byte 0x9: length out of bounds (the size of the type section is 7 but only 4 bytes follow)');
    assert.strictEqual(malformed(bin(HEADER, '01 04 01 60 00 00', '03 03 02 00 00', '0a 04 01 02 00 0b')).message, 'malformed module at byte 0x13: function and code section have inconsistent lengths (2 functions declared, 1 body in the code section)');
    assert.strictEqual(malformed(bin(HEADER, '02 01 00', '01 01 00')).message, 'malformed module at byte 0xb: unexpected content after last section (the type section must come before the import section)');
    assert.strictEqual(malformed(bin(HEADER, '06 01 00', '06 01 00')).message, 'malformed module at byte 0xb: unexpected content after last section (a second global section)');
    assert.strictEqual(malformed(bin(HEADER, '0c 01 03', '0b 05 02 01 00 01 00')).reason, 'data count and data section have inconsistent lengths');
    const noDataCount = malformed(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '05 03 01 00 00', '0a 07 01 05 00 fc 09 00 0b', '0b 03 01 01 00'));
    assert.strictEqual(noDataCount.message, 'malformed module at byte 0x1c: data count section required (data.drop needs a data count section)');
  });

  it('locals, reserved bytes, opcodes, types, names', () => {
    const tooMany = malformed(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '0a 0c 01 0a 02 ff ff ff ff 0f 7f 02 7e 0b'));
    assert.strictEqual(tooMany.message, 'malformed module at byte 0x16: too many locals (4294967297 declared, at most 2^32-1)');
    // What 2.0 reserved as a zero byte is a memory index since 3.0: memory.grow 1 of a module with one memory.
    const memoryOne = bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '05 03 01 00 00', '0a 09 01 07 00 41 00 40 01 1a 0b');
    assert.throws(() => validateModule(decodeModule(memoryOne)), { message: 'invalid module at byte 0x1e: unknown memory 1 (in function 0)' });
    const truncatedIndex = malformed(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '05 03 01 00 00', '0a 07 01 05 00 41 00 40 80'));
    assert.strictEqual(truncatedIndex.message, 'malformed module at byte 0x20: unexpected end of section or function (expected a memory index)');
    const illegal = malformed(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '0a 05 01 03 00 ff 0b'));
    assert.strictEqual(illegal.message, 'malformed module at byte 0x17: illegal opcode (0xff is not an instruction)');
    const illegalPrefixed = malformed(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '0a 06 01 04 00 fc 12 0b'));
    assert.strictEqual(illegalPrefixed.message, 'malformed module at byte 0x17: illegal opcode (0xfc 0x12 is not an instruction)');
    const noEnd = malformed(bin(HEADER, '01 04 01 60 00 00', '03 03 02 00 00', '0a 0c 02 04 00 41 01 1a 05 00 41 01 1a 0b'));
    assert.strictEqual(noEnd.message, 'malformed module at byte 0x1b: END opcode expected (else outside an if)');
    const truncated = malformed(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '0a 06 01 04 00 41 01 1a'));
    assert.strictEqual(truncated.message, 'malformed module at byte 0x1a: unexpected end of section or function (expected an instruction or END opcode)');
    const refType = malformed(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '04 04 01 70 00 00', '09 07 01 05 7f 01 d2 00 0b', '0a 04 01 02 00 0b'));
    assert.strictEqual(refType.message, 'malformed module at byte 0x1c: malformed reference type (0x7f is not a reference type, expected 0x63/0x64 (ref null?) or an abstract reference type (0x69 to 0x74) in an element segment)');
    const utf8 = malformed(bin(HEADER, '00 02 01 ff'));
    assert.strictEqual(utf8.message, 'malformed module at byte 0xa: malformed UTF-8 encoding (in the custom section name)');
    const importName = malformed(bin(HEADER, '02 08 01 02 c0 80 01 61 00 00'));
    assert.strictEqual(importName.reason, 'malformed UTF-8 encoding'); // an overlong encoding
    assert.strictEqual(malformed(bin(HEADER, '02 04 01 00 00 05')).message, 'malformed module at byte 0xd: malformed import kind (0x05 is not 0x00 func, 0x01 table, 0x02 memory, 0x03 global or 0x04 tag)');
    assert.strictEqual(malformed(bin(HEADER, '06 06 01 7f 02 41 00 0b')).reason, 'malformed mutability');
    // An alignment field of 32: malformed in 2.0; in 3.0 a well-formed alignment that validation rejects.
    const align32 = bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '05 03 01 00 01', '0a 0a 01 08 00 41 00 28 20 00 1a 0b');
    assert.strictEqual(malformed(align32, '2.0').message, 'malformed module at byte 0x1f: malformed memop flags (alignment exponent 32 must be below 32 (WebAssembly 2.0 rules: no memory index))');
    assert.throws(() => validateModule(decodeModule(align32)), /^ValidationError: invalid module at byte 0x1e: alignment must not be larger than natural \(i32\.load accesses 4 bytes, the alignment is 4294967296\) \(in function 0\)$/);
  });

  it('a malformed name section is ignored, the rest of the module decodes', () => {
    // "name" section whose function-names subsection claims 5 entries but holds none.
    const m = decodeModule(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '0a 04 01 02 00 0b', '00 09 04', [...Buffer.from('name')], '01 02 05 00'));
    assert.strictEqual(m.names, null);
    assert.strictEqual(m.codes.length, 1);
    assert.deepStrictEqual(m.customs.map((c) => c.name), ['name']);
  });
});

describe('decode: function bodies and segments are read when needed', () => {
  const source = `(module (memory 1) (table 2 funcref)
    (func $a (export "a") (result i32) (i32.const 1))
    (func $b (export "b") (result i32) (i32.const 2))
    (func $c (param i32) (result i32) (local i64 i64 f32) (local.get 0))
    (elem (i32.const 0) $b $a)
    (data (i32.const 16) "hi"))`;

  it('decodes no body at load; funcCode decodes one on request and keeps it', async () => {
    const m = decodeModule(await assemble(source));
    assert.deepStrictEqual(m.codes.map((c) => c.code), [undefined, undefined, undefined]);
    const c = funcCode(m, 2);
    assert.strictEqual(funcCode(m, 2), c);
    assert.deepStrictEqual(c.locals, [{ count: 2, type: 'i64' }, { count: 1, type: 'f32' }]);
    assert.deepStrictEqual(c.body.map((i) => opcodeName(i.op)), ['local.get', 'end']);
    assert.deepStrictEqual(m.codes.map((x) => x.code !== undefined), [false, false, true]);
  });

  it('compiles a function on its first call, without keeping its instructions; functions never called stay undecoded', async () => {
    const m = await loadModule(await assemble(source));
    const store = new Store();
    const inst = instantiate(store, m, () => undefined, 'lazy');
    assert.ok(inst.funcs.every((f) => f.compiled === null), 'nothing compiled at instantiation');
    assert.deepStrictEqual(store.invoke(inst.exportedFunc('a'), []), [{ type: 'i32', value: 1 }]);
    assert.deepStrictEqual(inst.funcs.map((f) => f.compiled !== null), [true, false, false]);
    assert.deepStrictEqual(m.codes.map((x) => x.code), [undefined, undefined, undefined]);
  });

  it('keeps data segments as views of the binary until instantiation copies them', async () => {
    const bytes = await assemble(source);
    const m = await loadModule(bytes);
    const data = m.datas[0].bytes;
    assert.strictEqual(data.buffer, bytes.buffer);
    assert.deepStrictEqual(m.datas[0].offset!.map((i) => [opcodeName(i.op), i.value, bytes[i.offset]]), [['i32.const', 16, 0x41]]);
    assert.strictEqual(Buffer.from(bytes.subarray(data.byteOffset, data.byteOffset + 2)).toString(), 'hi');
    const inst = instantiate(new Store(), m, () => undefined, 'lazy');
    const memory = inst.memories[0].u8;
    assert.strictEqual(Buffer.from(memory.subarray(16, 18)).toString(), 'hi');
    memory[16] = 0x48;
    assert.strictEqual(String.fromCharCode(data[0]), 'h', 'memory holds a copy');
  });

  it('reads element segment items from the binary each time they are asked for, pointing at their bytes', async () => {
    const bytes = await assemble(source);
    const m = await loadModule(bytes);
    const items = m.elems[0].init;
    assert.notStrictEqual(m.elems[0].init, items, 'not kept after a read');
    assert.deepStrictEqual(m.elems[0].init, items);
    assert.deepStrictEqual(items.map((e) => e.map((i) => [opcodeName(i.op), i.index, bytes[i.offset]])), [[['ref.func', 1, 1]], [['ref.func', 0, 0]]]);
    const inst = instantiate(new Store(), m, () => undefined, 'lazy');
    assert.deepStrictEqual(inst.tables[0].elements, [inst.funcs[1], inst.funcs[0]]);
  });

  it('still reports a malformed body or element item at load, at its byte, in a function that never runs', () => {
    // Two bodies; the second holds the illegal opcode 0xff at byte 0x1b.
    const illegal = malformed(bin(HEADER, '01 04 01 60 00 00', '03 03 02 00 00', '0a 08 02 02 00 0b 03 00 ff 0b'));
    assert.strictEqual(illegal.message, 'malformed module at byte 0x1b: illegal opcode (0xff is not an instruction)');
    // The second body declares 4 bytes but its code ends after 3 (its content starts at byte 0x1a).
    const size = malformed(bin(HEADER, '01 04 01 60 00 00', '03 03 02 00 00', '0a 09 02 02 00 0b 04 00 01 0b 0b'));
    assert.strictEqual(size.message, 'malformed module at byte 0x1a: section size mismatch (the function body declares 4 bytes but its content takes 3)');
    // An element segment's second function index is a u32 whose fifth byte is too large (byte 0x25).
    const item = malformed(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '04 04 01 70 00 02', '09 0c 01 00 41 00 0b 02 00 ff ff ff ff 7f', '0a 04 01 02 00 0b'));
    assert.strictEqual(item.message, 'malformed module at byte 0x25: integer too large (a function index does not fit in 32 bits)');
  });
});

describe('decode: robustness', () => {
  it('any corruption of a valid binary decodes or gives a DecodeError, never another exception', async () => {
    const valid = await assemble(`(module (memory 1) (global (mut i32) (i32.const 0))
      (func $f (export "f") (param i32) (result i32) (local i64)
        (block (result i32) (br_if 0 (local.get 0) (i32.const 1)) (drop) (i32.load offset=8 (i32.const 4))))
      (data (i32.const 0) "abc"))`);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(valid.length),
        (edits, cut) => {
          const bytes = valid.slice(0, Math.max(cut, 8));
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          try {
            // What loads must decode when needed: bodies and element items are checked at load.
            const m = decodeModule(bytes);
            m.codes.forEach((_, i) => funcCode(m, i));
            m.elems.forEach((e) => e.init);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
            assert.ok(e.offset >= 0 && e.offset <= bytes.length, `offset ${e.offset} inside the binary`);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('decode: valid modules', () => {
  it('decodes a wabt-assembled module: ops, byte offsets, immediates and names', async () => {
    const bytes = await assemble(`(module
      (import "env" "log" (func $log (param i32)))
      (type $binop (func (param i32 i32) (result i32)))
      (memory 1)
      (table 2 funcref)
      (global $g (mut i64) (i64.const -5))
      (func $add (type $binop) (local $tmp f64)
        (call $log (i32.add (local.get 0) (i32.const -7)))
        (i32.load offset=4 align=1 (local.get 1))
        (f32.const 0.1) (drop)
        (block $out (br_table 0 0 $out (local.get 0)))
        (call_indirect (type $binop) (i32.const 1) (i32.const 2) (i32.const 0))
        (return_call $add (i32.const 3) (i32.const 4)))
      (elem (i32.const 0) $add)
      (data (i32.const 8) "hi")
      (export "add" (func $add)))`);
    const m = decodeModule(bytes);
    assert.deepStrictEqual(m.types[m.funcs[0]], { params: ['i32', 'i32'], results: ['i32'] });
    assert.deepStrictEqual(m.imports, [{ module: 'env', name: 'log', desc: { kind: 'func', typeIndex: m.imports[0].desc.kind === 'func' ? m.imports[0].desc.typeIndex : -1 } }]);
    assert.deepStrictEqual(m.exports, [{ name: 'add', kind: 'func', index: 1 }]);
    assert.deepStrictEqual(m.globals[0].type, { type: 'i64', mutable: true });
    assert.deepStrictEqual(m.globals[0].init.map((i) => [opcodeName(i.op), i.value]), [['i64.const', -5n]]);
    assert.deepStrictEqual(m.memories, [{ limits: { min: 1, max: null } }]);
    assert.deepStrictEqual(m.tables, [{ elem: 'funcref', limits: { min: 2, max: null } }]);
    assert.strictEqual(m.elems[0].mode, 'active');
    assert.deepStrictEqual(m.elems[0].init.map((e) => e.map((i) => [opcodeName(i.op), i.index])), [[['ref.func', 1]]]);
    assert.strictEqual(Buffer.from(m.datas[0].bytes).toString(), 'hi');
    assert.strictEqual(m.names?.functions.get(0), 'log');
    assert.strictEqual(m.names?.functions.get(1), 'add');
    assert.strictEqual(m.names?.locals.get(1)?.get(2), 'tmp');
    const code = { ...m.codes[0], ...funcCode(m, 0) };
    assert.deepStrictEqual(code.locals, [{ count: 1, type: 'f64' }]);
    assert.deepStrictEqual(code.body.map((i) => opcodeName(i.op)), [
      'local.get', 'i32.const', 'i32.add', 'call', 'local.get', 'i32.load', 'f32.const', 'drop',
      'block', 'local.get', 'br_table', 'end', 'i32.const', 'i32.const', 'i32.const', 'call_indirect',
      'i32.const', 'i32.const', 'return_call', 'end',
    ]);
    // Each instruction's offset points at its opcode byte in the module binary, in increasing order,
    // starting right after the locals and ending with the body's final `end`.
    const body = code.body;
    assert.strictEqual(body[0].offset, code.offset + 1 + 1 + 2); // size byte, 1 local group (count, type)
    for (let k = 0; k < body.length; k++) {
      assert.strictEqual(bytes[body[k].offset], body[k].op > 0xff ? body[k].op >> 8 : body[k].op);
      if (k > 0) assert.ok(body[k].offset > body[k - 1].offset);
    }
    assert.strictEqual(body[body.length - 1].offset, code.endOffset - 1);
    assert.strictEqual(body[1].offset, body[0].offset + 2); // local.get 0 is two bytes
    assert.strictEqual(body[1].value, -7);
    assert.deepStrictEqual(body[5].memarg, { align: 0, offset: 4 });
    assert.strictEqual(body[6].value, 0x3dcccccd);
    assert.strictEqual(body[8].blockType, 'empty');
    assert.deepStrictEqual(body[10].labels, [0, 0, 0]);
    assert.strictEqual(body[15].index, m.funcs[0]);
    assert.strictEqual(body[15].index2, 0);
    assert.strictEqual(body[18].index, 1);
    assert.strictEqual(m.codeSectionOffset, code.offset - 1); // one body: the count byte comes first
  });

  it('decodes SIMD instructions with their immediates', async () => {
    const bytes = await assemble(`(module (memory 1)
      (func (result v128)
        i32.const 0
        v128.const i32x4 1 2 3 0xffffffff
        v128.load8_lane offset=3 5
        i32.const 0
        v128.load offset=16
        i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
        i32x4.extract_lane 3
        i32x4.splat
        i32.const 1
        i32x4.splat
        i64x2.extmul_high_i32x4_u
        f64x2.convert_low_i32x4_u))`);
    const m = decodeModule(bytes);
    const body = funcCode(m, 0).body;
    assert.deepStrictEqual(body.map((i) => opcodeName(i.op)), [
      'i32.const', 'v128.const', 'v128.load8_lane', 'i32.const', 'v128.load', 'i8x16.shuffle',
      'i32x4.extract_lane', 'i32x4.splat', 'i32.const', 'i32x4.splat',
      'i64x2.extmul_high_i32x4_u', 'f64x2.convert_low_i32x4_u', 'end',
    ]);
    assert.strictEqual(body[1].op, 0xfd0c);
    assert.deepStrictEqual(Array.from(body[1].bytes!), [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 255, 255, 255, 255]);
    assert.deepStrictEqual([body[2].memarg, body[2].lane], [{ align: 0, offset: 3 }, 5]);
    assert.deepStrictEqual(body[4].memarg, { align: 4, offset: 16 });
    assert.deepStrictEqual(Array.from(body[5].bytes!), [0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31]);
    assert.strictEqual(body[6].lane, 3);
    assert.strictEqual(body[11].op, 0xfdff); // sub-opcode 0xff is a two-byte LEB128
    assert.strictEqual(body[12].offset, body[11].offset + 3);
    assert.strictEqual(formatInstr(body[5], m), 'i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31');
    assert.strictEqual(formatInstr(body[2], m), 'v128.load8_lane offset=3 5');
  });

  it('decodes extended constant expressions and the bulk-memory segment forms', async () => {
    const bytes = await assemble(`(module
      (import "env" "base" (global $base i32))
      (memory 1) (table 4 funcref)
      (global $end i32 (i32.add (global.get $base) (i32.mul (i32.const 4) (i32.const 16))))
      (func $f)
      (elem declare func $f)
      (elem $passive externref (ref.null extern))
      (data $p "xyz")
      (func (memory.init $p (i32.const 0) (i32.const 0) (i32.const 3)) (data.drop $p)))`);
    const m = decodeModule(bytes);
    assert.deepStrictEqual(m.globals[0].init.map((i) => opcodeName(i.op)), ['global.get', 'i32.const', 'i32.const', 'i32.mul', 'i32.add']);
    // Function indices make non-null references in WebAssembly 3.0.
    assert.deepStrictEqual(m.elems.map((e) => [e.mode, e.type]), [['declarative', '(ref func)'], ['passive', 'externref']]);
    assert.strictEqual(m.elems[1].init[0][0].refType, 'externref');
    assert.deepStrictEqual(m.datas.map((d) => d.mode), ['passive']);
    assert.strictEqual(m.dataCount, 1);
    const init = funcCode(m, 1).body[3];
    assert.deepStrictEqual([opcodeName(init.op), init.index, init.index2], ['memory.init', 0, 0]);
  });

  it('accepts the spec suite\'s valid edge cases: zero counts, 0 locals, custom sections anywhere', () => {
    decodeModule(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '0a 0a 01 08 03 00 7f 00 7e 02 7d 0b'));
    decodeModule(bin(HEADER, '0c 01 00'));
    const m = decodeModule(bin(HEADER, '00 05 01 61 78 79 7a', '01 01 00', '00 02 01 62'));
    assert.deepStrictEqual(m.customs.map((c) => [c.name, Buffer.from(c.bytes).toString()]), [['a', 'xyz'], ['b', '']]);
    assert.strictEqual(m.customs[0].offset, 12);
  });
});

describe('disassembly', () => {
  it('formats instructions with names from the name section', async () => {
    const bytes = await assemble(`(module (memory 1) (table $tab 1 funcref)
      (type $t (func (param i32) (result i32)))
      (global $counter (mut i32) (i32.const 0))
      (data $greeting "hi")
      (func $fib (param $n i32) (result i32) (local $acc i64)
        (call $fib (local.get $n)) (drop)
        (i32.load offset=4 (i32.const 0)) (drop)
        (i64.load32_u align=2 (i32.const 0)) (drop)
        (f32.const 0.1) (drop) (f64.const -0x1p-3) (drop) (f32.const -nan:0x200000) (drop)
        (block $b (result i32) (br_table 0 0 0 (i32.const 7) (local.get $n)))
        (call_indirect (type $t) (i32.const 1) (i32.const 0)) (drop)
        (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))
        (v128.const i32x4 1 2 3 4) (i8x16.extract_lane_u 15) (drop)
        (ref.null extern) (drop)
        (local.set $acc (i64.const -9))
        (global.set $counter (table.size $tab)) (data.drop $greeting)))`);
    const m: Module = decodeModule(bytes);
    const lines = funcCode(m, 0).body.map((i: Instr) => formatInstr(i, m));
    assert.deepStrictEqual(lines, [
      'local.get $n', 'call $fib', 'drop',
      'i32.const 0', 'i32.load offset=4', 'drop',
      'i32.const 0', 'i64.load32_u align=2', 'drop',
      'f32.const 0.1', 'drop', 'f64.const -0.125', 'drop', 'f32.const -nan:0x200000', 'drop',
      'block (result i32)', 'i32.const 7', 'local.get $n', 'br_table 0 0 0', 'end',
      'i32.const 1', 'i32.const 0', 'call_indirect (type $t) (param i32) (result i32)', 'drop',
      'i32.const 0', 'i32.const 0', 'i32.const 0', 'memory.copy',
      'v128.const i32x4 0x00000001 0x00000002 0x00000003 0x00000004', 'i8x16.extract_lane_u 15', 'drop',
      'ref.null extern', 'drop',
      'i64.const -9', 'local.set $acc',
      'table.size $tab', 'global.set $counter', 'data.drop $greeting', 'end',
    ]);
    assert.strictEqual(m.names?.globals?.get(0), 'counter');
  });

  it('falls back to indices without a name section and writes f32 constants briefly', () => {
    const m = decodeModule(bin(HEADER, '01 04 01 60 00 00', '03 02 01 00', '0a 09 01 07 00 10 00 28 02 00 0b'));
    assert.strictEqual(formatInstr(funcCode(m, 0).body[0], m), 'call 0');
    assert.strictEqual(formatInstr(funcCode(m, 0).body[1], m), 'i32.load');
    assert.deepStrictEqual([0x3f800000, 0x7f800000, 0x80000000, 0x7fc00000, 0x3eaaaaab].map(formatF32), ['1', 'inf', '-0', 'nan', '0.33333334']);
  });
});
