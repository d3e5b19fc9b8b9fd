// Exact parsing of WebAssembly text-format numeric literals, as used by script commands
// (`i32.const 0xffff_ffff`, `f32.const 0x1.fffffep+127`, `f64.const nan:0x4`, `v128.const f32x4 ...`).
// Floats are rounded once, directly to the target format, with BigInt arithmetic: rounding a
// decimal to f64 first and then to f32 would round twice and can be off by one ulp.

/** Thrown for a literal that is not well formed or does not fit its type; the caller adds the position. */
export class LiteralError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiteralError';
  }
}

const decDigits = /^[0-9](_?[0-9])*$/;
const hexDigits = /^[0-9a-fA-F](_?[0-9a-fA-F])*$/;

/** Parses an integer literal of `bits` width; accepts signed and unsigned forms, returns it as unsigned. */
function parseIntBits(text: string, bits: number): bigint {
  let sign = 1n;
  let body = text;
  if (body[0] === '+' || body[0] === '-') {
    if (body[0] === '-') sign = -1n;
    body = body.slice(1);
  }
  let magnitude: bigint;
  if (body.startsWith('0x')) {
    const digits = body.slice(2);
    if (!hexDigits.test(digits)) throw new LiteralError(`malformed integer literal ${JSON.stringify(text)}`);
    magnitude = BigInt('0x' + digits.replace(/_/g, ''));
  } else {
    if (!decDigits.test(body)) throw new LiteralError(`malformed integer literal ${JSON.stringify(text)}`);
    magnitude = BigInt(body.replace(/_/g, ''));
  }
  const limit = 1n << BigInt(bits);
  const fits = sign < 0n ? magnitude <= limit >> 1n : magnitude < limit;
  if (!fits) throw new LiteralError(`constant out of range: ${text} does not fit in i${bits}`);
  return BigInt.asUintN(bits, sign * magnitude);
}

/** An i32 literal as a signed 32-bit number (`0xffffffff` is -1). */
export function parseI32(text: string): number {
  return Number(BigInt.asIntN(32, parseIntBits(text, 32)));
}

/** An i64 literal as a signed 64-bit bigint. */
export function parseI64(text: string): bigint {
  return BigInt.asIntN(64, parseIntBits(text, 64));
}

/** Lane integers of v128 constants, as unsigned values of the lane width. */
export function parseIntLane(text: string, bits: 8 | 16 | 32 | 64): bigint {
  return parseIntBits(text, bits);
}

interface FloatFormat {
  /** Bits of the stored fraction (23 or 52); precision is one more. */
  fractionBits: number;
  exponentBits: number;
}

const F32: FloatFormat = { fractionBits: 23, exponentBits: 8 };
const F64: FloatFormat = { fractionBits: 52, exponentBits: 11 };

/** f32 literal to its raw bits (unsigned 32-bit number). */
export function parseF32(text: string): number {
  return Number(parseFloatBits(text, F32));
}

/** f64 literal to its raw bits (unsigned 64-bit bigint). */
export function parseF64(text: string): bigint {
  return parseFloatBits(text, F64);
}

function parseFloatBits(text: string, format: FloatFormat): bigint {
  const { fractionBits, exponentBits } = format;
  const width = BigInt(1 + exponentBits + fractionBits);
  let negative = false;
  let body = text;
  if (body[0] === '+' || body[0] === '-') {
    negative = body[0] === '-';
    body = body.slice(1);
  }
  const signBit = negative ? 1n << (width - 1n) : 0n;
  const expAllOnes = ((1n << BigInt(exponentBits)) - 1n) << BigInt(fractionBits);
  const fractionMask = (1n << BigInt(fractionBits)) - 1n;

  if (body === 'inf') return signBit | expAllOnes;
  if (body === 'nan') return signBit | expAllOnes | (1n << BigInt(fractionBits - 1));
  if (body.startsWith('nan:0x')) {
    const digits = body.slice(6);
    if (!hexDigits.test(digits)) throw new LiteralError(`malformed NaN payload in ${JSON.stringify(text)}`);
    const payload = BigInt('0x' + digits.replace(/_/g, ''));
    if (payload === 0n || payload > fractionMask) {
      throw new LiteralError(`constant out of range: NaN payload of ${text} must be 1..0x${fractionMask.toString(16)}`);
    }
    return signBit | expAllOnes | payload;
  }

  const exact = parseExactNumber(body, text);
  if (exact === null) return signBit; // zero keeps its sign
  const bits = roundToFormat(exact, format, text);
  return signBit | bits;
}

/** A positive rational num/den * 2^binExp, or null for zero. */
interface Rational {
  num: bigint;
  den: bigint;
  binExp: number;
}

const hexFloat = /^0x([0-9a-fA-F](?:_?[0-9a-fA-F])*)?(?:\.([0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?(?:[pP]([+-]?[0-9](?:_?[0-9])*))?$/;
const decFloat = /^([0-9](?:_?[0-9])*)(?:\.([0-9](?:_?[0-9])*)?)?(?:[eE]([+-]?[0-9](?:_?[0-9])*))?$/;

// Magnitudes beyond these bounds are zero or out of range for both formats; checking them first
// keeps BigInt sizes small for literals such as 1e-100000.
const TINY_DECIMAL = -400;
const HUGE_DECIMAL = 400;
const TINY_BINARY = -1200;
const HUGE_BINARY = 1200;

function parseExactNumber(body: string, text: string): Rational | null {
  const clean = (s: string | undefined) => (s ?? '').replace(/_/g, '');
  let m = hexFloat.exec(body);
  if (m && (m[1] !== undefined || m[2] !== undefined)) {
    const intPart = clean(m[1]);
    const fracPart = clean(m[2]);
    const mantissa = BigInt('0x' + (intPart + fracPart || '0'));
    if (mantissa === 0n) return null;
    const exp = Number(clean(m[3]) || '0') - 4 * fracPart.length;
    const magnitude = mantissa.toString(2).length + exp;
    if (magnitude < TINY_BINARY) return { num: 0n, den: 1n, binExp: 0 };
    if (magnitude > HUGE_BINARY) throw new LiteralError(`constant out of range: ${text}`);
    return { num: mantissa, den: 1n, binExp: exp };
  }
  m = decFloat.exec(body);
  if (!m) throw new LiteralError(`malformed float literal ${JSON.stringify(text)}`);
  const intPart = clean(m[1]);
  const fracPart = clean(m[2]);
  const digits = (intPart + fracPart).replace(/^0+/, '');
  if (digits === '') return null;
  const exp = Number(clean(m[3]) || '0') - fracPart.length;
  const magnitude = digits.length + exp;
  if (magnitude < TINY_DECIMAL) return { num: 0n, den: 1n, binExp: 0 };
  if (magnitude > HUGE_DECIMAL) throw new LiteralError(`constant out of range: ${text}`);
  const mantissa = BigInt(digits);
  return exp >= 0
    ? { num: mantissa * 10n ** BigInt(exp), den: 1n, binExp: 0 }
    : { num: mantissa, den: 10n ** BigInt(-exp), binExp: 0 };
}

const bitLength = (n: bigint) => n.toString(2).length;

/** Rounds a positive rational to nearest, ties to even, and returns the format's bits without sign. */
function roundToFormat(value: Rational, format: FloatFormat, text: string): bigint {
  const { fractionBits, exponentBits } = format;
  if (value.num === 0n) return 0n; // underflowed far below the smallest subnormal
  const precision = fractionBits + 1;
  const bias = (1 << (exponentBits - 1)) - 1;
  const minUlpExp = 1 - bias - fractionBits; // exponent of the smallest subnormal
  // Choose e so that value / 2^e has `precision` integer bits, but never below the subnormal ulp.
  let e = bitLength(value.num) - bitLength(value.den) + value.binExp - precision;
  const quotient = (exp: number) => {
    const shift = exp - value.binExp;
    const num = shift < 0 ? value.num << BigInt(-shift) : value.num;
    const den = shift > 0 ? value.den << BigInt(shift) : value.den;
    return { q: num / den, r: num % den, den };
  };
  let { q, r, den } = quotient(Math.max(e, minUlpExp));
  if (e >= minUlpExp && q >= 1n << BigInt(precision)) {
    e++;
    ({ q, r, den } = quotient(e));
  } else if (e >= minUlpExp && q < 1n << BigInt(precision - 1)) {
    e--;
    ({ q, r, den } = quotient(Math.max(e, minUlpExp)));
  }
  e = Math.max(e, minUlpExp);
  // Round half to even.
  const twice = 2n * r;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  if (q === 1n << BigInt(precision)) {
    q >>= 1n;
    e++;
  }
  const maxExp = bias; // largest unbiased exponent of a finite value
  if (q !== 0n && bitLength(q) - 1 + e > maxExp) throw new LiteralError(`constant out of range: ${text}`);
  if (q < 1n << BigInt(fractionBits)) return q; // subnormal (or zero): biased exponent 0
  const biased = BigInt(e + fractionBits + bias);
  return (biased << BigInt(fractionBits)) | (q & ((1n << BigInt(fractionBits)) - 1n));
}
