// Typing rules of the typed function reference and GC instructions (WebAssembly 3.0), for the
// body validator: call_ref, ref.eq/as_non_null, br_on_null/non_null, struct.*, array.*, i31,
// ref.test/cast, br_on_cast(_fail) and the extern/any conversions.

import type { InstrScratch } from '../decodeInstr';
import { GC } from '../opcodes';
import type { BodyValidator } from './body';
import {
  BOT, CONCRETE, DefKind, F32, F64, HEAP_ANY, HEAP_ARRAY, HEAP_EQ, HEAP_EXN, HEAP_EXTERN, HEAP_FUNC, HEAP_I31, I16, I32, I64, I8,
  NULLABLE, REF, REF_BOT, TypeSpace, V128, fromValType, heapOf, isDefaultable, isRef, matches, refOf, typeName, unpacked,
} from './valueTypes';
import type { FieldInfo } from './context';

/** Whether `op` is one of the instructions checked here. */
export function isTypedRefOp(op: number): boolean {
  return op === 0x14 || op === 0x15 || (op >= 0xd3 && op <= 0xd6) || (op >= GC && op <= (GC | 0x1e));
}

const EQREF = refOf(HEAP_EQ, true);
const ARRAYREF = refOf(HEAP_ARRAY, true);
const I31REF = refOf(HEAP_I31, true);

/** The top heap type of the hierarchy `heap` is in (any, func, extern or exn). */
export function topHeap(heap: number, types: TypeSpace): number {
  if (heap >= CONCRETE) return types.kindOf(heap - CONCRETE) === DefKind.Func ? HEAP_FUNC : HEAP_ANY;
  if (heap === 7 || heap === 8) return HEAP_FUNC;
  if (heap === 9 || heap === 10) return HEAP_EXTERN;
  if (heap === 11 || heap === 12) return HEAP_EXN;
  return HEAP_ANY;
}

export function checkTypedRef(v: BodyValidator, s: InstrScratch): void {
  const ctx = v.ctx;
  switch (s.op) {
    case 0x14: // call_ref
    case 0x15: { // return_call_ref
      const t = v.funcType(s.index);
      v.popExpect(refOf(CONCRETE + t, true));
      if (s.op === 0x15) v.tailResults(ctx.typeResults[t]);
      v.popAll(ctx.typeParams[t]);
      if (s.op === 0x15) v.setUnreachable();
      else v.pushAll(ctx.typeResults[t]);
      return;
    }
    case 0xd3: // ref.eq
      v.popExpect(EQREF);
      v.popExpect(EQREF);
      v.push(I32);
      return;
    case 0xd4: { // ref.as_non_null
      const t = popRef(v);
      v.push(t === BOT ? REF_BOT : t & ~NULLABLE);
      return;
    }
    case 0xd5: { // br_on_null
      const t = popRef(v);
      const label = v.labelTypes(s.index);
      v.popAll(label);
      v.pushAll(label);
      v.push(t === BOT ? REF_BOT : t & ~NULLABLE);
      return;
    }
    case 0xd6: { // br_on_non_null
      const t = popRef(v);
      const label = v.labelTypes(s.index);
      if (label.length === 0 || !isRef(label[label.length - 1])) v.fail(`type mismatch: br_on_non_null's label ${s.index} must take a reference last, it takes ${typesOf(label)}`);
      v.push(t === BOT ? REF_BOT : t & ~NULLABLE);
      v.popAll(label);
      v.pushAll(label.subarray(0, label.length - 1));
      return;
    }
  }
  checkGc(v, s, s.op & 0xff);
}

function checkGc(v: BodyValidator, s: InstrScratch, sub: number): void {
  const ctx = v.ctx;
  switch (sub) {
    case 0x00: { // struct.new
      const fields = structFields(v, s.index);
      for (let i = fields.length - 1; i >= 0; i--) v.popExpect(unpacked(fields[i].type));
      v.push(refOf(CONCRETE + s.index, false));
      return;
    }
    case 0x01: { // struct.new_default
      const fields = structFields(v, s.index);
      for (const f of fields) if (!isDefaultable(f.type)) v.fail(`type mismatch: struct.new_default of type ${s.index}, whose field of type ${typeName(f.type)} has no default value`);
      v.push(refOf(CONCRETE + s.index, false));
      return;
    }
    case 0x02: case 0x03: case 0x04: { // struct.get, struct.get_s, struct.get_u
      const f = structField(v, s.index, s.index2);
      packing(v, f, sub !== 0x02);
      v.popExpect(refOf(CONCRETE + s.index, true));
      v.push(unpacked(f.type));
      return;
    }
    case 0x05: { // struct.set
      const f = structField(v, s.index, s.index2);
      if (!f.mutable) v.fail(`immutable field ${s.index2} of type ${s.index}`);
      v.popExpect(unpacked(f.type));
      v.popExpect(refOf(CONCRETE + s.index, true));
      return;
    }
    case 0x06: { // array.new
      const e = arrayElem(v, s.index);
      v.popExpect(I32);
      v.popExpect(unpacked(e.type));
      v.push(refOf(CONCRETE + s.index, false));
      return;
    }
    case 0x07: { // array.new_default
      const e = arrayElem(v, s.index);
      if (!isDefaultable(e.type)) v.fail(`type mismatch: array.new_default of type ${s.index}, whose elements of type ${typeName(e.type)} have no default value`);
      v.popExpect(I32);
      v.push(refOf(CONCRETE + s.index, false));
      return;
    }
    case 0x08: { // array.new_fixed
      const e = arrayElem(v, s.index);
      for (let i = 0; i < s.index2; i++) v.popExpect(unpacked(e.type));
      v.push(refOf(CONCRETE + s.index, false));
      return;
    }
    case 0x09: { // array.new_data
      const e = arrayElem(v, s.index);
      numericElem(v, e, s.index);
      v.data(s.index2);
      v.popExpect(I32);
      v.popExpect(I32);
      v.push(refOf(CONCRETE + s.index, false));
      return;
    }
    case 0x0a: { // array.new_elem
      const e = arrayElem(v, s.index);
      elemFits(v, e, s.index, s.index2);
      v.popExpect(I32);
      v.popExpect(I32);
      v.push(refOf(CONCRETE + s.index, false));
      return;
    }
    case 0x0b: case 0x0c: case 0x0d: { // array.get, array.get_s, array.get_u
      const e = arrayElem(v, s.index);
      packing(v, e, sub !== 0x0b);
      v.popExpect(I32);
      v.popExpect(refOf(CONCRETE + s.index, true));
      v.push(unpacked(e.type));
      return;
    }
    case 0x0e: { // array.set
      const e = mutableElem(v, s.index);
      v.popExpect(unpacked(e.type));
      v.popExpect(I32);
      v.popExpect(refOf(CONCRETE + s.index, true));
      return;
    }
    case 0x0f: // array.len
      v.popExpect(ARRAYREF);
      v.push(I32);
      return;
    case 0x10: { // array.fill
      const e = mutableElem(v, s.index);
      v.popExpect(I32);
      v.popExpect(unpacked(e.type));
      v.popExpect(I32);
      v.popExpect(refOf(CONCRETE + s.index, true));
      return;
    }
    case 0x11: { // array.copy
      const to = mutableElem(v, s.index);
      const from = arrayElem(v, s.index2);
      const ok = (to.type === I8 || to.type === I16 || from.type === I8 || from.type === I16) ? to.type === from.type : matches(from.type, to.type, ctx);
      if (!ok) v.fail(`array types do not match: array.copy from type ${s.index2} (${typeName(from.type)}) into type ${s.index} (${typeName(to.type)})`);
      v.popExpect(I32);
      v.popExpect(I32);
      v.popExpect(refOf(CONCRETE + s.index2, true));
      v.popExpect(I32);
      v.popExpect(refOf(CONCRETE + s.index, true));
      return;
    }
    case 0x12: case 0x13: { // array.init_data, array.init_elem
      const e = mutableElem(v, s.index);
      if (sub === 0x12) {
        numericElem(v, e, s.index);
        v.data(s.index2);
      } else elemFits(v, e, s.index, s.index2);
      v.popExpect(I32);
      v.popExpect(I32);
      v.popExpect(I32);
      v.popExpect(refOf(CONCRETE + s.index, true));
      return;
    }
    case 0x14: case 0x15: { // ref.test
      const rt = targetType(v, s);
      popInHierarchy(v, rt);
      v.push(I32);
      return;
    }
    case 0x16: case 0x17: { // ref.cast
      const rt = targetType(v, s);
      popInHierarchy(v, rt);
      v.push(rt);
      return;
    }
    case 0x18: case 0x19: { // br_on_cast, br_on_cast_fail
      const rt1 = checkedRefType(v, fromValType(s.refType2));
      const rt2 = checkedRefType(v, fromValType(s.refType));
      if (!matches(rt2, rt1, ctx)) v.fail(`type mismatch: ${s.info.name}'s target type ${typeName(rt2)} does not match its source type ${typeName(rt1)}`);
      v.popExpect(rt1);
      const label = v.labelTypes(s.index);
      if (label.length === 0 || !isRef(label[label.length - 1])) v.fail(`type mismatch: ${s.info.name}'s label ${s.index} must take a reference last, it takes ${typesOf(label)}`);
      // What the branch passes and what falls through: the cast type, and the source less it.
      const diff = (rt2 & NULLABLE) !== 0 ? rt1 & ~NULLABLE : rt1;
      const [taken, kept] = sub === 0x18 ? [rt2, diff] : [diff, rt2];
      v.push(taken);
      v.popAll(label);
      v.pushAll(label.subarray(0, label.length - 1));
      v.push(kept);
      return;
    }
    case 0x1a: case 0x1b: { // any.convert_extern, extern.convert_any
      const from = sub === 0x1a ? HEAP_EXTERN : HEAP_ANY;
      const t = v.popExpect(refOf(from, true));
      const nullable = t === BOT || (t & NULLABLE) !== 0;
      v.push(refOf(sub === 0x1a ? HEAP_ANY : HEAP_EXTERN, nullable));
      return;
    }
    case 0x1c: // ref.i31
      v.popExpect(I32);
      v.push(refOf(HEAP_I31, false));
      return;
    case 0x1d: case 0x1e: // i31.get_s, i31.get_u
      v.popExpect(I31REF);
      v.push(I32);
      return;
  }
  v.fail(`no typing rule for ${s.info.name}`);
}

function typesOf(ts: Int32Array): string {
  return `[${Array.from(ts, typeName).join(' ')}]`;
}

/** Pops any reference (or the unknown operand, BOT). */
function popRef(v: BodyValidator): number {
  const t = v.pop();
  if (t !== BOT && !isRef(t)) v.fail(`type mismatch: ${v.s.info.name} expects a reference but the stack has ${typeName(t)}`);
  return t;
}

function popInHierarchy(v: BodyValidator, rt: number): void {
  v.popExpect(refOf(topHeap(heapOf(rt), v.ctx), true));
}

/** A reference type named by an instruction, whose type index (if any) must exist. */
function checkedRefType(v: BodyValidator, t: number): number {
  const heap = heapOf(t);
  if (heap >= CONCRETE) v.type(heap - CONCRETE);
  return t;
}

function targetType(v: BodyValidator, s: InstrScratch): number {
  return checkedRefType(v, fromValType(s.refType));
}

function structFields(v: BodyValidator, x: number): FieldInfo[] {
  v.type(x);
  if (v.ctx.kinds[x] !== DefKind.Struct) v.fail(`type mismatch: ${v.s.info.name} needs a struct type, type ${x} is not one`);
  return v.ctx.fields[x];
}

function structField(v: BodyValidator, x: number, y: number): FieldInfo {
  const fields = structFields(v, x);
  if (y >= fields.length) v.fail(`unknown field ${y} of type ${x}, which has ${fields.length}`);
  return fields[y];
}

function arrayElem(v: BodyValidator, x: number): FieldInfo {
  v.type(x);
  if (v.ctx.kinds[x] !== DefKind.Array) v.fail(`type mismatch: ${v.s.info.name} needs an array type, type ${x} is not one`);
  return v.ctx.fields[x][0];
}

function mutableElem(v: BodyValidator, x: number): FieldInfo {
  const e = arrayElem(v, x);
  if (!e.mutable) v.fail(`immutable array: ${v.s.info.name} writes to array type ${x}`);
  return e;
}

/** `_s`/`_u` read packed storage only, and the plain get reads unpacked storage only. */
function packing(v: BodyValidator, f: FieldInfo, signed: boolean): void {
  const packed = f.type === I8 || f.type === I16;
  if (packed !== signed) {
    v.fail(`type mismatch: ${v.s.info.name} ${packed ? 'of a packed field needs _s or _u' : `of a field of type ${typeName(f.type)} takes no sign extension`}`);
  }
}

function numericElem(v: BodyValidator, e: FieldInfo, x: number): void {
  const t = e.type;
  if (!(t === I32 || t === I64 || t === F32 || t === F64 || t === V128 || t === I8 || t === I16)) {
    v.fail(`array type is not numeric or vector: ${v.s.info.name} on array type ${x} of ${typeName(t)}`);
  }
}

function elemFits(v: BodyValidator, e: FieldInfo, x: number, seg: number): void {
  const t = v.elem(seg);
  if (!matches(t, e.type, v.ctx)) v.fail(`type mismatch: elem segment ${seg} holds ${typeName(t)}, array type ${x} ${typeName(e.type)}`);
}


