// Decoding instruction sequences (function bodies and constant expressions) into flat `Instr` lists
// that keep every instruction's byte offset.

import { DecodeError, Reader, hexByte } from './decodeReader';
import { ImmKind, PREFIX_MISC, PREFIX_SIMD, opcodeInfo, prefixedOpcode } from './opcodes';
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

function memarg(r: Reader): { align: number; offset: number } {
  const at = r.pos;
  const align = r.u32('the alignment of a memory access');
  if (align >= 32) r.fail(at, 'malformed memop flags', `alignment exponent ${align} must be below 32`);
  const offset = r.u32('the offset of a memory access');
  return { align, offset };
}

function readImmediates(r: Reader, instr: Instr, imm: ImmKind): void {
  switch (imm) {
    case 'none':
      return;
    case 'block':
      instr.blockType = blockType(r);
      return;
    case 'label':
      instr.index = r.u32('a label depth');
      return;
    case 'br_table': {
      const n = r.len32('the number of br_table targets');
      const labels = new Array<number>(n + 1);
      for (let i = 0; i < n; i++) labels[i] = r.u32('a br_table target');
      labels[n] = r.u32('the default br_table target');
      instr.labels = labels;
      return;
    }
    case 'func':
      instr.index = r.u32('a function index');
      return;
    case 'call_indirect':
      instr.index = r.u32('a type index');
      instr.index2 = r.u32('a table index');
      return;
    case 'local':
      instr.index = r.u32('a local index');
      return;
    case 'global':
      instr.index = r.u32('a global index');
      return;
    case 'table':
      instr.index = r.u32('a table index');
      return;
    case 'memarg':
      instr.memarg = memarg(r);
      return;
    case 'memory':
      zeroByte(r, 'the memory index');
      instr.index = 0;
      return;
    case 'i32':
      instr.value = r.signed(32, 'an i32 constant');
      return;
    case 'i64':
      instr.value = r.s64('an i64 constant');
      return;
    case 'f32':
      instr.value = r.u32le('an f32 constant');
      return;
    case 'f64':
      instr.value = r.u64le('an f64 constant');
      return;
    case 'select_t': {
      const n = r.len32('the number of select result types');
      const types: ValType[] = [];
      for (let i = 0; i < n; i++) types.push(valType(r, 'a select result type'));
      instr.types = types;
      return;
    }
    case 'ref_null':
      instr.refType = refType(r, 'ref.null');
      return;
    case 'memory_init':
      instr.index = r.u32('a data segment index');
      zeroByte(r, 'the memory index');
      instr.index2 = 0;
      return;
    case 'data':
      instr.index = r.u32('a data segment index');
      return;
    case 'memory_copy':
      zeroByte(r, 'the destination memory index');
      zeroByte(r, 'the source memory index');
      instr.index = 0;
      instr.index2 = 0;
      return;
    case 'table_init':
      instr.index = r.u32('an element segment index');
      instr.index2 = r.u32('a table index');
      return;
    case 'elem':
      instr.index = r.u32('an element segment index');
      return;
    case 'table_copy':
      instr.index = r.u32('the destination table index');
      instr.index2 = r.u32('the source table index');
      return;
    case 'v128':
      instr.bytes = r.take(16, 'a v128 constant').slice();
      return;
    case 'shuffle':
      instr.bytes = r.take(16, 'i8x16.shuffle lane indices').slice();
      return;
    case 'lane':
      instr.lane = r.byte('a lane index');
      return;
    case 'memarg_lane':
      instr.memarg = memarg(r);
      instr.lane = r.byte('a lane index');
      return;
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
  const control: number[] = [];
  for (;;) {
    const at = r.pos;
    if (at >= r.end) r.eof('an instruction or END opcode');
    const b = r.bytes[r.pos++];
    let op = b;
    if (b === PREFIX_MISC || b === PREFIX_SIMD) {
      const sub = r.u32('a prefixed opcode');
      op = prefixedOpcode(b, sub);
      if (op < 0 || !opcodeInfo(op)) {
        r.fail(at, 'illegal opcode', `${hexByte(b)} ${hexByte(sub)} is not an instruction`);
      }
    }
    const info = opcodeInfo(op);
    if (!info) r.fail(at, 'illegal opcode', `${hexByte(b)} is not an instruction`);
    const instr: Instr = { op, offset: at };
    readImmediates(r, instr, info.imm);
    if ((op === MEMORY_INIT || op === DATA_DROP) && use.dataIndexAt < 0) use.dataIndexAt = at;
    out.push(instr);
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
        if (control.length === 0) return out;
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
