// Instructions that are rare in hot loops, run outside the run loop: floating point, 64-bit
// division and rotation (BigInt), conversions, references, tables and bulk memory. Keeping them
// out of `execute` keeps V8's optimised code for the loop small: it compiles in a fraction of the
// time and memory (its compiler's zone memory stays with the process), and sooner.

import { Op } from './compile';
import { OOB_MEMORY, OOB_TABLE } from './address64';
import { Trap } from './trap';
import { fNearest, f32ConvertI64S, f32ConvertI64U } from './numeric';
import type { Instance } from './runtime';
import type { Store } from './store';

const EMPTY_U8 = new Uint8Array(0);
const DIV_ZERO = 'integer divide by zero';
const OVERFLOW = 'integer overflow';
const INVALID_CONVERSION = 'invalid conversion to integer';
const I64_MIN = -9223372036854775808n;
const I64_MAX = 9223372036854775807n;
const U64_MAX = 18446744073709551615n;

function trap(store: Store, message: string): number {
  store.pendingTrap = new Trap(message);
  return -1;
}

function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

/**
 * Runs instruction `op` at `pc` of `code` with the operand stack top in `store.sp`. Returns the
 * position of the next instruction (with `store.sp` updated), or -1 with `store.pendingTrap` set
 * (`store.sp` unchanged).
 */
export function runRare(store: Store, inst: Instance, code: Int32Array, pc: number, op: number): number {
  let sp = store.sp;
  const I32 = store.I32;
  const F32 = store.F32;
  const F64 = store.F64;
  const I64 = store.I64;
  const U64 = store.U64;
  const refs = store.refs;
  const funcs = inst.funcs;
  const globals = inst.globals;
  const tables = inst.tables;
  const u8 = inst.memories.length > 0 ? inst.memories[0].u8 : EMPTY_U8;
  const memLen = u8.length;
  let len = 1;
  switch (op) {
    case Op.SELECT_REF:
      sp -= 2;
      if (I32[(sp + 1) << 1] === 0) refs[sp - 1] = refs[sp];
      break;
    case Op.GLOBAL_GET_REF:
      refs[sp] = globals[code[pc + 1]].ref;
      sp++;
      len = 2;
      break;
    case Op.GLOBAL_SET_REF:
      sp--;
      globals[code[pc + 1]].ref = refs[sp];
      len = 2;
      break;
    case Op.TABLE_GET: {
      const t = tables[code[pc + 1]].elements;
      const i = I32[(sp - 1) << 1] >>> 0;
      if (i >= t.length) return trap(store, OOB_TABLE);
      refs[sp - 1] = t[i];
      len = 2;
      break;
    }
    case Op.TABLE_SET: {
      const t = tables[code[pc + 1]].elements;
      const i = I32[(sp - 2) << 1] >>> 0;
      if (i >= t.length) return trap(store, OOB_TABLE);
      t[i] = refs[sp - 1];
      sp -= 2;
      len = 2;
      break;
    }

    // ---- f32 comparisons ----
    case 0x5b: { sp--; const a = (sp - 1) << 1; I32[a] = F32[a] === F32[a + 2] ? 1 : 0; break; }
    case 0x5c: { sp--; const a = (sp - 1) << 1; I32[a] = F32[a] !== F32[a + 2] ? 1 : 0; break; }
    case 0x5d: { sp--; const a = (sp - 1) << 1; I32[a] = F32[a] < F32[a + 2] ? 1 : 0; break; }
    case 0x5e: { sp--; const a = (sp - 1) << 1; I32[a] = F32[a] > F32[a + 2] ? 1 : 0; break; }
    case 0x5f: { sp--; const a = (sp - 1) << 1; I32[a] = F32[a] <= F32[a + 2] ? 1 : 0; break; }
    case 0x60: { sp--; const a = (sp - 1) << 1; I32[a] = F32[a] >= F32[a + 2] ? 1 : 0; break; }
    // ---- f64 comparisons ----
    case 0x61: { sp--; const s = sp - 1; I32[s << 1] = F64[s] === F64[sp] ? 1 : 0; break; }
    case 0x62: { sp--; const s = sp - 1; I32[s << 1] = F64[s] !== F64[sp] ? 1 : 0; break; }
    case 0x63: { sp--; const s = sp - 1; I32[s << 1] = F64[s] < F64[sp] ? 1 : 0; break; }
    case 0x64: { sp--; const s = sp - 1; I32[s << 1] = F64[s] > F64[sp] ? 1 : 0; break; }
    case 0x65: { sp--; const s = sp - 1; I32[s << 1] = F64[s] <= F64[sp] ? 1 : 0; break; }
    case 0x66: { sp--; const s = sp - 1; I32[s << 1] = F64[s] >= F64[sp] ? 1 : 0; break; }
    case 0x67: { const a = (sp - 1) << 1; I32[a] = Math.clz32(I32[a]); break; }
    case 0x68: { const a = (sp - 1) << 1; I32[a] = ctz32(I32[a]); break; }
    case 0x69: { const a = (sp - 1) << 1; I32[a] = popcnt32(I32[a]); break; }
    case 0x79: { const a = (sp - 1) << 1; const hi = I32[a + 1]; I32[a] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(I32[a]); I32[a + 1] = 0; break; }
    case 0x7a: { const a = (sp - 1) << 1; const lo = I32[a]; I32[a] = lo !== 0 ? ctz32(lo) : 32 + ctz32(I32[a + 1]); I32[a + 1] = 0; break; }
    case 0x7b: { const a = (sp - 1) << 1; I32[a] = popcnt32(I32[a]) + popcnt32(I32[a + 1]); I32[a + 1] = 0; break; }
    case 0x7f: {
      const s = sp - 2;
      const y = I64[s + 1];
      if (y === 0n) return trap(store, DIV_ZERO);
      const x = I64[s];
      if (x === I64_MIN && y === -1n) return trap(store, OVERFLOW);
      I64[s] = x / y;
      sp--;
      break;
    }
    case 0x80: {
      const s = sp - 2;
      const y = U64[s + 1];
      if (y === 0n) return trap(store, DIV_ZERO);
      U64[s] = U64[s] / y;
      sp--;
      break;
    }
    case 0x81: {
      const s = sp - 2;
      const y = I64[s + 1];
      if (y === 0n) return trap(store, DIV_ZERO);
      I64[s] = I64[s] % y;
      sp--;
      break;
    }
    case 0x82: {
      const s = sp - 2;
      const y = U64[s + 1];
      if (y === 0n) return trap(store, DIV_ZERO);
      U64[s] = U64[s] % y;
      sp--;
      break;
    }
    case 0x89: { sp--; const s = sp - 1; const x = U64[s]; const k = U64[sp] & 63n; U64[s] = (x << k) | (x >> ((64n - k) & 63n)); break; }
    case 0x8a: { sp--; const s = sp - 1; const x = U64[s]; const k = U64[sp] & 63n; U64[s] = (x >> k) | (x << ((64n - k) & 63n)); break; }
    // ---- f32 arithmetic (sign operations on the raw bits, so NaN payloads stay exact) ----
    case 0x8b: { const a = (sp - 1) << 1; I32[a] = I32[a] & 0x7fffffff; break; }
    case 0x8c: { const a = (sp - 1) << 1; I32[a] = I32[a] ^ -0x80000000; break; }
    case 0x8d: { const a = (sp - 1) << 1; F32[a] = Math.ceil(F32[a]); break; }
    case 0x8e: { const a = (sp - 1) << 1; F32[a] = Math.floor(F32[a]); break; }
    case 0x8f: { const a = (sp - 1) << 1; F32[a] = Math.trunc(F32[a]); break; }
    case 0x90: { const a = (sp - 1) << 1; F32[a] = fNearest(F32[a]); break; }
    case 0x91: { const a = (sp - 1) << 1; F32[a] = Math.sqrt(F32[a]); break; }
    case 0x92: { sp--; const a = (sp - 1) << 1; F32[a] = F32[a] + F32[a + 2]; break; }
    case 0x93: { sp--; const a = (sp - 1) << 1; F32[a] = F32[a] - F32[a + 2]; break; }
    case 0x94: { sp--; const a = (sp - 1) << 1; F32[a] = F32[a] * F32[a + 2]; break; }
    case 0x95: { sp--; const a = (sp - 1) << 1; F32[a] = F32[a] / F32[a + 2]; break; }
    case 0x96: { sp--; const a = (sp - 1) << 1; F32[a] = Math.min(F32[a], F32[a + 2]); break; }
    case 0x97: { sp--; const a = (sp - 1) << 1; F32[a] = Math.max(F32[a], F32[a + 2]); break; }
    case 0x98: { sp--; const a = (sp - 1) << 1; I32[a] = (I32[a] & 0x7fffffff) | (I32[a + 2] & -0x80000000); break; }
    // ---- f64 arithmetic ----
    case 0x99: { const a = ((sp - 1) << 1) + 1; I32[a] = I32[a] & 0x7fffffff; break; }
    case 0x9a: { const a = ((sp - 1) << 1) + 1; I32[a] = I32[a] ^ -0x80000000; break; }
    // Math's rounding functions return a signalling NaN unchanged; wasm wants a quiet one.
    case 0x9b: { const s = sp - 1; const x = F64[s]; F64[s] = x !== x ? NaN : Math.ceil(x); break; }
    case 0x9c: { const s = sp - 1; const x = F64[s]; F64[s] = x !== x ? NaN : Math.floor(x); break; }
    case 0x9d: { const s = sp - 1; const x = F64[s]; F64[s] = x !== x ? NaN : Math.trunc(x); break; }
    case 0x9e: { const s = sp - 1; const x = F64[s]; F64[s] = x !== x ? NaN : fNearest(x); break; }
    case 0x9f: { const s = sp - 1; F64[s] = Math.sqrt(F64[s]); break; }
    case 0xa0: { sp--; const s = sp - 1; F64[s] = F64[s] + F64[sp]; break; }
    case 0xa1: { sp--; const s = sp - 1; F64[s] = F64[s] - F64[sp]; break; }
    case 0xa2: { sp--; const s = sp - 1; F64[s] = F64[s] * F64[sp]; break; }
    case 0xa3: { sp--; const s = sp - 1; F64[s] = F64[s] / F64[sp]; break; }
    case 0xa4: { sp--; const s = sp - 1; F64[s] = Math.min(F64[s], F64[sp]); break; }
    case 0xa5: { sp--; const s = sp - 1; F64[s] = Math.max(F64[s], F64[sp]); break; }
    case 0xa6: { sp--; const a = ((sp - 1) << 1) + 1; I32[a] = (I32[a] & 0x7fffffff) | (I32[a + 2] & -0x80000000); break; }
    case 0xa8: case 0xa9: case 0xaa: case 0xab: { // i32.trunc_f32_s/u, i32.trunc_f64_s/u
      const a = (sp - 1) << 1;
      const x = op <= 0xa9 ? F32[a] : F64[sp - 1];
      if (x !== x) return trap(store, INVALID_CONVERSION);
      const signed = op === 0xa8 || op === 0xaa;
      if (signed ? !(x > -2147483649 && x < 2147483648) : !(x > -1 && x < 4294967296)) return trap(store, OVERFLOW);
      I32[a] = x | 0;
      break;
    }
    case 0xae: case 0xaf: case 0xb0: case 0xb1: { // i64.trunc_f32_s/u, i64.trunc_f64_s/u
      const s = sp - 1;
      const x = op <= 0xaf ? F32[s << 1] : F64[s];
      if (x !== x) return trap(store, INVALID_CONVERSION);
      const signed = op === 0xae || op === 0xb0;
      if (signed ? !(x >= -9223372036854775808 && x < 9223372036854775808) : !(x > -1 && x < 18446744073709551616)) return trap(store, OVERFLOW);
      I64[s] = BigInt(Math.trunc(x));
      break;
    }
    case 0xb2: { const a = (sp - 1) << 1; F32[a] = I32[a]; break; }
    case 0xb3: { const a = (sp - 1) << 1; F32[a] = I32[a] >>> 0; break; }
    case 0xb4: { const s = sp - 1; F32[s << 1] = f32ConvertI64S(I64[s]); break; }
    case 0xb5: { const s = sp - 1; F32[s << 1] = f32ConvertI64U(U64[s]); break; }
    case 0xb6: { const s = sp - 1; F32[s << 1] = F64[s]; break; }
    case 0xb7: { const s = sp - 1; F64[s] = I32[s << 1]; break; }
    case 0xb8: { const s = sp - 1; F64[s] = I32[s << 1] >>> 0; break; }
    case 0xb9: { const s = sp - 1; F64[s] = Number(I64[s]); break; }
    case 0xba: { const s = sp - 1; F64[s] = Number(U64[s]); break; }
    case 0xbb: { const s = sp - 1; F64[s] = F32[s << 1]; break; }
    // ---- saturating truncations ----
    case 0xe0: case 0xe2: { // i32.trunc_sat_f32_s, i32.trunc_sat_f64_s
      const a = (sp - 1) << 1;
      const x = op === 0xe0 ? F32[a] : F64[sp - 1];
      I32[a] = x !== x ? 0 : x <= -2147483648 ? -2147483648 : x >= 2147483647 ? 2147483647 : x | 0;
      break;
    }
    case 0xe1: case 0xe3: { // i32.trunc_sat_f32_u, i32.trunc_sat_f64_u
      const a = (sp - 1) << 1;
      const x = op === 0xe1 ? F32[a] : F64[sp - 1];
      I32[a] = x !== x || x <= -1 ? 0 : x >= 4294967295 ? -1 : x | 0;
      break;
    }
    case 0xe4: case 0xe6: { // i64.trunc_sat_f32_s, i64.trunc_sat_f64_s
      const s = sp - 1;
      const x = op === 0xe4 ? F32[s << 1] : F64[s];
      I64[s] = x !== x ? 0n : x <= -9223372036854775808 ? I64_MIN : x >= 9223372036854775808 ? I64_MAX : BigInt(Math.trunc(x));
      break;
    }
    case 0xe5: case 0xe7: { // i64.trunc_sat_f32_u, i64.trunc_sat_f64_u
      const s = sp - 1;
      const x = op === 0xe5 ? F32[s << 1] : F64[s];
      U64[s] = x !== x || x <= -1 ? 0n : x >= 18446744073709551616 ? U64_MAX : BigInt(Math.trunc(x));
      break;
    }

    // ---- references ----
    case Op.REF_NULL:
      refs[sp] = null;
      sp++;
      break;
    case Op.REF_IS_NULL: {
      const s = sp - 1;
      I32[s << 1] = refs[s] === null ? 1 : 0;
      break;
    }
    case Op.REF_FUNC:
      refs[sp] = funcs[code[pc + 1]];
      sp++;
      len = 2;
      break;

    // ---- bulk memory and tables: every range is checked before anything is written ----
    case Op.MEMORY_INIT: {
      const a = (sp - 3) << 1;
      const d = I32[a] >>> 0;
      const s = I32[a + 2] >>> 0;
      const n = I32[a + 4] >>> 0;
      const data = inst.datas[code[pc + 1]];
      if (s + n > data.length || d + n > memLen) return trap(store, OOB_MEMORY);
      u8.set(data.subarray(s, s + n), d);
      sp -= 3;
      len = 2;
      break;
    }
    case Op.DATA_DROP:
      inst.datas[code[pc + 1]] = EMPTY_U8;
      len = 2;
      break;
    case Op.MEMORY_COPY: {
      const a = (sp - 3) << 1;
      const d = I32[a] >>> 0;
      const s = I32[a + 2] >>> 0;
      const n = I32[a + 4] >>> 0;
      if (s + n > memLen || d + n > memLen) return trap(store, OOB_MEMORY);
      u8.copyWithin(d, s, s + n);
      sp -= 3;
      break;
    }
    case Op.MEMORY_FILL: {
      const a = (sp - 3) << 1;
      const d = I32[a] >>> 0;
      const n = I32[a + 4] >>> 0;
      if (d + n > memLen) return trap(store, OOB_MEMORY);
      u8.fill(I32[a + 2] & 0xff, d, d + n);
      sp -= 3;
      break;
    }
    case Op.TABLE_INIT: {
      const a = (sp - 3) << 1;
      const d = I32[a] >>> 0;
      const s = I32[a + 2] >>> 0;
      const n = I32[a + 4] >>> 0;
      const seg = inst.elems[code[pc + 1]];
      const t = tables[code[pc + 2]].elements;
      if (s + n > seg.length || d + n > t.length) return trap(store, OOB_TABLE);
      for (let i = 0; i < n; i++) t[d + i] = seg[s + i];
      sp -= 3;
      len = 3;
      break;
    }
    case Op.ELEM_DROP:
      inst.elems[code[pc + 1]] = [];
      len = 2;
      break;
    case Op.TABLE_COPY: {
      const a = (sp - 3) << 1;
      const d = I32[a] >>> 0;
      const s = I32[a + 2] >>> 0;
      const n = I32[a + 4] >>> 0;
      const dt = tables[code[pc + 1]].elements;
      const st = tables[code[pc + 2]].elements;
      if (s + n > st.length || d + n > dt.length) return trap(store, OOB_TABLE);
      if (d <= s) for (let i = 0; i < n; i++) dt[d + i] = st[s + i];
      else for (let i = n - 1; i >= 0; i--) dt[d + i] = st[s + i];
      sp -= 3;
      len = 3;
      break;
    }
    case Op.TABLE_GROW: {
      sp--;
      const a = (sp - 1) << 1;
      I32[a] = tables[code[pc + 1]].grow(I32[sp << 1] >>> 0, refs[sp - 1]);
      len = 2;
      break;
    }
    case Op.TABLE_SIZE:
      I32[sp << 1] = tables[code[pc + 1]].elements.length;
      sp++;
      len = 2;
      break;
    case Op.TABLE_FILL: {
      const a = (sp - 3) << 1;
      const i = I32[a] >>> 0;
      const v = refs[sp - 2];
      const n = I32[a + 4] >>> 0;
      const t = tables[code[pc + 1]].elements;
      if (i + n > t.length) return trap(store, OOB_TABLE);
      for (let k = 0; k < n; k++) t[i + k] = v;
      sp -= 3;
      len = 2;
      break;
    }

      default:
        return trap(store, `internal error: unknown internal opcode ${op} at code index ${pc}`);
  }
  store.sp = sp;
  return pc + len;
}
