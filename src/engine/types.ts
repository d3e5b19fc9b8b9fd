// The module structure produced by the decoder and shared by every layer above it.
// Positions everywhere are byte offsets into the module's binary (see DESIGN.md, "Positions").

import type { Edition } from './features';

export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
/** The abstract heap types; a concrete heap type is a type index. */
export type AbsHeapType = 'any' | 'eq' | 'i31' | 'struct' | 'array' | 'none' | 'func' | 'nofunc' | 'extern' | 'noextern' | 'exn' | 'noexn';
export type HeapType = AbsHeapType | number;
/**
 * A reference type in the text format's words: a nullable abstract one by its shorthand
 * (`funcref`, `anyref`, `nullref`, ...), any other as `(ref null? ht)` with a type index or an
 * abstract name (`(ref 3)`, `(ref null 0)`, `(ref func)`). One spelling per type, so `===` compares
 * types within a module (concrete indices are module-relative; see refTypes.ts).
 */
export type RefType =
  | 'funcref' | 'externref' | 'exnref' | 'anyref' | 'eqref' | 'i31ref' | 'structref' | 'arrayref'
  | 'nullref' | 'nullfuncref' | 'nullexternref' | 'nullexnref'
  | `(ref ${string})`;
export type ValType = NumType | 'v128' | RefType;
/** What a struct field or array element holds: a value type or a packed integer. */
export type StorageType = ValType | 'i8' | 'i16';

export interface FuncType {
  kind?: 'func';
  params: ValType[];
  results: ValType[];
}

export interface FieldType {
  type: StorageType;
  mutable: boolean;
}

export interface StructType {
  kind: 'struct';
  fields: FieldType[];
}

export interface ArrayType {
  kind: 'array';
  elem: FieldType;
}

export type CompositeType = FuncType | StructType | ArrayType;

/**
 * One entry of the type section. `final` and `supers` come from `sub`/`sub final` (a type
 * without `sub` is final with no supertype); `recStart`/`recSize` give its recursion group.
 */
export type DefType = CompositeType & { final?: boolean; supers?: number[]; recStart?: number; recSize?: number };

export interface Limits {
  /**
   * Sizes in pages (memories) or elements (tables). The binary's u64 values are exact up to 2^53;
   * above that (only a table64's bounds can validly be) they are rounded, beyond anything a host holds.
   */
  min: number;
  max: number | null;
  /** Addressed by i64 (memory64, table64); absent or false: by i32. */
  address64?: boolean;
}

export interface TableType {
  elem: RefType;
  limits: Limits;
  /** The initialiser of every element (`(table 10 (ref $t) (ref.func $f))`); null otherwise. */
  init?: ConstExpr | null;
}

export interface MemoryType {
  limits: Limits;
  /** A shared memory (threads proposal: limits flag bit 1); it must have a maximum. */
  shared?: boolean;
}

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export type ImportDesc =
  | { kind: 'func'; typeIndex: number }
  | { kind: 'table'; type: TableType }
  | { kind: 'memory'; type: MemoryType }
  | { kind: 'global'; type: GlobalType }
  /** An exception tag, by its function type's index (the type has no results). */
  | { kind: 'tag'; typeIndex: number };

export interface Import {
  module: string;
  name: string;
  desc: ImportDesc;
}

export interface Export {
  name: string;
  kind: ExternKind;
  index: number;
}

/** A block's type: no value, one result value, or an index into the type section. */
export type BlockType = 'empty' | ValType | number;

/**
 * One decoded instruction. `op` is the opcode byte; prefixed opcodes are
 * `(prefix << 8) | subopcode`, e.g. 0xFC00 | 8 for memory.init, 0xFD00 | n for SIMD; relaxed SIMD
 * (sub-opcodes 0x100 and up) is RELAXED_SIMD + (sub - 0x100), see opcodes.ts.
 * Only the immediate fields the instruction has are set.
 */
export interface Instr {
  op: number;
  /** Byte offset of the instruction's first byte in the module binary. */
  offset: number;
  blockType?: BlockType;
  /** The first index immediate: local, global, function, type, table, label depth, segment, memory. */
  index?: number;
  /** A second index immediate: call_indirect's table, table.copy's source, *.init's table/memory. */
  index2?: number;
  /** br_table's targets, the default label last. */
  labels?: number[];
  /**
   * Alignment exponent, offset and, for a memory other than 0, its index (multiple memories). An
   * offset (a u64 since WebAssembly 3.0) beyond 2^53 is rounded in `offset` and exact in `bigOffset`.
   */
  memarg?: { align: number; offset: number; memory?: number; bigOffset?: bigint };
  /** i32.const: the signed value; i64.const: signed bigint; f32.const: raw u32 bits; f64.const: raw u64 bits (bigint). */
  value?: number | bigint;
  /** ref.null's type (nullable); ref.test/ref.cast/br_on_cast's target type; select's explicit result types. */
  refType?: RefType;
  /** br_on_cast/br_on_cast_fail's source type. */
  refType2?: RefType;
  types?: ValType[];
  /** SIMD lane index, v128.const / i8x16.shuffle bytes. */
  lane?: number;
  bytes?: Uint8Array;
  /** try_table's catch clauses, in order. */
  catches?: CatchClause[];
}

/** One clause of try_table: `kind` 0 catch, 1 catch_ref, 2 catch_all, 3 catch_all_ref (the binary's numbers). */
export interface CatchClause {
  kind: 0 | 1 | 2 | 3;
  /** The tag index (catch and catch_ref only; -1 otherwise). */
  tag: number;
  /** The label depth, counted outside the try_table. */
  label: number;
}

/** A constant expression (global initialisers, segment offsets, element items), without its final `end`. */
export type ConstExpr = Instr[];

/** `count` declared locals of one type, as the binary declares them. */
export interface LocalRun {
  count: number;
  type: ValType;
}

/** A defined function's code, decoded from its body's bytes when first asked for (`funcCode`). */
export interface FuncCode {
  /** Declared locals (not parameters), in runs of one type. */
  locals: LocalRun[];
  /** The instructions in binary order, the function's final `end` included. */
  body: Instr[];
}

/** Where a function body is in the binary; its code is decoded on demand (`funcCode` in decode.ts). */
export interface FuncBody {
  /** Byte offset of the body's size field, and of the byte just after the body. */
  offset: number;
  endOffset: number;
  /** The decoded code once something asked for it; set from the start for modules built in memory. */
  code?: FuncCode;
}

export interface GlobalDef {
  type: GlobalType;
  init: ConstExpr;
}

export interface ElemSegment {
  type: RefType;
  mode: 'passive' | 'active' | 'declarative';
  table: number;
  offset: ConstExpr | null;
  init: ConstExpr[];
  /** The items' function indices when the binary gives them so (no expression made for each); null otherwise. */
  functionIndices?(): number[] | null;
}

export interface DataSegment {
  mode: 'passive' | 'active';
  memory: number;
  offset: ConstExpr | null;
  bytes: Uint8Array;
  /** Where an active segment's bytes stay instead of in memory (its module's file): instantiation reads them from there. */
  stored?: StoredData;
}

/**
 * Bytes kept outside the process's memory (the data of a module's file), read again when needed:
 * a memory's image refers to them instead of to a copy (memoryImage.ts).
 */
export interface StoredBytes {
  /** What they are, for errors (the file's path). */
  readonly name: string;
  /** Whether they can still be read as they were (the file has not changed). */
  intact(): boolean;
  /** Reads `length` bytes at `position` into `into` at `at`; false when they can no longer be read as they were. */
  read(position: number, length: number, into: Uint8Array, at: number): boolean;
}

/** A piece of stored bytes. */
export interface StoredData {
  source: StoredBytes;
  position: number;
  length: number;
}

export interface NameSection {
  module: string | null;
  functions: Map<number, string>;
  locals: Map<number, Map<number, string>>;
  /** Extended name subsections (as our assembler and wabt write them), present when the binary has them. */
  types?: Map<number, string>;
  tables?: Map<number, string>;
  memories?: Map<number, string>;
  globals?: Map<number, string>;
  elems?: Map<number, string>;
  datas?: Map<number, string>;
  tags?: Map<number, string>;
  /** Struct field names by type index (subsection 10). */
  fields?: Map<number, Map<number, string>>;
}

export interface CustomSection {
  name: string;
  offset: number;
  bytes: Uint8Array;
}

export interface Module {
  types: DefType[];
  imports: Import[];
  /** Type index of each function defined in this module (not the imported ones). */
  funcs: number[];
  tables: TableType[];
  memories: MemoryType[];
  globals: GlobalDef[];
  /** Type index of each tag defined in this module (the tag section; imported tags not included). */
  tags: number[];
  exports: Export[];
  start: number | null;
  elems: ElemSegment[];
  datas: DataSegment[];
  dataCount: number | null;
  /** Where the bodies of the defined functions are, parallel to `funcs` (decode them with `funcCode`). */
  codes: FuncBody[];
  /** Byte offset of the code section's payload, or -1 when there is none. */
  codeSectionOffset: number;
  names: NameSection | null;
  customs: CustomSection[];
  /** The binary this module was decoded from. */
  bytes: Uint8Array;
  /** The edition of WebAssembly's rules it was decoded and is validated by; 3.0 when absent. */
  edition?: Edition;
}

/**
 * A value crossing the engine's boundary (arguments, results, globals, the debugger's views).
 * Floats are carried as raw bits so NaN payloads survive exactly.
 */
export type Value =
  | { type: 'i32'; value: number } // signed 32-bit
  | { type: 'i64'; value: bigint } // signed 64-bit
  | { type: 'f32'; bits: number } // raw bits, unsigned 32-bit
  | { type: 'f64'; bits: bigint } // raw bits, unsigned 64-bit
  | { type: 'v128'; bytes: Uint8Array }
  | { type: 'funcref'; value: object | null } // a function instance of the runtime, or null
  | { type: 'externref'; value: unknown } // a host value; null is the null reference
  /**
   * Any other reference type: a GC object, an i31 (a number), a function, an exception (exnref,
   * exception.ts), a host value or null (gc.ts).
   */
  | { type: Exclude<RefType, 'funcref' | 'externref'>; value: unknown };

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);
const f64Scratch = new Float64Array(1);
const u64Scratch = new BigUint64Array(f64Scratch.buffer);

export function f32FromBits(bits: number): number {
  u32Scratch[0] = bits;
  return f32Scratch[0];
}

export function f32ToBits(value: number): number {
  f32Scratch[0] = value;
  return u32Scratch[0];
}

export function f64FromBits(bits: bigint): number {
  u64Scratch[0] = bits;
  return f64Scratch[0];
}

export function f64ToBits(value: number): bigint {
  f64Scratch[0] = value;
  return u64Scratch[0];
}

/** One type per declared local, expanded from the runs. */
export function expandLocals(runs: LocalRun[]): ValType[] {
  const out: ValType[] = [];
  for (const run of runs) for (let i = 0; i < run.count; i++) out.push(run.type);
  return out;
}

/** Number of imported entities of one kind: they come first in that kind's index space. */
export function importCount(module: Module, kind: ExternKind): number {
  let n = 0;
  for (const imp of module.imports) if (imp.desc.kind === kind) n++;
  return n;
}

/** The type index of function `funcIndex` in the module's function index space (imports first). */
export function funcTypeIndexOf(module: Module, funcIndex: number): number {
  let seen = 0;
  for (const imp of module.imports) {
    if (imp.desc.kind !== 'func') continue;
    if (seen === funcIndex) return imp.desc.typeIndex;
    seen++;
  }
  return module.funcs[funcIndex - seen];
}

/** The type of function `funcIndex` in the module's function index space (imports first). */
export function funcTypeOf(module: Module, funcIndex: number): FuncType {
  return funcTypeAt(module, funcTypeIndexOf(module, funcIndex));
}

/** Type `index` of the module, which validation found to be a function type. */
export function funcTypeAt(module: Module, index: number): FuncType {
  const t = module.types[index];
  if (t.kind !== undefined && t.kind !== 'func') throw new Error(`type ${index} is a ${t.kind} type, not a function type`);
  return t;
}
