// The typing rule of every instruction that only pops and pushes fixed types (numeric, memory
// access, SIMD, relaxed SIMD): derived once per opcode from its text-format name, so an opcode
// the opcode table gains later (relaxed SIMD, say) is typed as soon as the table names it.

import type { OpcodeInfo } from '../opcodes';
import { F32, F64, I32, I64, V128 } from './valueTypes';

export interface Signature {
  params: Int32Array;
  results: Int32Array;
  /** Natural alignment in bytes of a memory access, 0 for other instructions. */
  natural: number;
  /** Number of lanes a lane index immediate selects from, 0 when there is none. */
  lanes: number;
}

const SCALARS: Record<string, number> = { i32: I32, i64: I64, f32: F32, f64: F64 };
const SHAPES: Record<string, { lane: number; count: number }> = {
  i8x16: { lane: I32, count: 16 },
  i16x8: { lane: I32, count: 8 },
  i32x4: { lane: I32, count: 4 },
  i64x2: { lane: I64, count: 2 },
  f32x4: { lane: F32, count: 4 },
  f64x2: { lane: F64, count: 2 },
};
const BYTES: Record<string, number> = { i32: 4, i64: 8, f32: 4, f64: 8 };

function sig(params: number[], results: number[], natural = 0, lanes = 0): Signature {
  return { params: Int32Array.from(params), results: Int32Array.from(results), natural, lanes };
}

const SCALAR_COMPARE = /^(eq|ne|lt|gt|le|ge)(_[su])?$/;
const SCALAR_UNARY = /^(clz|ctz|popcnt|abs|neg|ceil|floor|trunc|nearest|sqrt|extend(8|16|32)_s)$/;
const SCALAR_BINARY = /^(add|sub|mul|div(_[su])?|rem_[su]|and|or|xor|shl|shr_[su]|rotl|rotr|min|max|copysign)$/;
const CONVERSION = /_(i32|i64|f32|f64)(_|$)/;

function scalarSignature(t: number, type: string, op: string): Signature | null {
  const load = /^load(8|16|32)?(_[su])?$/.exec(op);
  if (load) return sig([I32], [t], load[1] ? Number(load[1]) / 8 : BYTES[type]);
  const store = /^store(8|16|32)?$/.exec(op);
  if (store) return sig([I32, t], [], store[1] ? Number(store[1]) / 8 : BYTES[type]);
  if (op === 'const') return sig([], [t]);
  if (op === 'eqz') return sig([t], [I32]);
  if (SCALAR_COMPARE.test(op)) return sig([t, t], [I32]);
  const from = CONVERSION.exec(op);
  if (from) return sig([SCALARS[from[1]]], [t]);
  if (SCALAR_UNARY.test(op)) return sig([t], [t]);
  if (SCALAR_BINARY.test(op)) return sig([t, t], [t]);
  return null;
}

const VECTOR_UNARY = /^(abs|neg|popcnt|sqrt|ceil|floor|trunc|nearest|not)$|^(extend_|extadd_pairwise|convert|trunc_sat|demote|promote|relaxed_trunc)/;
const VECTOR_TERNARY = /^(bitselect|relaxed_madd|relaxed_nmadd|relaxed_laneselect|relaxed_dot_.*_add_s)$/;
const VECTOR_TEST = /^(any_true|all_true|bitmask)$/;

function v128Memory(op: string): Signature | null {
  if (op === 'load') return sig([I32], [V128], 16);
  if (op === 'store') return sig([I32, V128], [], 16);
  if (/^load\d+x\d+_[su]$/.test(op)) return sig([I32], [V128], 8);
  const m = /^(load|store)(8|16|32|64)_(splat|zero|lane)$/.exec(op);
  if (!m) return null;
  const bytes = Number(m[2]) / 8;
  if (m[3] !== 'lane') return sig([I32], [V128], bytes);
  return m[1] === 'load' ? sig([I32, V128], [V128], bytes, 16 / bytes) : sig([I32, V128], [], bytes, 16 / bytes);
}

function vectorSignature(shape: string, op: string): Signature | null {
  if (shape === 'v128') {
    const memory = v128Memory(op);
    if (memory) return memory;
    if (op === 'const') return sig([], [V128]);
  }
  const lanes = SHAPES[shape];
  if (lanes) {
    if (op === 'splat') return sig([lanes.lane], [V128]);
    if (/^extract_lane(_[su])?$/.test(op)) return sig([V128], [lanes.lane], 0, lanes.count);
    if (op === 'replace_lane') return sig([V128, lanes.lane], [V128], 0, lanes.count);
  }
  if (VECTOR_TEST.test(op)) return sig([V128], [I32]);
  if (/^(shl|shr_[su])$/.test(op)) return sig([V128, I32], [V128]);
  if (VECTOR_UNARY.test(op)) return sig([V128], [V128]);
  if (VECTOR_TERNARY.test(op)) return sig([V128, V128, V128], [V128]);
  return sig([V128, V128], [V128]);
}

/** The fixed signature of an instruction, from its name; null for instructions with typing rules of their own. */
export function signatureOf(info: OpcodeInfo): Signature | null {
  const dot = info.name.indexOf('.');
  if (dot < 0) return null;
  const prefix = info.name.slice(0, dot);
  const op = info.name.slice(dot + 1);
  const scalar = SCALARS[prefix];
  if (scalar !== undefined) return scalarSignature(scalar, prefix, op);
  if (prefix === 'v128' || SHAPES[prefix]) return vectorSignature(prefix, op);
  return null;
}
