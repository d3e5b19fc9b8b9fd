// Expressions on WebAssembly GC values and exceptions: a struct's fields (`$p.x`, by index `$p.0`
// or `$p.field0`), an array's elements and length (`$arr[3]`, `$arr.length`), an exception's payload
// (`$e[0]`), references compared by identity (`$p.next == null`), and stores into mutable fields and
// elements, references type-checked by the engine's subtype check.

import { Exception, GcArray, GcStruct, isRefType, refParts, refValueFits } from '../engine/index';
import type { FuncType, Module, RefType, StorageType, Value } from '../engine/index';
import { AssignError, EvalError, fromValue, toValue, typeName, type EvalValue, type TypedValue } from './evalValue';
import { arrayElement, fieldLabel, gcSummary, isMutable, storedValue, toStored, typeLabel } from './gcValues';
import { formatValue } from './values';

/** A field, an element or a payload value: where it is, and how messages name it (`$p.x`, `$a[3]`). */
export interface GcSlot {
  object: GcStruct | GcArray | Exception;
  index: number;
  name: string;
}

/** `(ref null $point)` for `(ref null 0)` when the module names type 0; the type as written otherwise. */
export function typeText(t: StorageType, module: Module | null | undefined): string {
  const heap = refParts(t)?.heap;
  if (typeof heap !== 'number' || !module) return t;
  const name = module.names?.types?.get(heap);
  return name === undefined ? t : t.replace(/ \d+\)$/, ` $${name})`);
}

/** `an i32`, `a $point struct (3 fields)`, `null`: what a value is, for messages. */
function whatIs(v: EvalValue): string {
  if (v.kind === 'null') return 'null';
  let text = typeName(v);
  if (v.kind === 'opaque' && isRefType(v.value.type)) {
    const ref = (v.value as { value: unknown }).value;
    if (ref instanceof Exception) return `the exception ${formatValue(v.value)}`;
    text = gcSummary(v.value.type, ref) ?? text;
  }
  return `${/^([aeio]|f\d)/i.test(text) ? 'an' : 'a'} ${text}`;
}

/**
 * The non-null reference `base` holds, or an error: what it is instead of `wanted` (`so` says what
 * follows), or that it is null (`access` says what a null lacks).
 */
function referenceIn(base: EvalValue, of: string, wanted: string, so: string, access: string, col: number): unknown {
  if (base.kind === 'null') throw new EvalError(`null reference: null, so ${access}`, col);
  if (base.kind !== 'opaque' || !isRefType(base.value.type)) throw new EvalError(`${of} is not ${wanted} (it is ${whatIs(base)}), so ${so}`, col);
  const value = (base.value as { value: unknown }).value;
  if (value === null || value === undefined) throw new EvalError(`null reference: ${of} is a null ${typeText(base.value.type, base.module)}, so ${access}`, col);
  return value;
}

/** The names a struct's fields are written by in expressions: their own, else `field0`. */
export function fieldNames(s: GcStruct): string[] {
  return s.fields.map((_, i) => {
    const label = fieldLabel(s.type, i);
    return label === `field ${i}` ? `field${i}` : label;
  });
}

/** `$p.x` (by name, or by index: `$p.0`, `$p.field0`); null for an array's `.length`, which is no slot. */
export function fieldSlot(base: EvalValue, field: string, of: string, col: number): GcSlot | null {
  const object = referenceIn(base, of, 'a struct', `it has no field ${field}`, `it has no field ${field}`, col);
  if (object instanceof GcArray && field === 'length') return null;
  if (!(object instanceof GcStruct)) throw new EvalError(`${of} is not a struct (it is ${whatIs(base)}), so it has no field ${field}`, col);
  const names = fieldNames(object);
  let index = names.indexOf(field);
  const byIndex = /^(?:field)?([0-9]+)$/.exec(field);
  if (index < 0 && byIndex && Number(byIndex[1]) < names.length) index = Number(byIndex[1]);
  if (index < 0) {
    const fields = names.length ? `its fields: ${names.join(', ')}` : 'it has no fields';
    throw new EvalError(`${of} (${typeLabel(object.type)}) has no field named ${field} (${fields})`, col);
  }
  return { object, index, name: `${of}.${field}` };
}

/** `$arr[3]`, or `$e[0]` (an exception's payload), with the index checked against the length. */
export function elementSlot(base: EvalValue, index: EvalValue, of: string, col: number): GcSlot {
  const object = referenceIn(base, of, 'an array', 'it cannot be indexed', 'it has no elements', col);
  if (!(object instanceof GcArray || object instanceof Exception)) throw new EvalError(`${of} is not an array (it is ${whatIs(base)}), so it cannot be indexed`, col);
  if (index.kind !== 'int') throw new EvalError(`the index of ${of}[...] must be an integer, not ${index.kind === 'null' ? 'null' : typeName(index)}`, col);
  const length = object instanceof GcArray ? object.length : object.payload.length;
  const i = index.width === 0 ? index.value : BigInt.asUintN(index.width, index.value);
  if (i < 0n || i >= BigInt(length)) {
    throw new EvalError(`index out of bounds: ${of}[${i}], and ${of} has ${object instanceof GcArray ? `length ${length}` : `${length} payload value${length === 1 ? '' : 's'}`}`, col);
  }
  return { object, index: Number(i), name: `${of}[${i}]` };
}

/** An array's length, for `.length`. */
export function arrayLength(base: EvalValue): EvalValue {
  const a = (base as { value: { value: GcArray } }).value.value;
  return { kind: 'int', width: 32, unsigned: false, value: BigInt(a.length) };
}

/** What a slot holds now, as an expression value (its reference type naming the defining module's types). */
export function readSlot(slot: GcSlot): EvalValue {
  const o = slot.object;
  if (o instanceof Exception) {
    // The canonical type's own parameter types go with its module's indices (the tag's module may number them otherwise).
    const canon = o.tag.canon;
    return fromValue({ ...o.payload[slot.index], type: (canon.def as FuncType).params[slot.index], module: canon.module } as TypedValue);
  }
  const storage = o.type.types[o instanceof GcStruct ? slot.index : 0];
  const stored = o instanceof GcStruct ? o.fields[slot.index] : arrayElement(o, slot.index);
  return fromValue({ ...storedValue(storage, stored), module: o.type.module });
}

/**
 * Stores `value` into a mutable field or element: a number as a WebAssembly store of its type
 * would (packed ones wrap), a reference when the engine finds it of the slot's type (`null` when
 * the type is nullable). `source` is the value's text, for messages. Returns the new value.
 */
export function writeSlot(slot: GcSlot, value: EvalValue, source: string): EvalValue {
  const o = slot.object;
  if (o instanceof Exception) throw new AssignError(`${slot.name} cannot be changed: an exception's payload is immutable`);
  const field = o instanceof GcStruct ? slot.index : 0;
  if (!isMutable(o.type, field)) throw new AssignError(`${slot.name} is immutable (its type declares it without mut)`);
  const storage = o.type.types[field];
  const converted = isRefType(storage) ? referenceFor(value, storage, o.type.module, slot.name, source) : numberFor(value, storage, slot.name);
  const stored = toStored(storage, converted);
  if (o instanceof GcStruct) o.fields[slot.index] = stored;
  else if (stored instanceof Int32Array) (o.data as Int32Array).set(stored, slot.index * 4);
  else (o.data as unknown[])[slot.index] = stored;
  return readSlot(slot);
}

function numberFor(value: EvalValue, storage: StorageType, name: string): Value {
  const packed = storage === 'i8' || storage === 'i16';
  try {
    return toValue(value, packed ? 'i32' : (storage as Value['type']), packed);
  } catch (e) {
    throw new AssignError(`${name}: ${(e as Error).message}`);
  }
}

/**
 * `value` as a reference to store where `to` (type indices of `toModule`) is expected: null when
 * `to` is nullable, another reference when it is of a subtype (or, in the same hierarchy, holds a
 * value of `to`, as `ref.cast` would find). `name` and `source` name the place and the value.
 */
export function referenceFor(value: EvalValue, to: RefType, toModule: Module | null, name: string, source: string): Value {
  const expected = typeText(to, toModule);
  if (value.kind === 'null') {
    if (refParts(to)!.nullable) return { type: to, value: null } as Value;
    throw new AssignError(`${name} holds ${expected}, which cannot be null`);
  }
  if (value.kind !== 'opaque' || !isRefType(value.value.type)) {
    throw new AssignError(`type mismatch: ${name} holds ${expected}, but ${source} is ${whatIs(value)}`);
  }
  const { type, value: ref } = value.value as { type: RefType; value: unknown };
  if (refValueFits(ref, type, value.module ?? null, to, toModule)) return { type: to, value: ref } as Value;
  const shown = ref === null ? null : formatValue(value.value);
  throw new AssignError(`type mismatch: ${name} holds ${expected}, but ${source} is ${typeText(type, value.module)}${shown ? ` (${shown})` : ''}`);
}

/** `a == b` / `a != b` where either is a reference or `null`: identity, as `ref.eq` compares (i31 by value). */
export function compareReferences(op: '==' | '!=', a: EvalValue, b: EvalValue, col: number): EvalValue {
  const ref = (v: EvalValue): unknown => {
    if (v.kind === 'null') return null;
    if (v.kind === 'opaque' && isRefType(v.value.type)) return (v.value as { value: unknown }).value ?? null;
    throw new EvalError(`'${op}' compares a reference with a reference or null, not with ${whatIs(v)}`, col);
  };
  const same = ref(a) === ref(b);
  return { kind: 'bool', value: op === '==' ? same : !same };
}

/** Whether `v` is a reference or `null` (compared by `compareReferences`). */
export function isReference(v: EvalValue): boolean {
  return v.kind === 'null' || (v.kind === 'opaque' && isRefType(v.value.type));
}
