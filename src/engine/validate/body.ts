// Validation of function bodies in one pass over their bytes, following the specification's
// validation algorithm (its appendix): an operand stack of value types with the unknown type of
// unreachable code, and a stack of control frames with their label types. The body's bytes are read
// here (locals, then instructions through the decoder's `readInstr`), so a malformed body is
// reported as the decoder would, and nothing is allocated per instruction.

import { DATA_DROP, InstrScratch, MEMORY_INIT, catchOutsideTry, checkBodySize, elseOutsideIf, readInstr, readLocalRuns } from '../decodeInstr';
import { Reader } from '../decodeReader';
import { isWasm3 } from '../features';
import type { FuncBody, ValType } from '../types';
import { checkTypedRef, isTypedRefOp } from './gcBody';
import { ModuleContext } from './context';
import { Signature, signatureOf } from './signatures';
import {
  BOT, CONCRETE, DefKind, EXNREF, FUNCREF, HEAP_EXN, I32, I64, NULLABLE, REF, V128, refOf,
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
  /** Exceptions: try_table, and the legacy try in its body, after a catch and after catch_all. */
  TryTable,
  Try,
  Catch,
  CatchAll,
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
    if (ctx.module.edition) r.edition = ctx.module.edition;
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

  /** Memory `x`'s address type (I32 or I64); it must exist. */
  private memory(x: number): number {
    if (x >= this.ctx.memories) this.fail(`unknown memory ${x}`);
    return this.ctx.memoryAddress[x];
  }

  /** Table `x`'s address type; it must exist. */
  private tableAddress(x: number): number {
    this.table(x);
    return this.ctx.tableAddress[x];
  }

  /** Pops three operands, `c` on top; a mismatch names all three. */
  private popThree(a: number, b: number, c: number): void {
    this.popAll(Int32Array.of(a, b, c));
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
    if (typeof bt === 'string') return single(this.valType(bt));
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
    this.popExpect(this.ctx.tableAddress[this.s.index2]);
    this.popAll(this.ctx.typeParams[t]);
    return this.ctx.typeResults[t];
  }

  // ---- exceptions ----

  private tagParams(x: number): Int32Array {
    if (x >= this.ctx.tags.length) this.fail(`unknown tag ${x}`);
    return this.ctx.typeParams[this.ctx.tags[x]];
  }

  /**
   * try_table: each catch clause hands its label the tag's payload (catch), plus the exception
   * (catch_ref), nothing (catch_all) or the exception alone (catch_all_ref); labels count from
   * outside the try_table. Then it opens like a block.
   */
  private tryTable(): void {
    const s = this.s;
    for (let i = 0; i < s.catchCount; i++) {
      const c = s.catches[i];
      const payload = c.kind < 2 ? this.tagParams(c.tag) : EMPTY;
      const label = this.labelTypes(c.label);
      const withRef = c.kind === 1 || c.kind === 3;
      const n = payload.length + (withRef ? 1 : 0);
      let ok = label.length === n;
      for (let k = 0; ok && k < payload.length; k++) ok = matches(payload[k], label[k], this.ctx);
      if (ok && withRef) ok = matches(NON_NULL_EXN, label[n - 1], this.ctx);
      if (!ok) {
        const given = withRef ? Int32Array.from([...payload, NON_NULL_EXN]) : payload;
        this.fail(`type mismatch: catch clause ${i} of try_table passes ${typesName(given)} to label ${c.label}, which takes ${typesName(label)}`);
      }
    }
    const params = this.blockParams();
    const results = this.blockResults();
    this.popAll(params);
    this.pushCtrl(Kind.TryTable, params, results);
  }

  /** Pops a throw's payload, with the reference interpreter's wording (the suite checks it in full). */
  private popPayload(ts: Int32Array): void {
    const top = this.depth - 1;
    const height = this.ctrlHeight[top];
    const from = this.sp - ts.length;
    let ok = true;
    for (let i = 0; ok && i < ts.length; i++) {
      if (from + i < height) ok = this.ctrlUnreachable[top] === 1;
      else ok = matches(this.vals[from + i], ts[i], this.ctx);
    }
    if (!ok) this.fail(`type mismatch: instruction requires ${typesName(ts)} but stack has ${typesName(this.vals, Math.max(height, from), this.sp)}`);
    this.sp = Math.max(from, height);
  }

  /**
   * Ends a legacy try's body or one of its catch blocks (at catch, catch_all, delegate or end),
   * with the reference interpreter's wording, which the legacy suite checks in full.
   */
  private popTry(): void {
    const top = this.depth - 1;
    const end = this.ctrlEnd[top];
    const height = this.ctrlHeight[top];
    const have = this.sp - height;
    const extra = have > end.length;
    let ok = !extra && (have === end.length || this.ctrlUnreachable[top] === 1);
    for (let i = 0; ok && i < end.length; i++) {
      const at = this.sp - end.length + i;
      if (at >= height) ok = matches(this.vals[at], end[i], this.ctx);
    }
    if (!ok) {
      this.fail(`type mismatch: ${extra ? 'block' : 'instruction'} requires ${typesName(end)} but stack has ${typesName(this.vals, height, this.sp)}`);
    }
    this.sp = height;
    this.resetInit(this.ctrlInit[top]);
    this.depth = top;
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

  /** Checks a memory access's memarg; returns its operands, the address typed by the memory's address type. */
  private memarg(sig: Signature): Int32Array {
    const address = this.memory(this.s.memory);
    if (2 ** this.s.align > sig.natural) {
      this.fail(`alignment must not be larger than natural (${this.name} accesses ${sig.natural} byte${sig.natural === 1 ? '' : 's'}, the alignment is ${2 ** this.s.align})`);
    }
    if (address === I32) {
      if (this.s.memOffset >= 2 ** 32) this.fail(`offset out of range: ${this.name}'s offset ${this.s.bigOffsetAt >= 0 ? 'beyond 2^53' : this.s.memOffset} does not fit the 32-bit addresses of memory ${this.s.memory}`);
      return sig.params;
    }
    return address64Params(sig);
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
          if (kind === Kind.Try || kind === Kind.Catch || kind === Kind.CatchAll) this.popTry();
          else this.popCtrl();
          if (kind === Kind.If) {
            // No else: the else branch passes the block's parameters through as its results.
            this.pushCtrl(Kind.Else, this.ctrlStart[top], this.ctrlEnd[top]);
            this.popCtrl();
          }
          if (top === 0) return;
          this.pushAll(this.ctrlEnd[top]);
          break;
        }
        // The rest, rare in real code, in a method of their own: one call site here, so the
        // optimised loop above is not thrown away the first time one of them turns up.
        case 0x1f: case 0x08: case 0x0a: case 0x06: case 0x07: case 0x19: case 0x18: case 0x09: // exceptions
        case 0x12: case 0x13: case 0x1c: case 0x25: case 0x26: case 0x3f: case 0x40: case 0xd0: case 0xd1: case 0xd2:
        case MEMORY_INIT: case DATA_DROP: case MEMORY_COPY: case MEMORY_FILL: case TABLE_INIT: case ELEM_DROP:
        case TABLE_COPY: case TABLE_GROW: case TABLE_SIZE: case TABLE_FILL: case SHUFFLE:
          this.rareInstr(r);
          break;
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
          if (!g.mutable) this.fail(`${isWasm3(ctx.module.edition) ? 'immutable global' : 'global is immutable'}: global.set of global ${s.index}`);
          this.popExpect(g.type);
          break;
        }
        default: {
          if (isTypedRefOp(s.op)) {
            checkTypedRef(this, s);
            break;
          }
          const sig = this.signature(s.op);
          const params = sig.natural ? this.memarg(sig) : sig.params;
          if (sig.lanes) this.lane(s.lane, sig.lanes);
          this.popAll(params);
          this.pushAll(sig.results);
        }
      }
    }
  }

  /** The instructions `run` hands on: exceptions, tail calls, typed select, tables, references, bulk memory, shuffle. */
  private rareInstr(r: Reader): void {
    const s = this.s;
    const ctx = this.ctx;
    switch (s.op) {
      case 0x1f: // try_table
        this.opened(Kind.TryTable);
        this.tryTable();
        break;
      case 0x08: // throw
        this.popPayload(this.tagParams(s.index));
        this.setUnreachable();
        break;
      case 0x0a: // throw_ref
        this.popExpect(EXNREF);
        this.setUnreachable();
        break;
      case 0x06: { // try (legacy)
        this.opened(Kind.Try);
        const params = this.blockParams();
        const results = this.blockResults();
        this.popAll(params);
        this.pushCtrl(Kind.Try, params, results);
        break;
      }
      case 0x07: // catch (legacy)
      case 0x19: { // catch_all (legacy)
        const top = this.depth - 1;
        const kind = this.ctrlKind[top];
        if (kind !== Kind.Try && kind !== Kind.Catch) {
          if (kind === Kind.CatchAll) this.fail(`${this.name} after catch_all`);
          catchOutsideTry(r, s.offset);
        }
        const params = s.op === 0x07 ? this.tagParams(s.index) : EMPTY;
        this.name = 'block';
        this.popTry();
        this.pushCtrl(s.op === 0x07 ? Kind.Catch : Kind.CatchAll, EMPTY, this.ctrlEnd[top]);
        this.pushAll(params);
        break;
      }
      case 0x18: { // delegate (legacy)
        const top = this.depth - 1;
        if (this.ctrlKind[top] !== Kind.Try) catchOutsideTry(r, s.offset);
        this.open--;
        this.name = 'block';
        this.popTry();
        this.labelTypes(s.index);
        this.pushAll(this.ctrlEnd[top]);
        break;
      }
      case 0x09: { // rethrow (legacy)
        if (s.index >= this.depth) this.fail(`unknown label ${s.index}`);
        const kind = this.ctrlKind[this.depth - 1 - s.index];
        if (kind !== Kind.Catch && kind !== Kind.CatchAll) this.fail(`invalid rethrow label ${s.index}: it is not a catch block`);
        this.setUnreachable();
        break;
      }
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
      case 0x1c: { // select t
        if (s.typeCount !== 1) this.fail(`invalid result arity: select has ${s.typeCount} result types, it must have 1`);
        const t = this.valType(s.types[0]);
        this.popExpect(I32);
        this.popExpect(t);
        this.popExpect(t);
        this.push(t);
        break;
      }
      case 0x25: { // table.get
        const t = this.table(s.index);
        this.popExpect(this.ctx.tableAddress[s.index]);
        this.push(t);
        break;
      }
      case 0x26: // table.set
        this.popExpect(this.table(s.index));
        this.popExpect(this.ctx.tableAddress[s.index]);
        break;
      case 0x3f: // memory.size
        this.push(this.memory(s.index));
        break;
      case 0x40: { // memory.grow
        const address = this.memory(s.index);
        this.popExpect(address);
        this.push(address);
        break;
      }
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
      case MEMORY_INIT: {
        const address = this.memory(s.index2);
        this.data(s.index);
        this.popThree(address, I32, I32);
        break;
      }
      case DATA_DROP:
        this.data(s.index);
        break;
      case MEMORY_COPY: {
        const to = this.memory(s.index);
        const from = this.memory(s.index2);
        this.popThree(to, from, narrower(to, from));
        break;
      }
      case MEMORY_FILL: {
        const address = this.memory(s.index);
        this.popThree(address, I32, address);
        break;
      }
      case TABLE_INIT: {
        const table = this.table(s.index2);
        const elem = this.elem(s.index);
        if (!matches(elem, table, ctx)) this.fail(`type mismatch: table.init of elem segment ${s.index} (${typeName(elem)}) into table ${s.index2} (${typeName(table)})`);
        this.popThree(ctx.tableAddress[s.index2], I32, I32);
        break;
      }
      case ELEM_DROP:
        this.elem(s.index);
        break;
      case TABLE_COPY: {
        const to = this.table(s.index);
        const from = this.table(s.index2);
        if (!matches(from, to, ctx)) this.fail(`type mismatch: table.copy from table ${s.index2} (${typeName(from)}) to table ${s.index} (${typeName(to)})`);
        const [dst, src] = [ctx.tableAddress[s.index], ctx.tableAddress[s.index2]];
        this.popThree(dst, src, narrower(dst, src));
        break;
      }
      case TABLE_GROW: {
        const t = this.table(s.index);
        const address = ctx.tableAddress[s.index];
        this.popExpect(address);
        this.popExpect(t);
        this.push(address);
        break;
      }
      case TABLE_SIZE:
        this.push(this.tableAddress(s.index));
        break;
      case TABLE_FILL: {
        const t = this.table(s.index);
        const address = ctx.tableAddress[s.index];
        this.popExpect(address);
        this.popExpect(t);
        this.popExpect(address);
        break;
      }
      case SHUFFLE:
        for (let i = 0; i < 16; i++) this.lane(r.bytes[s.bytesAt + i], 32);
        this.popAll(V128X2);
        this.push(V128);
        break;
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
        case 0x1f:
          this.opened(Kind.TryTable);
          break;
        case 0x06:
          this.opened(Kind.Try);
          break;
        case 0x07:
        case 0x19:
        case 0x18: {
          const kind = this.ctrlKind[this.open - 1];
          if (kind !== Kind.Try && kind !== Kind.Catch && kind !== Kind.CatchAll) catchOutsideTry(r, s.offset);
          if (s.op === 0x18) this.open--;
          break;
        }
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
const END_NAMES = ['the end of the block', 'the end of the loop', 'the end of the if', 'the end of the else', 'the end of the function', 'the end of the try_table', 'block', 'block', 'block'];
const NON_NULL_EXN = refOf(HEAP_EXN, false);
const I32X3 = Int32Array.of(I32, I32, I32);
const V128X2 = Int32Array.of(V128, V128);

/** The count operand of a copy between an i32 and an i64 space is an i32 (the smaller of the two). */
function narrower(a: number, b: number): number {
  return a === I64 && b === I64 ? I64 : I32;
}

const params64 = new WeakMap<Signature, Int32Array>();

/** A memory access's operands on a memory64: the address (always the first operand) is an i64. */
function address64Params(sig: Signature): Int32Array {
  let p = params64.get(sig);
  if (!p) {
    p = sig.params.slice();
    p[0] = I64;
    params64.set(sig, p);
  }
  return p;
}
