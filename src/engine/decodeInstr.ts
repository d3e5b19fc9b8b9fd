// Decoding instruction sequences (function bodies and constant expressions) into flat `Instr` lists
// that keep every instruction's byte offset.

import { DecodeError, Reader, hexByte } from './decodeReader';
import { ImmKind, OpcodeInfo, PREFIX_MISC, PREFIX_SIMD, opcodeInfo } from './opcodes';
import type { BlockType, Instr, RefType, ValType } from './types';

const MEMORY_INIT = (PREFIX_MISC << 8) | 0x08;
const DATA_DROP = (PREFIX_MISC << 8) | 0x09;

export function valType(r: Reader, what: string): ValType {
  const at = r.pos;
  const b = r.byte(what);
  switch (b) {
    case 0x7f: return 'i32';
    case 0x7e: return 'i64';
    case 0x7d: return 'f32';
    case 0x7c: return 'f64';
    case 0x7b: return 'v128';
    case 0x70: return 'funcref';
    case 0x6f: return 'externref';
  }
  return r.fail(at, 'malformed value type', `${hexByte(b)} is not a value type, expected one of 0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64, 0x7b v128, 0x70 funcref, 0x6f externref in ${what}`);
}

export function refType(r: Reader, what: string): RefType {
  const at = r.pos;
  const b = r.byte(what);
  if (b === 0x70) return 'funcref';
  if (b === 0x6f) return 'externref';
  return r.fail(at, 'malformed reference type', `${hexByte(b)} is not a reference type, expected 0x70 funcref or 0x6f externref in ${what}`);
}

function blockType(r: Reader): BlockType {
  const at = r.pos;
  const b = r.peek();
  if (b === 0x40) {
    r.pos++;
    return 'empty';
  }
  // A single byte with the sign bit set is a value type; anything else is a type index (s33, >= 0).
  if (b >= 0 && (b & 0xc0) === 0x40) return valType(r, 'a block type');
  const index = r.signed(33, 'a block type index');
  if (index < 0) r.fail(at, 'malformed value type', 'a block type is 0x40, a value type or a non-negative type index');
  return index;
}

function zeroByte(r: Reader, what: string): void {
  const at = r.pos;
  const b = r.byte(what);
  if (b !== 0) r.fail(at, 'zero byte expected', `${what} is a reserved 0x00 byte, got ${hexByte(b)}`);
}

function memarg(r: Reader, instr: Instr | null): void {
  const at = r.pos;
  const align = r.u32('the alignment of a memory access');
  if (align >= 32) r.fail(at, 'malformed memop flags', `alignment exponent ${align} must be below 32`);
  const offset = r.u32('the offset of a memory access');
  if (instr) instr.memarg = { align, offset };
}

/** Reads one index immediate and stores it as `index` (or `index2`) when there is an instruction to keep. */
function indexImm(r: Reader, instr: Instr | null, what: string, second = false): void {
  const v = r.u32(what);
  if (!instr) return;
  if (second) instr.index2 = v;
  else instr.index = v;
}

/**
 * Reads the immediates of kind `imm` into `instr`. With `instr` null the instruction is only
 * checked: every immediate is read with the same errors, and nothing is stored or allocated.
 */
function readImmediates(r: Reader, instr: Instr | null, imm: ImmKind): void {
  switch (imm) {
    case 'none':
      return;
    case 'block': {
      const bt = blockType(r);
      if (instr) instr.blockType = bt;
      return;
    }
    case 'label':
      return indexImm(r, instr, 'a label depth');
    case 'br_table': {
      const n = r.len32('the number of br_table targets');
      const labels = instr ? new Array<number>(n + 1) : null;
      for (let i = 0; i < n; i++) {
        const label = r.u32('a br_table target');
        if (labels) labels[i] = label;
      }
      const last = r.u32('the default br_table target');
      if (instr && labels) {
        labels[n] = last;
        instr.labels = labels;
      }
      return;
    }
    case 'func':
      return indexImm(r, instr, 'a function index');
    case 'call_indirect':
      indexImm(r, instr, 'a type index');
      return indexImm(r, instr, 'a table index', true);
    case 'local':
      return indexImm(r, instr, 'a local index');
    case 'global':
      return indexImm(r, instr, 'a global index');
    case 'table':
      return indexImm(r, instr, 'a table index');
    case 'memarg':
      return memarg(r, instr);
    case 'memory':
      zeroByte(r, 'the memory index');
      if (instr) instr.index = 0;
      return;
    case 'i32': {
      const v = r.signed(32, 'an i32 constant');
      if (instr) instr.value = v;
      return;
    }
    case 'i64':
      // Checked as a number without a bigint: the same bytes are accepted or refused either way.
      if (instr) instr.value = r.s64('an i64 constant');
      else r.signed(64, 'an i64 constant');
      return;
    case 'f32':
      if (instr) instr.value = r.u32le('an f32 constant');
      else r.skip(4, 'an f32 constant');
      return;
    case 'f64':
      if (instr) instr.value = r.u64le('an f64 constant');
      else r.skip(8, 'an f64 constant');
      return;
    case 'select_t': {
      const n = r.len32('the number of select result types');
      const types: ValType[] | null = instr ? [] : null;
      for (let i = 0; i < n; i++) {
        const t = valType(r, 'a select result type');
        types?.push(t);
      }
      if (instr) instr.types = types!;
      return;
    }
    case 'ref_null': {
      const t = refType(r, 'ref.null');
      if (instr) instr.refType = t;
      return;
    }
    case 'memory_init':
      indexImm(r, instr, 'a data segment index');
      zeroByte(r, 'the memory index');
      if (instr) instr.index2 = 0;
      return;
    case 'data':
      return indexImm(r, instr, 'a data segment index');
    case 'memory_copy':
      zeroByte(r, 'the destination memory index');
      zeroByte(r, 'the source memory index');
      if (instr) instr.index = instr.index2 = 0;
      return;
    case 'table_init':
      indexImm(r, instr, 'an element segment index');
      return indexImm(r, instr, 'a table index', true);
    case 'elem':
      return indexImm(r, instr, 'an element segment index');
    case 'table_copy':
      indexImm(r, instr, 'the destination table index');
      return indexImm(r, instr, 'the source table index', true);
    case 'v128':
      if (instr) instr.bytes = r.take(16, 'a v128 constant').slice();
      else r.skip(16, 'a v128 constant');
      return;
    case 'shuffle':
      if (instr) instr.bytes = r.take(16, 'i8x16.shuffle lane indices').slice();
      else r.skip(16, 'i8x16.shuffle lane indices');
      return;
    case 'lane': {
      const lane = r.byte('a lane index');
      if (instr) instr.lane = lane;
      return;
    }
    case 'memarg_lane': {
      memarg(r, instr);
      const lane = r.byte('a lane index');
      if (instr) instr.lane = lane;
      return;
    }
  }
}

/** What a decoded instruction sequence used that the module-level checks need. */
export interface InstrUse {
  /** Offset of the first memory.init or data.drop (they require a data count section), or -1. */
  dataIndexAt: number;
}

const BLOCK = 0;
const IF = 1;
const IF_ELSE = 2;

/**
 * Reads instructions up to and including the `end` that closes the sequence. Nested block/loop/if
 * are tracked so the right `end` terminates it; an `else` outside an `if` is malformed.
 */
export function decodeInstrs(r: Reader, use: InstrUse): Instr[] {
  const out: Instr[] = [];
  readInstrs(r, use, out);
  return out;
}

/**
 * Reads the instructions of a sequence as `decodeInstrs` does, with the same checks and errors,
 * but keeps none of them: nothing is allocated per instruction.
 */
export function skipInstrs(r: Reader, use: InstrUse): void {
  readInstrs(r, use, null);
}

// The instructions of one opcode byte, looked up by index: the decoder's hottest lookup.
const SINGLE_BYTE: (OpcodeInfo | undefined)[] = Array.from({ length: 256 }, (_, b) => opcodeInfo(b));

// The kinds of the open blocks, innermost last: one array reused by every sequence read.
const control: number[] = [];

function readInstrs(r: Reader, use: InstrUse, out: Instr[] | null): void {
  control.length = 0;
  for (;;) {
    const at = r.pos;
    if (at >= r.end) r.eof('an instruction or END opcode');
    const b = r.bytes[r.pos++];
    let op = b;
    let info = SINGLE_BYTE[b];
    if (b === PREFIX_MISC || b === PREFIX_SIMD) {
      const sub = r.u32('a prefixed opcode');
      op = sub <= 0xff ? (b << 8) | sub : -1;
      info = op < 0 ? undefined : opcodeInfo(op);
      if (!info) r.fail(at, 'illegal opcode', `${hexByte(b)} ${hexByte(sub)} is not an instruction`);
    }
    if (!info) r.fail(at, 'illegal opcode', `${hexByte(b)} is not an instruction`);
    let instr: Instr | null = null;
    if (out) out.push((instr = { op, offset: at }));
    readImmediates(r, instr, info.imm);
    if ((op === MEMORY_INIT || op === DATA_DROP) && use.dataIndexAt < 0) use.dataIndexAt = at;
    switch (op) {
      case 0x02:
      case 0x03:
        control.push(BLOCK);
        break;
      case 0x04:
        control.push(IF);
        break;
      case 0x05:
        if (control.length === 0 || control[control.length - 1] !== IF) {
          r.fail(at, 'END opcode expected', 'else outside an if');
        }
        control[control.length - 1] = IF_ELSE;
        break;
      case 0x0b:
        if (control.length === 0) return;
        control.pop();
        break;
    }
  }
}

/** A constant expression (its final `end` dropped, its position kept by the other instructions). */
export function decodeConstExpr(r: Reader, use: InstrUse): Instr[] {
  const instrs = decodeInstrs(r, use);
  instrs.pop();
  return instrs;
}

export { DecodeError };
