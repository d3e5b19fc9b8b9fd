// The binary of a parsed text module: names resolved to indices (implicit function types appended
// in text order), sections in the binary format's order, a name section with the text's names, and
// for every instruction of every function its byte offset in the binary beside its text position.

import { Position, TextSyntaxError, Token } from '../sexpr';
import type { CompType, Expr, HeapType, Instr, Limits, Ref, StorageType, TextModuleAst, TypeDef, TypeUse, ValType } from './ast';
import { idName } from './cursor';
import { textInstruction } from './instructions';
import { lebS, lebU } from './leb';
import { sectionRank } from './customSections';
import { codeMetadataSections } from './codeMetadata';

/** An instruction the assembler emitted: its name, byte offset in the module and text position. */
export interface EmittedInstr {
  name: string;
  offset: number;
  line: number;
  column: number;
}

export interface EmittedFunction {
  funcIndex: number;
  /** `$name` as written, or null. */
  name: string | null;
  imported: boolean;
  start: Position;
  end: Position;
  instrs: EmittedInstr[];
}

export interface Assembled {
  bytes: Uint8Array;
  functions: EmittedFunction[];
}

/** One index space: names to indices, in definition order. */
class Space {
  readonly names = new Map<string, number>();
  readonly byIndex = new Map<number, string>();
  count = 0;

  constructor(
    readonly what: string,
    private readonly file: string,
  ) {}

  add(id: Token | null, annotated: string | null = null): number {
    const index = this.count++;
    if (id) {
      const name = idName(id, this.file);
      if (this.names.has(name)) throw new TextSyntaxError(this.file, id.start, `duplicate ${this.what} ${id.text}`);
      this.names.set(name, index);
      this.byIndex.set(index, name);
    }
    if (annotated !== null) this.byIndex.set(index, annotated);
    return index;
  }

  resolve(ref: Ref): number {
    if (ref.kind === 'number') return parseIndex(ref, this.file);
    const index = this.names.get(idName(ref, this.file));
    if (index === undefined) throw new TextSyntaxError(this.file, ref.start, `unknown ${this.what} ${ref.text}`);
    return index;
  }
}

function parseIndex(ref: Token, file: string): number {
  const v = /^(0x[0-9a-fA-F_]+|[0-9_]+)$/.test(ref.text) ? BigInt(ref.text.replace(/_/g, '')) : -1n;
  if (v < 0n || v >= 1n << 32n) throw new TextSyntaxError(file, ref.start, `malformed index ${ref.text}`);
  return Number(v);
}

class Bytes {
  readonly out: number[] = [];
  u8(...b: number[]): void {
    for (const x of b) this.out.push(x);
  }
  u32(v: number | bigint): void {
    this.u8(...lebU(v));
  }
  name(s: string): void {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    this.u8(...b);
  }
  raw(b: ArrayLike<number>): void {
    for (let k = 0; k < b.length; k++) this.out.push(b[k]);
  }
}

const NATURAL_ALIGN_BYTES = (name: string): number => {
  let m = /(\d+)x(\d+)/.exec(name);
  if (m) return 8;
  m = /(?:load|store)(\d+)/.exec(name);
  if (m) return Number(m[1]) / 8;
  if (name.startsWith('v128')) return 16;
  return name.startsWith('i64') || name.startsWith('f64') ? 8 : 4;
};

/** Block-structured instructions that open a label. */
const OPENS_LABEL = new Set(['block', 'loop', 'if', 'try', 'try_table']);

export function encodeModule(ast: TextModuleAst, file: string): Assembled {
  const fail = (at: Position, reason: string): never => {
    throw new TextSyntaxError(file, at, reason);
  };
  const types = new Space('type', file);
  const funcs = new Space('function', file);
  const tables = new Space('table', file);
  const memories = new Space('memory', file);
  const globals = new Space('global', file);
  const tags = new Space('tag', file);
  const elems = new Space('elem segment', file);
  const datas = new Space('data segment', file);
  const spaceOf = { func: funcs, table: tables, memory: memories, global: globals, tag: tags };

  // Types: defined ones first (every group), then the implicit ones in text order.
  const defs: { def: TypeDef; group: number }[] = [];
  const groups: TypeDef[][] = [];
  for (const g of ast.recGroups) {
    groups.push(g.types);
    for (const def of g.types) {
      types.add(def.id);
      defs.push({ def, group: groups.length - 1 });
    }
  }
  const fieldNames = new Map<number, Map<string, number>>();
  defs.forEach(({ def }, index) => {
    if (def.comp.kind !== 'struct') return;
    const names = new Map<string, number>();
    def.comp.fields.forEach((f, k) => {
      if (!f.id) return;
      const n = idName(f.id, file);
      if (names.has(n)) fail(f.id.start, `duplicate field ${f.id.text}`);
      names.set(n, k);
    });
    fieldNames.set(index, names);
  });

  const heap = (h: HeapType): number[] => ('code' in h ? [h.code] : lebS(types.resolve(h.ref)));
  const valType = (t: ValType): number[] => {
    if ('num' in t) return [t.num];
    if ('code' in t.heap && t.nullable) return [t.heap.code];
    return [t.nullable ? 0x63 : 0x64, ...heap(t.heap)];
  };
  const storage = (t: StorageType): number[] => ('packed' in t ? [t.packed] : valType(t));
  const vecOf = <T>(xs: T[], f: (x: T) => number[]): number[] => [...lebU(xs.length), ...xs.flatMap(f)];
  const compBytes = (c: CompType): number[] => {
    if (c.kind === 'func') return [0x60, ...vecOf(c.params, (p) => valType(p.type)), ...vecOf(c.results, valType)];
    if (c.kind === 'struct') return [0x5f, ...vecOf(c.fields, (f) => [...storage(f.type), f.mutable ? 1 : 0])];
    return [0x5e, ...storage(c.type), c.mutable ? 1 : 0];
  };
  const subBytes = (d: TypeDef): number[] =>
    d.final && d.supers.length === 0 ? compBytes(d.comp) : [d.final ? 0x4f : 0x50, ...vecOf(d.supers, (s) => lebU(types.resolve(s))), ...compBytes(d.comp)];
  const sameSig = (a: number[], b: number[]) => a.length === b.length && a.every((x, k) => x === b[k]);

  const useSig = (use: TypeUse): number[] => compBytes({ kind: 'func', params: use.params ?? [], results: use.results ?? [] });
  const resolveUse = (use: TypeUse): number => {
    if (use.index !== undefined) return use.index;
    if (use.ref) {
      const index = types.resolve(use.ref);
      const d = defs[index]?.def;
      if (use.params?.length || use.results?.length) {
        // Written-out parameters and results must be checkable against the type they repeat.
        if (!d) fail(use.ref.start, `unknown type ${use.ref.text}`);
        if (d.comp.kind !== 'func' || !sameSig(compBytes(d.comp), useSig(use))) fail(use.at, 'inline function type does not match the type definition');
      }
      return (use.index = index);
    }
    const sig = useSig(use);
    const found = defs.findIndex(({ def, group }) => groups[group].length === 1 && def.final && def.supers.length === 0 && def.comp.kind === 'func' && sameSig(compBytes(def.comp), sig));
    if (found >= 0) return (use.index = found);
    const def: TypeDef = { id: null, final: true, supers: [], comp: { kind: 'func', params: use.params ?? [], results: use.results ?? [] }, at: use.at };
    groups.push([def]);
    defs.push({ def, group: groups.length - 1 });
    types.count++;
    return (use.index = defs.length - 1);
  };
  for (const use of ast.typeUses) resolveUse(use);
  const funcTypeOf = (index: number) => {
    const d = defs[index]?.def;
    return d && d.comp.kind === 'func' ? d.comp : null;
  };

  // Index spaces: imports first (the parser saw to it that they come first), then definitions.
  for (const imp of ast.imports) spaceOf[imp.desc.kind].add(imp.id, imp.annotatedName);
  for (const f of ast.funcs) funcs.add(f.id, f.name);
  for (const t of ast.tables) tables.add(t.id);
  for (const m of ast.memories) memories.add(m.id);
  for (const g of ast.globals) globals.add(g.id);
  for (const t of ast.tags) tags.add(t.id, t.name);
  for (const e of ast.elems) elems.add(e.id);
  for (const d of ast.datas) datas.add(d.id);

  /** Encodes instructions; `locals` for function bodies, `emitted` collects offsets within `out`. */
  const encodeInstrs = (body: Expr, out: Bytes, locals: Space | null, emitted: EmittedInstr[] | null) => {
    const labels: (string | null)[] = [];
    const label = (ref: Ref, stack = labels): number => {
      if (ref.kind === 'number') return parseIndex(ref, file);
      const k = stack.lastIndexOf(idName(ref, file));
      if (k < 0) fail(ref.start, `unknown label ${ref.text}`);
      return stack.length - 1 - k;
    };
    const ref = (imm: Instr['imm'][number] | undefined): Ref | null => (imm && 'ref' in imm ? imm.ref : null);
    for (const instr of body) {
      const info = textInstruction(instr.name);
      if (!info && instr.name !== 'else' && instr.name !== 'end') fail(instr.at, `unknown operator ${instr.name}`);
      emitted?.push({ name: instr.name, offset: out.out.length, line: instr.at.line, column: instr.at.column });
      if (instr.name === 'end') {
        out.u8(0x0b);
        labels.pop();
        continue;
      }
      if (instr.name === 'else') {
        out.u8(0x05);
        continue;
      }
      let opcode = info!.opcode;
      const imm = instr.imm;
      const idx = (space: Space, k = 0) => {
        const r = ref(imm[k]);
        return r ? space.resolve(r) : 0;
      };
      if (OPENS_LABEL.has(instr.name)) {
        out.u8(...opcode);
        out.raw(blockType(instr.blockType!));
        if (instr.catches) {
          out.u32(instr.catches.length);
          for (const c of instr.catches) {
            out.u8(c.kind);
            if (c.tag) out.u32(tags.resolve(c.tag));
            out.u32(label(c.label));
          }
        }
        labels.push(instr.label ? idName(instr.label, file) : null);
        continue;
      }
      if (instr.name === 'delegate') {
        labels.pop();
        out.u8(...opcode);
        out.u32(label(ref(imm[0])!));
        continue;
      }
      switch (info!.imm) {
        case 'ref_type': {
          const t = (imm[0] as { type: ValType }).type as { nullable: boolean; heap: HeapType };
          opcode = [opcode[0], opcode[1] + (t.nullable ? 1 : 0)];
          out.u8(...opcode);
          out.raw(heap(t.heap));
          continue;
        }
        case 'none':
          if (imm.length) {
            out.u8(0x1c);
            out.raw(vecOf((imm[0] as { types: ValType[] }).types, valType));
            continue;
          }
      }
      out.u8(...opcode);
      switch (info!.imm) {
        case 'none':
          break;
        case 'label':
          out.u32(label(ref(imm[0])!));
          break;
        case 'br_table': {
          const refs = (imm[0] as { refs: Ref[] }).refs;
          out.u32(refs.length - 1);
          for (const r of refs) out.u32(label(r));
          break;
        }
        case 'func':
          out.u32(idx(funcs));
          break;
        case 'local':
          // Outside a function (a constant expression) only an index can be written; the validator rejects it.
          out.u32(idx(locals ?? new Space('local', file)));
          break;
        case 'global':
          out.u32(idx(globals));
          break;
        case 'data':
          out.u32(idx(datas));
          break;
        case 'elem':
          out.u32(idx(elems));
          break;
        case 'tag':
        case 'catch':
          out.u32(idx(tags));
          break;
        case 'type':
          out.u32(idx(types));
          break;
        case 'table':
        case 'memory':
          out.u32(idx(info!.imm === 'table' ? tables : memories));
          break;
        case 'call_indirect':
          out.u32(resolveUse((imm[1] as { use: TypeUse }).use));
          out.u32(idx(tables));
          break;
        case 'memarg':
        case 'memarg_lane': {
          const memory = idx(memories);
          const m = (imm[1] as { memarg: { offset: bigint; align: bigint | null } }).memarg;
          const align = m.align ?? BigInt(NATURAL_ALIGN_BYTES(instr.name));
          let exp = 0;
          while (1n << BigInt(exp) < align) exp++;
          if (memory !== 0) {
            out.u32(exp | 0x40);
            out.u32(memory);
          } else out.u32(exp);
          out.u32(m.offset);
          if (info!.imm === 'memarg_lane') out.raw((imm[2] as { bytes: number[] }).bytes);
          break;
        }
        case 'memory_init':
          out.u32(idx(datas, 1));
          out.u32(idx(memories, 0));
          break;
        case 'table_init':
          out.u32(idx(elems, 1));
          out.u32(idx(tables, 0));
          break;
        case 'memory_copy':
          out.u32(idx(memories, 0));
          out.u32(idx(memories, 1));
          break;
        case 'table_copy':
          out.u32(idx(tables, 0));
          out.u32(idx(tables, 1));
          break;
        case 'i32':
        case 'i64':
        case 'f32':
        case 'f64':
        case 'v128':
        case 'shuffle':
        case 'lane':
          out.raw((imm[0] as { bytes: number[] }).bytes);
          break;
        case 'ref_null':
          out.raw(heap((imm[0] as { heap: HeapType }).heap));
          break;
        case 'type_field': {
          const t = idx(types);
          out.u32(t);
          const f = ref(imm[1])!;
          if (f.kind === 'number') out.u32(parseIndex(f, file));
          else {
            const k = fieldNames.get(t)?.get(idName(f, file));
            if (k === undefined) fail(f.start, `unknown field ${f.text}`);
            out.u32(k!);
          }
          break;
        }
        case 'type_type':
          out.u32(idx(types, 0));
          out.u32(idx(types, 1));
          break;
        case 'type_data':
          out.u32(idx(types, 0));
          out.u32(idx(datas, 1));
          break;
        case 'type_elem':
          out.u32(idx(types, 0));
          out.u32(idx(elems, 1));
          break;
        case 'type_n':
          out.u32(idx(types, 0));
          out.raw((imm[1] as { bytes: number[] }).bytes);
          break;
        case 'br_on_cast': {
          const [, a, b] = imm as [unknown, { type: { nullable: boolean; heap: HeapType } }, { type: { nullable: boolean; heap: HeapType } }];
          out.u8((a.type.nullable ? 1 : 0) | (b.type.nullable ? 2 : 0));
          out.u32(label(ref(imm[0])!));
          out.raw(heap(a.type.heap));
          out.raw(heap(b.type.heap));
          break;
        }
        default:
          fail(instr.at, `cannot encode ${instr.name}`);
      }
    }
  };
  const blockType = (use: TypeUse): number[] => {
    if (use.ref || (use.params?.length ?? 0) > 0 || (use.results?.length ?? 0) > 1) {
      const index = resolveUse(use);
      // A named type without parameters and with at most one result is written inline, as wabt does.
      const ft = funcTypeOf(index);
      if (!ft || ft.params.length > 0 || ft.results.length > 1) return lebS(index);
      return ft.results.length ? valType(ft.results[0]) : [0x40];
    }
    return use.results?.length ? valType(use.results[0]) : [0x40];
  };
  const constExpr = (e: Expr): number[] => {
    const b = new Bytes();
    encodeInstrs(e, b, null, null);
    b.u8(0x0b);
    return b.out;
  };
  const limitsBytes = (l: Limits): number[] => [(l.max !== null ? 1 : 0) | (l.shared ? 2 : 0) | (l.addr64 ? 4 : 0), ...lebU(l.min), ...(l.max !== null ? lebU(l.max) : [])];
  const tableTypeBytes = (t: { limits: Limits; ref: ValType }): number[] => [...valType(t.ref), ...limitsBytes(t.limits)];
  const globalTypeBytes = (g: { type: ValType; mutable: boolean }): number[] => [...valType(g.type), g.mutable ? 1 : 0];

  const sections: { id: number; body: number[] }[] = [];
  const section = (id: number, items: number[][], always = false) => {
    if (items.length || always) sections.push({ id, body: [...lebU(items.length), ...items.flat()] });
  };

  // Function bodies (encoded before the type section is written: block types may add types).
  const emittedFunctions: EmittedFunction[] = [];
  const localNames = new Map<number, Map<number, string>>();
  const importedFuncs = ast.imports.filter((i) => i.desc.kind === 'func');
  importedFuncs.forEach((imp, k) => emittedFunctions.push({ funcIndex: k, name: imp.id?.text ?? null, imported: true, start: imp.at, end: imp.end, instrs: [] }));
  const bodies: { bytes: number[]; instrs: EmittedInstr[] }[] = [];
  const annotated: Parameters<typeof codeMetadataSections>[0] = [];
  ast.funcs.forEach((f, k) => {
    const funcIndex = importedFuncs.length + k;
    const locals = new Space('local', file);
    const typeIndex = resolveUse(f.use);
    // The validator reports a type index that is no function type; its parameters are then those written.
    const paramIds = f.use.params ?? [];
    const paramCount = funcTypeOf(typeIndex)?.params.length ?? paramIds.length;
    for (let p = 0; p < paramCount; p++) locals.add(paramIds[p]?.id ?? null);
    for (const l of f.locals) locals.add(l.id);
    const b = new Bytes();
    const runs: { n: number; t: number[] }[] = [];
    for (const l of f.locals) {
      const t = valType(l.type);
      const last = runs[runs.length - 1];
      if (last && sameSig(last.t, t)) last.n++;
      else runs.push({ n: 1, t });
    }
    b.u32(runs.length);
    for (const r of runs) {
      b.u32(r.n);
      b.raw(r.t);
    }
    const instrs: EmittedInstr[] = [];
    encodeInstrs(f.body, b, locals, instrs);
    bodies.push({ bytes: b.out, instrs });
    if (f.metadata.length) annotated.push({ funcIndex, metadata: f.metadata, offsets: instrs.map((i) => i.offset) });
    if (locals.byIndex.size) localNames.set(funcIndex, locals.byIndex);
    emittedFunctions.push({ funcIndex, name: f.id?.text ?? null, imported: false, start: f.at, end: f.end, instrs });
  });
  // Everything else that may hold a type use or refer to one.
  const tableItems = ast.tables.map((t) => (t.init ? [0x40, 0x00, ...tableTypeBytes(t.type), ...constExpr(t.init)] : tableTypeBytes(t.type)));
  const globalItems = ast.globals.map((g) => [...globalTypeBytes(g.type), ...constExpr(g.init)]);
  const importItems = ast.imports.map((imp) => {
    const b = new Bytes();
    b.name(imp.module);
    b.name(imp.name);
    const d = imp.desc;
    if (d.kind === 'func') b.u8(0x00, ...lebU(resolveUse(d.use)));
    else if (d.kind === 'table') b.u8(0x01, ...tableTypeBytes(d.type));
    else if (d.kind === 'memory') b.u8(0x02, ...limitsBytes(d.limits));
    else if (d.kind === 'global') b.u8(0x03, ...globalTypeBytes(d.type));
    else b.u8(0x04, 0x00, ...lebU(resolveUse(d.use)));
    return b.out;
  });
  const elemItems = ast.elems.map((e) => {
    const funcref = !('num' in e.type) && e.type.nullable && 'code' in e.type.heap && e.type.heap.code === 0x70;
    let indices: number[] | null = e.funcIndices ? e.funcIndices.map((r) => funcs.resolve(r)) : null;
    // Function indices of another element type than funcref are written as ref.func expressions.
    const items = !funcref && e.funcIndices ? e.funcIndices.map((r): Expr => [{ name: 'ref.func', at: r.start, imm: [{ ref: r }] }]) : e.items;
    // Expressions stay expressions even when all are ref.func: the index forms mean (ref func) in
    // WebAssembly 3.0, a narrower type than the funcref the text declared.
    if (!funcref) indices = null;
    const table = e.table ? tables.resolve(e.table) : 0;
    const b = new Bytes();
    const exprs = () => b.u8(...vecOf(items, constExpr));
    if (indices) {
      const vec = vecOf(indices, (i) => lebU(i));
      if (e.mode === 'active' && table === 0 && funcref) b.u8(0x00, ...constExpr(e.offset!), ...vec);
      else if (e.mode === 'active') b.u8(0x02, ...lebU(table), ...constExpr(e.offset!), 0x00, ...vec);
      else b.u8(e.mode === 'passive' ? 0x01 : 0x03, 0x00, ...vec);
    } else if (e.mode === 'active' && table === 0 && funcref) {
      b.u8(0x04, ...constExpr(e.offset!));
      exprs();
    } else if (e.mode === 'active') {
      b.u8(0x06, ...lebU(table), ...constExpr(e.offset!), ...valType(e.type));
      exprs();
    } else {
      b.u8(e.mode === 'passive' ? 0x05 : 0x07, ...valType(e.type));
      exprs();
    }
    return b.out;
  });
  const dataItems = ast.datas.map((d) => {
    const b = new Bytes();
    const memory = d.memory ? memories.resolve(d.memory) : 0;
    if (!d.active) b.u8(0x01);
    else if (memory === 0) b.u8(0x00, ...constExpr(d.offset!));
    else b.u8(0x02, ...lebU(memory), ...constExpr(d.offset!));
    b.u32(d.bytes.length);
    b.raw(d.bytes);
    return b.out;
  });
  const tagItems = ast.tags.map((t) => [0x00, ...lebU(resolveUse(t.use))]);
  const exportItems = ast.exports.map((e) => {
    const b = new Bytes();
    b.name(e.name);
    b.u8({ func: 0, table: 1, memory: 2, global: 3, tag: 4 }[e.kind]);
    b.u32(spaceOf[e.kind].resolve(e.ref));
    return b.out;
  });
  const startIndex = ast.start ? funcs.resolve(ast.start) : null;

  section(1, groups.map((g) => (g.length === 1 ? subBytes(g[0]) : [0x4e, ...vecOf(g, subBytes)])));
  section(2, importItems);
  section(3, ast.funcs.map((f) => lebU(f.use.index!)));
  section(4, tableItems);
  section(5, ast.memories.map((m) => limitsBytes(m.limits)));
  section(13, tagItems);
  section(6, globalItems);
  section(7, exportItems);
  if (startIndex !== null) sections.push({ id: 8, body: lebU(startIndex) });
  section(9, elemItems);
  if (ast.datas.length && usesDataCount(ast)) sections.push({ id: 12, body: lebU(ast.datas.length) });
  const codeItems = bodies.map((b) => [...lebU(b.bytes.length), ...b.bytes]);
  section(10, codeItems);
  section(11, dataItems);

  const nameSection = encodeNames(ast, { types, funcs, tables, memories, globals, tags, elems, datas }, localNames, defs.map((d) => d.def));

  // Custom sections from `(@custom ...)` go among the others by rank, in text order among equals.
  // Code metadata (branch hints) goes just before the code section, as engines read it before the code.
  const metadata = codeMetadataSections(annotated).map((m) => ({ id: 0, body: customBody(m.name, Uint8Array.from(m.payload)), rank: sectionRank(10) - 0.25 }));
  const placed = [...sections.map((s) => ({ ...s, rank: sectionRank(s.id) })), ...metadata, ...ast.customs.map((c) => ({ id: 0, body: customBody(c.name, c.bytes), rank: c.rank }))];
  placed.sort((a, b) => a.rank - b.rank);
  const module = new Bytes();
  module.u8(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  for (const s of placed) {
    module.u8(s.id);
    module.u32(s.body.length);
    if (s.id === 10) {
      // Instruction offsets become offsets in the module.
      let at = module.out.length + lebU(bodies.length).length;
      bodies.forEach((b, k) => {
        at += lebU(b.bytes.length).length;
        for (const i of b.instrs) i.offset += at;
        at += codeItems[k].length - lebU(b.bytes.length).length;
      });
    }
    module.raw(s.body);
  }
  if (nameSection.length) {
    const payload = [...lebU(4), ...new TextEncoder().encode('name'), ...nameSection];
    module.u8(0x00);
    module.u32(payload.length);
    module.raw(payload);
  }
  return { bytes: Uint8Array.from(module.out), functions: emittedFunctions };
}

function customBody(name: string, bytes: Uint8Array): number[] {
  const n = new TextEncoder().encode(name);
  return [...lebU(n.length), ...n, ...bytes];
}

/** Instructions naming a data segment, which need the data count section before the code. */
const DATA_USERS = new Set(['memory.init', 'data.drop', 'array.new_data', 'array.init_data']);

function usesDataCount(ast: TextModuleAst): boolean {
  return ast.funcs.some((f) => f.body.some((i) => DATA_USERS.has(i.name)));
}

interface Spaces {
  types: Space;
  funcs: Space;
  tables: Space;
  memories: Space;
  globals: Space;
  tags: Space;
  elems: Space;
  datas: Space;
}

/** The name section's payload: module, function, local, type, table, memory, global, elem, data, field and tag names. */
function encodeNames(ast: TextModuleAst, s: Spaces, locals: Map<number, Map<number, string>>, defs: TypeDef[]): number[] {
  const out: number[] = [];
  const nameBytes = (n: string) => {
    const b = new TextEncoder().encode(n);
    return [...lebU(b.length), ...b];
  };
  const nameMap = (m: Map<number, string>) => {
    const keys = [...m.keys()].sort((a, b) => a - b);
    return [...lebU(keys.length), ...keys.flatMap((k) => [...lebU(k), ...nameBytes(m.get(k)!)])];
  };
  const sub = (id: number, body: number[]) => out.push(id, ...lebU(body.length), ...body);
  const moduleName = ast.name ?? (ast.id ? ast.id.text.slice(1) : null);
  if (moduleName !== null) sub(0, nameBytes(moduleName));
  if (s.funcs.byIndex.size) sub(1, nameMap(s.funcs.byIndex));
  if (locals.size) {
    const funcs = [...locals.keys()].sort((a, b) => a - b);
    sub(2, [...lebU(funcs.length), ...funcs.flatMap((f) => [...lebU(f), ...nameMap(locals.get(f)!)])]);
  }
  const extended: [number, Space][] = [
    [4, s.types],
    [5, s.tables],
    [6, s.memories],
    [7, s.globals],
    [8, s.elems],
    [9, s.datas],
  ];
  for (const [id, space] of extended) if (space.byIndex.size) sub(id, nameMap(space.byIndex));
  const fields = new Map<number, Map<number, string>>();
  defs.forEach((d, t) => {
    if (d.comp.kind !== 'struct') return;
    const m = new Map<number, string>();
    d.comp.fields.forEach((f, k) => f.id && m.set(k, f.id.text.slice(1)));
    if (m.size) fields.set(t, m);
  });
  if (fields.size) {
    const ts = [...fields.keys()].sort((a, b) => a - b);
    sub(10, [...lebU(ts.length), ...ts.flatMap((t) => [...lebU(t), ...nameMap(fields.get(t)!)])]);
  }
  if (s.tags.byIndex.size) sub(11, nameMap(s.tags.byIndex));
  return out;
}
