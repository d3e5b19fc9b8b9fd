// i64 in the compiled tier: a value is a pair of int32 variables, its low word in `x` and its high
// word in `xh` (both always int32, so that words compare with ===). Additions, comparisons, shifts
// and conversions are written inline; multiplication, division and the rarer operations call
// helpers (helpers.ts) that return the low word and leave the high word in `H.hi`. The temporaries
// `ta` and `tb` hold intermediate words, `tn` a number.

/** The high word's variable of the i64 held in `x`. */
export const hi = (x: string): string => `${x}h`;

/** Statement: writes the i64 in words `lo`, `hi` (expressions evaluated before either is written) to `r`. */
const set2 = (r: string, lo: string, h: string): string => `ta = ${lo}; ${hi(r)} = ${h}; ${r} = ta;`;
const fromHelper = (r: string, call: string): string => `${r} = ${call}; ${hi(r)} = H.hi;`;
const args2 = (a: string, b: string): string => `${a}, ${hi(a)}, ${b}, ${hi(b)}`;

/** Comparison of two i64s: `rel` on the high words (signed or not), then on the low words unsigned. */
function compare(rel: '<' | '>' | '<=' | '>=', signed: boolean) {
  const strict = rel[0];
  return (a: string, b: string): string => {
    const ah = signed ? hi(a) : `(${hi(a)} >>> 0)`;
    const bh = signed ? hi(b) : `(${hi(b)} >>> 0)`;
    return `((${ah} ${strict} ${bh} || (${hi(a)} === ${hi(b)} && (${a} >>> 0) ${rel} (${b} >>> 0))) ? 1 : 0)`;
  };
}

/** i64 operations whose result is an i32 (an expression of the operands' low-word variables `a`, `b`). */
export const I64_TO_I32: Record<number, (a: string, b: string) => string> = {
  0x50: (a) => `((${a} | ${hi(a)}) === 0 ? 1 : 0)`,
  0x51: (a, b) => `((${a} === ${b} && ${hi(a)} === ${hi(b)}) ? 1 : 0)`,
  0x52: (a, b) => `((${a} !== ${b} || ${hi(a)} !== ${hi(b)}) ? 1 : 0)`,
  0x53: compare('<', true),
  0x54: compare('<', false),
  0x55: compare('>', true),
  0x56: compare('>', false),
  0x57: compare('<=', true),
  0x58: compare('<=', false),
  0x59: compare('>=', true),
  0x5a: compare('>=', false),
  0xa7: (a) => a,
};

/**
 * Operations with an i64 result, as statements writing the result `r`. `a` and `b` are the
 * operands' variables (an i64 operand's low word; a number for the conversions from i32 and
 * floats). An i64 result is in the same variables as an i64 first operand.
 */
export const TO_I64: Record<number, (a: string, b: string, r: string) => string> = {
  0x79: (a, _b, r) => set2(r, `${hi(a)} !== 0 ? Math.clz32(${hi(a)}) : 32 + Math.clz32(${a})`, '0'),
  0x7a: (a, _b, r) => set2(r, `${a} !== 0 ? H.ctz32(${a}) : 32 + H.ctz32(${hi(a)})`, '0'),
  0x7b: (a, _b, r) => set2(r, `H.popcnt32(${a}) + H.popcnt32(${hi(a)})`, '0'),
  // The carry (borrow) is whether the low words' unsigned sum wrapped (the difference went below 0).
  0x7c: (a, b, r) => `ta = (${a} + ${b}) | 0; ${hi(r)} = (${hi(a)} + ${hi(b)} + ((ta >>> 0) < (${a} >>> 0) ? 1 : 0)) | 0; ${r} = ta;`,
  0x7d: (a, b, r) => `ta = (${a} - ${b}) | 0; ${hi(r)} = (${hi(a)} - ${hi(b)} - ((${a} >>> 0) < (${b} >>> 0) ? 1 : 0)) | 0; ${r} = ta;`,
  0x7e: (a, b, r) => set2(r, `Math.imul(${a}, ${b})`, `(Math.imul(${a}, ${hi(b)}) + Math.imul(${hi(a)}, ${b}) + H.mulHighU32(${a}, ${b})) | 0`),
  0x7f: (a, b, r) => fromHelper(r, `H.divS64(${args2(a, b)})`),
  0x80: (a, b, r) => fromHelper(r, `H.divU64(${args2(a, b)})`),
  0x81: (a, b, r) => fromHelper(r, `H.remS64(${args2(a, b)})`),
  0x82: (a, b, r) => fromHelper(r, `H.remU64(${args2(a, b)})`),
  0x83: (a, b, r) => `${r} = ${a} & ${b}; ${hi(r)} = ${hi(a)} & ${hi(b)};`,
  0x84: (a, b, r) => `${r} = ${a} | ${b}; ${hi(r)} = ${hi(a)} | ${hi(b)};`,
  0x85: (a, b, r) => `${r} = ${a} ^ ${b}; ${hi(r)} = ${hi(a)} ^ ${hi(b)};`,
  0x86: (a, b, r) => `tb = ${b} & 63; if (tb >= 32) { ${hi(r)} = ${a} << (tb - 32); ${r} = 0; } else if (tb !== 0) { ${hi(r)} = (${hi(a)} << tb) | (${a} >>> (32 - tb)); ${r} = ${a} << tb; } else { ${r} = ${a}; ${hi(r)} = ${hi(a)}; }`,
  0x87: (a, b, r) => `tb = ${b} & 63; if (tb >= 32) { ${r} = ${hi(a)} >> (tb - 32); ${hi(r)} = ${hi(a)} >> 31; } else if (tb !== 0) { ${r} = (${a} >>> tb) | (${hi(a)} << (32 - tb)); ${hi(r)} = ${hi(a)} >> tb; } else { ${r} = ${a}; ${hi(r)} = ${hi(a)}; }`,
  0x88: (a, b, r) => `tb = ${b} & 63; if (tb >= 32) { ${r} = (${hi(a)} >>> (tb - 32)) | 0; ${hi(r)} = 0; } else if (tb !== 0) { ${r} = (${a} >>> tb) | (${hi(a)} << (32 - tb)); ${hi(r)} = (${hi(a)} >>> tb) | 0; } else { ${r} = ${a}; ${hi(r)} = ${hi(a)}; }`,
  0x89: (a, b, r) => fromHelper(r, `H.rotl64(${a}, ${hi(a)}, ${b})`),
  0x8a: (a, b, r) => fromHelper(r, `H.rotr64(${a}, ${hi(a)}, ${b})`),
  0xac: (a, _b, r) => `${r} = ${a}; ${hi(r)} = ${a} >> 31;`,
  0xad: (a, _b, r) => `${r} = ${a}; ${hi(r)} = 0;`,
  0xbd: (a, _b, r) => fromHelper(r, `H.f64Words(${a})`),
  0xc2: (a, _b, r) => `${r} = (${a} << 24) >> 24; ${hi(r)} = ${r} >> 31;`,
  0xc3: (a, _b, r) => `${r} = (${a} << 16) >> 16; ${hi(r)} = ${r} >> 31;`,
  0xc4: (a, _b, r) => `${hi(r)} = ${a} >> 31; ${r} = ${a};`,
  0xe4: (a, _b, r) => fromHelper(r, `H.i64TruncSatS(${a})`),
  0xe5: (a, _b, r) => fromHelper(r, `H.i64TruncSatU(${a})`),
  0xe6: (a, _b, r) => fromHelper(r, `H.i64TruncSatS(${a})`),
  0xe7: (a, _b, r) => fromHelper(r, `H.i64TruncSatU(${a})`),
};

/** i64 operations with a float result: an expression of the operand's low-word variable `a`. */
export const I64_TO_FLOAT: Record<number, (a: string) => string> = {
  0xb4: (a) => `H.f32ConvertI64S(${a}, ${hi(a)})`,
  0xb5: (a) => `H.f32ConvertI64U(${a}, ${hi(a)})`,
  // One rounding: the high word times 2^32 is exact, and so their sum is the rounded exact value.
  0xb9: (a) => `(${hi(a)} * 4294967296 + (${a} >>> 0))`,
  0xba: (a) => `((${hi(a)} >>> 0) * 4294967296 + (${a} >>> 0))`,
  0xbf: (a) => `H.f64FromWords(${a}, ${hi(a)})`,
};

/** Conditions under which an i64 division or remainder traps (the interpreter then runs it and traps). */
export const I64_TRAPS: Record<number, (a: string, b: string) => string> = {
  0x7f: (a, b) => `(${b} | ${hi(b)}) === 0 || (${a} === 0 && ${hi(a)} === -2147483648 && (${b} & ${hi(b)}) === -1)`,
  0x80: (_a, b) => `(${b} | ${hi(b)}) === 0`,
  0x81: (_a, b) => `(${b} | ${hi(b)}) === 0`,
  0x82: (_a, b) => `(${b} | ${hi(b)}) === 0`,
};

/** The truncation of float `a` (in range, checked before) to an i64, written to `r`. */
export const truncToI64 = (a: string, r: string): string => `tn = Math.trunc(${a}); ${hi(r)} = Math.floor(tn / 4294967296) | 0; ${r} = tn | 0;`;

/** Loads of an i64 at `ea`: statement writing `r`. */
export const I64_LOADS: Record<number, [number, (r: string) => string]> = {
  0x29: [8, (r) => `${r} = mv.getInt32(ea, true); ${hi(r)} = mv.getInt32(ea + 4, true);`],
  0x30: [1, (r) => `${r} = mv.getInt8(ea); ${hi(r)} = ${r} >> 31;`],
  0x31: [1, (r) => `${r} = mu8[ea]; ${hi(r)} = 0;`],
  0x32: [2, (r) => `${r} = mv.getInt16(ea, true); ${hi(r)} = ${r} >> 31;`],
  0x33: [2, (r) => `${r} = mv.getUint16(ea, true); ${hi(r)} = 0;`],
  0x34: [4, (r) => `${r} = mv.getInt32(ea, true); ${hi(r)} = ${r} >> 31;`],
  0x35: [4, (r) => `${r} = mv.getInt32(ea, true); ${hi(r)} = 0;`],
};

/** Stores of an i64 `v` at `ea`. */
export const I64_STORES: Record<number, [number, (v: string) => string]> = {
  0x37: [8, (v) => `mv.setInt32(ea, ${v}, true); mv.setInt32(ea + 4, ${hi(v)}, true)`],
  0x3c: [1, (v) => `mu8[ea] = ${v}`],
  0x3d: [2, (v) => `mv.setInt16(ea, ${v}, true)`],
  0x3e: [4, (v) => `mv.setInt32(ea, ${v}, true)`],
};

/** The i64 constant of words `lo`, `hi` into `r`. */
export const i64Const = (r: string, lo: number, h: number): string => `${r} = ${lo}; ${hi(r)} = ${h};`;
