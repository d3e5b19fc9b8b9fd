// Values crossing between JavaScript and wasm (the JS API's ToJSValue and ToWebAssemblyValue): i64
// as BigInt, f32 rounded, NaN as JavaScript has it, externref any JavaScript value (undefined is not
// null), funcref only null or an exported wasm function, GC references by the GC proposal's rules.

import {
  AnyAsExtern, FuncInst, GcArray, GcStruct, HostAsAny, Module, Value, ValType, canonicalTypes, f32FromBits, f32ToBits,
  f64FromBits, f64ToBits, refParts, type FuncType, type HeapType,
} from '../engine/index';
import { exportedFunction, funcOfWrapper } from './functions';

const i32Cell = new Int32Array(1);
const i64Cell = new BigInt64Array(1);

/** Whether values of this type cannot cross to JavaScript (v128 and exception references). */
export function jsIncompatible(t: ValType): boolean {
  if (t === 'v128') return true;
  const p = refParts(t);
  return p !== null && (p.heap === 'exn' || p.heap === 'noexn');
}

/** Throws the TypeError of a call whose signature has a type JavaScript cannot pass. */
export function checkJsCompatible(type: FuncType, what: string): void {
  const bad = [...type.params, ...type.results].find(jsIncompatible);
  if (bad !== undefined) throw new TypeError(`${what}: type ${bad} cannot be passed between JavaScript and WebAssembly`);
}

export function toJsValue(v: Value, module: Module | null): unknown {
  switch (v.type) {
    case 'i32': return v.value;
    case 'i64': return v.value;
    case 'f32': return f32FromBits(v.bits);
    case 'f64': return f64FromBits(v.bits);
    case 'v128': throw new TypeError('a v128 value cannot be passed to JavaScript');
  }
  const value = (v as { value: unknown }).value;
  if (value === null) return null;
  const heap = refParts(v.type)!.heap;
  if (heap === 'exn' || heap === 'noexn') throw new TypeError('an exnref value cannot be passed to JavaScript');
  if (value instanceof FuncInst) return exportedFunction(value, value.index);
  if (heap === 'extern') return value instanceof AnyAsExtern ? anyToJs(value.value) : value;
  void module;
  return anyToJs(value);
}

function anyToJs(value: unknown): unknown {
  if (value instanceof HostAsAny) return value.value;
  if (value instanceof FuncInst) return exportedFunction(value, value.index);
  return value; // null, an i31 (a number), a struct or an array (opaque to JavaScript)
}

function isI31(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= -(2 ** 30) && x < 2 ** 30 && !Object.is(x, -0);
}

/** The kind of a concrete heap type of `module`. */
function concreteKind(module: Module | null, index: number): 'func' | 'struct' | 'array' {
  const t = module?.types[index];
  return t?.kind ?? 'func';
}

export function toWasmValue(x: unknown, t: ValType, module: Module | null): Value {
  switch (t) {
    case 'i32': i32Cell[0] = x as number; return { type: t, value: i32Cell[0] }; // ToInt32 (a BigInt throws)
    case 'i64': i64Cell[0] = x as bigint; return { type: t, value: i64Cell[0] }; // ToBigInt64 (a Number throws)
    case 'f32': return { type: t, bits: f32ToBits(Math.fround(toNumberStrict(x))) };
    case 'f64': return { type: t, bits: f64ToBits(toNumberStrict(x)) };
    case 'v128': throw new TypeError('a v128 value cannot be passed from JavaScript');
  }
  const p = refParts(t)!;
  if (x === null) {
    if (!p.nullable) throw new TypeError(`null is not a value of type ${t}`);
    return { type: t, value: null } as Value;
  }
  const heap: HeapType = p.heap;
  const kind = typeof heap === 'number' ? concreteKind(module, heap) : heap;
  switch (kind) {
    case 'extern': return { type: t, value: x } as Value;
    case 'func': {
      const f = funcOfWrapper(x);
      if (f === undefined) throw new TypeError(`a value of type ${t} must be null or an exported WebAssembly function`);
      if (typeof heap === 'number' && !f.canon.isSubOf(canonicalTypes(module!)[heap])) throw new TypeError(`the function does not have type ${t}`);
      return { type: t, value: f } as Value;
    }
    case 'any': return { type: t, value: isI31(x) || x instanceof GcStruct || x instanceof GcArray ? x : new HostAsAny(x) } as Value;
    case 'eq':
      if (isI31(x) || x instanceof GcStruct || x instanceof GcArray) return { type: t, value: x } as Value;
      break;
    case 'i31':
      if (isI31(x)) return { type: t, value: x } as Value;
      break;
    case 'struct':
      if (x instanceof GcStruct && (typeof heap !== 'number' || x.type.canon.isSubOf(canonicalTypes(module!)[heap]))) return { type: t, value: x } as Value;
      break;
    case 'array':
      if (x instanceof GcArray && (typeof heap !== 'number' || x.type.canon.isSubOf(canonicalTypes(module!)[heap]))) return { type: t, value: x } as Value;
      break;
  }
  throw new TypeError(`the value is not of type ${t}`);
}

function toNumberStrict(x: unknown): number {
  if (typeof x === 'bigint') throw new TypeError('Cannot convert a BigInt value to a number');
  return Number(x);
}

/**
 * The value a missing argument stands for (the JS API's DefaultValue): undefined for externref
 * (ToWebAssemblyValue(undefined)), the zero or null of any other type.
 */
export function defaultJsApiValue(t: ValType, module: Module | null): Value {
  const p = refParts(t);
  if (p !== null && p.heap === 'extern') return toWasmValue(undefined, t, module);
  if (p !== null && !p.nullable) throw new TypeError(`a value of type ${t} has no default; give one`);
  return toWasmValue(p === null ? (t === 'i64' ? 0n : 0) : null, t, module);
}

/** The JS API's names of value types (`anyfunc` is funcref), for Global, Table and Tag descriptors. */
export function valueTypeFromString(s: unknown, what: string, allowed: readonly string[] = VALUE_TYPE_NAMES): ValType {
  const name = `${s as string}`;
  if (!allowed.includes(name)) throw new TypeError(`${what}: "${name}" is not a value type (one of ${allowed.join(', ')})`);
  return (name === 'anyfunc' ? 'funcref' : name) as ValType;
}

export const REF_TYPE_NAMES = ['anyfunc', 'funcref', 'externref', 'anyref', 'eqref', 'i31ref', 'structref', 'arrayref', 'nullref', 'nullfuncref', 'nullexternref', 'exnref'] as const;
export const VALUE_TYPE_NAMES: readonly string[] = ['i32', 'i64', 'f32', 'f64', 'v128', ...REF_TYPE_NAMES];
