// The GC and typed-reference instructions at run time: structs, arrays, i31, casts, conversions
// and null checks. Compiled as [Op.GC, length, sub, immediates...] (compile.ts) and run here by
// `runGc`, outside the main loop, so programs without GC pay nothing for them.

import { FuncInst, Instance } from './runtime';
import { Trap } from './trap';
import { CanonType, canonById, canonicalTypes } from './typeCanon';
import {
  DefinedType, GcArray, GcStruct, Storage, externalize, internalize, newArrayData, storageOf,
} from './gcValues';
import type { Instr, Module, RefType, StorageType, Value } from './types';
import type { Store } from './store';

// Sub-operations: the 0xFB sub-opcode where there is one, then ours.
export const enum Gc {
  STRUCT_NEW = 0x00,
  STRUCT_NEW_DEFAULT = 0x01,
  STRUCT_GET = 0x02,
  STRUCT_GET_S = 0x03,
  STRUCT_GET_U = 0x04,
  STRUCT_SET = 0x05,
  ARRAY_NEW = 0x06,
  ARRAY_NEW_DEFAULT = 0x07,
  ARRAY_NEW_FIXED = 0x08,
  ARRAY_NEW_DATA = 0x09,
  ARRAY_NEW_ELEM = 0x0a,
  ARRAY_GET = 0x0b,
  ARRAY_GET_S = 0x0c,
  ARRAY_GET_U = 0x0d,
  ARRAY_SET = 0x0e,
  ARRAY_LEN = 0x0f,
  ARRAY_FILL = 0x10,
  ARRAY_COPY = 0x11,
  ARRAY_INIT_DATA = 0x12,
  ARRAY_INIT_ELEM = 0x13,
  /** [REF_TEST, heap, canonId, nullable]: pops a reference, pushes 1 when it has the type. */
  REF_TEST = 0x14,
  /** [REF_CAST, heap, canonId, nullable]: traps "cast failure" unless the reference has the type. */
  REF_CAST = 0x16,
  /** [BR_ON_CAST_TEST, heap, canonId, nullable, invert]: pushes whether to branch, above the reference. */
  BR_ON_CAST_TEST = 0x18,
  ANY_CONVERT_EXTERN = 0x1a,
  EXTERN_CONVERT_ANY = 0x1b,
  REF_I31 = 0x1c,
  I31_GET_S = 0x1d,
  I31_GET_U = 0x1e,
  REF_EQ = 0x40,
  REF_AS_NON_NULL = 0x41,
  /** Replaces a null reference by 1 (branch, dropping it), else pushes 0 above it. */
  BR_ON_NULL_TEST = 0x42,
  /** Pushes 1 above a non-null reference (branch, keeping it), else replaces the null by 0. */
  BR_ON_NON_NULL_TEST = 0x43,
}

// Heap type codes as the validator numbers them (validate/valueTypes.ts); concrete: CONCRETE + index.
const HEAP_ANY = 1, HEAP_EQ = 2, HEAP_I31 = 3, HEAP_STRUCT = 4, HEAP_ARRAY = 5, HEAP_FUNC = 7, HEAP_EXTERN = 9, HEAP_EXN = 11;
export const HEAP_CONCRETE = 16;

const definedTypes: DefinedType[] = [];
const perModule = new WeakMap<Module, (number | undefined)[]>();

/** The id (for compiled code) of the struct or array type `index` of `module`. */
export function definedTypeId(module: Module, index: number): number {
  let ids = perModule.get(module);
  if (!ids) perModule.set(module, (ids = []));
  let id = ids[index];
  if (id === undefined) {
    const def = module.types[index];
    const types: StorageType[] = def.kind === 'struct' ? def.fields.map((f) => f.type) : def.kind === 'array' ? [def.elem.type] : [];
    id = definedTypes.length;
    definedTypes.push(new DefinedType(canonicalTypes(module)[index], module, index, types.map(storageOf), types));
    ids[index] = id;
  }
  return id;
}

export function definedTypeById(id: number): DefinedType {
  return definedTypes[id];
}

/** Whether a non-null reference `v` has heap type `heap` (a concrete one given by `canon`). */
export function hasHeapType(v: unknown, heap: number, canon: CanonType | null): boolean {
  switch (heap) {
    case HEAP_ANY: case HEAP_FUNC: case HEAP_EXTERN: case HEAP_EXN: return true;
    case HEAP_EQ: return typeof v === 'number' || v instanceof GcStruct || v instanceof GcArray;
    case HEAP_I31: return typeof v === 'number';
    case HEAP_STRUCT: return v instanceof GcStruct;
    case HEAP_ARRAY: return v instanceof GcArray;
  }
  if (canon === null) return false; // none, nofunc, noextern, noexn: only null
  if (v instanceof GcStruct || v instanceof GcArray) return v.type.canon.isSubOf(canon);
  if (v instanceof FuncInst) return v.canon.isSubOf(canon);
  return false;
}

function refTest(v: unknown, code: Int32Array, at: number): boolean {
  if (v === null) return code[at + 2] !== 0;
  const id = code[at + 1];
  return hasHeapType(v, code[at], id < 0 ? null : canonById(id));
}

/** Default value of a field or element of `storage`, as struct fields hold it. */
function defaultField(storage: Storage): unknown {
  switch (storage) {
    case Storage.I64: case Storage.F64: return 0n;
    case Storage.V128: return new Int32Array(4);
    case Storage.Ref: return null;
    default: return 0;
  }
}

/** Reads the stack slot `s` as a field value of `storage` (packed values wrap). */
function fromSlot(store: Store, s: number, storage: Storage): unknown {
  switch (storage) {
    case Storage.I32: case Storage.F32: return store.I32[s << 1];
    case Storage.I8: return (store.I32[s << 1] << 24) >> 24;
    case Storage.I16: return (store.I32[s << 1] << 16) >> 16;
    case Storage.I64: case Storage.F64: return store.I64[s];
    case Storage.V128: return Int32Array.of(store.I32[s << 1], store.I32[(s << 1) + 1], store.V[s << 1], store.V[(s << 1) + 1]);
    case Storage.Ref: return store.refs[s];
  }
}

/** Writes a field value of `storage` to stack slot `s`; packed values extend by `signed`. */
function toSlot(store: Store, s: number, storage: Storage, v: unknown, signed: boolean): void {
  switch (storage) {
    case Storage.I32: case Storage.F32: store.I32[s << 1] = v as number; return;
    case Storage.I8: store.I32[s << 1] = signed ? (v as number) : (v as number) & 0xff; return;
    case Storage.I16: store.I32[s << 1] = signed ? (v as number) : (v as number) & 0xffff; return;
    case Storage.I64: case Storage.F64: store.I64[s] = v as bigint; return;
    case Storage.V128: {
      const w = v as Int32Array;
      store.I32[s << 1] = w[0];
      store.I32[(s << 1) + 1] = w[1];
      store.V[s << 1] = w[2];
      store.V[(s << 1) + 1] = w[3];
      return;
    }
    case Storage.Ref: store.refs[s] = v; return;
  }
}

function getElem(a: GcArray, i: number): unknown {
  const st = a.type.storage[0];
  if (st === Storage.V128) return (a.data as Int32Array).slice(i * 4, i * 4 + 4);
  return (a.data as unknown[])[i];
}

function setElem(a: GcArray, i: number, v: unknown): void {
  if (a.type.storage[0] === Storage.V128) (a.data as Int32Array).set(v as Int32Array, i * 4);
  else (a.data as unknown[])[i] = v;
}

/** Bytes per element of packed or numeric storage (array.new_data reads them little-endian). */
const STORAGE_BYTES = [4, 8, 4, 8, 16, 0, 1, 2];

/** The most elements one array may have: beyond it allocation fails as the host running out of memory. */
const MAX_ARRAY_LENGTH = 1 << 27;

function fill(a: GcArray, from: number, n: number, v: unknown): void {
  if (a.type.storage[0] === Storage.V128) for (let i = from; i < from + n; i++) setElem(a, i, v);
  else (a.data as { fill(v: unknown, s: number, e: number): void }).fill(v, from, from + n);
}

/** Elements from the bytes of a data segment (little-endian, as memory would hold them). */
function dataElems(a: GcArray, at: number, bytes: Uint8Array, n: number): void {
  const st = a.type.storage[0];
  const size = STORAGE_BYTES[st];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (st) {
      case Storage.I8: (a.data as Int8Array)[at + i] = view.getInt8(o); break;
      case Storage.I16: (a.data as Int16Array)[at + i] = view.getInt16(o, true); break;
      case Storage.I32: case Storage.F32: (a.data as Int32Array)[at + i] = view.getInt32(o, true); break;
      case Storage.I64: case Storage.F64: (a.data as BigInt64Array)[at + i] = view.getBigInt64(o, true); break;
      case Storage.V128: for (let k = 0; k < 4; k++) (a.data as Int32Array)[(at + i) * 4 + k] = view.getInt32(o + 4 * k, true); break;
    }
  }
}

function newArray(dt: DefinedType, n: number): GcArray | null {
  if (n > MAX_ARRAY_LENGTH) return null;
  return new GcArray(dt, newArrayData(dt.storage[0], n), n);
}

function trap(store: Store, message: string): number {
  store.pendingTrap = new Trap(message);
  return -1;
}

const NULL_STRUCT = 'null structure reference';
const NULL_ARRAY = 'null array reference';
const OOB_ARRAY = 'out of bounds array access';
const OOB_MEMORY = 'out of bounds memory access';
const OOB_TABLE = 'out of bounds table access';
const OUT_OF_MEMORY = 'out of memory: array too large';

/**
 * Runs the GC instruction at `pc` (`[Op.GC, length, sub, ...]`) on the operands below `sp`.
 * Returns the new stack top, or -1 with `store.pendingTrap` set.
 */
export function runGc(store: Store, inst: Instance, code: Int32Array, pc: number, sp: number): number {
  const I32 = store.I32;
  const refs = store.refs;
  const sub = code[pc + 2];
  switch (sub) {
    case Gc.STRUCT_NEW: case Gc.STRUCT_NEW_DEFAULT: {
      const dt = definedTypes[code[pc + 3]];
      const n = dt.storage.length;
      const fields = new Array<unknown>(n);
      if (sub === Gc.STRUCT_NEW) {
        sp -= n;
        for (let i = 0; i < n; i++) fields[i] = fromSlot(store, sp + i, dt.storage[i]);
      } else for (let i = 0; i < n; i++) fields[i] = defaultField(dt.storage[i]);
      refs[sp] = new GcStruct(dt, fields);
      return sp + 1;
    }
    case Gc.STRUCT_GET: case Gc.STRUCT_GET_S: case Gc.STRUCT_GET_U: {
      const s = refs[sp - 1] as GcStruct | null;
      if (s === null) return trap(store, NULL_STRUCT);
      const field = code[pc + 4];
      const storage = s.type.storage[field];
      if (storage !== Storage.Ref) refs[sp - 1] = null;
      toSlot(store, sp - 1, storage, s.fields[field], sub !== Gc.STRUCT_GET_U);
      return sp;
    }
    case Gc.STRUCT_SET: {
      const s = refs[sp - 2] as GcStruct | null;
      if (s === null) return trap(store, NULL_STRUCT);
      const field = code[pc + 4];
      s.fields[field] = fromSlot(store, sp - 1, s.type.storage[field]);
      return sp - 2;
    }
    case Gc.ARRAY_NEW: case Gc.ARRAY_NEW_DEFAULT: {
      const dt = definedTypes[code[pc + 3]];
      const n = I32[(sp - 1) << 1] >>> 0;
      const a = newArray(dt, n);
      if (a === null) return trap(store, OUT_OF_MEMORY);
      sp--;
      if (sub === Gc.ARRAY_NEW) {
        sp--;
        if (n > 0) fill(a, 0, n, fromSlot(store, sp, dt.storage[0]));
      }
      refs[sp] = a;
      return sp + 1;
    }
    case Gc.ARRAY_NEW_FIXED: {
      const dt = definedTypes[code[pc + 3]];
      const n = code[pc + 4];
      const a = newArray(dt, n)!;
      sp -= n;
      for (let i = 0; i < n; i++) setElem(a, i, fromSlot(store, sp + i, dt.storage[0]));
      refs[sp] = a;
      return sp + 1;
    }
    case Gc.ARRAY_NEW_DATA: case Gc.ARRAY_NEW_ELEM: {
      const dt = definedTypes[code[pc + 3]];
      const from = I32[(sp - 2) << 1] >>> 0;
      const n = I32[(sp - 1) << 1] >>> 0;
      let a: GcArray | null;
      if (sub === Gc.ARRAY_NEW_DATA) {
        const data = inst.datas[code[pc + 4]];
        const bytes = n * STORAGE_BYTES[dt.storage[0]];
        if (from + bytes > data.length) return trap(store, OOB_MEMORY);
        if ((a = newArray(dt, n)) === null) return trap(store, OUT_OF_MEMORY);
        dataElems(a, 0, data.subarray(from, from + bytes), n);
      } else {
        const elems = inst.elems[code[pc + 4]];
        if (from + n > elems.length) return trap(store, OOB_TABLE);
        if ((a = newArray(dt, n)) === null) return trap(store, OUT_OF_MEMORY);
        for (let i = 0; i < n; i++) (a.data as unknown[])[i] = elems[from + i];
      }
      sp -= 2;
      refs[sp] = a;
      return sp + 1;
    }
    case Gc.ARRAY_GET: case Gc.ARRAY_GET_S: case Gc.ARRAY_GET_U: {
      const a = refs[sp - 2] as GcArray | null;
      if (a === null) return trap(store, NULL_ARRAY);
      const i = I32[(sp - 1) << 1] >>> 0;
      if (i >= a.length) return trap(store, OOB_ARRAY);
      sp--;
      if (a.type.storage[0] !== Storage.Ref) refs[sp - 1] = null;
      toSlot(store, sp - 1, a.type.storage[0], getElem(a, i), sub !== Gc.ARRAY_GET_U);
      return sp;
    }
    case Gc.ARRAY_SET: {
      const a = refs[sp - 3] as GcArray | null;
      if (a === null) return trap(store, NULL_ARRAY);
      const i = I32[(sp - 2) << 1] >>> 0;
      if (i >= a.length) return trap(store, OOB_ARRAY);
      setElem(a, i, fromSlot(store, sp - 1, a.type.storage[0]));
      return sp - 3;
    }
    case Gc.ARRAY_LEN: {
      const a = refs[sp - 1] as GcArray | null;
      if (a === null) return trap(store, NULL_ARRAY);
      refs[sp - 1] = null;
      I32[(sp - 1) << 1] = a.length;
      return sp;
    }
    case Gc.ARRAY_FILL: {
      const a = refs[sp - 4] as GcArray | null;
      if (a === null) return trap(store, NULL_ARRAY);
      const d = I32[(sp - 3) << 1] >>> 0;
      const n = I32[(sp - 1) << 1] >>> 0;
      if (d + n > a.length) return trap(store, OOB_ARRAY);
      if (n > 0) fill(a, d, n, fromSlot(store, sp - 2, a.type.storage[0]));
      return sp - 4;
    }
    case Gc.ARRAY_COPY: {
      const to = refs[sp - 5] as GcArray | null;
      const from = refs[sp - 3] as GcArray | null;
      if (to === null || from === null) return trap(store, NULL_ARRAY);
      const d = I32[(sp - 4) << 1] >>> 0;
      const s = I32[(sp - 2) << 1] >>> 0;
      const n = I32[(sp - 1) << 1] >>> 0;
      if (d + n > to.length || s + n > from.length) return trap(store, OOB_ARRAY);
      const k = to.type.storage[0] === Storage.V128 ? 4 : 1;
      // copyWithin and set both copy as if through a temporary, so overlapping ranges are right.
      if (to === from) (to.data as Int32Array).copyWithin(d * k, s * k, (s + n) * k);
      else if (Array.isArray(to.data)) for (let i = 0; i < n; i++) to.data[d + i] = (from.data as unknown[])[s + i];
      else (to.data as Int32Array).set((from.data as Int32Array).subarray(s * k, (s + n) * k), d * k);
      return sp - 5;
    }
    case Gc.ARRAY_INIT_DATA: case Gc.ARRAY_INIT_ELEM: {
      const a = refs[sp - 4] as GcArray | null;
      if (a === null) return trap(store, NULL_ARRAY);
      const d = I32[(sp - 3) << 1] >>> 0;
      const s = I32[(sp - 2) << 1] >>> 0;
      const n = I32[(sp - 1) << 1] >>> 0;
      if (d + n > a.length) return trap(store, OOB_ARRAY);
      if (sub === Gc.ARRAY_INIT_DATA) {
        const data = inst.datas[code[pc + 4]];
        const bytes = n * STORAGE_BYTES[a.type.storage[0]];
        if (s + bytes > data.length) return trap(store, OOB_MEMORY);
        dataElems(a, d, data.subarray(s, s + bytes), n);
      } else {
        const elems = inst.elems[code[pc + 4]];
        if (s + n > elems.length) return trap(store, OOB_TABLE);
        for (let i = 0; i < n; i++) (a.data as unknown[])[d + i] = elems[s + i];
      }
      return sp - 4;
    }
    case Gc.REF_TEST: {
      const ok = refTest(refs[sp - 1], code, pc + 3);
      refs[sp - 1] = null;
      I32[(sp - 1) << 1] = ok ? 1 : 0;
      return sp;
    }
    case Gc.REF_CAST:
      return refTest(refs[sp - 1], code, pc + 3) ? sp : trap(store, 'cast failure');
    case Gc.BR_ON_CAST_TEST: {
      const ok = refTest(refs[sp - 1], code, pc + 3);
      I32[sp << 1] = ok !== (code[pc + 6] !== 0) ? 1 : 0;
      return sp + 1;
    }
    case Gc.ANY_CONVERT_EXTERN:
      refs[sp - 1] = internalize(refs[sp - 1]);
      return sp;
    case Gc.EXTERN_CONVERT_ANY:
      refs[sp - 1] = externalize(refs[sp - 1]);
      return sp;
    case Gc.REF_I31:
      refs[sp - 1] = (I32[(sp - 1) << 1] << 1) >> 1;
      return sp;
    case Gc.I31_GET_S: case Gc.I31_GET_U: {
      const v = refs[sp - 1] as number | null;
      if (v === null) return trap(store, 'null i31 reference');
      refs[sp - 1] = null;
      I32[(sp - 1) << 1] = sub === Gc.I31_GET_S ? v : v & 0x7fffffff;
      return sp;
    }
    case Gc.REF_EQ: {
      const eq = refs[sp - 2] === refs[sp - 1];
      refs[sp - 2] = null;
      refs[sp - 1] = null;
      I32[(sp - 2) << 1] = eq ? 1 : 0;
      return sp - 1;
    }
    case Gc.REF_AS_NON_NULL:
      return refs[sp - 1] === null ? trap(store, 'null reference') : sp;
    case Gc.BR_ON_NULL_TEST:
      if (refs[sp - 1] === null) {
        I32[(sp - 1) << 1] = 1;
        return sp;
      }
      I32[sp << 1] = 0;
      return sp + 1;
    case Gc.BR_ON_NON_NULL_TEST:
      if (refs[sp - 1] === null) {
        I32[(sp - 1) << 1] = 0;
        return sp;
      }
      I32[sp << 1] = 1;
      return sp + 1;
  }
  return trap(store, `internal error: unknown GC operation ${sub}`);
}


/** A Value as a field or element of `storage` holds it. */
function fromValue(v: Value, storage: Storage): unknown {
  switch (v.type) {
    case 'i32': return storage === Storage.I8 ? (v.value << 24) >> 24 : storage === Storage.I16 ? (v.value << 16) >> 16 : v.value;
    case 'f32': return v.bits | 0;
    case 'i64': return v.value;
    case 'f64': return BigInt.asIntN(64, v.bits);
    case 'v128': return new Int32Array(new Uint8Array(v.bytes).buffer);
    default: return v.value;
  }
}

/**
 * A GC instruction of a constant expression (struct.new(_default), array.new(_default/_fixed),
 * ref.i31, any.convert_extern, extern.convert_any) on the evaluation stack of instantiate.ts.
 */
export function evalGcConst(ins: Instr, module: Module, stack: Value[]): void {
  const sub = ins.op & 0xff;
  const x = ins.index!;
  const result = (value: unknown, type: RefType): void => {
    stack.push({ type, value } as Value);
  };
  switch (sub) {
    case Gc.STRUCT_NEW: case Gc.STRUCT_NEW_DEFAULT: {
      const dt = definedTypes[definedTypeId(module, x)];
      const n = dt.storage.length;
      const fields = sub === Gc.STRUCT_NEW ? stack.splice(stack.length - n, n).map((v, i) => fromValue(v, dt.storage[i])) : dt.storage.map(defaultField);
      return result(new GcStruct(dt, fields), `(ref ${x})`);
    }
    case Gc.ARRAY_NEW: case Gc.ARRAY_NEW_DEFAULT: case Gc.ARRAY_NEW_FIXED: {
      const dt = definedTypes[definedTypeId(module, x)];
      const st = dt.storage[0];
      const values = sub === Gc.ARRAY_NEW_FIXED ? stack.splice(stack.length - ins.index2!, ins.index2!) : [];
      const n = sub === Gc.ARRAY_NEW_FIXED ? values.length : (stack.pop() as { value: number }).value >>> 0;
      const a = newArray(dt, n);
      if (a === null) throw new Trap(OUT_OF_MEMORY);
      if (sub === Gc.ARRAY_NEW && n > 0) fill(a, 0, n, fromValue(stack.pop()!, st));
      else if (sub === Gc.ARRAY_NEW) stack.pop();
      values.forEach((v, i) => setElem(a, i, fromValue(v, st)));
      return result(a, `(ref ${x})`);
    }
    case Gc.REF_I31:
      return result(((stack.pop() as { value: number }).value << 1) >> 1, '(ref i31)');
    case Gc.ANY_CONVERT_EXTERN: {
      const v = stack.pop() as { value: unknown };
      return result(internalize(v.value), v.value === null ? 'anyref' : '(ref any)');
    }
    case Gc.EXTERN_CONVERT_ANY: {
      const v = stack.pop() as { value: unknown };
      return result(externalize(v.value), v.value === null ? 'externref' : '(ref extern)');
    }
  }
  throw new Error(`instruction 0x${ins.op.toString(16)} at byte 0x${ins.offset.toString(16)} is not allowed in a constant expression`);
}
