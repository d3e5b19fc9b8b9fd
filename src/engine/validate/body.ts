// Validation of function bodies in one pass over their bytes, following the specification's
// validation algorithm (its appendix): an operand stack of value types with the unknown type of
// unreachable code, and a stack of control frames with their label types. The body's bytes are read
// here (locals, then instructions through the decoder's `readInstr`), so a malformed body is
// reported as the decoder would, and nothing is allocated per instruction.

import { DATA_DROP, InstrScratch, MEMORY_INIT, checkBodySize, elseOutsideIf, readInstr, readLocalRuns } from '../decodeInstr';
import { Reader } from '../decodeReader';
import type { FuncBody, ValType } from '../types';
import { checkTypedRef, isTypedRefOp } from './gcBody';
import { ModuleContext } from './context';
import { Signature, signatureOf } from './signatures';
import {
  BOT, CONCRETE, DefKind, FUNCREF, I32, V128,
  fromValType, heapOf, isDefaultable, isRef, matches, typeName, typesName,
} from './valueTypes';

/** A validation error found in a body: where, and the specification's wording. */
export class Invalid {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const enum Kind {
  Block,
  Loop,
  If,
  Else,
  Func,
}

const EMPTY = new Int32Array(0);
const singles = new Map<number, Int32Array>();

function single(t: number): Int32Array {
  let list = singles.get(t);
  if (!list) singles.set(t, (list = Int32Array.of(t)));
  return list;
}

const signatures: (Signature | null | undefined)[] = new Array(0x10000).fill(undefined);
const highSignatures = new Map<number, Signature | null>();

function growInt32(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Validates the bodies of one module; its buffers are reused from one body to the next. */
export class BodyValidator {
  private vals: Int32Array = new Int32Array(1024);
  private sp = 0;
  private ctrlKind = new Uint8Array(64);
  private ctrlHeight: Int32Array = new Int32Array(64);
  private ctrlUnreachable = new Uint8Array(64);
  private ctrlInit: Int32Array = new Int32Array(64);
  private ctrlStart: Int32Array[] = [];
  private ctrlEnd: Int32Array[] = [];
  private depth = 0;
  /** Blocks open in the bytes read so far (the skip after an error goes on from there). */
  private open = 0;
  private locals: Int32Array = new Int32Array(64);
  private localCount = 0;
  private localInit = new Uint8Array(64);
  private initUndo: Int32Array = new Int32Array(64);
  private initSp = 0;
  readonly s = new InstrScratch();
  private results: Int32Array = EMPTY;
  /** The instruction being checked, for messages. */
  private name = '';
  private offset = 0;

  constructor(readonly ctx: ModuleContext) {}

  /**
   * Validates the body of function `funcIndex` (its bytes from `code.offset`, the size field).
   * Returns null when it is valid, else the first problem. Throws DecodeError for a malformed body.
   */
  validate(funcIndex: number, code: FuncBody): Invalid | null {
    const { ctx } = this;
    const r = new Reader(ctx.module.bytes, code.offset);
    const size = r.len32('the size of a function body');
    const start = r.pos;
    let problem: Invalid | null = null;
    try {
      this.readLocals(r, ctx.funcTypes[funcIndex]);
      this.run(r);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      problem = e;
      this.skipRest(r);
    }
    checkBodySize(r, start, size);
    return problem;
  }

  private readLocals(r: Reader, typeIndex: number): void {
    const params = this.ctx.typeParams[typeIndex];
    this.results = this.ctx.typeResults[typeIndex];
    const groups = readLocalRuns(r);
    let n = params.length;
    for (const g of groups) n += g.count;
    if (this.locals.length < n) {
      this.locals = new Int32Array(n);
      this.localInit = new Uint8Array(n);
      this.initUndo = new Int32Array(n);
    }
    this.locals.set(params);
    this.localInit.fill(1, 0, params.length);
    let at = params.length;
    for (const g of groups) {
      const t = this.valType(g.type);
      this.locals.fill(t, at, at + g.count);
      this.localInit.fill(isDefaultable(t) ? 1 : 0, at, at + g.count);
      at += g.count;
    }
    this.localCount = n;
    this.initSp = 0;
    this.sp = 0;
    this.depth = 0;
    this.pushCtrl(Kind.Func, EMPTY, this.results);
    this.open = 1;
  }

  // ---- the algorithm's stack operations ----

  fail(reason: string): never {
    throw new Invalid(this.offset, reason);
  }

  push(t: number): void {
    if (this.sp === this.vals.length) this.vals = growInt32(this.vals, this.sp + 1);
    this.vals[this.sp++] = t;
  }

  pushAll(ts: Int32Array): void {
    const n = ts.length;
    if (this.sp + n > this.vals.length) this.vals = growInt32(this.vals, this.sp + n);
    for (let i = 0; i < n; i++) this.vals[this.sp++] = ts[i];
  }

  /** Pops one operand of any type; BOT when the frame's unreachable code has none. */
  pop(): number {
    const top = this.depth - 1;
    if (this.sp === this.ctrlHeight[top]) {
      if (this.ctrlUnreachable[top]) return BOT;
      this.fail(`type mismatch: ${this.name} expects an operand but the stack is empty`);
    }
    return this.vals[--this.sp];
  }

  popExpect(expected: number): number {
    const top = this.depth - 1;
    if (this.sp === this.ctrlHeight[top]) {
      if (this.ctrlUnreachable[top]) return expected;
      this.mismatch(single(expected));
    }
    const actual = this.vals[this.sp - 1];
    if (actual !== expected && actual !== BOT && !matches(actual, expected, this.ctx)) this.mismatch(single(expected));
    this.sp--;
    return actual;
  }

  /** Checks that the top of the stack matches `ts` without popping. */
  private peekAll(ts: Int32Array): void {
    const n = ts.length;
    const top = this.depth - 1;
    const height = this.ctrlHeight[top];
    const base = this.sp - n;
    for (let i = 0; i < n; i++) {
      const at = base + i;
      if (at < height) {
        if (!this.ctrlUnreachable[top]) this.mismatch(ts);
        continue;
      }
      const actual = this.vals[at];
      const expected = ts[i];
      if (actual !== expected && actual !== BOT && !matches(actual, expected, this.ctx)) this.mismatch(ts);
    }
  }

  popAll(ts: Int32Array): void {
    this.peekAll(ts);
    this.sp = Math.max(this.sp - ts.length, this.ctrlHeight[this.depth - 1]);
  }

  private mismatch(expected: Int32Array): never {
    const height = this.ctrlHeight[this.depth - 1];
    const from = Math.max(height, this.sp - expected.length);
    const unknown = this.ctrlUnreachable[this.depth - 1] && from === height ? ' (and unknown below)' : '';
    return this.fail(`type mismatch: ${this.name} expects ${typesName(expected)} but the stack has ${typesName(this.vals, from, this.sp)}${unknown}`);
  }

  private pushCtrl(kind: Kind, start: Int32Array, end: Int32Array): void {
    const d = this.depth;
    if (d === this.ctrlKind.length) this.growCtrl();
    this.ctrlKind[d] = kind;
    this.ctrlStart[d] = start;
    this.ctrlEnd[d] = end;
    this.ctrlHeight[d] = this.sp;
    this.ctrlUnreachable[d] = 0;
    this.ctrlInit[d] = this.initSp;
    this.depth = d + 1;
    this.pushAll(start);
  }

  private growCtrl(): void {
    const n = this.ctrlKind.length * 2;
    const kind = new Uint8Array(n);
    kind.set(this.ctrlKind);
    this.ctrlKind = kind;
    const unreachable = new Uint8Array(n);
    unreachable.set(this.ctrlUnreachable);
    this.ctrlUnreachable = unreachable;
    this.ctrlHeight = growInt32(this.ctrlHeight, n);
    this.ctrlInit = growInt32(this.ctrlInit, n);
  }

  /** Ends the top frame: its results must be exactly on the stack. Leaves the frame's index in `depth`. */
  private popCtrl(): void {
    const top = this.depth - 1;
    const end = this.ctrlEnd[top];
    this.popAll(end);
    if (this.sp !== this.ctrlHeight[top]) {
      this.fail(`type mismatch: ${this.name} expects ${typesName(end)} but the stack has ${end.length === 0 ? '' : 'more: '}${typesName(this.vals, this.ctrlHeight[top], this.sp + end.length)}`);
    }
    this.resetInit(this.ctrlInit[top]);
    this.depth = top;
  }

  private resetInit(to: number): void {
    while (this.initSp > to) this.localInit[this.initUndo[--this.initSp]] = 0;
  }

  setUnreachable(): void {
    const top = this.depth - 1;
    this.sp = this.ctrlHeight[top];
    this.ctrlUnreachable[top] = 1;
  }

  labelTypes(depth: number): Int32Array {
    if (depth >= this.depth) this.fail(`unknown label ${depth}`);
    const frame = this.depth - 1 - depth;
    return this.ctrlKind[frame] === Kind.Loop ? this.ctrlStart[frame] : this.ctrlEnd[frame];
  }

  // ---- the module's index spaces ----

  private local(x: number): number {
    if (x >= this.localCount) this.fail(`unknown local ${x}`);
    return this.locals[x];
  }

  private setLocal(x: number): void {
    if (!this.localInit[x]) {
      this.localInit[x] = 1;
      this.initUndo[this.initSp++] = x;
    }
  }

  /** A value type named in the body; a type index in it must exist. */
  private valType(t: ValType): number {
    const v = fromValType(t);
    if (isRef(v) && heapOf(v) >= CONCRETE) this.type(heapOf(v) - CONCRETE);
    return v;
  }

  private global(x: number) {
    if (x >= this.ctx.globals.length) this.fail(`unknown global ${x}`);
    return this.ctx.globals[x];
  }

  func(x: number): number {
    if (x >= this.ctx.funcTypes.length) this.fail(`unknown function ${x}`);
    return this.ctx.funcTypes[x];
  }

  type(x: number): number {
    if (x >= this.ctx.typeParams.length) this.fail(`unknown type ${x}`);
    return x;
  }

  private table(x: number): number {
    if (x >= this.ctx.tables.length) this.fail(`unknown table ${x}`);
    return this.ctx.tables[x];
  }

  private memory(x: number): void {
    if (x >= this.ctx.memories) this.fail(`unknown memory ${x}`);
  }

  elem(x: number): number {
    if (x >= this.ctx.elemTypes.length) this.fail(`unknown elem segment ${x}`);
    return this.ctx.elemTypes[x];
  }

  data(x: number): void {
    const count = this.ctx.module.dataCount;
    // Without a data count section these instructions are malformed (the decoder's rule).
    if (count === null) return new Reader(this.ctx.module.bytes).fail(this.offset, 'data count section required', `${this.name} needs a data count section`);
    if (x >= count) this.fail(`unknown data segment ${x}`);
  }

  /** A type index that must name a function type (block types, call_indirect). */
  funcType(x: number): number {
    this.type(x);
    if (this.ctx.kinds[x] !== DefKind.Func) this.fail(`type mismatch: ${this.name} needs a function type, type ${x} is not one`);
    return x;
  }

  private blockParams(): Int32Array {
    const bt = this.s.blockType;
    if (bt === 'empty' || typeof bt === 'string') return EMPTY;
    return this.ctx.typeParams[this.funcType(bt)];
  }

  private blockResults(): Int32Array {
    const bt = this.s.blockType;
    if (bt === 'empty') return EMPTY;
    if (typeof bt === 'string') return single(fromValType(bt));
    return this.ctx.typeResults[bt];
  }

  /** A tail call's callee must return what the caller returns. */
  tailResults(results: Int32Array): void {
    const own = this.results;
    let ok = results.length === own.length;
    for (let i = 0; ok && i < own.length; i++) ok = matches(results[i], own[i], this.ctx);
    if (!ok) this.fail(`type mismatch: ${this.name} calls a function returning ${typesName(results)} from one returning ${typesName(own)}`);
  }

  private callIndirect(): Int32Array {
    const elem = this.table(this.s.index2);
    if (!matches(elem, FUNCREF, this.ctx)) this.fail(`type mismatch: ${this.name} needs a table of functions, table ${this.s.index2} holds ${typeName(elem)}`);
    const t = this.funcType(this.s.index);
    this.popExpect(I32);
    this.popAll(this.ctx.typeParams[t]);
    return this.ctx.typeResults[t];
  }

  private signature(op: number): Signature {
    let sig = op < 0x10000 ? signatures[op] : highSignatures.get(op);
    if (sig === undefined) {
      sig = signatureOf(this.s.info);
      if (op < 0x10000) signatures[op] = sig;
      else highSignatures.set(op, sig);
    }
    if (!sig) this.fail(`no typing rule for ${this.name}`);
    return sig;
  }

  private memarg(sig: Signature): void {
    this.memory(this.s.memory);
    if (2 ** this.s.align > sig.natural) {
      this.fail(`alignment must not be larger than natural (${this.name} accesses ${sig.natural} byte${sig.natural === 1 ? '' : 's'}, the alignment is ${2 ** this.s.align})`);
    }
  }

  private lane(index: number, lanes: number): void {
    if (index >= lanes) this.fail(`invalid lane index ${index}: ${this.name} has ${lanes} lanes`);
  }

  // ---- the instructions ----

  private run(r: Reader): void {
    const s = this.s;
    const ctx = this.ctx;
    for (;;) {
      readInstr(r, s);
      this.offset = s.offset;
      this.name = s.info.name;
      switch (s.op) {
        case 0x00: // unreachable
          this.setUnreachable();
          break;
        case 0x01: // nop
          break;
        case 0x02: // block
        case 0x03: { // loop
          this.opened(Kind.Block);
          const params = this.blockParams();
          const results = this.blockResults();
          this.popAll(params);
          this.pushCtrl(s.op === 0x02 ? Kind.Block : Kind.Loop, params, results);
          break;
        }
        case 0x04: { // if
          this.opened(Kind.If);
          const params = this.blockParams();
          const results = this.blockResults();
          this.popExpect(I32);
          this.popAll(params);
          this.pushCtrl(Kind.If, params, results);
          break;
        }
        case 0x05: { // else
          const top = this.depth - 1;
          if (this.ctrlKind[top] !== Kind.If) elseOutsideIf(r, s.offset);
          this.ctrlKind[top] = Kind.Else;
          this.popCtrl();
          this.pushCtrl(Kind.Else, this.ctrlStart[top], this.ctrlEnd[top]);
          break;
        }
        case 0x0b: { // end
          const top = this.depth - 1;
          const kind = this.ctrlKind[top];
          this.name = END_NAMES[kind];
          this.open--;
          this.popCtrl();
          if (kind === Kind.If) {
            // No else: the else branch passes the block's parameters through as its results.
            this.pushCtrl(Kind.Else, this.ctrlStart[top], this.ctrlEnd[top]);
            this.popCtrl();
          }
          if (top === 0) return;
          this.pushAll(this.ctrlEnd[top]);
          break;
        }
        case 0x0c: // br
          this.popAll(this.labelTypes(s.index));
          this.setUnreachable();
          break;
        case 0x0d: { // br_if
          const types = this.labelTypes(s.index);
          this.popExpect(I32);
          this.popAll(types);
          this.pushAll(types);
          break;
        }
        case 0x0e: { // br_table
          const n = s.labelCount;
          const fallback = this.labelTypes(s.labels[n - 1]);
          this.popExpect(I32);
          for (let i = 0; i < n - 1; i++) {
            const types = this.labelTypes(s.labels[i]);
            if (types.length !== fallback.length) {
              this.fail(`type mismatch: br_table's label ${s.labels[i]} takes ${typesName(types)}, its default label ${typesName(fallback)}`);
            }
            this.peekAll(types);
          }
          this.popAll(fallback);
          this.setUnreachable();
          break;
        }
        case 0x0f: // return
          this.popAll(this.results);
          this.setUnreachable();
          break;
        case 0x10: { // call
          const t = this.func(s.index);
          this.popAll(ctx.typeParams[t]);
          this.pushAll(ctx.typeResults[t]);
          break;
        }
        case 0x11: // call_indirect
          this.pushAll(this.callIndirect());
          break;
        case 0x12: { // return_call
          const t = this.func(s.index);
          this.tailResults(ctx.typeResults[t]);
          this.popAll(ctx.typeParams[t]);
          this.setUnreachable();
          break;
        }
        case 0x13: // return_call_indirect
          this.tailResults(this.callIndirect());
          this.setUnreachable();
          break;
        case 0x1a: // drop
          this.pop();
          break;
        case 0x1b: { // select
          this.popExpect(I32);
          const t1 = this.pop();
          const t2 = this.pop();
          if (isRef(t1) || isRef(t2)) this.fail(`type mismatch: select without a type needs numeric or vector operands, got ${typeName(isRef(t1) ? t1 : t2)}`);
          if (t1 !== t2 && t1 !== BOT && t2 !== BOT) this.fail(`type mismatch: select's operands differ, ${typeName(t2)} and ${typeName(t1)}`);
          this.push(t1 === BOT ? t2 : t1);
          break;
        }
        case 0x1c: { // select t
          if (s.typeCount !== 1) this.fail(`invalid result arity: select has ${s.typeCount} result types, it must have 1`);
          const t = this.valType(s.types[0]);
          this.popExpect(I32);
          this.popExpect(t);
          this.popExpect(t);
          this.push(t);
          break;
        }
        case 0x20: { // local.get
          const t = this.local(s.index);
          if (!this.localInit[s.index]) this.fail(`uninitialized local ${s.index}`);
          this.push(t);
          break;
        }
        case 0x21: // local.set
          this.popExpect(this.local(s.index));
          this.setLocal(s.index);
          break;
        case 0x22: { // local.tee
          const t = this.local(s.index);
          this.popExpect(t);
          this.setLocal(s.index);
          this.push(t);
          break;
        }
        case 0x23: // global.get
          this.push(this.global(s.index).type);
          break;
        case 0x24: { // global.set
          const g = this.global(s.index);
          if (!g.mutable) this.fail(`global is immutable: global.set of global ${s.index}`);
          this.popExpect(g.type);
          break;
        }
        case 0x25: { // table.get
          const t = this.table(s.index);
          this.popExpect(I32);
          this.push(t);
          break;
        }
        case 0x26: // table.set
          this.popExpect(this.table(s.index));
          this.popExpect(I32);
          break;
        case 0x3f: // memory.size
          this.memory(s.index);
          this.push(I32);
          break;
        case 0x40: // memory.grow
          this.memory(s.index);
          this.popExpect(I32);
          this.push(I32);
          break;
        case 0xd0: // ref.null
          this.push(this.valType(s.refType));
          break;
        case 0xd1: { // ref.is_null
          const t = this.pop();
          if (t !== BOT && !isRef(t)) this.fail(`type mismatch: ref.is_null expects a reference but the stack has ${typeName(t)}`);
          this.push(I32);
          break;
        }
        case 0xd2: // ref.func
          this.func(s.index);
          if (!ctx.refs[s.index]) this.fail(`undeclared function reference ${s.index}: only functions named outside function bodies (elements, exports, globals) can be referenced`);
          this.push(ctx.funcRef(s.index));
          break;
        case MEMORY_INIT:
          this.memory(s.index2);
          this.data(s.index);
          this.popAll(I32X3);
          break;
        case DATA_DROP:
          this.data(s.index);
          break;
        case MEMORY_COPY:
          this.memory(s.index);
          this.memory(s.index2);
          this.popAll(I32X3);
          break;
        case MEMORY_FILL:
          this.memory(s.index);
          this.popAll(I32X3);
          break;
        case TABLE_INIT: {
          const table = this.table(s.index2);
          const elem = this.elem(s.index);
          if (!matches(elem, table, ctx)) this.fail(`type mismatch: table.init of elem segment ${s.index} (${typeName(elem)}) into table ${s.index2} (${typeName(table)})`);
          this.popAll(I32X3);
          break;
        }
        case ELEM_DROP:
          this.elem(s.index);
          break;
        case TABLE_COPY: {
          const to = this.table(s.index);
          const from = this.table(s.index2);
          if (!matches(from, to, ctx)) this.fail(`type mismatch: table.copy from table ${s.index2} (${typeName(from)}) to table ${s.index} (${typeName(to)})`);
          this.popAll(I32X3);
          break;
        }
        case TABLE_GROW: {
          const t = this.table(s.index);
          this.popExpect(I32);
          this.popExpect(t);
          this.push(I32);
          break;
        }
        case TABLE_SIZE:
          this.table(s.index);
          this.push(I32);
          break;
        case TABLE_FILL: {
          const t = this.table(s.index);
          this.popExpect(I32);
          this.popExpect(t);
          this.popExpect(I32);
          break;
        }
        case SHUFFLE:
          for (let i = 0; i < 16; i++) this.lane(r.bytes[s.bytesAt + i], 32);
          this.popAll(V128X2);
          this.push(V128);
          break;
        default: {
          if (isTypedRefOp(s.op)) {
            checkTypedRef(this, s);
            break;
          }
          const sig = this.signature(s.op);
          if (sig.natural) this.memarg(sig);
          if (sig.lanes) this.lane(s.lane, sig.lanes);
          this.popAll(sig.params);
          this.pushAll(sig.results);
        }
      }
    }
  }

  /**
   * Records a block, loop or if as open before it is checked, with the kind `else` checks: so the
   * skip after an error knows the nesting whatever check failed.
   */
  private opened(kind: Kind): void {
    if (this.open === this.ctrlKind.length) this.growCtrl();
    this.ctrlKind[this.open++] = kind;
  }

  /** After an error, reads the rest of the body only to find where it ends (and whether it is malformed). */
  private skipRest(r: Reader): void {
    const s = this.s;
    while (this.open > 0) {
      readInstr(r, s);
      switch (s.op) {
        case 0x02:
        case 0x03:
          this.opened(Kind.Block);
          break;
        case 0x04:
          this.opened(Kind.If);
          break;
        case 0x05:
          if (this.ctrlKind[this.open - 1] !== Kind.If) elseOutsideIf(r, s.offset);
          this.ctrlKind[this.open - 1] = Kind.Else;
          break;
        case 0x0b:
          this.open--;
          break;
        case MEMORY_INIT:
        case DATA_DROP:
          if (this.ctx.module.dataCount === null) r.fail(s.offset, 'data count section required', `${s.info.name} needs a data count section`);
          break;
      }
    }
  }
}

const MISC = 0xfc00;
const MEMORY_COPY = MISC | 0x0a;
const MEMORY_FILL = MISC | 0x0b;
const TABLE_INIT = MISC | 0x0c;
const ELEM_DROP = MISC | 0x0d;
const TABLE_COPY = MISC | 0x0e;
const TABLE_GROW = MISC | 0x0f;
const TABLE_SIZE = MISC | 0x10;
const TABLE_FILL = MISC | 0x11;
const SHUFFLE = 0xfd0d;
const END_NAMES = ['the end of the block', 'the end of the loop', 'the end of the if', 'the end of the else', 'the end of the function'];
const I32X3 = Int32Array.of(I32, I32, I32);
const V128X2 = Int32Array.of(V128, V128);

