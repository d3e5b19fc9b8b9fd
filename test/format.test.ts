import * as assert from 'assert';
import fc from 'fast-check';
import { formatConst, formatF32, formatF64, formatValue } from '../src/engine/format';
import { f32FromBits, type Value } from '../src/engine/types';
import { parseF32, parseF64 } from '../src/text/literals';

describe('value formatting (src/engine/format.ts)', () => {
  it('prints every f32 so that the text format reads it back to the same bits, in the fewest digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        const text = formatF32(bits);
        assert.strictEqual(parseF32(text) >>> 0, bits, `${text} for 0x${bits.toString(16)}`);
        const value = f32FromBits(bits);
        const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+|0+$/g, '').length;
        if (Number.isFinite(value) && value !== 0 && digits > 1) {
          assert.notStrictEqual(Math.fround(Number(value.toPrecision(digits - 1))), value, `${text} is not the shortest`);
        }
      }),
      { numRuns: 20000 },
    );
  });

  it('prints every f64 so that the text format reads it back to the same bits (JavaScript gives the fewest digits)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (bits) => {
        const text = formatF64(bits);
        assert.strictEqual(parseF64(text), bits, `${text} for 0x${bits.toString(16)}`);
      }),
      { numRuns: 20000 },
    );
  });

  it('spells special floats as the text format does', () => {
    assert.deepStrictEqual(
      [0x3f800000, 0x3dcccccd, 0x7f7fffff, 1, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00000].map(formatF32),
      ['1', '0.1', '3.4028235e+38', '1e-45', '-0', 'inf', '-inf', 'nan', '-nan', 'nan:0x200000'],
    );
    assert.deepStrictEqual(
      [0x3ff8000000000000n, 1n, 0x8000000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff0000000000001n].map(formatF64),
      ['1.5', '5e-324', '-0', '-inf', 'nan', '-nan:0x1'],
    );
  });

  it('prints every kind of value, and as the constant that produces it', () => {
    const v128 = new Uint8Array(16);
    new DataView(v128.buffer).setUint32(0, 1, true);
    new DataView(v128.buffer).setUint32(12, 0xffffffff, true);
    const values: Value[] = [
      { type: 'i32', value: -1 },
      { type: 'i64', value: -9223372036854775808n },
      { type: 'f32', bits: 0x7fa00000 },
      { type: 'f64', bits: 0x8000000000000000n },
      { type: 'v128', bytes: v128 },
      { type: 'funcref', value: null },
      { type: 'funcref', value: { name: '$fib' } },
      { type: 'externref', value: null },
      { type: 'externref', value: 7 },
      { type: 'externref', value: {} },
    ];
    assert.deepStrictEqual(values.map(formatValue), [
      '-1',
      '-9223372036854775808',
      'nan:0x200000',
      '-0',
      'i32x4 0x00000001 0x00000000 0x00000000 0xffffffff',
      'ref.null func',
      'ref.func $fib',
      'ref.null extern',
      'ref.extern 7',
      'ref.extern',
    ]);
    assert.deepStrictEqual(values.slice(0, 6).map(formatConst), [
      '(i32.const -1)',
      '(i64.const -9223372036854775808)',
      '(f32.const nan:0x200000)',
      '(f64.const -0)',
      '(v128.const i32x4 0x00000001 0x00000000 0x00000000 0xffffffff)',
      '(ref.null func)',
    ]);
  });
});
