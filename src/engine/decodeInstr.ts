// Decoding instruction sequences (function bodies and constant expressions) into flat `Instr` lists
// that keep every instruction's byte offset.

import { DecodeError, Reader, hexByte } from './decodeReader';
import { ImmKind, OpcodeInfo, PREFIX_MISC, PREFIX_SIMD, opcodeInfo } from './opcodes';
import type { BlockType, Instr, RefType, ValType } from './types';

export const MEMORY_INIT = (PREFIX_MISC << 8) | 0x08;
export const DATA_DROP = (PREFIX_MISC << 8) | 0x09;

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

/**
 * One instruction as `readInstr` leaves it: reused from one instruction to the next, so reading a
 * body allocates nothing per instruction (bar i64/f64 constants, which are bigints). Only the
 * fields of the instruction's immediate kind are meaningful.
 */
export class InstrScratch {
  op = 0;
  offset = 0;
  info: OpcodeInfo = opcodeInfo(0)!;
  blockType: BlockType = 'empty';
  index = 0;
  index2 = 0;
  /** br_table's targets (the default last), valid up to `labelCount`. */
  labels: number[] = [];
  labelCount = 0;
  align = 0;
  memOffset = 0;
  value: number | bigint = 0;
  refType: RefType = 'funcref';
  /** select's explicit result types, valid up to `typeCount`. */
  types: ValType[] = [];
  typeCount = 0;
  lane = 0;
  /** Where v128.const's or i8x16.shuffle's 16 immediate bytes start in the binary. */
  bytesAt = 0;
}

function memarg(r: Reader, s: InstrScratch): void {
  const at = r.pos;
  const align = r.u32('the alignment of a memory access');
  if (align >= 32) r.fail(at, 'malformed memop flags', `alignment exponent ${align} must be below 32`);
  s.align = align;
  s.memOffset = r.u32('the offset of a memory access');
}

function sixteenBytes(r: Reader, s: InstrScratch, what: string): void {
  if (r.pos + 16 > r.end) r.eof(what);
  s.bytesAt = r.pos;
  r.pos += 16;
}

function readImmediates(r: Reader, s: InstrScratch, imm: ImmKind): void {
  switch (imm) {
    case 'none':
      return;
    case 'block':
      s.blockType = blockType(r);
      return;
    case 'label':
      s.index = r.u32('a label depth');
      return;
    case 'br_table': {
      const n = r.len32('the number of br_table targets');
      const labels = s.labels;
      for (let i = 0; i < n; i++) labels[i] = r.u32('a br_table target');
      labels[n] = r.u32('the default br_table target');
      s.labelCount = n + 1;
      return;
    }
    case 'func':
      s.index = r.u32('a function index');
      return;
    case 'call_indirect':
      s.index = r.u32('a type index');
      s.index2 = r.u32('a table index');
      return;
    case 'local':
      s.index = r.u32('a local index');
      return;
    case 'global':
      s.index = r.u32('a global index');
      return;
    case 'table':
      s.index = r.u32('a table index');
      return;
    case 'memarg':
      memarg(r, s);
      return;
    case 'memory':
      zeroByte(r, 'the memory index');
      s.index = 0;
      return;
    case 'i32':
      s.value = r.signed(32, 'an i32 constant');
      return;
    case 'i64':
      s.value = r.s64('an i64 constant');
      return;
    case 'f32':
      s.value = r.u32le('an f32 constant');
      return;
    case 'f64':
      s.value = r.u64le('an f64 constant');
      return;
    case 'select_t': {
      const n = r.len32('the number of select result types');
      for (let i = 0; i < n; i++) s.types[i] = valType(r, 'a select result type');
      s.typeCount = n;
      return;
    }
    case 'ref_null':
      s.refType = refType(r, 'ref.null');
      return;
    case 'memory_init':
      s.index = r.u32('a data segment index');
      zeroByte(r, 'the memory index');
      s.index2 = 0;
      return;
    case 'data':
      s.index = r.u32('a data segment index');
      return;
    case 'memory_copy':
      zeroByte(r, 'the destination memory index');
      zeroByte(r, 'the source memory index');
      s.index = 0;
      s.index2 = 0;
      return;
    case 'table_init':
      s.index = r.u32('an element segment index');
      s.index2 = r.u32('a table index');
      return;
    case 'elem':
      s.index = r.u32('an element segment index');
      return;
    case 'table_copy':
      s.index = r.u32('the destination table index');
      s.index2 = r.u32('the source table index');
      return;
    case 'v128':
      sixteenBytes(r, s, 'a v128 constant');
      return;
    case 'shuffle':
      sixteenBytes(r, s, 'i8x16.shuffle lane indices');
      return;
    case 'lane':
      s.lane = r.byte('a lane index');
      return;
    case 'memarg_lane':
      memarg(r, s);
      s.lane = r.byte('a lane index');
      return;
  }
}

/**
 * Reads the instruction at `r.pos` (opcode and immediates) into `s`, leaving `r` after it. Throws
 * DecodeError for an opcode no instruction has or a malformed immediate.
 */
export function readInstr(r: Reader, s: InstrScratch): void {
  const at = r.pos;
  if (at >= r.end) r.eof('an instruction or END opcode');
  const b = r.bytes[r.pos++];
  let op = b;
  if (b === PREFIX_MISC || b === PREFIX_SIMD) {
    const sub = r.u32('a prefixed opcode');
    op = sub <= 0xff ? (b << 8) | sub : -1;
    if (op < 0 || !opcodeInfo(op)) {
      r.fail(at, 'illegal opcode', `${hexByte(b)} ${hexByte(sub)} is not an instruction`);
    }
  }
  const info = opcodeInfo(op);
  if (!info) r.fail(at, 'illegal opcode', `${hexByte(b)} is not an instruction`);
  s.op = op;
  s.offset = at;
  s.info = info;
  readImmediates(r, s, info.imm);
}

/** The instruction in `s` as a fresh `Instr` with only its immediate kind's fields set. */
function instrOf(s: InstrScratch, bytes: Uint8Array): Instr {
  const instr: Instr = { op: s.op, offset: s.offset };
  switch (s.info.imm) {
    case 'none':
      break;
    case 'block':
      instr.blockType = s.blockType;
      break;
    case 'br_table':
      instr.labels = s.labels.slice(0, s.labelCount);
      break;
    case 'call_indirect':
    case 'memory_init':
    case 'memory_copy':
    case 'table_init':
    case 'table_copy':
      instr.index = s.index;
      instr.index2 = s.index2;
      break;
    case 'memarg':
      instr.memarg = { align: s.align, offset: s.memOffset };
      break;
    case 'memarg_lane':
      instr.memarg = { align: s.align, offset: s.memOffset };
      instr.lane = s.lane;
      break;
    case 'lane':
      instr.lane = s.lane;
      break;
    case 'i32':
    case 'i64':
    case 'f32':
    case 'f64':
      instr.value = s.value;
      break;
    case 'select_t':
      instr.types = s.types.slice(0, s.typeCount);
      break;
    case 'ref_null':
      instr.refType = s.refType;
      break;
    case 'v128':
    case 'shuffle':
      instr.bytes = bytes.slice(s.bytesAt, s.bytesAt + 16);
      break;
    default: // one index: label, func, local, global, table, memory, data, elem
      instr.index = s.index;
  }
  return instr;
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
  const s = new InstrScratch();
  for (;;) {
    readInstr(r, s);
    const { op, offset: at } = s;
    if ((op === MEMORY_INIT || op === DATA_DROP) && use.dataIndexAt < 0) use.dataIndexAt = at;
    out.push(instrOf(s, r.bytes));
    switch (op) {
      case 0x02:
      case 0x03:
        control.push(BLOCK);
        break;
      case 0x04:
        control.push(IF);
        break;
      case 0x05:
        if (control.length === 0 || control[control.length - 1] !== IF) elseOutsideIf(r, at);
        control[control.length - 1] = IF_ELSE;
        break;
      case 0x0b:
        if (control.length === 0) return out;
        control.pop();
        break;
    }
  }
}

/** The malformed-binary error for an `else` that does not continue an `if`. */
export function elseOutsideIf(r: Reader, at: number): never {
  return r.fail(at, 'END opcode expected', 'else outside an if');
}

/** A constant expression (its final `end` dropped, its position kept by the other instructions). */
export function decodeConstExpr(r: Reader, use: InstrUse): Instr[] {
  const instrs = decodeInstrs(r, use);
  instrs.pop();
  return instrs;
}

export { DecodeError };

/**
 * The most locals one function may declare. The specification allows up to 2^32-1; like the
 * WebAssembly JS API's implementation limit, we stop far earlier so a binary cannot make us
 * allocate billions of entries.
 */
export const MAX_FUNCTION_LOCALS = 50_000;

/**
 * Reads a body's local declarations, calling `group` for each run of `count` locals of one type.
 * Returns the number of locals declared; too many is malformed.
 */
export function readLocals(r: Reader, group: (count: number, type: ValType) => void): number {
  const at = r.pos;
  const n = r.len32('the number of local declarations');
  let total = 0;
  for (let i = 0; i < n; i++) {
    const count = r.u32('a local count');
    const type = valType(r, 'a local type');
    total += count;
    group(count, type);
  }
  if (total >= 2 ** 32) r.fail(at, 'too many locals', `${total} declared, at most 2^32-1`);
  if (total > MAX_FUNCTION_LOCALS) {
    r.fail(at, 'too many locals', `${total} declared, wat-debugger supports at most ${MAX_FUNCTION_LOCALS} per function`);
  }
  return total;
}
