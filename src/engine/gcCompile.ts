// Compiling the GC and typed-reference instructions (WebAssembly 3.0) into [Op.GC, length, sub,
// immediates...] for gc.ts, tracking the operand types as compile.ts does. Branching ones
// (br_on_null, br_on_non_null, br_on_cast, br_on_cast_fail) become a test that pushes a condition
// followed by an ordinary conditional branch.

import { Op } from './compile'; // a const enum: inlined, so no run-time import (and no cycle)
import { Gc, HEAP_CONCRETE, definedTypeId } from './gc';
import { GC } from './opcodes';
import { refParts, refType } from './refTypes';
import { canonicalTypes } from './typeCanon';
import type { Instr, Module, RefType, StorageType, ValType } from './types';

/** What compile.ts lends the GC compiler: its operand-type stack, emitter and branch emitter. */
export interface GcCompileContext {
  push(t: ValType): void;
  pop(): ValType;
  peek(): ValType | undefined;
  emit(...words: number[]): void;
  branch(depth: number, conditional: boolean): void;
}


export function isGcOp(op: number): boolean {
  return (op >= 0xd3 && op <= 0xd6) || (op >= GC && op <= (GC | 0x1e));
}

const HEAP_CODES: Record<string, number> = {
  any: 1, eq: 2, i31: 3, struct: 4, array: 5, none: 6, func: 7, nofunc: 8, extern: 9, noextern: 10, exn: 11, noexn: 12,
};

function nonNull(t: ValType): ValType {
  const p = refParts(t);
  return p === null ? t : refType(p.heap, false);
}

function unpacked(t: StorageType): ValType {
  return t === 'i8' || t === 'i16' ? 'i32' : t;
}

/** A reference type as a cast's immediates: heap code, canonical type id (-1 for abstract), nullable. */
export function castImmediates(module: Module, t: RefType): [number, number, number] {
  const p = refParts(t)!;
  if (typeof p.heap === 'number') return [HEAP_CONCRETE + p.heap, canonicalTypes(module)[p.heap].id, p.nullable ? 1 : 0];
  return [HEAP_CODES[p.heap], -1, p.nullable ? 1 : 0];
}

export function compileGc(module: Module, ins: Instr, c: GcCompileContext): void {
  const gc = (sub: number, ...imm: number[]) => c.emit(Op.GC, 3 + imm.length, sub, ...imm);
  const ref = (x: number): ValType => `(ref ${x})`;
  /** Room for a test's condition above the operand it leaves. */
  const roomForCondition = () => {
    c.push('i32');
    c.pop();
  };
  switch (ins.op) {
    case 0xd3: c.pop(); c.pop(); gc(Gc.REF_EQ); c.push('i32'); return;
    case 0xd4: c.push(nonNull(c.pop())); gc(Gc.REF_AS_NON_NULL); return;
    case 0xd5: { // br_on_null
      const t = c.pop();
      c.push(t);
      roomForCondition();
      c.pop();
      gc(Gc.BR_ON_NULL_TEST);
      c.branch(ins.index!, true);
      c.push(nonNull(t));
      return;
    }
    case 0xd6: { // br_on_non_null
      c.push(nonNull(c.pop()));
      roomForCondition();
      gc(Gc.BR_ON_NON_NULL_TEST);
      c.branch(ins.index!, true);
      c.pop();
      return;
    }
  }
  const sub = ins.op & 0xff;
  const x = ins.index!;
  const def = module.types[x];
  switch (sub) {
    case Gc.STRUCT_NEW:
    case Gc.STRUCT_NEW_DEFAULT:
      if (sub === Gc.STRUCT_NEW && def.kind === 'struct') for (let i = 0; i < def.fields.length; i++) c.pop();
      gc(sub, definedTypeId(module, x));
      c.push(ref(x));
      return;
    case Gc.STRUCT_GET: case Gc.STRUCT_GET_S: case Gc.STRUCT_GET_U:
      c.pop();
      gc(sub, definedTypeId(module, x), ins.index2!);
      c.push(def.kind === 'struct' ? unpacked(def.fields[ins.index2!].type) : 'i32');
      return;
    case Gc.STRUCT_SET:
      c.pop(); c.pop();
      gc(sub, definedTypeId(module, x), ins.index2!);
      return;
    case Gc.ARRAY_NEW: case Gc.ARRAY_NEW_DEFAULT: case Gc.ARRAY_NEW_DATA: case Gc.ARRAY_NEW_ELEM: case Gc.ARRAY_NEW_FIXED: {
      const n = sub === Gc.ARRAY_NEW_DEFAULT ? 1 : sub === Gc.ARRAY_NEW_FIXED ? ins.index2! : 2;
      for (let i = 0; i < n; i++) c.pop();
      if (sub === Gc.ARRAY_NEW_DATA || sub === Gc.ARRAY_NEW_ELEM || sub === Gc.ARRAY_NEW_FIXED) gc(sub, definedTypeId(module, x), ins.index2!);
      else gc(sub, definedTypeId(module, x));
      c.push(ref(x));
      return;
    }
    case Gc.ARRAY_GET: case Gc.ARRAY_GET_S: case Gc.ARRAY_GET_U:
      c.pop(); c.pop();
      gc(sub, definedTypeId(module, x));
      c.push(def.kind === 'array' ? unpacked(def.elem.type) : 'i32');
      return;
    case Gc.ARRAY_SET: c.pop(); c.pop(); c.pop(); gc(sub, definedTypeId(module, x)); return;
    case Gc.ARRAY_LEN: c.pop(); gc(sub); c.push('i32'); return;
    case Gc.ARRAY_FILL: for (let i = 0; i < 4; i++) c.pop(); gc(sub, definedTypeId(module, x)); return;
    case Gc.ARRAY_COPY: for (let i = 0; i < 5; i++) c.pop(); gc(sub, definedTypeId(module, x), definedTypeId(module, ins.index2!)); return;
    case Gc.ARRAY_INIT_DATA: case Gc.ARRAY_INIT_ELEM: for (let i = 0; i < 4; i++) c.pop(); gc(sub, definedTypeId(module, x), ins.index2!); return;
    case 0x14: case 0x15: // ref.test
      c.pop();
      gc(Gc.REF_TEST, ...castImmediates(module, ins.refType!));
      c.push('i32');
      return;
    case 0x16: case 0x17: // ref.cast
      c.pop();
      gc(Gc.REF_CAST, ...castImmediates(module, ins.refType!));
      c.push(ins.refType!);
      return;
    case 0x18: case 0x19: { // br_on_cast, br_on_cast_fail
      const source = c.pop() as RefType;
      const target = ins.refType!;
      const diff = refParts(target)!.nullable ? nonNull(source) : source;
      const [taken, kept] = sub === 0x18 ? [target, diff] : [diff, target];
      c.push(taken);
      roomForCondition();
      gc(Gc.BR_ON_CAST_TEST, ...castImmediates(module, target), sub === 0x18 ? 0 : 1);
      c.branch(ins.index!, true);
      c.pop();
      c.push(kept);
      return;
    }
    case Gc.ANY_CONVERT_EXTERN: case Gc.EXTERN_CONVERT_ANY: {
      const nullable = refParts(c.pop())?.nullable ?? true;
      gc(sub);
      c.push(refType(sub === Gc.ANY_CONVERT_EXTERN ? 'any' : 'extern', nullable));
      return;
    }
    case Gc.REF_I31: c.pop(); gc(sub); c.push('(ref i31)'); return;
    case Gc.I31_GET_S: case Gc.I31_GET_U: c.pop(); gc(sub); c.push('i32'); return;
  }
  throw new Error(`unsupported GC instruction 0x${ins.op.toString(16)} at byte 0x${ins.offset.toString(16)}`);
}
