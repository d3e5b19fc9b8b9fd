// The structure the text parser builds: a module's fields with their references still as written
// (`$name` or index), resolved to indices when the binary is encoded.

import type { Position, Token } from '../sexpr';
import type { CustomSection } from './customSections';
import type { CodeMetadata } from './codeMetadata';

/** A reference to an index space entry: a `$name` or a number token, as written. */
export type Ref = Token;

/** An abstract heap type's binary code (func 0x70, any 0x6e, ...) or a defined type. */
export type HeapType = { code: number } | { ref: Ref };

export type ValType = { num: number } | { nullable: boolean; heap: HeapType };

/** A field's storage: a value type or a packed i8 (0x78) / i16 (0x77). */
export type StorageType = ValType | { packed: number };

export interface Param {
  id: Token | null;
  type: ValType;
}

export type CompType =
  | { kind: 'func'; params: Param[]; results: ValType[] }
  | { kind: 'struct'; fields: { id: Token | null; type: StorageType; mutable: boolean }[] }
  | { kind: 'array'; type: StorageType; mutable: boolean };

export interface TypeDef {
  id: Token | null;
  final: boolean;
  supers: Ref[];
  comp: CompType;
  at: Position;
}

/** `(type $t)?` with optional inline `(param ...)`/`(result ...)`; resolved to a type index. */
export interface TypeUse {
  ref: Ref | null;
  params: Param[] | null;
  results: ValType[] | null;
  at: Position;
  /** Set once resolved. */
  index?: number;
}

export interface Limits {
  min: bigint;
  max: bigint | null;
  addr64: boolean;
  shared: boolean;
}

export interface TableType {
  limits: Limits;
  ref: ValType;
}

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ImportDesc =
  | { kind: 'func'; use: TypeUse }
  | { kind: 'table'; type: TableType }
  | { kind: 'memory'; limits: Limits }
  | { kind: 'global'; type: GlobalType }
  | { kind: 'tag'; use: TypeUse };

export type ExternKind = ImportDesc['kind'];

/** One instruction in binary order, with its immediates as written. */
export interface Instr {
  name: string;
  at: Position;
  /** Immediates, interpreted by the encoder according to the instruction's kind. */
  imm: Imm[];
  /** A block's label, for `block`/`loop`/`if`/`try`/`try_table`. */
  label?: Token | null;
  /** A block type: `(type)`/`(param)`/`(result)`. */
  blockType?: TypeUse;
  /** try_table's catch clauses. */
  catches?: { kind: number; tag: Ref | null; label: Ref }[];
}

export type Imm =
  | { ref: Ref | null }
  | { type: ValType }
  | { heap: HeapType }
  | { bytes: number[] }
  | { memarg: { offset: bigint; align: bigint | null; memory: Ref | null } }
  | { use: TypeUse }
  | { types: ValType[] }
  | { refs: Ref[] };

export type Expr = Instr[];

export interface FuncDef {
  id: Token | null;
  use: TypeUse;
  locals: Param[];
  body: Instr[];
  at: Position;
  /** The closing parenthesis, where the final `end` maps. */
  end: Position;
  name: string | null;
  /** `(@metadata.code.T ...)` annotations of the body (branch hints). */
  metadata: CodeMetadata[];
}

export interface ElemSegment {
  id: Token | null;
  mode: 'passive' | 'declarative' | 'active';
  table: Ref | null;
  offset: Expr | null;
  type: ValType;
  /** Each element as an expression; `funcIndices` when written as a list of function references. */
  items: Expr[];
  funcIndices: Ref[] | null;
  at: Position;
}

export interface DataSegment {
  id: Token | null;
  active: boolean;
  memory: Ref | null;
  offset: Expr | null;
  bytes: Uint8Array;
  at: Position;
}

export interface Export {
  name: string;
  kind: ExternKind;
  ref: Ref;
  at: Position;
}

export interface Import {
  module: string;
  name: string;
  id: Token | null;
  desc: ImportDesc;
  at: Position;
  /** The closing parenthesis of the field declaring it. */
  end: Position;
  /** An `(@name "...")` for it. */
  annotatedName: string | null;
}

export interface TextModuleAst {
  name: string | null;
  id: Token | null;
  /** Rec groups in order; a plain `(type ...)` is a group of one written without `rec`. */
  recGroups: { types: TypeDef[]; explicitRec: boolean }[];
  imports: Import[];
  funcs: FuncDef[];
  tables: { id: Token | null; type: TableType; init: Expr | null }[];
  memories: { id: Token | null; limits: Limits }[];
  globals: { id: Token | null; type: GlobalType; init: Expr }[];
  tags: { id: Token | null; use: TypeUse; name: string | null }[];
  exports: Export[];
  start: Ref | null;
  elems: ElemSegment[];
  datas: DataSegment[];
  /** `(@custom ...)` sections, in text order. */
  customs: CustomSection[];
  /** Every type use in text order: implicit type definitions are appended in this order. */
  typeUses: TypeUse[];
  at: Position;
}
