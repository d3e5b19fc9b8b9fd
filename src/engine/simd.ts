// Fixed-width SIMD (WebAssembly 2.0) and relaxed SIMD (3.0): how compile.ts encodes the instructions
// and how the executor runs them. Kept out of the main run loop, which sees a single SIMD opcode and
// calls `runSimd`, so scalar code keeps its small, well-optimised dispatch loop.
//
// A v128 occupies one value-stack slot, like every other value: its low 8 bytes in the slot itself
// (Store.I32) and its high 8 bytes in the same slot of the parallel Store.V. Stack heights, local
// indices and branch arities therefore stay one slot per value. Lanes are computed in a 64-byte
// scratch buffer (operands A, B, C and the result R, 16 bytes each) through typed-array views: no
// allocation and no BigInt per instruction.
//
// Internal code of a SIMD instruction: [Op.SIMD, length, sub-opcode, immediates...]. The sub-opcode
// is the wasm one (0x00..0xff, relaxed 0x100..0x113) or one of the V_* forms below.
//
// Relaxed SIMD lets an engine choose among several results; ours always makes the same choice, so a
// debugging session replays exactly: relaxed_swizzle = swizzle, relaxed_trunc* = trunc_sat*,
// relaxed_madd/nmadd = not fused, relaxed_laneselect = bitselect, relaxed_min/max = min/max,
// relaxed_q15mulr_s = q15mulr_sat_s, relaxed_dot* = signed second operand (details at each case).

import type { Instr, ValType } from './types';
import type { GlobalInst, MemoryInst } from './runtime';
import { fNearest, i32TruncSatS, i32TruncSatU, mulHigh32 } from './numeric';

/** v128 forms of the variable instructions (sub-opcodes no wasm instruction has). */
export const V_LOCAL_GET = 0x120;
export const V_LOCAL_SET = 0x121;
export const V_LOCAL_TEE = 0x122;
export const V_GLOBAL_GET = 0x123;
export const V_GLOBAL_SET = 0x124;
export const V_SELECT = 0x125;

/** The value-stack arrays runSimd works on (the Store's current views). */
export interface SimdStack {
  I32: Int32Array;
  V: Int32Array;
}

// ---------------------------------------------------------------- signatures

const V: ValType = 'v128';
const I32: ValType = 'i32';

const sigs: ([ValType[], ValType | null] | undefined)[] = [];

function sig(first: number, last: number, pops: ValType[], push: ValType | null): void {
  for (let s = first; s <= last; s++) sigs[s] = [pops, push];
}

const unary = [V];
const binary = [V, V];
const ternary = [V, V, V];
sig(0x00, 0x0a, [I32], V); // loads
sig(0x0b, 0x0b, [I32, V], null); // v128.store
sig(0x0c, 0x0c, [], V); // v128.const
sig(0x0d, 0x0e, binary, V); // shuffle, swizzle
sig(0x0f, 0x11, [I32], V);
sig(0x12, 0x12, ['i64'], V);
sig(0x13, 0x13, ['f32'], V);
sig(0x14, 0x14, ['f64'], V);
sig(0x15, 0x16, unary, I32);
sig(0x17, 0x17, [V, I32], V);
sig(0x18, 0x19, unary, I32);
sig(0x1a, 0x1a, [V, I32], V);
sig(0x1b, 0x1b, unary, I32);
sig(0x1c, 0x1c, [V, I32], V);
sig(0x1d, 0x1d, unary, 'i64');
sig(0x1e, 0x1e, [V, 'i64'], V);
sig(0x1f, 0x1f, unary, 'f32');
sig(0x20, 0x20, [V, 'f32'], V);
sig(0x21, 0x21, unary, 'f64');
sig(0x22, 0x22, [V, 'f64'], V);
sig(0x23, 0x4c, binary, V); // comparisons
sig(0x4d, 0x4d, unary, V);
sig(0x4e, 0x51, binary, V);
sig(0x52, 0x52, ternary, V);
sig(0x53, 0x53, unary, I32);
sig(0x54, 0x57, [I32, V], V); // load lane
sig(0x58, 0x5b, [I32, V], null); // store lane
sig(0x5c, 0x5d, [I32], V);
sig(0x5e, 0xff, binary, V); // most of the rest are binary; the exceptions follow
const UNARY_OPS = [
  0x5e, 0x5f, 0x60, 0x61, 0x62, 0x67, 0x68, 0x69, 0x6a, 0x74, 0x75, 0x7a, 0x7c, 0x7d, 0x7e, 0x7f,
  0x80, 0x81, 0x87, 0x88, 0x89, 0x8a, 0x94, 0xa0, 0xa1, 0xa7, 0xa8, 0xa9, 0xaa, 0xc0, 0xc1, 0xc7,
  0xc8, 0xc9, 0xca, 0xe0, 0xe1, 0xe3, 0xec, 0xed, 0xef, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
  0x101, 0x102, 0x103, 0x104,
];
for (const s of UNARY_OPS) sigs[s] = [unary, V];
for (const s of [0x63, 0x64, 0x83, 0x84, 0xa3, 0xa4, 0xc3, 0xc4]) sigs[s] = [unary, I32]; // all_true, bitmask
for (const s of [0x6b, 0x6c, 0x6d, 0x8b, 0x8c, 0x8d, 0xab, 0xac, 0xad, 0xcb, 0xcc, 0xcd]) sigs[s] = [[V, I32], V]; // shifts
for (const s of [0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee]) sigs[s] = undefined;
sig(0x100, 0x100, binary, V);
sig(0x105, 0x10c, ternary, V); // madd, nmadd, laneselect
sig(0x10d, 0x112, binary, V);
sig(0x113, 0x113, ternary, V);

// How runSimd finds an instruction's operands: v128 -> v128 lane maps of one, two or three operands,
// or 0 for anything else (handled case by case).
const UNARY = 1;
const BINARY = 2;
const TERNARY = 3;
const kinds = new Uint8Array(0x126);
sigs.forEach((s, sub) => {
  if (s !== undefined && s[1] === V && s[0].length > 0 && s[0].every((t) => t === V)) kinds[sub] = s[0].length;
});

/** Operand types and result type (null: none) of a SIMD sub-opcode, or undefined when there is no such instruction. */
export function simdSignature(sub: number): [ValType[], ValType | null] | undefined {
  return sigs[sub];
}

/** The 16 bytes as four little-endian 32-bit words. */
function words(bytes: Uint8Array): number[] {
  const w: number[] = [];
  for (let i = 0; i < 16; i += 4) w.push(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  return w;
}

/** The immediates of a SIMD instruction in the internal code. */
export function simdImmediates(sub: number, ins: Instr): number[] {
  if (sub === 0x0c || sub === 0x0d) return words(ins.bytes!);
  if (sub >= 0x15 && sub <= 0x22) return [ins.lane!];
  if (sub <= 0x0b || sub === 0x5c || sub === 0x5d) return [ins.memarg!.offset];
  if (sub >= 0x54 && sub <= 0x5b) return [ins.memarg!.offset, ins.lane!];
  return [];
}

// ---------------------------------------------------------------- scratch lanes

const scratch = new ArrayBuffer(64);
const S8 = new Int8Array(scratch);
const U8 = new Uint8Array(scratch);
const S16 = new Int16Array(scratch);
const U16 = new Uint16Array(scratch);
const S32 = new Int32Array(scratch);
const U32 = new Uint32Array(scratch);
const F32 = new Float32Array(scratch);
const F64 = new Float64Array(scratch);
/** The scratch words (A at 0, B at 4, C at 8, R at 12) the lane functions below work on; the compiled tier (tier/simd.ts) calls them too. */
export const laneWords = S32;
// Operand A starts at byte 0, B at 16, C at 32, the result R at 48.
const A = 0;
const B = 1;
const C = 2;
const R = 3;

function load(I: Int32Array, Hi: Int32Array, slot: number, which: number): void {
  const s = slot << 1;
  const w = which << 2;
  S32[w] = I[s];
  S32[w + 1] = I[s + 1];
  S32[w + 2] = Hi[s];
  S32[w + 3] = Hi[s + 1];
}

function save(I: Int32Array, Hi: Int32Array, slot: number, which: number): void {
  const s = slot << 1;
  const w = which << 2;
  I[s] = S32[w];
  I[s + 1] = S32[w + 1];
  Hi[s] = S32[w + 2];
  Hi[s + 1] = S32[w + 3];
}

/** Copies the v128 in slot `src` to slot `dest`. */
function copySlot(I: Int32Array, Hi: Int32Array, src: number, dest: number): void {
  const a = src << 1;
  const b = dest << 1;
  I[b] = I[a];
  I[b + 1] = I[a + 1];
  Hi[b] = Hi[a];
  Hi[b + 1] = Hi[a + 1];
}

// ---------------------------------------------------------------- 64-bit lanes on 32-bit words

function add64(x: number, y: number, r: number): void {
  const lo = (S32[x] >>> 0) + (S32[y] >>> 0);
  S32[r + 1] = (S32[x + 1] + S32[y + 1] + (lo > 0xffffffff ? 1 : 0)) | 0;
  S32[r] = lo | 0;
}

function sub64(x: number, y: number, r: number): void {
  const lo = (S32[x] >>> 0) - (S32[y] >>> 0);
  S32[r + 1] = (S32[x + 1] - S32[y + 1] - (lo < 0 ? 1 : 0)) | 0;
  S32[r] = lo | 0;
}

/** The low 64 bits of (xhi:xlo) * (yhi:ylo) into words r, r + 1. */
function mul64(xlo: number, xhi: number, ylo: number, yhi: number, r: number): void {
  S32[r + 1] = (mulHigh32(xlo, ylo) + Math.imul(xlo, yhi) + Math.imul(xhi, ylo)) | 0;
  S32[r] = Math.imul(xlo, ylo);
}

function neg64(x: number, r: number): void {
  const lo = -(S32[x] >>> 0);
  S32[r + 1] = (~S32[x + 1] + (lo === 0 ? 1 : 0)) | 0;
  S32[r] = lo | 0;
}

function shl64(x: number, k: number, r: number): void {
  const lo = S32[x];
  const hi = S32[x + 1];
  if (k >= 32) { S32[r + 1] = lo << (k - 32); S32[r] = 0; }
  else if (k !== 0) { S32[r + 1] = (hi << k) | (lo >>> (32 - k)); S32[r] = lo << k; }
  else { S32[r] = lo; S32[r + 1] = hi; }
}

function shr64(x: number, k: number, r: number, signed: boolean): void {
  const lo = S32[x];
  const hi = S32[x + 1];
  if (k >= 32) { S32[r] = signed ? hi >> (k - 32) : hi >>> (k - 32); S32[r + 1] = signed ? hi >> 31 : 0; }
  else if (k !== 0) { S32[r] = (lo >>> k) | (hi << (32 - k)); S32[r + 1] = signed ? hi >> k : hi >>> k; }
  else { S32[r] = lo; S32[r + 1] = hi; }
}

/** Signed comparison of the 64-bit words at x and y: negative, zero or positive. */
function cmp64(x: number, y: number): number {
  const xh = S32[x + 1];
  const yh = S32[y + 1];
  if (xh !== yh) return xh < yh ? -1 : 1;
  const xl = S32[x] >>> 0;
  const yl = S32[y] >>> 0;
  return xl === yl ? 0 : xl < yl ? -1 : 1;
}

// ---------------------------------------------------------------- lane helpers

function sat(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x;
}

/** Integer comparisons in wasm's order eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u: all-ones or zero. */
function icmp(c: number, s: number, t: number, u: number, v: number): number {
  switch (c) {
    case 0: return s === t ? -1 : 0;
    case 1: return s !== t ? -1 : 0;
    case 2: return s < t ? -1 : 0;
    case 3: return u < v ? -1 : 0;
    case 4: return s > t ? -1 : 0;
    case 5: return u > v ? -1 : 0;
    case 6: return s <= t ? -1 : 0;
    case 7: return u <= v ? -1 : 0;
    case 8: return s >= t ? -1 : 0;
    default: return u >= v ? -1 : 0;
  }
}

/** Float comparisons in wasm's order eq ne lt gt le ge. */
function fcmp(c: number, x: number, y: number): number {
  switch (c) {
    case 0: return x === y ? -1 : 0;
    case 1: return x !== y ? -1 : 0;
    case 2: return x < y ? -1 : 0;
    case 3: return x > y ? -1 : 0;
    case 4: return x <= y ? -1 : 0;
    default: return x >= y ? -1 : 0;
  }
}

function popcnt8(x: number): number {
  x = x - ((x >>> 1) & 0x55);
  x = (x & 0x33) + ((x >>> 2) & 0x33);
  return (x + (x >>> 4)) & 0x0f;
}

/** Unary lane operations (A -> R) other than the bitwise ones. */
export function unaryLanes(sub: number): void {
  switch (sub) {
    case 0x4d: for (let i = 0; i < 4; i++) S32[12 + i] = ~S32[i]; return;
    case 0x5e: // f32x4.demote_f64x2_zero: one rounding per lane (a Float32Array store rounds ties to even)
      F32[12] = F64[0]; F32[13] = F64[1]; S32[14] = 0; S32[15] = 0; return;
    case 0x5f: F64[6] = F32[0]; F64[7] = F32[1]; return; // f64x2.promote_low_f32x4
    case 0x60: for (let i = 0; i < 16; i++) S8[48 + i] = Math.abs(S8[i]); return;
    case 0x61: for (let i = 0; i < 16; i++) S8[48 + i] = -S8[i]; return;
    case 0x62: for (let i = 0; i < 16; i++) U8[48 + i] = popcnt8(U8[i]); return;
    case 0x67: for (let i = 0; i < 4; i++) F32[12 + i] = Math.ceil(F32[i]); return;
    case 0x68: for (let i = 0; i < 4; i++) F32[12 + i] = Math.floor(F32[i]); return;
    case 0x69: for (let i = 0; i < 4; i++) F32[12 + i] = Math.trunc(F32[i]); return;
    case 0x6a: for (let i = 0; i < 4; i++) F32[12 + i] = fNearest(F32[i]); return;
    // V8 returns a NaN operand of Math.ceil & co. as it is, a signalling one included: quiet it.
    case 0x74: for (let i = 0; i < 2; i++) { const x = F64[i]; F64[6 + i] = x !== x ? NaN : Math.ceil(x); } return;
    case 0x75: for (let i = 0; i < 2; i++) { const x = F64[i]; F64[6 + i] = x !== x ? NaN : Math.floor(x); } return;
    case 0x7a: for (let i = 0; i < 2; i++) { const x = F64[i]; F64[6 + i] = x !== x ? NaN : Math.trunc(x); } return;
    case 0x94: for (let i = 0; i < 2; i++) { const x = F64[i]; F64[6 + i] = x !== x ? NaN : fNearest(x); } return;
    case 0x7c: for (let i = 0; i < 8; i++) S16[24 + i] = S8[2 * i] + S8[2 * i + 1]; return;
    case 0x7d: for (let i = 0; i < 8; i++) S16[24 + i] = U8[2 * i] + U8[2 * i + 1]; return;
    case 0x7e: for (let i = 0; i < 4; i++) S32[12 + i] = S16[2 * i] + S16[2 * i + 1]; return;
    case 0x7f: for (let i = 0; i < 4; i++) S32[12 + i] = U16[2 * i] + U16[2 * i + 1]; return;
    case 0x80: for (let i = 0; i < 8; i++) S16[24 + i] = Math.abs(S16[i]); return;
    case 0x81: for (let i = 0; i < 8; i++) S16[24 + i] = -S16[i]; return;
    case 0x87: for (let i = 0; i < 8; i++) S16[24 + i] = S8[i]; return;
    case 0x88: for (let i = 0; i < 8; i++) S16[24 + i] = S8[8 + i]; return;
    case 0x89: for (let i = 0; i < 8; i++) S16[24 + i] = U8[i]; return;
    case 0x8a: for (let i = 0; i < 8; i++) S16[24 + i] = U8[8 + i]; return;
    case 0xa0: for (let i = 0; i < 4; i++) S32[12 + i] = Math.abs(S32[i]); return;
    case 0xa1: for (let i = 0; i < 4; i++) S32[12 + i] = -S32[i]; return;
    case 0xa7: for (let i = 0; i < 4; i++) S32[12 + i] = S16[i]; return;
    case 0xa8: for (let i = 0; i < 4; i++) S32[12 + i] = S16[4 + i]; return;
    case 0xa9: for (let i = 0; i < 4; i++) S32[12 + i] = U16[i]; return;
    case 0xaa: for (let i = 0; i < 4; i++) S32[12 + i] = U16[4 + i]; return;
    case 0xc0: for (let i = 0; i < 4; i += 2) { if (S32[i + 1] < 0) neg64(i, 12 + i); else { S32[12 + i] = S32[i]; S32[13 + i] = S32[i + 1]; } } return;
    case 0xc1: neg64(0, 12); neg64(2, 14); return;
    case 0xc7: S32[12] = S32[0]; S32[13] = S32[0] >> 31; S32[14] = S32[1]; S32[15] = S32[1] >> 31; return;
    case 0xc8: S32[12] = S32[2]; S32[13] = S32[2] >> 31; S32[14] = S32[3]; S32[15] = S32[3] >> 31; return;
    case 0xc9: S32[12] = S32[0]; S32[13] = 0; S32[14] = S32[1]; S32[15] = 0; return;
    case 0xca: S32[12] = S32[2]; S32[13] = 0; S32[14] = S32[3]; S32[15] = 0; return;
    // abs and neg flip or clear sign bits only, so NaN payloads pass unchanged.
    case 0xe0: for (let i = 0; i < 4; i++) S32[12 + i] = S32[i] & 0x7fffffff; return;
    case 0xe1: for (let i = 0; i < 4; i++) S32[12 + i] = S32[i] ^ 0x80000000; return;
    case 0xe3: for (let i = 0; i < 4; i++) F32[12 + i] = Math.sqrt(F32[i]); return;
    case 0xec: S32[12] = S32[0]; S32[13] = S32[1] & 0x7fffffff; S32[14] = S32[2]; S32[15] = S32[3] & 0x7fffffff; return;
    case 0xed: S32[12] = S32[0]; S32[13] = S32[1] ^ 0x80000000; S32[14] = S32[2]; S32[15] = S32[3] ^ 0x80000000; return;
    case 0xef: F64[6] = Math.sqrt(F64[0]); F64[7] = Math.sqrt(F64[1]); return;
    // Relaxed truncations behave as the saturating ones (NaN -> 0, out of range clamps), one of the allowed results.
    case 0xf8: case 0x101: for (let i = 0; i < 4; i++) S32[12 + i] = i32TruncSatS(F32[i]); return;
    case 0xf9: case 0x102: for (let i = 0; i < 4; i++) S32[12 + i] = i32TruncSatU(F32[i]); return;
    case 0xfa: for (let i = 0; i < 4; i++) F32[12 + i] = S32[i]; return;
    case 0xfb: for (let i = 0; i < 4; i++) F32[12 + i] = U32[i]; return;
    case 0xfc: case 0x103: S32[12] = i32TruncSatS(F64[0]); S32[13] = i32TruncSatS(F64[1]); S32[14] = 0; S32[15] = 0; return;
    case 0xfd: case 0x104: S32[12] = i32TruncSatU(F64[0]); S32[13] = i32TruncSatU(F64[1]); S32[14] = 0; S32[15] = 0; return;
    case 0xfe: F64[6] = S32[0]; F64[7] = S32[1]; return;
    case 0xff: F64[6] = U32[0]; F64[7] = U32[1]; return;
  }
}

/** Binary lane operations (A, B -> R). */
export function binaryLanes(sub: number, code: Int32Array, pc: number): void {
  if (sub >= 0x23 && sub <= 0x2c) { const c = sub - 0x23; for (let i = 0; i < 16; i++) S8[48 + i] = icmp(c, S8[i], S8[16 + i], U8[i], U8[16 + i]); return; }
  if (sub >= 0x2d && sub <= 0x36) { const c = sub - 0x2d; for (let i = 0; i < 8; i++) S16[24 + i] = icmp(c, S16[i], S16[8 + i], U16[i], U16[8 + i]); return; }
  if (sub >= 0x37 && sub <= 0x40) { const c = sub - 0x37; for (let i = 0; i < 4; i++) S32[12 + i] = icmp(c, S32[i], S32[4 + i], U32[i], U32[4 + i]); return; }
  if (sub >= 0x41 && sub <= 0x46) { const c = sub - 0x41; for (let i = 0; i < 4; i++) S32[12 + i] = fcmp(c, F32[i], F32[4 + i]); return; }
  if (sub >= 0x47 && sub <= 0x4c) {
    const c = sub - 0x47;
    for (let i = 0; i < 2; i++) { const m = fcmp(c, F64[i], F64[2 + i]); S32[12 + 2 * i] = m; S32[13 + 2 * i] = m; }
    return;
  }
  if (sub >= 0xd6 && sub <= 0xdb) {
    for (let i = 0; i < 4; i += 2) {
      const d = cmp64(i, 4 + i);
      let m: boolean;
      switch (sub) {
        case 0xd6: m = d === 0; break;
        case 0xd7: m = d !== 0; break;
        case 0xd8: m = d < 0; break;
        case 0xd9: m = d > 0; break;
        case 0xda: m = d <= 0; break;
        default: m = d >= 0;
      }
      S32[12 + i] = S32[13 + i] = m ? -1 : 0;
    }
    return;
  }
  switch (sub) {
    case 0x0d: // i8x16.shuffle: lane indices are the instruction's immediate bytes
      for (let i = 0; i < 16; i++) {
        const l = (code[pc + 3 + (i >> 2)] >>> ((i & 3) << 3)) & 0x1f;
        U8[48 + i] = U8[l]; // A's bytes are 0..15 of the scratch, B's 16..31
      }
      return;
    // relaxed_swizzle behaves as swizzle: an index beyond 15 selects 0, one of the allowed results.
    case 0x0e: case 0x100: for (let i = 0; i < 16; i++) { const l = U8[16 + i]; U8[48 + i] = l < 16 ? U8[l] : 0; } return;
    case 0x4e: for (let i = 0; i < 4; i++) S32[12 + i] = S32[i] & S32[4 + i]; return;
    case 0x4f: for (let i = 0; i < 4; i++) S32[12 + i] = S32[i] & ~S32[4 + i]; return;
    case 0x50: for (let i = 0; i < 4; i++) S32[12 + i] = S32[i] | S32[4 + i]; return;
    case 0x51: for (let i = 0; i < 4; i++) S32[12 + i] = S32[i] ^ S32[4 + i]; return;
    case 0x65: for (let i = 0; i < 8; i++) { S8[48 + i] = sat(S16[i], -128, 127); S8[56 + i] = sat(S16[8 + i], -128, 127); } return;
    case 0x66: for (let i = 0; i < 8; i++) { U8[48 + i] = sat(S16[i], 0, 255); U8[56 + i] = sat(S16[8 + i], 0, 255); } return;
    case 0x6e: for (let i = 0; i < 16; i++) U8[48 + i] = U8[i] + U8[16 + i]; return;
    case 0x6f: for (let i = 0; i < 16; i++) S8[48 + i] = sat(S8[i] + S8[16 + i], -128, 127); return;
    case 0x70: for (let i = 0; i < 16; i++) U8[48 + i] = sat(U8[i] + U8[16 + i], 0, 255); return;
    case 0x71: for (let i = 0; i < 16; i++) U8[48 + i] = U8[i] - U8[16 + i]; return;
    case 0x72: for (let i = 0; i < 16; i++) S8[48 + i] = sat(S8[i] - S8[16 + i], -128, 127); return;
    case 0x73: for (let i = 0; i < 16; i++) U8[48 + i] = sat(U8[i] - U8[16 + i], 0, 255); return;
    case 0x76: for (let i = 0; i < 16; i++) S8[48 + i] = Math.min(S8[i], S8[16 + i]); return;
    case 0x77: for (let i = 0; i < 16; i++) U8[48 + i] = Math.min(U8[i], U8[16 + i]); return;
    case 0x78: for (let i = 0; i < 16; i++) S8[48 + i] = Math.max(S8[i], S8[16 + i]); return;
    case 0x79: for (let i = 0; i < 16; i++) U8[48 + i] = Math.max(U8[i], U8[16 + i]); return;
    case 0x7b: for (let i = 0; i < 16; i++) U8[48 + i] = (U8[i] + U8[16 + i] + 1) >>> 1; return;
    // q15mulr_sat_s; the relaxed form behaves the same (saturating), one of the allowed results.
    case 0x82: case 0x111: for (let i = 0; i < 8; i++) S16[24 + i] = sat((S16[i] * S16[8 + i] + 0x4000) >> 15, -32768, 32767); return;
    case 0x85: for (let i = 0; i < 4; i++) { S16[24 + i] = sat(S32[i], -32768, 32767); S16[28 + i] = sat(S32[4 + i], -32768, 32767); } return;
    case 0x86: for (let i = 0; i < 4; i++) { U16[24 + i] = sat(S32[i], 0, 65535); U16[28 + i] = sat(S32[4 + i], 0, 65535); } return;
    case 0x8e: for (let i = 0; i < 8; i++) U16[24 + i] = U16[i] + U16[8 + i]; return;
    case 0x8f: for (let i = 0; i < 8; i++) S16[24 + i] = sat(S16[i] + S16[8 + i], -32768, 32767); return;
    case 0x90: for (let i = 0; i < 8; i++) U16[24 + i] = sat(U16[i] + U16[8 + i], 0, 65535); return;
    case 0x91: for (let i = 0; i < 8; i++) U16[24 + i] = U16[i] - U16[8 + i]; return;
    case 0x92: for (let i = 0; i < 8; i++) S16[24 + i] = sat(S16[i] - S16[8 + i], -32768, 32767); return;
    case 0x93: for (let i = 0; i < 8; i++) U16[24 + i] = sat(U16[i] - U16[8 + i], 0, 65535); return;
    case 0x95: for (let i = 0; i < 8; i++) S16[24 + i] = Math.imul(S16[i], S16[8 + i]); return;
    case 0x96: for (let i = 0; i < 8; i++) S16[24 + i] = Math.min(S16[i], S16[8 + i]); return;
    case 0x97: for (let i = 0; i < 8; i++) U16[24 + i] = Math.min(U16[i], U16[8 + i]); return;
    case 0x98: for (let i = 0; i < 8; i++) S16[24 + i] = Math.max(S16[i], S16[8 + i]); return;
    case 0x99: for (let i = 0; i < 8; i++) U16[24 + i] = Math.max(U16[i], U16[8 + i]); return;
    case 0x9b: for (let i = 0; i < 8; i++) U16[24 + i] = (U16[i] + U16[8 + i] + 1) >>> 1; return;
    case 0x9c: for (let i = 0; i < 8; i++) S16[24 + i] = S8[i] * S8[16 + i]; return;
    case 0x9d: for (let i = 0; i < 8; i++) S16[24 + i] = S8[8 + i] * S8[24 + i]; return;
    case 0x9e: for (let i = 0; i < 8; i++) U16[24 + i] = U8[i] * U8[16 + i]; return;
    case 0x9f: for (let i = 0; i < 8; i++) U16[24 + i] = U8[8 + i] * U8[24 + i]; return;
    case 0xae: for (let i = 0; i < 4; i++) S32[12 + i] = (S32[i] + S32[4 + i]) | 0; return;
    case 0xb1: for (let i = 0; i < 4; i++) S32[12 + i] = (S32[i] - S32[4 + i]) | 0; return;
    case 0xb5: for (let i = 0; i < 4; i++) S32[12 + i] = Math.imul(S32[i], S32[4 + i]); return;
    case 0xb6: for (let i = 0; i < 4; i++) S32[12 + i] = Math.min(S32[i], S32[4 + i]); return;
    case 0xb7: for (let i = 0; i < 4; i++) U32[12 + i] = Math.min(U32[i], U32[4 + i]); return;
    case 0xb8: for (let i = 0; i < 4; i++) S32[12 + i] = Math.max(S32[i], S32[4 + i]); return;
    case 0xb9: for (let i = 0; i < 4; i++) U32[12 + i] = Math.max(U32[i], U32[4 + i]); return;
    case 0xba: for (let i = 0; i < 4; i++) S32[12 + i] = S16[2 * i] * S16[8 + 2 * i] + S16[2 * i + 1] * S16[9 + 2 * i]; return;
    case 0xbc: for (let i = 0; i < 4; i++) S32[12 + i] = S16[i] * S16[8 + i]; return;
    case 0xbd: for (let i = 0; i < 4; i++) S32[12 + i] = S16[4 + i] * S16[12 + i]; return;
    case 0xbe: for (let i = 0; i < 4; i++) U32[12 + i] = U16[i] * U16[8 + i]; return;
    case 0xbf: for (let i = 0; i < 4; i++) U32[12 + i] = U16[4 + i] * U16[12 + i]; return;
    case 0xce: add64(0, 4, 12); add64(2, 6, 14); return;
    case 0xd1: sub64(0, 4, 12); sub64(2, 6, 14); return;
    case 0xd5: mul64(S32[0], S32[1], S32[4], S32[5], 12); mul64(S32[2], S32[3], S32[6], S32[7], 14); return;
    case 0xdc: mul64(S32[0], S32[0] >> 31, S32[4], S32[4] >> 31, 12); mul64(S32[1], S32[1] >> 31, S32[5], S32[5] >> 31, 14); return;
    case 0xdd: mul64(S32[2], S32[2] >> 31, S32[6], S32[6] >> 31, 12); mul64(S32[3], S32[3] >> 31, S32[7], S32[7] >> 31, 14); return;
    case 0xde: mul64(S32[0], 0, S32[4], 0, 12); mul64(S32[1], 0, S32[5], 0, 14); return;
    case 0xdf: mul64(S32[2], 0, S32[6], 0, 12); mul64(S32[3], 0, S32[7], 0, 14); return;
    case 0xe4: for (let i = 0; i < 4; i++) F32[12 + i] = F32[i] + F32[4 + i]; return;
    case 0xe5: for (let i = 0; i < 4; i++) F32[12 + i] = F32[i] - F32[4 + i]; return;
    case 0xe6: for (let i = 0; i < 4; i++) F32[12 + i] = F32[i] * F32[4 + i]; return;
    case 0xe7: for (let i = 0; i < 4; i++) F32[12 + i] = F32[i] / F32[4 + i]; return;
    // min/max: NaN if either is NaN, -0 below +0 (Math.min/max). The relaxed forms behave the same.
    case 0xe8: case 0x10d: for (let i = 0; i < 4; i++) F32[12 + i] = Math.min(F32[i], F32[4 + i]); return;
    case 0xe9: case 0x10e: for (let i = 0; i < 4; i++) F32[12 + i] = Math.max(F32[i], F32[4 + i]); return;
    // pmin/pmax pick one operand's bits as they are (b < a ? b : a), NaN payloads included.
    case 0xea: for (let i = 0; i < 4; i++) S32[12 + i] = F32[4 + i] < F32[i] ? S32[4 + i] : S32[i]; return;
    case 0xeb: for (let i = 0; i < 4; i++) S32[12 + i] = F32[i] < F32[4 + i] ? S32[4 + i] : S32[i]; return;
    case 0xf0: F64[6] = F64[0] + F64[2]; F64[7] = F64[1] + F64[3]; return;
    case 0xf1: F64[6] = F64[0] - F64[2]; F64[7] = F64[1] - F64[3]; return;
    case 0xf2: F64[6] = F64[0] * F64[2]; F64[7] = F64[1] * F64[3]; return;
    case 0xf3: F64[6] = F64[0] / F64[2]; F64[7] = F64[1] / F64[3]; return;
    case 0xf4: case 0x10f: F64[6] = Math.min(F64[0], F64[2]); F64[7] = Math.min(F64[1], F64[3]); return;
    case 0xf5: case 0x110: F64[6] = Math.max(F64[0], F64[2]); F64[7] = Math.max(F64[1], F64[3]); return;
    case 0xf6: case 0xf7:
      for (let i = 0; i < 2; i++) {
        const pickB = sub === 0xf6 ? F64[2 + i] < F64[i] : F64[i] < F64[2 + i];
        const w = pickB ? 4 + 2 * i : 2 * i;
        S32[12 + 2 * i] = S32[w];
        S32[13 + 2 * i] = S32[w + 1];
      }
      return;
    // relaxed_dot_i8x16_i7x16_s: the second operand is read as signed, and each pair's sum
    // saturates to i16 (the same as when its lanes are in 0..127, where every choice agrees).
    case 0x112: for (let i = 0; i < 8; i++) S16[24 + i] = sat(S8[2 * i] * S8[16 + 2 * i] + S8[2 * i + 1] * S8[17 + 2 * i], -32768, 32767); return;
  }
}

/** Ternary lane operations (A, B, C -> R). */
export function ternaryLanes(sub: number): void {
  switch (sub) {
    // bitselect; every relaxed_laneselect behaves as bitselect, one of the allowed results.
    case 0x52: case 0x109: case 0x10a: case 0x10b: case 0x10c:
      for (let i = 0; i < 4; i++) S32[12 + i] = (S32[i] & S32[8 + i]) | (S32[4 + i] & ~S32[8 + i]);
      return;
    // relaxed_madd / relaxed_nmadd are not fused: a * b rounds to the lane type, then the addition
    // rounds (for f32 the exact double product rounded by fround, then a sum of two f32 rounded once).
    case 0x105: for (let i = 0; i < 4; i++) F32[12 + i] = Math.fround(F32[i] * F32[4 + i]) + F32[8 + i]; return;
    case 0x106: for (let i = 0; i < 4; i++) F32[12 + i] = -Math.fround(F32[i] * F32[4 + i]) + F32[8 + i]; return;
    case 0x107: F64[6] = F64[0] * F64[2] + F64[4]; F64[7] = F64[1] * F64[3] + F64[5]; return;
    case 0x108: F64[6] = -(F64[0] * F64[2]) + F64[4]; F64[7] = -(F64[1] * F64[3]) + F64[5]; return;
    // relaxed_dot_i8x16_i7x16_add_s: the second operand is read as signed, the four products of a
    // lane are summed exactly and added to the accumulator lane modulo 2^32.
    case 0x113:
      for (let i = 0; i < 4; i++) {
        let sum = 0;
        for (let k = 4 * i; k < 4 * i + 4; k++) sum += S8[k] * S8[16 + k];
        S32[12 + i] = (sum + S32[8 + i]) | 0;
      }
      return;
  }
}

export function shiftLanes(sub: number, count: number): void {
  switch (sub) {
    case 0x6b: { const k = count & 7; for (let i = 0; i < 16; i++) U8[48 + i] = U8[i] << k; return; }
    case 0x6c: { const k = count & 7; for (let i = 0; i < 16; i++) S8[48 + i] = S8[i] >> k; return; }
    case 0x6d: { const k = count & 7; for (let i = 0; i < 16; i++) U8[48 + i] = U8[i] >>> k; return; }
    case 0x8b: { const k = count & 15; for (let i = 0; i < 8; i++) U16[24 + i] = U16[i] << k; return; }
    case 0x8c: { const k = count & 15; for (let i = 0; i < 8; i++) S16[24 + i] = S16[i] >> k; return; }
    case 0x8d: { const k = count & 15; for (let i = 0; i < 8; i++) U16[24 + i] = U16[i] >>> k; return; }
    case 0xab: for (let i = 0; i < 4; i++) S32[12 + i] = S32[i] << count; return; // JS shifts count modulo 32
    case 0xac: for (let i = 0; i < 4; i++) S32[12 + i] = S32[i] >> count; return;
    case 0xad: for (let i = 0; i < 4; i++) S32[12 + i] = S32[i] >>> count; return;
    case 0xcb: shl64(0, count & 63, 12); shl64(2, count & 63, 14); return;
    case 0xcc: shr64(0, count & 63, 12, true); shr64(2, count & 63, 14, true); return;
    case 0xcd: shr64(0, count & 63, 12, false); shr64(2, count & 63, 14, false); return;
  }
}

/** any_true, all_true and bitmask of A. */
export function testLanes(sub: number): number {
  let r = 0;
  switch (sub) {
    case 0x53: return (S32[0] | S32[1] | S32[2] | S32[3]) !== 0 ? 1 : 0;
    case 0x63: for (let i = 0; i < 16; i++) if (U8[i] === 0) return 0; return 1;
    case 0x83: for (let i = 0; i < 8; i++) if (U16[i] === 0) return 0; return 1;
    case 0xa3: for (let i = 0; i < 4; i++) if (S32[i] === 0) return 0; return 1;
    case 0xc3: return (S32[0] | S32[1]) !== 0 && (S32[2] | S32[3]) !== 0 ? 1 : 0;
    case 0x64: for (let i = 0; i < 16; i++) r |= (U8[i] >>> 7) << i; return r;
    case 0x84: for (let i = 0; i < 8; i++) r |= (U16[i] >>> 15) << i; return r;
    case 0xa4: for (let i = 0; i < 4; i++) r |= (S32[i] >>> 31) << i; return r;
    default: return (S32[1] >>> 31) | ((S32[3] >>> 31) << 1); // 0xc4 i64x2.bitmask
  }
}

// ---------------------------------------------------------------- memory

/** Bytes each load (0x00..0x0a, 0x5c, 0x5d) and lane access (0x54..0x5b) reads or writes. */
const ACCESS = new Int32Array(0x5e);
ACCESS.set([16, 8, 8, 8, 8, 8, 8, 1, 2, 4, 8, 16], 0);
ACCESS.set([1, 2, 4, 8, 1, 2, 4, 8, 4, 8], 0x54);

/** A load into R from memory at `ea` (bounds already checked). */
function loadLanes(sub: number, u8: Uint8Array, view: DataView, ea: number): void {
  switch (sub) {
    case 0x00: for (let i = 0; i < 16; i++) U8[48 + i] = u8[ea + i]; return;
    case 0x01: for (let i = 0; i < 8; i++) S16[24 + i] = (u8[ea + i] << 24) >> 24; return;
    case 0x02: for (let i = 0; i < 8; i++) S16[24 + i] = u8[ea + i]; return;
    case 0x03: for (let i = 0; i < 4; i++) S32[12 + i] = view.getInt16(ea + 2 * i, true); return;
    case 0x04: for (let i = 0; i < 4; i++) S32[12 + i] = view.getUint16(ea + 2 * i, true); return;
    case 0x05: case 0x06:
      for (let i = 0; i < 2; i++) {
        const v = view.getInt32(ea + 4 * i, true);
        S32[12 + 2 * i] = v;
        S32[13 + 2 * i] = sub === 0x05 ? v >> 31 : 0;
      }
      return;
    case 0x07: U8.fill(u8[ea], 48, 64); return;
    case 0x08: U16.fill(view.getUint16(ea, true), 24, 32); return;
    case 0x09: S32.fill(view.getInt32(ea, true), 12, 16); return;
    case 0x0a: { const lo = view.getInt32(ea, true); const hi = view.getInt32(ea + 4, true); S32[12] = S32[14] = lo; S32[13] = S32[15] = hi; return; }
    case 0x5c: S32[12] = view.getInt32(ea, true); S32[13] = S32[14] = S32[15] = 0; return;
    case 0x5d: S32[12] = view.getInt32(ea, true); S32[13] = view.getInt32(ea + 4, true); S32[14] = S32[15] = 0; return;
  }
}

// ---------------------------------------------------------------- the instruction

/**
 * Runs the SIMD instruction at `pc` (its operands end at `sp`) and returns the new stack top, or
 * -1 for an out-of-bounds memory access (the only trap a SIMD instruction has), leaving the
 * stack as it was.
 */
export function runSimd(st: SimdStack, code: Int32Array, pc: number, sp: number, fp: number, memory: MemoryInst | null, globals: GlobalInst[]): number {
  const I = st.I32;
  const Hi = st.V;
  const sub = code[pc + 2];
  switch (kinds[sub]) {
      case UNARY:
        load(I, Hi, sp - 1, A);
        unaryLanes(sub);
        save(I, Hi, sp - 1, R);
        return sp;
      case BINARY:
        load(I, Hi, sp - 2, A);
        load(I, Hi, sp - 1, B);
        binaryLanes(sub, code, pc);
        save(I, Hi, sp - 2, R);
        return sp - 1;
      case TERNARY:
        load(I, Hi, sp - 3, A);
        load(I, Hi, sp - 2, B);
        load(I, Hi, sp - 1, C);
        ternaryLanes(sub);
        save(I, Hi, sp - 3, R);
        return sp - 2;
  }
  switch (sub) {
    case 0x0c: { // v128.const
      const a = sp << 1;
      I[a] = code[pc + 3];
      I[a + 1] = code[pc + 4];
      Hi[a] = code[pc + 5];
      Hi[a + 1] = code[pc + 6];
      return sp + 1;
    }
    case 0x0f: U8.fill(I[(sp - 1) << 1], 48, 64); save(I, Hi, sp - 1, R); return sp;
    case 0x10: U16.fill(I[(sp - 1) << 1], 24, 32); save(I, Hi, sp - 1, R); return sp;
    case 0x11: case 0x13: S32.fill(I[(sp - 1) << 1], 12, 16); save(I, Hi, sp - 1, R); return sp;
    case 0x12: case 0x14: { // 64-bit splats copy the scalar's two words
      const a = (sp - 1) << 1;
      Hi[a] = I[a];
      Hi[a + 1] = I[a + 1];
      return sp;
    }
    case 0x15: case 0x16: case 0x18: case 0x19: case 0x1b: case 0x1f: { // extract to a 32-bit scalar
      load(I, Hi, sp - 1, A);
      const l = code[pc + 3];
      I[(sp - 1) << 1] = sub === 0x15 ? S8[l] : sub === 0x16 ? U8[l] : sub === 0x18 ? S16[l] : sub === 0x19 ? U16[l] : S32[l];
      return sp;
    }
    case 0x1d: case 0x21: { // extract to a 64-bit scalar
      const a = (sp - 1) << 1;
      if (code[pc + 3] === 1) {
        I[a] = Hi[a];
        I[a + 1] = Hi[a + 1];
      }
      return sp;
    }
    case 0x17: case 0x1a: case 0x1c: case 0x20: { // replace with a 32-bit scalar
      load(I, Hi, sp - 2, A);
      const l = code[pc + 3];
      const x = I[(sp - 1) << 1];
      if (sub === 0x17) S8[l] = x;
      else if (sub === 0x1a) S16[l] = x;
      else S32[l] = x;
      save(I, Hi, sp - 2, A);
      return sp - 1;
    }
    case 0x1e: case 0x22: { // replace with a 64-bit scalar
      const a = (sp - 1) << 1;
      const v = (sp - 2) << 1;
      if (code[pc + 3] === 0) {
        I[v] = I[a];
        I[v + 1] = I[a + 1];
      } else {
        Hi[v] = I[a];
        Hi[v + 1] = I[a + 1];
      }
      return sp - 1;
    }
    case 0x53: case 0x63: case 0x64: case 0x83: case 0x84: case 0xa3: case 0xa4: case 0xc3: case 0xc4:
      load(I, Hi, sp - 1, A);
      I[(sp - 1) << 1] = testLanes(sub);
      return sp;
    case 0x6b: case 0x6c: case 0x6d: case 0x8b: case 0x8c: case 0x8d: case 0xab: case 0xac: case 0xad: case 0xcb: case 0xcc: case 0xcd:
      load(I, Hi, sp - 2, A);
      shiftLanes(sub, I[(sp - 1) << 1]);
      save(I, Hi, sp - 2, R);
      return sp - 1;
    case V_LOCAL_GET: copySlot(I, Hi, fp + code[pc + 3], sp); return sp + 1;
    case V_LOCAL_SET: copySlot(I, Hi, sp - 1, fp + code[pc + 3]); return sp - 1;
    case V_LOCAL_TEE: copySlot(I, Hi, sp - 1, fp + code[pc + 3]); return sp;
    case V_GLOBAL_GET: {
      const g = globals[code[pc + 3]].i32;
      const a = sp << 1;
      I[a] = g[0];
      I[a + 1] = g[1];
      Hi[a] = g[2];
      Hi[a + 1] = g[3];
      return sp + 1;
    }
    case V_GLOBAL_SET: {
      const g = globals[code[pc + 3]].i32;
      const a = (sp - 1) << 1;
      g[0] = I[a];
      g[1] = I[a + 1];
      g[2] = Hi[a];
      g[3] = Hi[a + 1];
      return sp - 1;
    }
    case V_SELECT:
      if (I[(sp - 1) << 1] === 0) copySlot(I, Hi, sp - 2, sp - 3);
      return sp - 2;
  }
  return memoryAccess(I, Hi, sub, code, pc, sp, memory!);
}

function memoryAccess(I: Int32Array, Hi: Int32Array, sub: number, code: Int32Array, pc: number, sp: number, memory: MemoryInst): number {
  const u8 = memory.u8;
  const n = ACCESS[sub];
  const addrSlot = sub === 0x0b || sub >= 0x54 && sub <= 0x5b ? sp - 2 : sp - 1;
  const ea = (I[addrSlot << 1] >>> 0) + (code[pc + 3] >>> 0);
  if (ea + n > u8.length) return -1;
  const view = memory.view;
  if (sub === 0x0b) { // v128.store
    load(I, Hi, sp - 1, A);
    for (let i = 0; i < 16; i++) u8[ea + i] = U8[i];
    return sp - 2;
  }
  if (sub >= 0x54 && sub <= 0x5b) {
    load(I, Hi, sp - 1, A);
    const at = code[pc + 4] * n;
    if (sub >= 0x58) {
      for (let i = 0; i < n; i++) u8[ea + i] = U8[at + i];
      return sp - 2;
    }
    for (let i = 0; i < n; i++) U8[at + i] = u8[ea + i];
    save(I, Hi, sp - 2, A);
    return sp - 1;
  }
  loadLanes(sub, u8, view, ea);
  save(I, Hi, sp - 1, R);
  return sp;
}
