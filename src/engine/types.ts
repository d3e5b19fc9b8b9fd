// The module structure produced by the decoder and shared by every layer above it.
// Positions everywhere are byte offsets into the module's binary (see DESIGN.md, "Positions").

export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
export type RefType = 'funcref' | 'externref';
export type ValType = NumType | 'v128' | RefType;

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface Limits {
  min: number;
  max: number | null;
}

export interface TableType {
  elem: RefType;
  limits: Limits;
}

export interface MemoryType {
  limits: Limits;
}

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global';

export type ImportDesc =
  | { kind: 'func'; typeIndex: number }
  | { kind: 'table'; type: TableType }
  | { kind: 'memory'; type: MemoryType }
  | { kind: 'global'; type: GlobalType };

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
  /** Alignment exponent, offset and, for a memory other than 0, its index (multiple memories). */
  memarg?: { align: number; offset: number; memory?: number };
  /** i32.const: the signed value; i64.const: signed bigint; f32.const: raw u32 bits; f64.const: raw u64 bits (bigint). */
  value?: number | bigint;
  /** ref.null's heap type; select's explicit result types. */
  refType?: RefType;
  types?: ValType[];
  /** SIMD lane index, v128.const / i8x16.shuffle bytes. */
  lane?: number;
  bytes?: Uint8Array;
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
}

export interface DataSegment {
  mode: 'passive' | 'active';
  memory: number;
  offset: ConstExpr | null;
  bytes: Uint8Array;
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
}

export interface CustomSection {
  name: string;
  offset: number;
  bytes: Uint8Array;
}

export interface Module {
  types: FuncType[];
  imports: Import[];
  /** Type index of each function defined in this module (not the imported ones). */
  funcs: number[];
  tables: TableType[];
  memories: MemoryType[];
  globals: GlobalDef[];
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
  | { type: 'externref'; value: unknown }; // a host value; null is the null reference

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

/** The type of function `funcIndex` in the module's function index space (imports first). */
export function funcTypeOf(module: Module, funcIndex: number): FuncType {
  let seen = 0;
  for (const imp of module.imports) {
    if (imp.desc.kind !== 'func') continue;
    if (seen === funcIndex) return module.types[imp.desc.typeIndex];
    seen++;
  }
  return module.types[module.funcs[funcIndex - seen]];
}
