// The values of the expression language (evaluate.ts): what an expression gives, how it is named
// and shown, and the error an expression reports. Kept apart so the GC accessors (evaluateGc.ts)
// and the evaluator share them without depending on each other both ways.

import type { Module, Value, ValType } from '../engine/index';
import { f32FromBits, f32ToBits, f64FromBits, f64ToBits, formatF32, formatF64, refParts } from '../engine/index';
import { formatValue, hexInt, type FormatOptions } from './values';

export class EvalError extends Error {
  constructor(
    readonly reason: string,
    /** 1-based column in the expression text. */
    readonly column: number,
  ) {
    super(`${reason} at column ${column}`);
    this.name = 'EvalError';
  }
}

/** A value that cannot go where it was asked to (immutable global or field, wrong type). */
export class AssignError extends Error {}

export type IntWidth = 0 | 32 | 64;

export type EvalValue =
  /** `width` 0: a literal without a width yet. `value` is normalised to the width and signedness. */
  | { kind: 'int'; width: IntWidth; unsigned: boolean; value: bigint }
  /**
   * `width` 0: a literal (computed as f64). `bits` holds the exact bits of a value read from the
   * program (so NaN payloads show); `nan` the sign and payload of a `nan`/`nan:0x..` literal.
   */
  | { kind: 'float'; width: IntWidth; value: number; bits?: bigint; nan?: { negative: boolean; payload: bigint | null } }
  | { kind: 'bool'; value: boolean }
  /**
   * A value that can be shown but not computed with (v128, references). `module`: the module whose
   * type indices a reference's type names (absent when unknown or when it names none).
   */
  | { kind: 'opaque'; value: Value; module?: Module | null }
  /** The literal `null`: a null reference of whatever type it is stored into or compared with. */
  | { kind: 'null' }
  /** What a call of a function with no result or several results gave. */
  | { kind: 'results'; values: Value[] };

/**
 * A value as an evaluation context gives it: a reference may say which module's type indices its
 * type names (a local's: its frame's module; a global's: its owner), for type checks on assignment.
 */
export type TypedValue = Value & { module?: Module | null };

/** A program value as an expression value (floats keep their exact bits). */
export function fromValue(v: TypedValue): EvalValue {
  switch (v.type) {
    case 'i32':
      return { kind: 'int', width: 32, unsigned: false, value: BigInt(v.value) };
    case 'i64':
      return { kind: 'int', width: 64, unsigned: false, value: v.value };
    case 'f32':
      return { kind: 'float', width: 32, value: f32FromBits(v.bits), bits: BigInt(v.bits) };
    case 'f64':
      return { kind: 'float', width: 64, value: f64FromBits(v.bits), bits: v.bits };
    default: {
      const { module, ...value } = v as TypedValue & { module?: Module | null };
      return module ? { kind: 'opaque', value: value as Value, module } : { kind: 'opaque', value: value as Value };
    }
  }
}

/** The type shown next to a result: i32, u32, i64, u64, f32, f64, int, float, bool, v128, funcref, (ref null 0), null. */
export function typeName(v: EvalValue): string {
  switch (v.kind) {
    case 'int':
      return v.width === 0 ? 'int' : `${v.unsigned ? 'u' : 'i'}${v.width}`;
    case 'float':
      return v.width === 0 ? 'float' : `f${v.width}`;
    case 'bool':
      return 'bool';
    case 'opaque':
      return v.value.type;
    case 'null':
      return 'null';
    case 'results':
      return v.values.length === 0 ? 'none' : v.values.map((x) => x.type).join(' ');
  }
}


/** The text shown for a result. */
export function formatEvalValue(v: EvalValue, options: FormatOptions = {}): string {
  switch (v.kind) {
    case 'int':
      if (options.hex) return v.value < 0n && v.width === 0 ? '-0x' + (-v.value).toString(16) : v.width === 0 ? '0x' + v.value.toString(16) : hexInt(v.value, v.width);
      return v.value.toString();
    case 'float':
      if (v.bits !== undefined) return v.width === 32 ? formatF32(Number(v.bits)) : formatF64(v.bits);
      if (v.nan) return `${v.nan.negative ? '-' : ''}nan${v.nan.payload === null ? '' : ':0x' + v.nan.payload.toString(16)}`;
      return v.width === 32 ? formatF32(f32ToBits(v.value)) : formatF64(f64ToBits(v.value));
    case 'bool':
      return String(v.value);
    case 'opaque':
      return formatValue(v.value, options);
    case 'null':
      return 'null';
    case 'results':
      return v.values.length === 0 ? 'no result' : v.values.map((x) => formatValue(x, options)).join(', ');
  }
}


export type Num = Extract<EvalValue, { kind: 'int' } | { kind: 'float' }>;

export function toNumber(v: Num): number {
  return v.kind === 'int' ? Number(v.value) : v.value;
}

/**
 * Converts a result to a value of `type` for storing into a local or global (setVariable):
 * integers wrap to the width, floats need a float type or an integral value, NaN literals keep
 * their payload.
 */
export function toValue(v: EvalValue, type: ValType, wrap = false): Value {
  if (v.kind === 'opaque') {
    if (v.value.type === type) return v.value;
    throw new Error(`cannot store a ${v.value.type} value into a ${type}`);
  }
  if (v.kind === 'results') throw new Error(`cannot store ${formatEvalValue(v)} into a ${type}`);
  if (v.kind === 'null') {
    const p = refParts(type);
    if (p?.nullable) return { type, value: null } as Value;
    throw new Error(p ? `a ${type} cannot be null` : `cannot store null into a ${type}`);
  }
  const n: Num = v.kind === 'bool' ? { kind: 'int', width: 32, unsigned: false, value: v.value ? 1n : 0n } : v;
  switch (type) {
    case 'i32':
    case 'i64': {
      let value: bigint;
      if (n.kind === 'float') {
        if (!Number.isInteger(n.value)) throw new Error(`cannot store ${formatEvalValue(n)} into an ${type}: it is not an integer`);
        value = BigInt(n.value);
      } else {
        value = n.value;
      }
      const width = type === 'i32' ? 32 : 64;
      if (!wrap && (value < -(1n << BigInt(width - 1)) || value >= 1n << BigInt(width))) {
        throw new Error(`${value} does not fit in an ${type}`);
      }
      return type === 'i32' ? { type, value: Number(BigInt.asIntN(32, value)) } : { type, value: BigInt.asIntN(64, value) };
    }
    case 'f32': {
      if (n.kind === 'float' && n.bits !== undefined && n.width === 32) return { type, bits: Number(n.bits) };
      if (n.kind === 'float' && n.nan) {
        const payload = n.nan.payload ?? 0x400000n;
        if (payload >= 1n << 23n) throw new Error(`NaN payload 0x${payload.toString(16)} does not fit in an f32 (23 bits)`);
        return { type, bits: Number((n.nan.negative ? 0xff800000n : 0x7f800000n) | payload) };
      }
      if (n.kind === 'float' && n.bits !== undefined && Number.isNaN(n.value)) {
        // f64 NaN to f32: keep the sign and the payload's top bits, as f32.demote does.
        const sign = n.bits >> 63n ? 0x80000000n : 0n;
        const payload = ((n.bits & 0xfffffffffffffn) >> 29n) | 0x400000n;
        return { type, bits: Number(sign | 0x7f800000n | payload) };
      }
      return { type, bits: f32ToBits(toNumber(n)) };
    }
    case 'f64': {
      if (n.kind === 'float' && n.bits !== undefined && n.width === 64) return { type, bits: n.bits };
      if (n.kind === 'float' && n.nan) {
        const payload = n.nan.payload ?? 0x8000000000000n;
        if (payload >= 1n << 52n) throw new Error(`NaN payload 0x${payload.toString(16)} does not fit in an f64 (52 bits)`);
        return { type, bits: (n.nan.negative ? 0xfff0000000000000n : 0x7ff0000000000000n) | payload };
      }
      if (n.kind === 'float' && n.bits !== undefined && Number.isNaN(n.value)) {
        const sign = n.bits >> 31n ? 0x8000000000000000n : 0n;
        return { type, bits: sign | 0x7ff0000000000000n | ((n.bits & 0x7fffffn) << 29n) };
      }
      return { type, bits: f64ToBits(toNumber(n)) };
    }
    default:
      throw new Error(`cannot store a number into a ${type}`);
  }
}
