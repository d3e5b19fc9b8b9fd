// Decoding a WebAssembly binary into the `Module` structure of types.ts, with the specification's
// checks for malformed binaries (each failure is a DecodeError naming the byte offset).

import { DecodeError, Reader, hexByte } from './decodeReader';
import { isWasm3, type Edition } from './features';
import { InstrUse, MAX_FUNCTION_LOCALS, checkBodySize, decodeConstExpr, decodeInstrs, readLocalRuns, refType, storageType, valType } from './decodeInstr';
import { decodeNameSection } from './decodeNames';
import { opcodeName, prefixedOpcode } from './opcodes';
import type {
  CompositeType,
  ConstExpr,
  CustomSection,
  DefType,
  FieldType,
  DataSegment,
  ElemSegment,
  Export,
  ExternKind,
  FuncBody,
  FuncCode,
  GlobalDef,
  GlobalType,
  Import,
  Limits,
  MemoryType,
  Module,
  NameSection,
  RefType,
  TableType,
} from './types';

export { DecodeError };

export { MAX_FUNCTION_LOCALS };

const SECTION_NAMES = [
  'custom', 'type', 'import', 'function', 'table', 'memory', 'global',
  'export', 'start', 'element', 'code', 'data', 'data count', 'tag',
];

/**
 * Position of each non-custom section id in the required order (the data count section sits before
 * code, the tag section between memory and global).
 */
const SECTION_RANK = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10, 5.5];

/** Limits flag bits: a maximum follows, shared (memories only, threads proposal), i64 addresses. */
const HAS_MAX = 1;
const SHARED = 2;
const ADDRESS64 = 4;

function limits(r: Reader, what: string, allowed = HAS_MAX | ADDRESS64): Limits {
  if (!isWasm3(r.edition)) {
    const hasMax = r.unsigned(1, `the limits flag of ${what}`);
    const min = r.u32(`the minimum of ${what}`);
    const max = hasMax ? r.u32(`the maximum of ${what}`) : null;
    return { min, max };
  }
  // WebAssembly 3.0: a flags byte (bit 0: a maximum follows, bit 1: shared, bit 2: the i64 address type) and u64 bounds.
  const at = r.pos;
  const flags = r.byte(`the limits flags of ${what}`);
  if (flags & ~allowed) {
    const shared = allowed & SHARED ? ', bit 1 (shared)' : '';
    r.fail(at, 'malformed limits flags', `${hexByte(flags)} in ${what}: only bit 0 (a maximum follows)${shared} and bit 2 (i64 addresses) are defined`);
  }
  const min = r.u64(`the minimum of ${what}`);
  const max = flags & HAS_MAX ? r.u64(`the maximum of ${what}`) : null;
  return flags & ADDRESS64 ? { min, max, address64: true } : { min, max };
}

function tableType(r: Reader): TableType {
  const elem = refType(r, 'a table type');
  return { elem, limits: limits(r, 'a table') };
}

/** A table definition: a table type, or 0x40 0x00, a table type and the elements' initialiser. */
function tableDef(r: Reader, use: InstrUse): TableType {
  if (r.peek() !== 0x40) return tableType(r);
  const at = r.pos;
  r.pos++;
  const zero = r.byte('the reserved byte of a table with an initialiser');
  if (zero !== 0) r.fail(at + 1, 'malformed table', `a table with an initialiser starts 0x40 0x00, got 0x40 ${hexByte(zero)}`);
  const type = tableType(r);
  return { ...type, init: decodeConstExpr(r, use) };
}

function memoryType(r: Reader): MemoryType {
  const shared = isWasm3(r.edition) && (r.peek() & SHARED) !== 0;
  const type: MemoryType = { limits: limits(r, 'a memory', HAS_MAX | SHARED | ADDRESS64) };
  return shared ? { ...type, shared } : type;
}

function globalType(r: Reader): GlobalType {
  const type = valType(r, 'a global type');
  const at = r.pos;
  const m = r.byte('the mutability of a global');
  if (m > 1) r.fail(at, 'malformed mutability', `${hexByte(m)} is neither 0x00 (const) nor 0x01 (var)`);
  return { type, mutable: m === 1 };
}

function fieldType(r: Reader, what: string): FieldType {
  const type = storageType(r, what);
  const at = r.pos;
  const m = r.byte(`the mutability of ${what}`);
  if (m > 1) r.fail(at, 'malformed mutability', `${hexByte(m)} is neither 0x00 (const) nor 0x01 (var)`);
  return { type, mutable: m === 1 };
}

function compositeType(r: Reader): CompositeType {
  const at = r.pos;
  // The form is an s7 in the reference decoder, so an overlong one is "integer representation too long".
  const form = r.signed(7, 'a type form');
  switch (form) {
    case -0x20: {
      const params = vec(r, 'parameter types', () => valType(r, 'a parameter type'));
      const results = vec(r, 'result types', () => valType(r, 'a result type'));
      return { params, results };
    }
    case -0x21:
      return { kind: 'struct', fields: vec(r, 'struct fields', () => fieldType(r, 'a struct field')) };
    case -0x22:
      return { kind: 'array', elem: fieldType(r, 'an array element') };
  }
  return r.fail(at, 'malformed function type', `a type is 0x60 func, 0x5f struct or 0x5e array (optionally in 0x50/0x4f sub and 0x4e rec), got ${hexByte(form & 0x7f)}`);
}

/** One subtype: `sub` (0x50) or `sub final` (0x4f) with its supertypes, or a bare (final) composite type. */
function subType(r: Reader): DefType {
  const b = r.peek();
  if (b !== 0x50 && b !== 0x4f) return compositeType(r);
  r.pos++;
  const supers = vec(r, 'supertypes', () => r.u32('a supertype index'));
  return { ...compositeType(r), final: b === 0x4f, supers };
}

/** The type section: recursion groups (0x4e) or single types, flattened into one index space. */
function typeSection(r: Reader): DefType[] {
  const types: DefType[] = [];
  const n = r.len32('the number of types');
  for (let i = 0; i < n; i++) {
    const start = types.length;
    if (r.peek() !== 0x4e) {
      types.push(subType(r));
      continue;
    }
    r.pos++;
    const m = r.len32('the number of types in a recursion group');
    for (let k = 0; k < m; k++) types.push(subType(r));
    for (let k = start; k < types.length; k++) {
      types[k].recStart = start;
      types[k].recSize = m;
    }
  }
  return types;
}

function vec<T>(r: Reader, what: string, item: (i: number) => T): T[] {
  const n = r.len32(`the number of ${what}`);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(item(i));
  return out;
}

const EXTERN_KINDS: ExternKind[] = ['func', 'table', 'memory', 'global', 'tag'];

/**
 * Decodes `bytes` (a whole module binary). Throws DecodeError for a malformed binary. Function
 * bodies are only located here; `funcCode` decodes one when something needs its instructions.
 */
export function decodeModule(bytes: Uint8Array, edition?: Edition): Module {
  const r = new Reader(bytes);
  if (edition) r.edition = edition;
  readHeader(r);

  const module: Module = {
    types: [], imports: [], funcs: [], tables: [], memories: [], globals: [], tags: [], exports: [],
    start: null, elems: [], datas: [], dataCount: null, codes: [], codeSectionOffset: -1,
    names: null, customs: [], bytes,
  };
  if (edition) module.edition = edition;
  const use: InstrUse = { dataIndexAt: -1 };
  let lastRank = 0;
  let lastId = 0;
  let sawFunctionSection = false;
  let codeSectionStart = -1;

  while (!r.atEnd()) {
    const idAt = r.pos;
    const id = r.byte('a section id');
    if (id >= SECTION_NAMES.length) {
      r.fail(idAt, 'malformed section id', `${hexByte(id)} is not a section id, expected 0 to 13`);
    }
    const size = r.len32(`the size of the ${SECTION_NAMES[id]} section`);
    const start = r.pos;
    if (id === 0) {
      const custom = customSection(r, start, size);
      module.customs.push(custom);
      if (custom.name === 'name' && module.names === null) module.names = tolerantNames(custom.bytes);
    } else {
      const rank = SECTION_RANK[id];
      if (rank <= lastRank) {
        r.fail(
          idAt,
          'unexpected content after last section',
          id === lastId
            ? `a second ${SECTION_NAMES[id]} section`
            : `the ${SECTION_NAMES[id]} section must come before the ${SECTION_NAMES[lastId]} section`,
        );
      }
      lastRank = rank;
      lastId = id;
      switch (id) {
        case 1:
          module.types = typeSection(r);
          break;
        case 2:
          module.imports = vec(r, 'imports', () => importEntry(r));
          break;
        case 3:
          sawFunctionSection = true;
          module.funcs = vec(r, 'functions', () => r.u32('a type index'));
          break;
        case 4:
          module.tables = vec(r, 'tables', () => tableDef(r, use));
          break;
        case 5:
          module.memories = vec(r, 'memories', () => memoryType(r));
          break;
        case 6:
          module.globals = vec(r, 'globals', () => globalEntry(r, use));
          break;
        case 7:
          module.exports = vec(r, 'exports', () => exportEntry(r));
          break;
        case 8:
          module.start = r.u32('the start function index');
          break;
        case 9:
          module.elems = vec(r, 'element segments', () => elemSegment(r, use));
          break;
        case 10:
          codeSectionStart = idAt;
          module.codeSectionOffset = start;
          module.codes = vec(r, 'function bodies', () => funcBody(r));
          break;
        case 11:
          module.datas = vec(r, 'data segments', () => dataSegment(r, use, edition));
          break;
        case 12:
          module.dataCount = r.u32('the data count');
          break;
        case 13:
          module.tags = vec(r, 'tags', () => tagType(r));
          break;
      }
    }
    if (r.pos !== start + size) {
      r.fail(
        start,
        'section size mismatch',
        `the ${SECTION_NAMES[id]} section declares ${size} bytes but its content takes ${r.pos - start}`,
      );
    }
  }

  if (module.funcs.length !== module.codes.length) {
    r.fail(
      codeSectionStart >= 0 ? codeSectionStart : r.end,
      'function and code section have inconsistent lengths',
      `${module.funcs.length} function${module.funcs.length === 1 ? '' : 's'} declared${sawFunctionSection ? '' : ' (no function section)'}, ${module.codes.length} bod${module.codes.length === 1 ? 'y' : 'ies'} in the code section`,
    );
  }
  if (module.dataCount !== null && module.dataCount !== module.datas.length) {
    r.fail(
      r.end,
      'data count and data section have inconsistent lengths',
      `the data count section says ${module.dataCount}, the data section has ${module.datas.length}`,
    );
  }
  if (module.dataCount === null && use.dataIndexAt >= 0) {
    const op = opcodeName(dataOpAt(bytes, use.dataIndexAt));
    r.fail(use.dataIndexAt, 'data count section required', `${op} needs a data count section`);
  }
  return module;
}

function readHeader(r: Reader): void {
  // Like the reference decoder: each 4-byte word is read whole before it is compared.
  if (r.end < 4) r.fail(r.end, 'unexpected end', 'a module starts with the 4 bytes \\0asm');
  if (r.u32le('the magic') !== 0x6d736100) r.fail(0, 'magic header not detected', 'a module starts with the 4 bytes \\0asm');
  if (r.end < 8) r.fail(r.end, 'unexpected end', 'expected the 4-byte binary version after the magic');
  if (r.u32le('the version') !== 1) r.fail(4, 'unknown binary version', 'expected version 1 (01 00 00 00)');
}

function customSection(r: Reader, start: number, size: number): CustomSection {
  const name = r.name('the custom section name');
  const rest = start + size - r.pos;
  if (rest < 0) {
    r.fail(start, 'unexpected end', `the custom section's name runs past its declared size of ${size} bytes`);
  }
  const payloadAt = r.pos;
  const bytes = r.take(rest, 'the custom section payload');
  return { name, offset: payloadAt, bytes };
}

function tolerantNames(payload: Uint8Array): NameSection | null {
  try {
    return decodeNameSection(payload);
  } catch (e) {
    if (e instanceof DecodeError) return null; // a broken name section only costs us the names
    throw e;
  }
}

function importEntry(r: Reader): Import {
  const module = r.name('an import module name');
  const name = r.name('an import name');
  const at = r.pos;
  const kind = r.byte('an import kind');
  switch (kind) {
    case 0:
      return { module, name, desc: { kind: 'func', typeIndex: r.u32('a type index') } };
    case 1:
      return { module, name, desc: { kind: 'table', type: tableType(r) } };
    case 2:
      return { module, name, desc: { kind: 'memory', type: memoryType(r) } };
    case 3:
      return { module, name, desc: { kind: 'global', type: globalType(r) } };
    case 4:
      return { module, name, desc: { kind: 'tag', typeIndex: tagType(r) } };
  }
  return r.fail(at, 'malformed import kind', `${hexByte(kind)} is not 0x00 func, 0x01 table, 0x02 memory, 0x03 global or 0x04 tag`);
}

/** A tag type: the attribute byte 0x00 (an exception), then the index of its function type. */
function tagType(r: Reader): number {
  const at = r.pos;
  const attribute = r.byte('a tag attribute');
  if (attribute !== 0) r.fail(at, 'malformed tag attribute', `${hexByte(attribute)} is not 0x00 (exception)`);
  return r.u32('a tag type index');
}

function globalEntry(r: Reader, use: InstrUse): GlobalDef {
  const type = globalType(r);
  return { type, init: decodeConstExpr(r, use) };
}

function exportEntry(r: Reader): Export {
  const name = r.name('an export name');
  const at = r.pos;
  const kind = r.byte('an export kind');
  if (kind > 4) r.fail(at, 'malformed export kind', `${hexByte(kind)} is not 0x00 func, 0x01 table, 0x02 memory, 0x03 global or 0x04 tag`);
  return { name, kind: EXTERN_KINDS[kind], index: r.u32('an export index') };
}

/**
 * An element segment whose items stay in the module's bytes (checked, not kept): each read of
 * `init` (validation, instantiation) decodes them again, so a table of thousands of functions
 * costs no objects beyond the read.
 */
class ElemSegmentInBytes implements ElemSegment {
  constructor(
    readonly type: RefType,
    readonly mode: ElemSegment['mode'],
    readonly table: number,
    readonly offset: ConstExpr | null,
    private readonly bytes: Uint8Array,
    /** Where the vector of items starts. */
    private readonly itemsAt: number,
    /** Items given as function indices (flags 0 to 3) rather than as expressions. */
    private readonly funcIndices: boolean,
  ) {}

  functionIndices(): number[] | null {
    if (!this.funcIndices) return null;
    const r = new Reader(this.bytes, this.itemsAt);
    const n = r.len32('the number of element segment items');
    const indices = new Array<number>(n);
    for (let i = 0; i < n; i++) indices[i] = r.u32('a function index');
    return indices;
  }

  get init(): ConstExpr[] {
    const items: ConstExpr[] = [];
    // Items are function indices or reference constants: nothing in them depends on the edition.
    readElemItems(new Reader(this.bytes, this.itemsAt), this.funcIndices, { dataIndexAt: -1 }, items);
    return items;
  }
}

/**
 * Reads an element segment's items: function indices, each kept as a `ref.func` expression at the
 * index's offset, or constant expressions. With `out` null they are only checked.
 */
function readElemItems(r: Reader, funcIndices: boolean, use: InstrUse, out: ConstExpr[] | null): void {
  const n = r.len32('the number of element segment items');
  for (let i = 0; i < n; i++) {
    const offset = r.pos;
    if (funcIndices) {
      const index = r.u32('a function index');
      out?.push([{ op: 0xd2, offset, index }]);
    } else {
      const item = decodeConstExpr(r, use);
      out?.push(item);
    }
  }
}

function elemKind(r: Reader): void {
  const at = r.pos;
  const b = r.byte('an element kind');
  if (b !== 0) r.fail(at, 'malformed element kind', `only 0x00 (funcref) is an element kind, got ${hexByte(b)}`);
}

function elemSegment(r: Reader, use: InstrUse): ElemSegment {
  const at = r.pos;
  const flags = r.u32('the element segment flags');
  if (flags > 7) r.fail(at, 'malformed elements segment kind', `flags ${flags} are not 0 to 7`);
  // Bit 0: passive or declarative; bit 1: an explicit table (active) or declarative; bit 2: expressions.
  const mode = flags & 1 ? (flags & 2 ? 'declarative' : 'passive') : 'active';
  const table = mode === 'active' && flags & 2 ? r.u32('a table index') : 0;
  const offset = mode === 'active' ? decodeConstExpr(r, use) : null;
  const funcIndices = (flags & 4) === 0;
  // Function indices make non-null references (WebAssembly 3.0); expressions default to funcref.
  let type: RefType = funcIndices ? '(ref func)' : 'funcref';
  if (flags & 3) {
    if (funcIndices) elemKind(r);
    else type = refType(r, 'an element segment');
  }
  const itemsAt = r.pos;
  readElemItems(r, funcIndices, use, null);
  return new ElemSegmentInBytes(type, mode, table, offset, r.bytes, itemsAt, funcIndices);
}

/**
 * A data segment whose offset expression and bytes stay in the module's bytes (checked when the
 * module is decoded) and are read when something asks for them: a module of thousands of segments
 * costs one small object each instead of an expression, an instruction and a view.
 */
const NO_BYTES = new Uint8Array(0);

class DataSegmentInBytes implements DataSegment {
  constructor(
    readonly mode: DataSegment['mode'],
    readonly memory: number,
    private readonly source: Uint8Array,
    /** Where the offset expression starts (-1 for a passive segment). */
    private readonly offsetAt: number,
    private readonly bytesAt: number,
    private readonly length: number,
    private readonly edition: Edition | undefined,
  ) {}

  get offset(): ConstExpr | null {
    if (this.offsetAt < 0) return null;
    const r = new Reader(this.source, this.offsetAt);
    if (this.edition) r.edition = this.edition;
    return decodeConstExpr(r, { dataIndexAt: -1 });
  }

  /** A view of the module's bytes (never a copy); one shared view for every empty segment (thousands in some modules). */
  get bytes(): Uint8Array {
    return this.length === 0 ? NO_BYTES : this.source.subarray(this.bytesAt, this.bytesAt + this.length);
  }
}

function dataSegment(r: Reader, use: InstrUse, edition: Edition | undefined): DataSegment {
  const at = r.pos;
  const flags = r.u32('the data segment flags');
  if (flags > 2) r.fail(at, 'malformed data segment kind', `flags ${flags} are not 0, 1 or 2`);
  const memory = flags === 2 ? r.u32('a memory index') : 0;
  const offsetAt = flags === 1 ? -1 : r.pos;
  if (flags !== 1) decodeConstExpr(r, use);
  const length = r.len32('the data segment length');
  const bytesAt = r.pos;
  r.skip(length, 'the data segment bytes');
  return new DataSegmentInBytes(flags === 1 ? 'passive' : 'active', memory, r.bytes, offsetAt, bytesAt, length, edition);
}

function funcBody(r: Reader): FuncBody {
  const offset = r.pos;
  const size = r.len32('the size of a function body');
  const start = r.pos;
  // The body's instructions are checked once, by the validator's pass at load (loadModule).
  r.skip(size, 'a function body');
  return { offset, endOffset: start + size };
}

/**
 * The code of defined function `codeIndex` (an index into `module.codes`: the function index less
 * the imported functions), decoded from the module's bytes on first use and kept.
 */
export function funcCode(module: Module, codeIndex: number): FuncCode {
  const body = module.codes[codeIndex];
  return (body.code ??= decodeFuncCode(module, body));
}

/**
 * The same code, decoded without being kept (unless it already was): for a single use, such as
 * compiling, so the module does not hold the instructions of every function that ever ran.
 */
export function transientFuncCode(module: Module, codeIndex: number): FuncCode {
  const body = module.codes[codeIndex];
  return body.code ?? decodeFuncCode(module, body);
}

function decodeFuncCode(module: Module, at: FuncBody): FuncCode {
  const r = new Reader(module.bytes, at.offset);
  if (module.edition) r.edition = module.edition;
  const size = r.len32('the size of a function body');
  const start = r.pos;
  const locals = readLocalRuns(r);
  const body = decodeInstrs(r, { dataIndexAt: -1 });
  checkBodySize(r, start, size);
  return { locals, body };
}

/** The opcode of the prefixed instruction at `at` (one that names a data segment). */
function dataOpAt(bytes: Uint8Array, at: number): number {
  return prefixedOpcode(bytes[at], new Reader(bytes, at + 1).u32('a prefixed opcode'));
}
