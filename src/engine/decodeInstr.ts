// Decoding instruction sequences (function bodies and constant expressions) into flat `Instr` lists
// that keep every instruction's byte offset.

import { DecodeError, Reader, exactU64, hexByte } from './decodeReader';
import { isWasm3 } from './features';
import { ImmKind, OpcodeInfo, PREFIX_GC, PREFIX_MISC, PREFIX_SIMD, opcodeInfo, prefixedOpcode } from './opcodes';
import { refType as makeRefType } from './refTypes';
import type { AbsHeapType, BlockType, CatchClause, HeapType, Instr, LocalRun, RefType, StorageType, ValType } from './types';

export const MEMORY_INIT = (PREFIX_MISC << 8) | 0x08;
export const DATA_DROP = (PREFIX_MISC << 8) | 0x09;
export const ARRAY_NEW_DATA = (PREFIX_GC << 8) | 0x09;
export const ARRAY_INIT_DATA = (PREFIX_GC << 8) | 0x12;

/** Whether the instruction names a data segment, which requires a data count section. */
export function usesDataIndex(op: number): boolean {
  return op === MEMORY_INIT || op === DATA_DROP || op === ARRAY_NEW_DATA || op === ARRAY_INIT_DATA;
}

const ABSTRACT_HEAP: Record<number, AbsHeapType> = {
  0x74: 'noexn', 0x73: 'nofunc', 0x72: 'noextern', 0x71: 'none', 0x70: 'func', 0x6f: 'extern',
  0x6e: 'any', 0x6d: 'eq', 0x6c: 'i31', 0x6b: 'struct', 0x6a: 'array', 0x69: 'exn',
};
const REF = 0x64;
const REF_NULL = 0x63;

const VALUE_TYPES = '0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64, 0x7b v128, 0x63/0x64 (ref null?/ref) or an abstract reference type (0x69 to 0x74)';

/** A heap type: an abstract one's byte, or a type index as a non-negative s33. */
export function heapType(r: Reader, what: string): HeapType {
  const at = r.pos;
  const b = r.peek();
  const abs = ABSTRACT_HEAP[b];
  if (abs !== undefined) {
    r.pos++;
    return abs;
  }
  const index = r.signed(33, `the heap type of ${what}`);
  if (index < 0) r.fail(at, 'malformed heap type', `${hexByte(b)} is neither an abstract heap type (0x69 to 0x74) nor a type index in ${what}`);
  return index;
}

/** The rest of a reference type after its first byte `b`, or null when `b` starts none. */
function refTypeAfter(r: Reader, b: number, what: string): RefType | null {
  const abs = ABSTRACT_HEAP[b];
  if (abs !== undefined) return makeRefType(abs, true);
  if (b === REF || b === REF_NULL) return makeRefType(heapType(r, what), b === REF_NULL);
  return null;
}

export function valType(r: Reader, what: string): ValType {
  const at = r.pos;
  const b = r.byte(what);
  switch (b) {
    case 0x7f: return 'i32';
    case 0x7e: return 'i64';
    case 0x7d: return 'f32';
    case 0x7c: return 'f64';
    case 0x7b: return 'v128';
  }
  const ref = refTypeAfter(r, b, what);
  if (ref !== null) return ref;
  return r.fail(at, 'malformed value type', `${hexByte(b)} is not a value type, expected one of ${VALUE_TYPES} in ${what}`);
}

/** A struct field's or array element's type: a value type or a packed i8 (0x78) / i16 (0x77). */
export function storageType(r: Reader, what: string): StorageType {
  const b = r.peek();
  if (b === 0x78 || b === 0x77) {
    r.pos++;
    return b === 0x78 ? 'i8' : 'i16';
  }
  return valType(r, what);
}

export function refType(r: Reader, what: string): RefType {
  const at = r.pos;
  const b = r.byte(what);
  const ref = refTypeAfter(r, b, what);
  if (ref !== null) return ref;
  return r.fail(at, 'malformed reference type', `${hexByte(b)} is not a reference type, expected 0x63/0x64 (ref null?) or an abstract reference type (0x69 to 0x74) in ${what}`);
}

function blockType(r: Reader): BlockType {
  const at = r.pos;
  const b = r.peek();
  if (b === 0x40) {
    r.pos++;
    return 'empty';
  }
  // A value type starts with a byte of a negative s7 (0x40 to 0x7f); else it is a type index (s33, >= 0).
  if (b >= 0 && (b & 0xc0) === 0x40) return valType(r, 'a block type');
  const index = r.signed(33, 'a block type index');
  if (index < 0) r.fail(at, 'malformed value type', 'a block type is 0x40, a value type or a non-negative type index');
  return index;
}

/** ImmKind as a number, so the switches over it are jump tables. */
const enum Imm {
  None,
  Block,
  Label,
  BrTable,
  Func,
  CallIndirect,
  Local,
  Global,
  Table,
  Memarg,
  Memory,
  I32,
  I64,
  F32,
  F64,
  SelectT,
  RefNull,
  MemoryInit,
  Data,
  MemoryCopy,
  TableInit,
  Elem,
  TableCopy,
  V128,
  Shuffle,
  Lane,
  MemargLane,
  Tag,
  TryTable,
  /** GC and typed references: see the opcode table's comments for which fields they fill. */
  Type,
  TypeType,
  TypeField,
  RefTest,
  RefTestNull,
  BrOnCast,
}

const IMM_KINDS: ImmKind[] = [
  'none',
  'block',
  'label',
  'br_table',
  'func',
  'call_indirect',
  'local',
  'global',
  'table',
  'memarg',
  'memory',
  'i32',
  'i64',
  'f32',
  'f64',
  'select_t',
  'ref_null',
  'memory_init',
  'data',
  'memory_copy',
  'table_init',
  'elem',
  'table_copy',
  'v128',
  'shuffle',
  'lane',
  'memarg_lane',
  'tag',
  'try_table',
  'type',
  'type_type',
  'type_field',
  'ref_test',
  'ref_test_null',
  'br_on_cast',
];

/**
 * One instruction as `readInstr` leaves it: reused from one instruction to the next, so reading a
 * body allocates nothing per instruction (bar i64/f64 constants, which are bigints). Only the
 * fields of the instruction's immediate kind are meaningful.
 */
export class InstrScratch {
  op = 0;
  offset = 0;
  info: OpcodeInfo = opcodeInfo(0)!;
  /** `info.imm` as a number. */
  imm: Imm = Imm.None;
  blockType: BlockType = 'empty';
  index = 0;
  index2 = 0;
  /** br_table's targets (the default last), valid up to `labelCount`. */
  labels: number[] = [];
  labelCount = 0;
  align = 0;
  /** A memarg's offset (rounded beyond 2^53), and where it is in the binary when that happened, else -1. */
  memOffset = 0;
  bigOffsetAt = -1;
  /** A memarg's memory index (0 unless bit 6 of its alignment field says one follows). */
  memory = 0;
  value: number | bigint = 0;
  refType: RefType = 'funcref';
  /** br_on_cast's source type. */
  refType2: RefType = 'funcref';
  /** select's explicit result types, valid up to `typeCount`. */
  types: ValType[] = [];
  typeCount = 0;
  lane = 0;
  /** Where v128.const's or i8x16.shuffle's 16 immediate bytes start in the binary. */
  bytesAt = 0;
  /** try_table's catch clauses, valid up to `catchCount` (the objects are reused). */
  catches: CatchClause[] = [];
  catchCount = 0;
}

/** Bit 6 of a memarg's alignment field: a memory index follows (multiple memories). */
const MEMARG_MEMORY_BIT = 0x40;

function memarg(r: Reader, s: InstrScratch): void {
  const at = r.pos;
  const field = r.u32('the alignment of a memory access');
  s.bigOffsetAt = -1;
  if (!isWasm3(r.edition)) {
    if (field >= 32) r.fail(at, 'malformed memop flags', `alignment exponent ${field} must be below 32 (WebAssembly 2.0 rules: no memory index)`);
    s.memory = 0;
    s.align = field;
    s.memOffset = r.u32('the offset of a memory access');
    return;
  }
  if (field >= 0x80) {
    r.fail(at, 'malformed memop flags', `the field is ${field}: bits 0 to 5 are the alignment exponent, bit 6 says a memory index follows, no other bit is defined`);
  }
  s.memory = field & MEMARG_MEMORY_BIT ? r.u32('the memory index of a memory access') : 0;
  s.align = field & 0x3f;
  const offsetAt = r.pos;
  s.memOffset = r.u64('the offset of a memory access');
  if (s.memOffset > Number.MAX_SAFE_INTEGER) s.bigOffsetAt = offsetAt;
}

/** A memory index where WebAssembly 2.0 had a reserved zero byte (memory.size, grow, init, copy, fill). */
function memoryIndex(r: Reader, what: string): number {
  if (isWasm3(r.edition)) return r.u32(what);
  const at = r.pos;
  if (r.byte(what) !== 0) r.fail(at, 'zero byte expected', `${what} is a reserved zero byte in WebAssembly 2.0`);
  return 0;
}

function sixteenBytes(r: Reader, s: InstrScratch, what: string): void {
  if (r.pos + 16 > r.end) r.eof(what);
  s.bytesAt = r.pos;
  r.pos += 16;
}

function readImmediates(r: Reader, s: InstrScratch, imm: Imm): void {
  switch (imm) {
    case Imm.None:
      return;
    case Imm.Block:
      s.blockType = blockType(r);
      return;
    case Imm.Label:
      s.index = r.u32('a label depth');
      return;
    case Imm.BrTable: {
      const n = r.len32('the number of br_table targets');
      const labels = s.labels;
      for (let i = 0; i < n; i++) labels[i] = r.u32('a br_table target');
      labels[n] = r.u32('the default br_table target');
      s.labelCount = n + 1;
      return;
    }
    case Imm.Func:
      s.index = r.u32('a function index');
      return;
    case Imm.CallIndirect:
      s.index = r.u32('a type index');
      s.index2 = r.u32('a table index');
      return;
    case Imm.Local:
      s.index = r.u32('a local index');
      return;
    case Imm.Global:
      s.index = r.u32('a global index');
      return;
    case Imm.Table:
      s.index = r.u32('a table index');
      return;
    case Imm.Memarg:
      memarg(r, s);
      return;
    case Imm.Memory:
      s.index = memoryIndex(r, 'a memory index');
      return;
    case Imm.I32:
      s.value = r.signed(32, 'an i32 constant');
      return;
    case Imm.I64:
      s.value = r.s64('an i64 constant');
      return;
    case Imm.F32:
      s.value = r.u32le('an f32 constant');
      return;
    case Imm.F64:
      s.value = r.u64le('an f64 constant');
      return;
    case Imm.SelectT: {
      const n = r.len32('the number of select result types');
      for (let i = 0; i < n; i++) s.types[i] = valType(r, 'a select result type');
      s.typeCount = n;
      return;
    }
    case Imm.RefNull:
      s.refType = makeRefType(heapType(r, 'ref.null'), true);
      return;
    case Imm.Type:
      s.index = r.u32('a type index');
      return;
    case Imm.TypeType:
      s.index = r.u32('a type index');
      s.index2 = r.u32(s.info.name === 'array.new_fixed' ? 'an array length' : s.info.name === 'array.copy' ? 'a type index' : 'a segment index');
      return;
    case Imm.TypeField:
      s.index = r.u32('a type index');
      s.index2 = r.u32('a field index');
      return;
    case Imm.RefTest:
    case Imm.RefTestNull:
      s.refType = makeRefType(heapType(r, s.info.name), imm === Imm.RefTestNull);
      return;
    case Imm.BrOnCast: {
      const at = r.pos;
      const flags = r.byte('the flags of ' + s.info.name);
      if (flags > 3) r.fail(at, 'malformed br_on_cast flags', `${hexByte(flags)}: only bits 0 and 1 (nullable source, nullable target) may be set`);
      s.index = r.u32('a label depth');
      s.refType2 = makeRefType(heapType(r, s.info.name), (flags & 1) !== 0);
      s.refType = makeRefType(heapType(r, s.info.name), (flags & 2) !== 0);
      return;
    }
    case Imm.MemoryInit:
      s.index = r.u32('a data segment index');
      s.index2 = memoryIndex(r, 'a memory index');
      return;
    case Imm.Data:
      s.index = r.u32('a data segment index');
      return;
    case Imm.MemoryCopy:
      s.index = memoryIndex(r, 'the destination memory index');
      s.index2 = memoryIndex(r, 'the source memory index');
      return;
    case Imm.TableInit:
      s.index = r.u32('an element segment index');
      s.index2 = r.u32('a table index');
      return;
    case Imm.Elem:
      s.index = r.u32('an element segment index');
      return;
    case Imm.TableCopy:
      s.index = r.u32('the destination table index');
      s.index2 = r.u32('the source table index');
      return;
    case Imm.V128:
      sixteenBytes(r, s, 'a v128 constant');
      return;
    case Imm.Shuffle:
      sixteenBytes(r, s, 'i8x16.shuffle lane indices');
      return;
    case Imm.Lane:
      s.lane = r.byte('a lane index');
      return;
    case Imm.MemargLane:
      memarg(r, s);
      s.lane = r.byte('a lane index');
      return;
    case Imm.Tag:
      s.index = r.u32('a tag index');
      return;
    case Imm.TryTable:
      s.blockType = blockType(r);
      tryTableCatches(r, s);
      return;
  }
}

/** try_table's vector of catch clauses: a kind byte (0 to 3), a tag index for 0 and 1, a label. */
function tryTableCatches(r: Reader, s: InstrScratch): void {
  const n = r.len32('the number of try_table catch clauses');
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const kind = r.byte('a catch clause kind');
    if (kind > 3) r.fail(at, 'malformed catch clause', `${hexByte(kind)} is not 0x00 catch, 0x01 catch_ref, 0x02 catch_all or 0x03 catch_all_ref`);
    const tag = kind < 2 ? r.u32('a tag index') : -1;
    const label = r.u32('a label depth');
    const c = (s.catches[i] ??= { kind: 0, tag: 0, label: 0 });
    c.kind = kind as CatchClause['kind'];
    c.tag = tag;
    c.label = label;
  }
  s.catchCount = n;
}

// The opcode table's entries by number, looked up once each: an array index per instruction
// instead of a map lookup (null: no instruction has that number).
const infoCache: (OpcodeInfo | null | undefined)[] = new Array(0x10000).fill(undefined);
const immCache = new Uint8Array(0x10000);

function infoOf(op: number): OpcodeInfo | null | undefined {
  if (op >= 0x10000) return opcodeInfo(op);
  let info = infoCache[op];
  if (info === undefined) {
    infoCache[op] = info = opcodeInfo(op) ?? null;
    if (info) immCache[op] = IMM_KINDS.indexOf(info.imm);
  }
  return info;
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
  if (b === PREFIX_MISC || b === PREFIX_SIMD || b === PREFIX_GC) {
    const sub = r.u32('a prefixed opcode');
    op = prefixedOpcode(b, sub);
    if (op < 0 || !infoOf(op)) {
      r.fail(at, 'illegal opcode', `${hexByte(b)} ${hexByte(sub)} is not an instruction`);
    }
  }
  const info = infoOf(op);
  if (!info) r.fail(at, 'illegal opcode', `${hexByte(b)} is not an instruction`);
  s.op = op;
  s.offset = at;
  s.info = info;
  const imm: Imm = op < 0x10000 ? immCache[op] : IMM_KINDS.indexOf(info.imm);
  s.imm = imm;
  readImmediates(r, s, imm);
}

function memargOf(s: InstrScratch, bytes: Uint8Array): NonNullable<Instr['memarg']> {
  const m: NonNullable<Instr['memarg']> = { align: s.align, offset: s.memOffset };
  if (s.memory !== 0) m.memory = s.memory;
  if (s.bigOffsetAt >= 0) m.bigOffset = exactU64(bytes, s.bigOffsetAt);
  return m;
}

/** The instruction in `s` as a fresh `Instr` with only its immediate kind's fields set. */
function instrOf(s: InstrScratch, bytes: Uint8Array): Instr {
  const instr: Instr = { op: s.op, offset: s.offset };
  switch (s.imm) {
    case Imm.None:
      break;
    case Imm.Block:
      instr.blockType = s.blockType;
      break;
    case Imm.TryTable:
      instr.blockType = s.blockType;
      instr.catches = s.catches.slice(0, s.catchCount).map((c) => ({ ...c }));
      break;
    case Imm.BrTable:
      instr.labels = s.labels.slice(0, s.labelCount);
      break;
    case Imm.CallIndirect:
    case Imm.MemoryInit:
    case Imm.MemoryCopy:
    case Imm.TableInit:
    case Imm.TableCopy:
      instr.index = s.index;
      instr.index2 = s.index2;
      break;
    case Imm.Memarg:
      instr.memarg = memargOf(s, bytes);
      break;
    case Imm.MemargLane:
      instr.memarg = memargOf(s, bytes);
      instr.lane = s.lane;
      break;
    case Imm.Lane:
      instr.lane = s.lane;
      break;
    case Imm.I32:
    case Imm.I64:
    case Imm.F32:
    case Imm.F64:
      instr.value = s.value;
      break;
    case Imm.SelectT:
      instr.types = s.types.slice(0, s.typeCount);
      break;
    case Imm.RefNull:
    case Imm.RefTest:
    case Imm.RefTestNull:
      instr.refType = s.refType;
      break;
    case Imm.BrOnCast:
      instr.index = s.index;
      instr.refType = s.refType;
      instr.refType2 = s.refType2;
      break;
    case Imm.TypeType:
    case Imm.TypeField:
      instr.index = s.index;
      instr.index2 = s.index2;
      break;
    case Imm.V128:
    case Imm.Shuffle:
      instr.bytes = bytes.slice(s.bytesAt, s.bytesAt + 16);
      break;
    default: // one index: label, func, local, global, table, memory, data, elem
      instr.index = s.index;
  }
  return instr;
}

/** What a decoded instruction sequence used that the module-level checks need. */
export interface InstrUse {
  /** Offset of the first instruction naming a data segment (it requires a data count section), or -1. */
  dataIndexAt: number;
}

const BLOCK = 0;
const IF = 1;
const IF_ELSE = 2;
/** A legacy `try`: ends with `end` or `delegate`, and may have `catch`/`catch_all` clauses. */
const TRY = 3;

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
    if (usesDataIndex(op) && use.dataIndexAt < 0) use.dataIndexAt = at;
    out.push(instrOf(s, r.bytes));
    switch (op) {
      case 0x02:
      case 0x03:
      case 0x1f: // try_table
        control.push(BLOCK);
        break;
      case 0x06: // try
        control.push(TRY);
        break;
      case 0x04:
        control.push(IF);
        break;
      case 0x05:
        if (control.length === 0 || control[control.length - 1] !== IF) elseOutsideIf(r, at);
        control[control.length - 1] = IF_ELSE;
        break;
      case 0x07: // catch
      case 0x19: // catch_all
        if (control.length === 0 || control[control.length - 1] !== TRY) catchOutsideTry(r, at);
        break;
      case 0x18: // delegate
        if (control.length === 0 || control[control.length - 1] !== TRY) catchOutsideTry(r, at);
        control.pop();
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

/** The malformed-binary error for a `catch`, `catch_all` or `delegate` that does not continue a `try`. */
export function catchOutsideTry(r: Reader, at: number): never {
  return r.fail(at, 'END opcode expected', `${opcodeNameAt(r, at)} outside a try`);
}

function opcodeNameAt(r: Reader, at: number): string {
  const b = r.bytes[at];
  return b === 0x07 ? 'catch' : b === 0x19 ? 'catch_all' : 'delegate';
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
 * Reads a body's local declarations as runs of `count` locals of one type; too many is malformed.
 * The total is the runs' counts summed.
 */
export function readLocalRuns(r: Reader): LocalRun[] {
  const at = r.pos;
  const n = r.len32('the number of local declarations');
  const runs: LocalRun[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const count = r.u32('a local count');
    const type = valType(r, 'a local type');
    total += count;
    runs.push({ count, type });
  }
  if (total >= 2 ** 32) r.fail(at, 'too many locals', `${total} declared, at most 2^32-1`);
  if (total > MAX_FUNCTION_LOCALS) {
    r.fail(at, 'too many locals', `${total} declared, wat-debugger supports at most ${MAX_FUNCTION_LOCALS} per function`);
  }
  return runs;
}

/** Checks that a function body's content, read from `start` up to `r.pos`, took the `size` bytes it declared. */
export function checkBodySize(r: Reader, start: number, size: number): void {
  if (r.pos !== start + size) {
    r.fail(start, 'section size mismatch', `the function body declares ${size} bytes but its content takes ${r.pos - start}`);
  }
}
