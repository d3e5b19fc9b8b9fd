// The compiled tier's v128 values and SIMD instructions (translate.ts hands every Op.SIMD here).
//
// A v128 variable `x` is four int32 JS variables x_0..x_3, the little-endian 32-bit words of the
// value (x_0 holds bytes 0..3). In a frame's slot the words are where the interpreter keeps them
// (../simd.ts): x_0, x_1 in the slot of Store.I32, x_2, x_3 in the same slot of Store.V.
//
// Lane arithmetic is done on the words inline or through the small functions of simdLanes.ts. Float
// lanes go through a Float32Array/Float64Array scratch exactly as the interpreter's lanes do (read
// from bits, one JS operation, written back to bits), so every result, NaN bits included, is the
// interpreter's. The instructions without a form of their own here run the interpreter's lane
// functions on its scratch words: bit-identical by construction, only slower.

import { hi } from './i64';
import type { GlobalInst } from '../runtime';
import { V_GLOBAL_GET, V_GLOBAL_SET, V_LOCAL_GET, V_LOCAL_SET, V_LOCAL_TEE, V_SELECT, simdSignature } from '../simd';
import { simdLanes } from './simdLanes';
import { Untranslatable, type Kind } from './translate';

/** What translate.ts lends the SIMD translation for one instruction. */
export interface SimdContext {
  code: Int32Array;
  pc: number;
  /** Operand variables: pop and top name the variable, push names the new one of kind `k`. */
  pop(): string;
  push(k: Kind): string;
  top(): string;
  /** A statement leaving to the interpreter in front of this instruction. */
  here(): string;
  emit(s: string): void;
  /** The name under which the generated code sees `value`. */
  constant(value: unknown, prefix: string): string;
  /** Declares a temporary variable (its last letter is its kind). */
  use(name: string): void;
  globals: GlobalInst[];
}

const LANES = [0, 1, 2, 3];
const lane = (name: string, j: number): string => `${name}_${j}`;

/** The four word variables of v128 variable `name`. */
export const laneVars = (name: string): string[] => LANES.map((j) => lane(name, j));

export const vecAssign = (dst: string, src: string): string => (dst === src ? '' : LANES.map((j) => `${lane(dst, j)} = ${lane(src, j)}; `).join(''));

// The tier's i64 values are two int32 variables (i64.ts): the low word's, and the high word's.
const i64Lo = (x: string): string => x;
const i64Hi = (x: string): string => hi(x);

/** Bytes each memory instruction reads or writes. */
const ACCESS: Record<number, number> = {
  0x00: 16, 0x01: 8, 0x02: 8, 0x03: 8, 0x04: 8, 0x05: 8, 0x06: 8, 0x07: 1, 0x08: 2, 0x09: 4, 0x0a: 8, 0x0b: 16,
  0x54: 1, 0x55: 2, 0x56: 4, 0x57: 8, 0x58: 1, 0x59: 2, 0x5a: 4, 0x5b: 8, 0x5c: 4, 0x5d: 8,
};

/** Word-wise binary operations (each result word from the operands' words of the same index): expression of x, y (`L`: simdLanes). */
const WORD_BINARY: Record<number, (x: string, y: string, L: string) => string> = {
  0x4e: (x, y) => `${x} & ${y}`,
  0x4f: (x, y) => `${x} & ~${y}`,
  0x50: (x, y) => `${x} | ${y}`,
  0x51: (x, y) => `${x} ^ ${y}`,
  0xae: (x, y) => `(${x} + ${y}) | 0`,
  0xb1: (x, y) => `(${x} - ${y}) | 0`,
  0xb5: (x, y) => `Math.imul(${x}, ${y})`,
  0xb6: (x, y) => `(${x} < ${y} ? ${x} : ${y})`,
  0xb7: (x, y) => `((${x} >>> 0) < (${y} >>> 0) ? ${x} : ${y})`,
  0xb8: (x, y) => `(${x} > ${y} ? ${x} : ${y})`,
  0xb9: (x, y) => `((${x} >>> 0) > (${y} >>> 0) ? ${x} : ${y})`,
};
// The commonest ones inline (a function of any size inlines only so many calls), the same
// formulas as simdLanes.ts's; `vsi` holds a partial result within one expression.
const add = (hi: number, lo: number) => (x: string, y: string): string => `((${x} & ${lo}) + (${y} & ${lo})) ^ ((${x} ^ ${y}) & ${hi})`;
const sub = (hi: number, lo: number) => (x: string, y: string): string => `((${x} | ${hi}) - (${y} & ${lo})) ^ ((${x} ^ ~${y}) & ${hi})`;
const H8 = 0x80808080 | 0;
const L8 = 0x7f7f7f7f;
const H16 = 0x80008000 | 0;
/** The carry (borrow) out of each byte of x + y (x - y) whose wrapped result is in `vsi`, at the byte's top bit. */
const carry = (x: string, y: string): string => `(((${x} & ${y}) | ((${x} | ${y}) & ~vsi)) & ${H8})`;
const borrow = (x: string, y: string): string => `(((~${x} & ${y}) | (~(${x} ^ ${y}) & vsi)) & ${H8})`;
Object.assign(WORD_BINARY, {
  0x6e: add(H8, L8),
  0x71: sub(H8, L8),
  0x8e: add(H16, 0x7fff7fff),
  0x91: sub(H16, 0x7fff7fff),
  0x70: (x: string, y: string) => `(vsi = ${add(H8, L8)(x, y)}, vsi | ((${carry(x, y)} >>> 7) * 0xff))`,
  0x73: (x: string, y: string) => `(vsi = ${sub(H8, L8)(x, y)}, vsi & ~((${borrow(x, y)} >>> 7) * 0xff))`,
  0x7b: (x: string, y: string) => `(${x} | ${y}) - (((${x} ^ ${y}) >>> 1) & ${L8})`,
  0x9b: (x: string, y: string) => `(${x} | ${y}) - (((${x} ^ ${y}) >>> 1) & 0x7fff7fff)`,
  0x95: (x: string, y: string) => `(Math.imul(${x}, ${y}) & 0xffff) | (Math.imul(${x} >>> 16, ${y} >>> 16) << 16)`,
});
const HELPER_BINARY: Record<number, string> = {
  0x6f: 'addSatS8', 0x72: 'subSatS8', 0x76: 'minS8', 0x77: 'minU8', 0x78: 'maxS8', 0x79: 'maxU8',
  0x8f: 'addSatS16', 0x90: 'addSatU16', 0x92: 'subSatS16', 0x93: 'subSatU16', 0x96: 'minS16', 0x97: 'minU16', 0x98: 'maxS16', 0x99: 'maxU16',
};
for (const [sub, name] of Object.entries(HELPER_BINARY)) WORD_BINARY[Number(sub)] = (x, y, L) => `${L}.${name}(${x}, ${y})`;
// Integer comparisons in wasm's order eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u, lane by lane
// within the word: each lane read signed or unsigned, all ones where the relation holds.
['===', '!==', '<', '<', '>', '>', '<=', '<=', '>=', '>='].forEach((rel, i) => {
  const unsigned = i >= 2 && i % 2 === 1;
  WORD_BINARY[0x37 + i] = (x, y) => (unsigned ? `((${x} >>> 0) ${rel} (${y} >>> 0) ? -1 : 0)` : `(${x} ${rel} ${y} ? -1 : 0)`);
  for (const [first, bits] of [[0x23, 8], [0x2d, 16]]) {
    const read = (w: string, s: number): string => (unsigned ? `((${w} >>> ${s}) & ${(1 << bits) - 1})` : `((${w} << ${32 - bits - s}) >> ${32 - bits})`);
    WORD_BINARY[first + i] = (x, y) => {
      const terms: string[] = [];
      for (let s = 0; s < 32; s += bits) terms.push(`(${read(x, s)} ${rel} ${read(y, s)} ? ${(((1 << bits) - 1) << s) | 0} : 0)`);
      return terms.join(' | ');
    };
  }
});

const WORD_UNARY: Record<number, (x: string) => string> = {
  0x4d: (x) => `~${x}`,
  0xa0: (x) => `Math.abs(${x}) | 0`,
  0xa1: (x) => `-${x} | 0`,
  // f32 abs and neg touch the sign bits only (NaN payloads pass), as in the interpreter.
  0xe0: (x) => `${x} & 0x7fffffff`,
  0xe1: (x) => `${x} ^ -2147483648`,
};

/** any_true, all_true and bitmask on the words w(0)..w(3). all_true of bytes and i16 lanes: the classic zero-lane test (x - ones) & ~x & highs, exact as a whole. */
const TESTS: Record<number, (w: (j: number) => string) => string> = {
  0x53: (w) => `(${w(0)} | ${w(1)} | ${w(2)} | ${w(3)}) !== 0 ? 1 : 0`,
  0x63: (w) => `((${LANES.map((j) => `((${w(j)} - 0x01010101) & ~${w(j)})`).join(' | ')}) & ${H8}) === 0 ? 1 : 0`,
  0x83: (w) => `((${LANES.map((j) => `((${w(j)} - 0x10001) & ~${w(j)})`).join(' | ')}) & ${H16}) === 0 ? 1 : 0`,
  0xa3: (w) => `${w(0)} !== 0 && ${w(1)} !== 0 && ${w(2)} !== 0 && ${w(3)} !== 0 ? 1 : 0`,
  0xa4: (w) => `(${w(0)} >>> 31) | ((${w(1)} >>> 31) << 1) | ((${w(2)} >>> 31) << 2) | ((${w(3)} >>> 31) << 3)`,
  0xc3: (w) => `(${w(0)} | ${w(1)}) !== 0 && (${w(2)} | ${w(3)}) !== 0 ? 1 : 0`,
  0xc4: (w) => `(${w(1)} >>> 31) | ((${w(3)} >>> 31) << 1)`,
};

/** Shifts by a count taken modulo the lane width: [mask of the count, expression of word x and count k]. */
const SHIFTS: Record<number, [number, (x: string, k: string, L: string) => string]> = {
  0x6b: [7, (x, k, L) => `${L}.shl8(${x}, ${k})`],
  0x6c: [7, (x, k, L) => `${L}.shrS8(${x}, ${k})`],
  0x6d: [7, (x, k, L) => `${L}.shrU8(${x}, ${k})`],
  0x8b: [15, (x, k) => `(((${x} & 0xffff) << ${k}) & 0xffff) | ((${x} >>> 16) << (16 + ${k}))`],
  0x8c: [15, (x, k) => `((((${x} << 16) >> 16) >> ${k}) & 0xffff) | ((${x} >> 16) >> ${k} << 16)`],
  0x8d: [15, (x, k) => `((${x} & 0xffff) >>> ${k}) | (((${x} >>> 16) >>> ${k}) << 16)`],
  0xab: [31, (x, k) => `${x} << ${k}`],
  0xac: [31, (x, k) => `${x} >> ${k}`],
  0xad: [31, (x, k) => `(${x} >>> ${k}) | 0`],
};

/** f32x4 lane operations on FF[0] (a) and FF[1] (b): the expression stored back into FF[0]. */
const F32_BINARY: Record<number, string> = {
  0xe4: 'FF[0] + FF[1]', 0xe5: 'FF[0] - FF[1]', 0xe6: 'FF[0] * FF[1]', 0xe7: 'FF[0] / FF[1]',
  0xe8: 'Math.min(FF[0], FF[1])', 0xe9: 'Math.max(FF[0], FF[1])', 0x10d: 'Math.min(FF[0], FF[1])', 0x10e: 'Math.max(FF[0], FF[1])',
};
const F64_BINARY: Record<number, string> = {
  0xf0: 'FD[0] + FD[1]', 0xf1: 'FD[0] - FD[1]', 0xf2: 'FD[0] * FD[1]', 0xf3: 'FD[0] / FD[1]',
  0xf4: 'Math.min(FD[0], FD[1])', 0xf5: 'Math.max(FD[0], FD[1])', 0x10f: 'Math.min(FD[0], FD[1])', 0x110: 'Math.max(FD[0], FD[1])',
};
const F32_UNARY: Record<number, string> = {
  0xe3: 'Math.sqrt(FF[0])', 0x67: 'Math.ceil(FF[0])', 0x68: 'Math.floor(FF[0])', 0x69: 'Math.trunc(FF[0])',
};
/** Float comparisons in wasm's order eq ne lt gt le ge. */
const FLOAT_RELATIONS = ['===', '!==', '<', '>', '<=', '>='];

/** Emits the code of the SIMD instruction at `c.pc`; throws Untranslatable for one it has no code for. */
export function translateSimd(c: SimdContext): void {
  const { code, pc, emit } = c;
  const sub = code[pc + 2];
  const imm = (k: number): number => code[pc + 3 + k];
  const L = c.constant(simdLanes, 'VL');
  const each = (f: (j: number) => string): string => LANES.map(f).join(' ');
  const temp = (name: string): string => {
    c.use(name);
    return name;
  };
  const floats = (): [string, string, string] => [c.constant(simdLanes.FI, 'FI'), c.constant(simdLanes.FF, 'FF'), c.constant(simdLanes.FD, 'FD')];

  switch (sub) {
    case V_LOCAL_GET: emit(vecAssign(c.push('v'), `l${imm(0)}`)); return;
    case V_LOCAL_SET: emit(vecAssign(`l${imm(0)}`, c.pop())); return;
    case V_LOCAL_TEE: emit(vecAssign(`l${imm(0)}`, c.top())); return;
    case V_GLOBAL_GET: {
      const g = c.constant(c.globals[imm(0)].i32, 'G');
      const r = c.push('v');
      emit(each((j) => `${lane(r, j)} = ${g}[${j}];`));
      return;
    }
    case V_GLOBAL_SET: {
      const g = c.constant(c.globals[imm(0)].i32, 'G');
      const a = c.pop();
      emit(each((j) => `${g}[${j}] = ${lane(a, j)};`));
      return;
    }
    case V_SELECT: {
      const k = c.pop();
      const b = c.pop();
      const a = c.top();
      emit(`if (${k} === 0) { ${vecAssign(a, b)}}`);
      return;
    }
    case 0x0c: { // v128.const
      const r = c.push('v');
      emit(each((j) => `${lane(r, j)} = ${imm(j)};`));
      return;
    }
    case 0x0d: shuffle(c); return;
  }
  if (ACCESS[sub] !== undefined) {
    memoryAccess(c);
    return;
  }
  if (sub >= 0x0f && sub <= 0x22) {
    lanesAndScalars(c);
    return;
  }

  const binary = WORD_BINARY[sub];
  if (binary !== undefined) {
    const b = c.pop();
    const a = c.top();
    c.use('vsi');
    emit(each((j) => `${lane(a, j)} = ${binary(lane(a, j), lane(b, j), L)};`));
    return;
  }
  const unary = WORD_UNARY[sub];
  if (unary !== undefined) {
    const a = c.top();
    emit(each((j) => `${lane(a, j)} = ${unary(lane(a, j))};`));
    return;
  }
  const test = TESTS[sub];
  if (test !== undefined) {
    const a = c.pop();
    c.emit(`${c.push('i')} = ${test((j) => lane(a, j))};`);
    return;
  }
  if (sub === 0xce || sub === 0xd1) { // i64x2.add, i64x2.sub: the low words' carry (borrow) into the high words
    const b = c.pop();
    const a = c.top();
    c.use('vsi');
    const op = sub === 0xce ? '+' : '-';
    const carry = sub === 0xce ? '(vsi > 0xffffffff ? 1 : 0)' : '(vsi < 0 ? 1 : 0)';
    c.emit([0, 2].map((j) => `vsi = (${lane(a, j)} >>> 0) ${op} (${lane(b, j)} >>> 0); ${lane(a, j + 1)} = (${lane(a, j + 1)} ${op} ${lane(b, j + 1)} ${op} ${carry}) | 0; ${lane(a, j)} = vsi | 0;`).join(' '));
    return;
  }
  if (sub === 0xec || sub === 0xed) { // f64x2.abs, f64x2.neg: the sign bits only, as in the interpreter
    const a = c.top();
    c.emit(`${lane(a, 1)} ${sub === 0xec ? '&= 0x7fffffff' : '^= -2147483648'}; ${lane(a, 3)} ${sub === 0xec ? '&= 0x7fffffff' : '^= -2147483648'};`);
    return;
  }
  const shift = SHIFTS[sub];
  if (shift !== undefined) {
    const k = c.pop();
    const a = c.top();
    const n = temp('vki');
    emit(`${n} = ${k} & ${shift[0]}; ${each((j) => `${lane(a, j)} = ${shift[1](lane(a, j), n, L)};`)}`);
    return;
  }
  if (sub === 0x52) { // bitselect
    const m = c.pop();
    const b = c.pop();
    const a = c.top();
    emit(each((j) => `${lane(a, j)} = (${lane(a, j)} & ${lane(m, j)}) | (${lane(b, j)} & ~${lane(m, j)});`));
    return;
  }
  if (widening(c, sub)) return;
  if (floatLanes(c, sub, floats, L)) return;
  viaInterpreterLanes(c, sub, L);
}

/** i8x16.shuffle: each result word put together from the operands' words, whole or shifted where the bytes run in order. */
function shuffle(c: SimdContext): void {
  const b = c.pop();
  const a = c.top();
  const word = (w: number): string => (w < 4 ? lane(a, w) : lane(b, w - 4));
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) bytes.push((c.code[c.pc + 3 + (i >> 2)] >>> ((i & 3) << 3)) & 0x1f);
  c.use('vtv');
  const parts: string[] = [];
  for (let j = 0; j < 4; j++) {
    // Bytes that move from the same source word by the same distance go together: one mask, one shift.
    const groups = new Map<string, { w: number; shift: number; mask: number }>();
    for (let k = 0; k < 4; k++) {
      const x = bytes[4 * j + k];
      const shift = 8 * k - 8 * (x & 3);
      const key = `${x >> 2},${shift}`;
      const g = groups.get(key) ?? { w: x >> 2, shift, mask: 0 };
      g.mask |= 0xff << (8 * (x & 3));
      groups.set(key, g);
    }
    const terms = [...groups.values()].map(({ w, shift, mask }) => {
      // A mask the shift makes redundant is left out.
      if (shift === 0) return mask === -1 ? word(w) : `(${word(w)} & ${mask})`;
      if (shift > 0) return mask === (-1 >>> shift | 0) ? `(${word(w)} << ${shift})` : `((${word(w)} & ${mask}) << ${shift})`;
      return mask === (-1 << -shift) ? `(${word(w)} >>> ${-shift})` : `((${word(w)} & ${mask}) >>> ${-shift})`;
    });
    parts.push(`vtv_${j} = ${terms.join(' | ')};`);
  }
  c.emit(`${parts.join(' ')} ${vecAssign(a, 'vtv')}`);
}

/** Loads, stores and lane accesses: the address checked against the memory's length first (out of bounds: the interpreter traps). */
function memoryAccess(c: SimdContext): void {
  const sub = c.code[c.pc + 2];
  const lanePos = c.code[c.pc + 4];
  const withVec = sub === 0x0b || (sub >= 0x54 && sub <= 0x5b);
  const v = withVec ? c.pop() : '';
  const addr = c.pop();
  c.emit(`ea = (${addr} >>> 0) + ${c.code[c.pc + 3] >>> 0}; if (ea + ${ACCESS[sub]} > mlen) ${c.here()}`);
  const get32 = (at: number): string => `mv.getInt32(ea${at === 0 ? '' : ` + ${at}`}, true)`;
  const set32 = (at: number, x: string): string => `mv.setInt32(ea${at === 0 ? '' : ` + ${at}`}, ${x}, true);`;
  if (sub === 0x0b) {
    c.emit(LANES.map((j) => set32(4 * j, lane(v, j))).join(' '));
    return;
  }
  if (sub >= 0x58 && sub <= 0x5b) { // store lane
    switch (sub) {
      case 0x58: c.emit(`mu8[ea] = ${lane(v, lanePos >> 2)} >>> ${8 * (lanePos & 3)};`); return;
      case 0x59: c.emit(`mv.setInt16(ea, ${lane(v, lanePos >> 1)} >>> ${16 * (lanePos & 1)}, true);`); return;
      case 0x5a: c.emit(set32(0, lane(v, lanePos))); return;
      default: c.emit(`${set32(0, lane(v, 2 * lanePos))} ${set32(4, lane(v, 2 * lanePos + 1))}`); return;
    }
  }
  const r = c.push('v');
  const R = (j: number): string => lane(r, j);
  const all = (x: string): string => `${R(0)} = ${x}; ${R(1)} = ${R(0)}; ${R(2)} = ${R(0)}; ${R(3)} = ${R(0)};`;
  switch (sub) {
    case 0x00: c.emit(LANES.map((j) => `${R(j)} = ${get32(4 * j)};`).join(' ')); return;
    case 0x01: c.emit(LANES.map((j) => `${R(j)} = (mv.getInt8(ea + ${2 * j}) & 0xffff) | (mv.getInt8(ea + ${2 * j + 1}) << 16);`).join(' ')); return;
    case 0x02: c.emit(LANES.map((j) => `${R(j)} = mu8[ea + ${2 * j}] | (mu8[ea + ${2 * j + 1}] << 16);`).join(' ')); return;
    case 0x03: c.emit(LANES.map((j) => `${R(j)} = mv.getInt16(ea + ${2 * j}, true);`).join(' ')); return;
    case 0x04: c.emit(LANES.map((j) => `${R(j)} = mv.getUint16(ea + ${2 * j}, true);`).join(' ')); return;
    case 0x05: c.emit(`${R(0)} = ${get32(0)}; ${R(1)} = ${R(0)} >> 31; ${R(2)} = ${get32(4)}; ${R(3)} = ${R(2)} >> 31;`); return;
    case 0x06: c.emit(`${R(0)} = ${get32(0)}; ${R(1)} = 0; ${R(2)} = ${get32(4)}; ${R(3)} = 0;`); return;
    case 0x07: c.emit(all('(mu8[ea] * 0x01010101) | 0')); return;
    case 0x08: c.emit(all('(mv.getUint16(ea, true) * 0x10001) | 0')); return;
    case 0x09: c.emit(all(get32(0))); return;
    case 0x0a: c.emit(`${R(0)} = ${get32(0)}; ${R(1)} = ${get32(4)}; ${R(2)} = ${R(0)}; ${R(3)} = ${R(1)};`); return;
    case 0x5c: c.emit(`${R(0)} = ${get32(0)}; ${R(1)} = 0; ${R(2)} = 0; ${R(3)} = 0;`); return;
    case 0x5d: c.emit(`${R(0)} = ${get32(0)}; ${R(1)} = ${get32(4)}; ${R(2)} = 0; ${R(3)} = 0;`); return;
  }
  // load lane: the operand with one lane from memory
  c.emit(vecAssign(r, v));
  switch (sub) {
    case 0x54: { const w = R(lanePos >> 2); const s = 8 * (lanePos & 3); c.emit(`${w} = (${w} & ${~(0xff << s)}) | (mu8[ea] << ${s});`); return; }
    case 0x55: { const w = R(lanePos >> 1); const s = 16 * (lanePos & 1); c.emit(`${w} = (${w} & ${~(0xffff << s)}) | (mv.getUint16(ea, true) << ${s});`); return; }
    case 0x56: c.emit(`${R(lanePos)} = ${get32(0)};`); return;
    default: c.emit(`${R(2 * lanePos)} = ${get32(0)}; ${R(2 * lanePos + 1)} = ${get32(4)};`);
  }
}

/** Splats, extract_lane and replace_lane. A float lane whose bits are a NaN leaves to the interpreter (a JS number would not keep its payload). */
function lanesAndScalars(c: SimdContext): void {
  const sub = c.code[c.pc + 2];
  const l = c.code[c.pc + 3];
  const FI = c.constant(simdLanes.FI, 'FI');
  const FF = c.constant(simdLanes.FF, 'FF');
  const FD = c.constant(simdLanes.FD, 'FD');
  if (sub <= 0x14) { // splat
    const x = c.pop();
    const r = c.push('v');
    const R = (j: number): string => lane(r, j);
    const all = (e: string): string => `${R(0)} = ${e}; ${R(1)} = ${R(0)}; ${R(2)} = ${R(0)}; ${R(3)} = ${R(0)};`;
    switch (sub) {
      case 0x0f: c.emit(all(`((${x} & 0xff) * 0x01010101) | 0`)); return;
      case 0x10: c.emit(all(`((${x} & 0xffff) * 0x10001) | 0`)); return;
      case 0x11: c.emit(all(x)); return;
      case 0x12: c.emit(`${R(0)} = ${i64Lo(x)}; ${R(1)} = ${i64Hi(x)}; ${R(2)} = ${R(0)}; ${R(3)} = ${R(1)};`); return;
      case 0x13: c.emit(`${FF}[0] = ${x}; ${all(`${FI}[0]`)}`); return;
      default: c.emit(`${FD}[0] = ${x}; ${R(0)} = ${FI}[0]; ${R(1)} = ${FI}[1]; ${R(2)} = ${R(0)}; ${R(3)} = ${R(1)};`); return;
    }
  }
  const extract = sub === 0x15 || sub === 0x16 || sub === 0x18 || sub === 0x19 || sub === 0x1b || sub === 0x1d || sub === 0x1f || sub === 0x21;
  if (extract) {
    const a = c.pop();
    const w8 = lane(a, l >> 2);
    const s8 = 8 * (l & 3);
    const w16 = lane(a, l >> 1);
    const s16 = 16 * (l & 1);
    switch (sub) {
      case 0x15: c.emit(`${c.push('i')} = (${w8} << ${24 - s8}) >> 24;`); return;
      case 0x16: c.emit(`${c.push('i')} = (${w8} >>> ${s8}) & 0xff;`); return;
      case 0x18: c.emit(`${c.push('i')} = (${w16} << ${16 - s16}) >> 16;`); return;
      case 0x19: c.emit(`${c.push('i')} = (${w16} >>> ${s16}) & 0xffff;`); return;
      case 0x1b: c.emit(`${c.push('i')} = ${lane(a, l)};`); return;
      case 0x1d: {
        const r = c.push('l');
        c.emit(`${r} = ${lane(a, 2 * l)}; ${hi(r)} = ${lane(a, 2 * l + 1)};`);
        return;
      }
      case 0x1f: {
        c.use('vxf');
        c.emit(`${FI}[0] = ${lane(a, l)}; vxf = ${FF}[0]; if (vxf !== vxf) ${c.here()} ${c.push('f')} = vxf;`);
        return;
      }
      default: {
        c.use('vxd');
        c.emit(`${FI}[0] = ${lane(a, 2 * l)}; ${FI}[1] = ${lane(a, 2 * l + 1)}; vxd = ${FD}[0]; if (vxd !== vxd) ${c.here()} ${c.push('d')} = vxd;`);
        return;
      }
    }
  }
  // replace_lane
  const x = c.pop();
  const a = c.top();
  switch (sub) {
    case 0x17: { const w = lane(a, l >> 2); const s = 8 * (l & 3); c.emit(`${w} = (${w} & ${~(0xff << s)}) | ((${x} & 0xff) << ${s});`); return; }
    case 0x1a: { const w = lane(a, l >> 1); const s = 16 * (l & 1); c.emit(`${w} = (${w} & ${~(0xffff << s)}) | ((${x} & 0xffff) << ${s});`); return; }
    case 0x1c: c.emit(`${lane(a, l)} = ${x};`); return;
    case 0x1e: c.emit(`${lane(a, 2 * l)} = ${i64Lo(x)}; ${lane(a, 2 * l + 1)} = ${i64Hi(x)};`); return;
    case 0x20: c.emit(`${FF}[0] = ${x}; ${lane(a, l)} = ${FI}[0];`); return;
    default: c.emit(`${FD}[0] = ${x}; ${lane(a, 2 * l)} = ${FI}[0]; ${lane(a, 2 * l + 1)} = ${FI}[1];`);
  }
}

/** Extensions and narrowings, into a temporary first (a result word reads several operand words). Returns false for other instructions. */
function widening(c: SimdContext, sub: number): boolean {
  let words: ((a: (j: number) => string, b: (j: number) => string) => string)[] | null = null;
  const ext8 = (high: boolean, signed: boolean) => [0, 1, 2, 3].map((j) => (a: (j: number) => string) => {
    const w = j & 1 ? `(${a((high ? 2 : 0) + (j >> 1))} >>> 16)` : a((high ? 2 : 0) + (j >> 1));
    return signed ? `(((${w} << 24) >> 24) & 0xffff) | (((${w} << 16) >> 24) << 16)` : `(${w} & 0xff) | ((${w} & 0xff00) << 8)`;
  });
  const ext16 = (high: boolean, signed: boolean) => [0, 1, 2, 3].map((j) => (a: (j: number) => string) => {
    const w = a((high ? 2 : 0) + (j >> 1));
    if (signed) return j & 1 ? `${w} >> 16` : `(${w} << 16) >> 16`;
    return j & 1 ? `${w} >>> 16` : `${w} & 0xffff`;
  });
  const ext32 = (high: boolean, signed: boolean) => [0, 1, 2, 3].map((j) => (a: (j: number) => string) => {
    const w = a((high ? 2 : 0) + (j >> 1));
    return j & 1 ? (signed ? `${w} >> 31` : '0') : w;
  });
  // Narrowing: each lane clamped in `vsi` within one expression.
  const clamp = (e: string, min: number, max: number, mask: number, shift: number): string =>
    `((vsi = ${e}, vsi < ${min} ? ${min} : vsi > ${max} ? ${max} : vsi) & ${mask}) << ${shift}`;
  const narrow = (bytes: boolean, signed: boolean) => [0, 1, 2, 3].map((j) => (a: (j: number) => string, b: (j: number) => string) => {
    const words = j < 2 ? [a(2 * j), a(2 * j + 1)] : [b(2 * j - 4), b(2 * j - 3)];
    const [min, max, mask] = bytes ? (signed ? [-128, 127, 0xff] : [0, 255, 0xff]) : signed ? [-32768, 32767, 0xffff] : [0, 65535, 0xffff];
    const lanes = bytes ? words.flatMap((w) => [`(${w} << 16) >> 16`, `${w} >> 16`]) : words;
    return lanes.map((e, k) => `(${clamp(e, min, max, mask, (bytes ? 8 : 16) * k)})`).join(' | ');
  });
  // i8x16.narrow_i16x8_u, the commonest (clang's narrowing of 16-bit sums to pixels), by whole words:
  // negative lanes cleared, lanes above 255 filled with ones, then the low bytes packed.
  const clampBytes = (w: string): string =>
    `((${w} | (((((${w} & 0x7f007f00) + 0x7f007f00) & ${H16}) >>> 15) * 0xff)) & ~(((${w} & ${H16}) >>> 15) * 0xffff) & 0xff00ff)`;
  const narrowBytesUnsigned = [0, 1, 2, 3].map((j) => (a: (j: number) => string, b: (j: number) => string) => {
    const [x, y] = j < 2 ? [a(2 * j), a(2 * j + 1)] : [b(2 * j - 4), b(2 * j - 3)];
    return `(vsi = ${clampBytes(x)}, vhi = ${clampBytes(y)}, (vsi & 0xff) | ((vsi >>> 8) & 0xff00) | ((vhi & 0xff) << 16) | ((vhi << 8) & -16777216))`;
  });
  // Extensions: low, high (signed), then low, high (unsigned), for i16x8 from 0x87, i32x4 from 0xa7, i64x2 from 0xc7.
  const base = sub >= 0x87 && sub <= 0x8a ? 0x87 : sub >= 0xa7 && sub <= 0xaa ? 0xa7 : sub >= 0xc7 && sub <= 0xca ? 0xc7 : -1;
  if (base >= 0) {
    const high = (sub - base) % 2 === 1;
    const signed = sub - base < 2;
    words = (base === 0x87 ? ext8 : base === 0xa7 ? ext16 : ext32)(high, signed);
  } else {
    switch (sub) {
      case 0x65: words = narrow(true, true); break;
      case 0x66: words = narrowBytesUnsigned; break;
      case 0x85: words = narrow(false, true); break;
      case 0x86: words = narrow(false, false); break;
      default: return false;
    }
  }
  const b = sub === 0x65 || sub === 0x66 || sub === 0x85 || sub === 0x86 ? c.pop() : '';
  const a = c.top();
  c.use('vtv');
  c.use('vsi');
  if (sub === 0x66) c.use('vhi');
  const fs = words;
  c.emit(`${LANES.map((j) => `vtv_${j} = ${fs[j]((k) => lane(a, k), (k) => lane(b, k))};`).join(' ')} ${vecAssign(a, 'vtv')}`);
  return true;
}

/** f32x4 and f64x2 arithmetic, comparisons and conversions through the float scratch. Returns false for other instructions. */
function floatLanes(c: SimdContext, sub: number, floats: () => [string, string, string], L: string): boolean {
  const f32b = F32_BINARY[sub];
  const f64b = F64_BINARY[sub];
  const f32u = F32_UNARY[sub];
  const f32cmp = sub >= 0x41 && sub <= 0x46;
  const f64cmp = sub >= 0x47 && sub <= 0x4c;
  const pm32 = sub === 0xea || sub === 0xeb;
  const conv32 = sub === 0xf8 || sub === 0xf9 || sub === 0x101 || sub === 0x102 || sub === 0xfa || sub === 0xfb;
  if (f32b === undefined && f64b === undefined && f32u === undefined && !f32cmp && !f64cmp && !pm32 && !conv32 && sub !== 0xef) return false;
  const [FI, FF, FD] = floats();
  const named = (e: string): string => e.replace(/FF\[/g, `${FF}[`).replace(/FD\[/g, `${FD}[`);
  const parts: string[] = [];
  if (f32b !== undefined || f32cmp || pm32) {
    const b = c.pop();
    const a = c.top();
    for (let j = 0; j < 4; j++) {
      const x = lane(a, j);
      const y = lane(b, j);
      const load = `${FI}[0] = ${x}; ${FI}[1] = ${y};`;
      if (f32b !== undefined) parts.push(`${load} ${FF}[0] = ${named(f32b)}; ${x} = ${FI}[0];`);
      else if (f32cmp) parts.push(`${load} ${x} = ${FF}[0] ${FLOAT_RELATIONS[sub - 0x41]} ${FF}[1] ? -1 : 0;`);
      else parts.push(`${load} ${x} = ${sub === 0xea ? `${FF}[1] < ${FF}[0]` : `${FF}[0] < ${FF}[1]`} ? ${y} : ${x};`);
    }
  } else if (f64b !== undefined || f64cmp) {
    const b = c.pop();
    const a = c.top();
    for (let j = 0; j < 4; j += 2) {
      const load = `${FI}[0] = ${lane(a, j)}; ${FI}[1] = ${lane(a, j + 1)}; ${FI}[2] = ${lane(b, j)}; ${FI}[3] = ${lane(b, j + 1)};`;
      if (f64b !== undefined) parts.push(`${load} ${FD}[0] = ${named(f64b)}; ${lane(a, j)} = ${FI}[0]; ${lane(a, j + 1)} = ${FI}[1];`);
      else parts.push(`${load} ${lane(a, j)} = ${FD}[0] ${FLOAT_RELATIONS[sub - 0x47]} ${FD}[1] ? -1 : 0; ${lane(a, j + 1)} = ${lane(a, j)};`);
    }
  } else if (sub === 0xef) { // f64x2.sqrt
    const a = c.top();
    for (let j = 0; j < 4; j += 2) parts.push(`${FI}[0] = ${lane(a, j)}; ${FI}[1] = ${lane(a, j + 1)}; ${FD}[0] = Math.sqrt(${FD}[0]); ${lane(a, j)} = ${FI}[0]; ${lane(a, j + 1)} = ${FI}[1];`);
  } else {
    const a = c.top();
    for (let j = 0; j < 4; j++) {
      const x = lane(a, j);
      if (f32u !== undefined) parts.push(`${FI}[0] = ${x}; ${FF}[0] = ${named(f32u)}; ${x} = ${FI}[0];`);
      else if (sub === 0xfa) parts.push(`${FF}[0] = ${x}; ${x} = ${FI}[0];`);
      else if (sub === 0xfb) parts.push(`${FF}[0] = ${x} >>> 0; ${x} = ${FI}[0];`);
      else parts.push(`${FI}[0] = ${x}; ${x} = ${L}.${sub === 0xf8 || sub === 0x101 ? 'truncSatS' : 'truncSatU'}(${FF}[0]);`);
    }
  }
  c.emit(parts.join(' '));
  return true;
}

/** Every other instruction: its operands into the interpreter's scratch words, its lane function, the result back. */
function viaInterpreterLanes(c: SimdContext, sub: number, L: string): void {
  const sig = simdSignature(sub);
  if (sig === undefined) throw new Untranslatable(`SIMD instruction 0x${sub.toString(16)}`);
  const [pops, push] = sig;
  const W = c.constant(simdLanes.words, 'VW');
  const into = (name: string, at: number): string => each4((j) => `${W}[${at + j}] = ${lane(name, j)};`);
  const outOf = (name: string): string => each4((j) => `${lane(name, j)} = ${W}[${12 + j}];`);
  const allVec = pops.every((t) => t === 'v128');
  if (push === 'v128' && allVec && pops.length >= 1 && pops.length <= 3) {
    const ops: string[] = [];
    for (let i = pops.length - 1; i >= 0; i--) ops[i] = c.pop();
    const r = c.push('v');
    const call = pops.length === 1 ? `${L}.unary(${sub})` : pops.length === 2 ? `${L}.binary(${sub}, ${c.constant(c.code, 'VC')}, ${c.pc})` : `${L}.ternary(${sub})`;
    c.emit(`${ops.map((o, i) => into(o, 4 * i)).join(' ')} ${call}; ${outOf(r)}`);
    return;
  }
  if (push === 'v128' && pops.length === 2 && pops[0] === 'v128' && pops[1] === 'i32') { // shifts
    const k = c.pop();
    const a = c.top();
    c.emit(`${into(a, 0)} ${L}.shift(${sub}, ${k}); ${outOf(a)}`);
    return;
  }
  if (push === 'i32' && pops.length === 1 && pops[0] === 'v128') { // any_true, all_true, bitmask
    const a = c.pop();
    c.emit(`${into(a, 0)} ${c.push('i')} = ${L}.test(${sub});`);
    return;
  }
  throw new Untranslatable(`SIMD instruction 0x${sub.toString(16)}`);
}

const each4 = (f: (j: number) => string): string => LANES.map(f).join(' ');
