import * as assert from 'assert';
import * as n from '../src/engine/numeric';
import { Trap } from '../src/engine/trap';
import { f32FromBits, f32ToBits, f64FromBits, f64ToBits } from '../src/engine/types';

const I32_MIN = -0x80000000;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

function traps(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof Trap && e.message === message);
}

function sameNumber(actual: number, expected: number): void {
  assert.ok(Object.is(actual, expected), `expected ${Object.is(expected, -0) ? '-0' : expected}, got ${Object.is(actual, -0) ? '-0' : actual}`);
}

describe('numeric: integer division and remainder', () => {
  it('i32 div/rem trap on zero and on INT_MIN / -1', () => {
    traps(() => n.i32DivS(1, 0), 'integer divide by zero');
    traps(() => n.i32DivU(1, 0), 'integer divide by zero');
    traps(() => n.i32RemS(1, 0), 'integer divide by zero');
    traps(() => n.i32RemU(1, 0), 'integer divide by zero');
    traps(() => n.i32DivS(I32_MIN, -1), 'integer overflow');
    sameNumber(n.i32RemS(I32_MIN, -1), 0);
  });

  it('i32 division truncates toward zero; unsigned forms see the bits as unsigned', () => {
    assert.strictEqual(n.i32DivS(-7, 2), -3);
    assert.strictEqual(n.i32RemS(-7, 2), -1);
    assert.strictEqual(n.i32RemS(7, -2), 1);
    assert.strictEqual(n.i32DivU(-1, 2), 0x7fffffff);
    assert.strictEqual(n.i32DivU(I32_MIN, 1), I32_MIN);
    assert.strictEqual(n.i32RemU(-1, 10), 5); // 4294967295 % 10
    assert.strictEqual(n.i32DivU(-1, -1), 1);
  });

  it('i64 div/rem with bigints', () => {
    traps(() => n.i64DivS(1n, 0n), 'integer divide by zero');
    traps(() => n.i64RemU(1n, 0n), 'integer divide by zero');
    traps(() => n.i64DivS(I64_MIN, -1n), 'integer overflow');
    assert.strictEqual(n.i64RemS(I64_MIN, -1n), 0n);
    assert.strictEqual(n.i64DivS(-7n, 2n), -3n);
    assert.strictEqual(n.i64RemS(-7n, 2n), -1n);
    assert.strictEqual(n.i64DivU(-1n, 2n), I64_MAX);
    assert.strictEqual(n.i64DivU(I64_MIN, -1n), 0n);
    assert.strictEqual(n.i64RemU(-1n, 10n), 5n); // 18446744073709551615 % 10
  });
});

describe('numeric: bit counting and rotation', () => {
  it('i32 clz/ctz/popcnt', () => {
    assert.deepStrictEqual([0, 1, -1, I32_MIN, 0x8000].map(n.i32Clz), [32, 31, 0, 0, 16]);
    assert.deepStrictEqual([0, 1, -1, I32_MIN, 0x8000].map(n.i32Ctz), [32, 0, 0, 31, 15]);
    assert.deepStrictEqual([0, 1, -1, I32_MIN, 0x55555555].map(n.i32Popcnt), [0, 1, 32, 1, 16]);
  });

  it('i64 clz/ctz/popcnt', () => {
    assert.deepStrictEqual([0n, 1n, -1n, I64_MIN, 0x100000000n].map(n.i64Clz), [64n, 63n, 0n, 0n, 31n]);
    assert.deepStrictEqual([0n, 1n, -1n, I64_MIN, 0x100000000n].map(n.i64Ctz), [64n, 0n, 0n, 63n, 32n]);
    assert.deepStrictEqual([0n, 1n, -1n, I64_MIN, 0x00ff00ff00ff00ffn].map(n.i64Popcnt), [0n, 1n, 64n, 1n, 32n]);
  });

  it('rotations use the count modulo the width', () => {
    assert.strictEqual(n.i32Rotl(0x12345678, 4), 0x23456781);
    assert.strictEqual(n.i32Rotl(0x12345678, 36), 0x23456781);
    assert.strictEqual(n.i32Rotl(0x12345678, 0), 0x12345678);
    assert.strictEqual(n.i32Rotl(I32_MIN, 1), 1);
    assert.strictEqual(n.i32Rotr(1, 1), I32_MIN);
    assert.strictEqual(n.i32Rotr(0x12345678, 32), 0x12345678);
    assert.strictEqual(n.i32Rotr(-0x10000000, 4), 0x0f000000); // 0xf0000000 -> 0x0f000000
    assert.strictEqual(n.i64Rotl(1n, 63n), I64_MIN);
    assert.strictEqual(n.i64Rotl(I64_MIN, 1n), 1n);
    assert.strictEqual(n.i64Rotl(0x0123456789abcdefn, 64n), 0x0123456789abcdefn);
    assert.strictEqual(n.i64Rotr(1n, 1n), I64_MIN);
    assert.strictEqual(n.i64Rotr(0x0123456789abcdefn, 4n), -0x0fedcba987654322n); // 0xf0123456789abcde
    assert.strictEqual(n.i64Rotl(-1n, 0x7fffn), -1n);
  });
});

describe('numeric: float operations', () => {
  it('nearest rounds ties to even and keeps the sign of zero', () => {
    const cases: [number, number][] = [
      [2.5, 2], [3.5, 4], [-2.5, -2], [-3.5, -4], [0.5, 0], [-0.5, -0], [1.5, 2], [-1.5, -2],
      [0.4999999999999999, 0], [-0.4, -0], [-0, -0], [0, 0], [4503599627370497, 4503599627370497],
      [Infinity, Infinity], [-Infinity, -Infinity],
    ];
    for (const [x, expected] of cases) sameNumber(n.fNearest(x), expected);
    assert.ok(Number.isNaN(n.fNearest(NaN)));
    // f32: 8388609.0 is an f32 integer; 0.5 + 2^-24 rounds up.
    sameNumber(n.fNearest(Math.fround(8388609)), 8388609);
    sameNumber(n.fNearest(Math.fround(0.5 + 2 ** -24)), 1);
  });

  it('min/max propagate NaN and order -0 below +0', () => {
    sameNumber(n.fMin(0, -0), -0);
    sameNumber(n.fMin(-0, 0), -0);
    sameNumber(n.fMax(-0, 0), 0);
    sameNumber(n.fMax(0, -0), 0);
    assert.ok(Number.isNaN(n.fMin(NaN, 1)));
    assert.ok(Number.isNaN(n.fMax(1, NaN)));
    assert.ok(Number.isNaN(n.fMin(-Infinity, NaN)));
    sameNumber(n.fMin(-Infinity, 3), -Infinity);
  });

  it('copysign, abs and neg work on bits and keep NaN payloads', () => {
    const nanWithPayload = 0x7fa00001; // a signalling NaN: must come out bit for bit
    assert.strictEqual(n.f32Neg(nanWithPayload), 0xffa00001);
    assert.strictEqual(n.f32Abs(0xffa00001), nanWithPayload);
    assert.strictEqual(n.f32Copysign(nanWithPayload, f32ToBits(-1)), 0xffa00001);
    assert.strictEqual(n.f32Copysign(f32ToBits(-2), f32ToBits(0)), f32ToBits(2));
    assert.strictEqual(n.f32Copysign(f32ToBits(3), 0x80000000), f32ToBits(-3));
    assert.strictEqual(n.f64Neg(0x7ff0000000000001n), 0xfff0000000000001n);
    assert.strictEqual(n.f64Abs(0xfff4000000000000n), 0x7ff4000000000000n);
    assert.strictEqual(n.f64Copysign(f64ToBits(5), f64ToBits(-0)), f64ToBits(-5));
  });
});

describe('numeric: float to integer', () => {
  it('trapping truncation: NaN is invalid, out of range overflows, exact boundaries convert', () => {
    traps(() => n.i32TruncS(NaN), 'invalid conversion to integer');
    traps(() => n.i64TruncU(NaN), 'invalid conversion to integer');
    traps(() => n.i32TruncS(2147483648), 'integer overflow');
    traps(() => n.i32TruncS(-2147483649), 'integer overflow');
    traps(() => n.i32TruncS(Math.fround(-2147483904)), 'integer overflow'); // next f32 below -2^31
    traps(() => n.i32TruncU(-1), 'integer overflow');
    traps(() => n.i32TruncU(4294967296), 'integer overflow');
    traps(() => n.i32TruncS(Infinity), 'integer overflow');
    traps(() => n.i64TruncS(9223372036854775808), 'integer overflow');
    traps(() => n.i64TruncS(-9223372036854777856), 'integer overflow');
    traps(() => n.i64TruncU(18446744073709551616), 'integer overflow');
    assert.strictEqual(n.i32TruncS(-2147483648.9), I32_MIN);
    assert.strictEqual(n.i32TruncS(2147483647.9), 2147483647);
    assert.strictEqual(n.i32TruncS(-1.9), -1);
    assert.strictEqual(n.i32TruncU(-0.9), 0);
    assert.strictEqual(n.i32TruncU(4294967295.5), -1);
    assert.strictEqual(n.i64TruncS(-9223372036854775808), I64_MIN);
    assert.strictEqual(n.i64TruncS(9223372036854774784), 9223372036854774784n);
    assert.strictEqual(n.i64TruncU(18446744073709549568), -2048n);
    assert.strictEqual(n.i64TruncU(-0.99), 0n);
  });

  it('saturating truncation clamps and maps NaN to 0', () => {
    assert.strictEqual(n.i32TruncSatS(NaN), 0);
    assert.strictEqual(n.i32TruncSatS(1e10), 2147483647);
    assert.strictEqual(n.i32TruncSatS(-1e10), I32_MIN);
    assert.strictEqual(n.i32TruncSatS(-Infinity), I32_MIN);
    assert.strictEqual(n.i32TruncSatS(-3.7), -3);
    assert.strictEqual(n.i32TruncSatU(-5), 0);
    assert.strictEqual(n.i32TruncSatU(1e10), -1);
    assert.strictEqual(n.i32TruncSatU(3000000000.5), -1294967296);
    assert.strictEqual(n.i64TruncSatS(NaN), 0n);
    assert.strictEqual(n.i64TruncSatS(1e19), I64_MAX);
    assert.strictEqual(n.i64TruncSatS(-1e19), I64_MIN);
    assert.strictEqual(n.i64TruncSatU(Infinity), -1n);
    assert.strictEqual(n.i64TruncSatU(-Infinity), 0n);
    assert.strictEqual(n.i64TruncSatU(18446744073709549568), -2048n);
  });
});

describe('numeric: integer to float', () => {
  it('i64 -> f32 rounds once, not via f64 (double rounding)', () => {
    // 2^53 + 2^29 + 1 is just above halfway between two f32s: it must round up. Via f64 it
    // would first become 2^53 + 2^29 (a tie) and then round down to 2^53.
    assert.strictEqual(Number(Math.fround(Number(0x0020000020000001n))), 2 ** 53, 'the double-rounding trap exists');
    assert.strictEqual(n.f32ConvertI64S(0x0020000020000001n), 2 ** 53 + 2 ** 30);
    assert.strictEqual(n.f32ConvertI64S(-0x0020000020000001n), -(2 ** 53 + 2 ** 30));
    assert.strictEqual(n.f32ConvertI64U(0x0020000020000001n), 2 ** 53 + 2 ** 30);
    // Cases from the spec's conversions.wast.
    assert.strictEqual(f32ToBits(n.f32ConvertI64S(0x7fffff4000000001n)), 0x5effffff);
    assert.strictEqual(f32ToBits(n.f32ConvertI64S(-0x7fffff4000000001n)), 0xdeffffff);
    assert.strictEqual(f32ToBits(n.f32ConvertI64U(0x8000008000000001n)), 0x5f000001);
    assert.strictEqual(f32ToBits(n.f32ConvertI64U(0xfffffe8000000001n)), 0x5f7fffff);
    assert.strictEqual(n.f32ConvertI64S(16777217n), 16777216); // a plain tie: to even
    assert.strictEqual(n.f32ConvertI64S(16777219n), 16777220);
    assert.strictEqual(n.f32ConvertI64S(I64_MIN), -(2 ** 63));
    assert.strictEqual(n.f32ConvertI64U(-1n), 2 ** 64);
  });

  it('i64 -> f64 and u64 -> f64 round to nearest even', () => {
    assert.strictEqual(n.f64ConvertI64S(9007199254740993n), 9007199254740992);
    assert.strictEqual(n.f64ConvertI64S(9007199254740995n), 9007199254740996);
    assert.strictEqual(n.f64ConvertI64U(-1n), 18446744073709551616);
    assert.strictEqual(n.f64ConvertI64U(0x8000000000000401n), 9223372036854777856);
    assert.strictEqual(n.f64ConvertI64S(I64_MIN), -9223372036854775808);
  });

  it('i32 -> float, signed and unsigned', () => {
    assert.strictEqual(n.f32ConvertI32S(16777217), 16777216);
    assert.strictEqual(n.f32ConvertI32U(-1), 4294967296);
    assert.strictEqual(n.f64ConvertI32U(-1), 4294967295);
    assert.strictEqual(n.f64ConvertI32S(-1), -1);
  });
});

describe('numeric: demote, promote and reinterpret on bits', () => {
  it('demote rounds once and keeps NaNs quiet with their sign', () => {
    assert.strictEqual(n.f32DemoteBits(f64ToBits(0.1)), f32ToBits(0.1));
    assert.strictEqual(n.f32DemoteBits(f64ToBits(1e300)), 0x7f800000);
    assert.strictEqual(n.f32DemoteBits(f64ToBits(-0)), 0x80000000);
    assert.strictEqual(n.f32DemoteBits(0x7ff8000000000000n), 0x7fc00000); // canonical stays canonical
    assert.strictEqual(n.f32DemoteBits(0xfff8000000000000n), 0xffc00000);
    assert.strictEqual(n.f32DemoteBits(0x7ff4000000000000n), 0x7fe00000); // arithmetic: quiet bit set
    // Smallest f64 above half the smallest f32 subnormal rounds up to it.
    assert.strictEqual(n.f32DemoteBits(0x36a0000000000001n), 1);
  });

  it('promote is exact and keeps NaN payloads', () => {
    assert.strictEqual(n.f64PromoteBits(f32ToBits(0.1)), f64ToBits(Math.fround(0.1)));
    assert.strictEqual(n.f64PromoteBits(0x7fc00000), 0x7ff8000000000000n);
    assert.strictEqual(n.f64PromoteBits(0xffc00000), 0xfff8000000000000n);
    assert.strictEqual(n.f64PromoteBits(0x7fa00000), 0x7ffc000000000000n);
    assert.strictEqual(n.f64PromoteBits(1), f64ToBits(f32FromBits(1)));
  });

  it('reinterpret passes bits through with the right signedness', () => {
    assert.strictEqual(n.i32ReinterpretF32(0xffa00001), -6291455);
    assert.strictEqual(n.f32ReinterpretI32(-1), 0xffffffff);
    assert.strictEqual(n.i64ReinterpretF64(0xfff0000000000000n), -0x10000000000000n);
    assert.strictEqual(n.f64ReinterpretI64(-1n), 0xffffffffffffffffn);
    assert.strictEqual(f64FromBits(n.f64ReinterpretI64(0x3ff0000000000000n)), 1);
  });
});
