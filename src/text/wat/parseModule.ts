// Module fields in the text format, with every abbreviation expanded: inline imports and exports,
// inline element and data segments of tables and memories, offsets written as one folded
// instruction, `(item ...)`, and `(@name "...")` annotations.

import { Position, SExpr, SList, Token, TextSyntaxError, decodeStringLiteral } from '../sexpr';
import type { ElemSegment, Expr, ExternKind, Import, Ref, TextModuleAst, TypeDef, ValType } from './ast';
import { Cursor, closeOf, startOf, utf8String } from './cursor';
import { InstrParser } from './parseInstr';
import { concat } from '../wast';
import { readCustomAnnotation } from './customSections';
import { attachCodeAnnotations, readCodeAnnotations, rejectCodeAnnotations } from './codeMetadata';
import { compType, globalType, isValTypeStart, limits, refType, tableType, valType } from './types';

const FUNCREF: ValType = { nullable: true, heap: { code: 0x70 } };
const PAGE = 65536;

/** Reads `(module $id? field*)` or bare fields (`fields` of a file without `(module`). */
export function parseModule(file: string, moduleList: SList | null, fields: SExpr[], at: Position): TextModuleAst {
  const uses: TextModuleAst['typeUses'] = [];
  const instrs = new InstrParser(file, uses);
  const ast: TextModuleAst = {
    name: null,
    id: null,
    recGroups: [],
    imports: [],
    funcs: [],
    tables: [],
    memories: [],
    globals: [],
    tags: [],
    exports: [],
    start: null,
    elems: [],
    datas: [],
    typeUses: uses,
    customs: [],
    at,
  };
  function fail(where: Position, reason: string): never {
    throw new TextSyntaxError(file, where, reason);
  }
  let cursor: Cursor;
  if (moduleList) {
    cursor = new Cursor(moduleList, file, 0, true, true);
    cursor.expectKeyword('module');
    cursor.keyword('definition'); // a script's `(module definition ...)`
    ast.id = cursor.id();
    const names = cursor.nameAnnotations;
    if (names.length > 1) fail(names[1].at, '@name annotation: multiple module');
    if (names.length === 1 && names[0].before !== cursor.i) fail(names[0].at, 'misplaced @name annotation');
    ast.name = names[0]?.name ?? null;
  } else {
    cursor = new Cursor({ kind: 'list', items: fields, start: at, end: at }, file, 0, false, true);
  }
  ast.customs = cursor.customAnnotations.map((a) => readCustomAnnotation(a, file));
  /** A definition (not an import) has been seen, in which case no import may follow. */
  let defined: string | null = null;

  /** The inline `(export "n")*` of a field, recorded against the index it will have. */
  const inlineExports = (c: Cursor, kind: ExternKind, id: Token | null, index: number) => {
    while (c.peekHead() === 'export') {
      const e = c.list('export');
      const name = utf8String(e.string('an export name'), file);
      e.end();
      const ref: Ref = id ?? numberToken(index, c.here());
      ast.exports.push({ name, kind, ref, at: c.here() });
    }
  };
  const inlineImport = (c: Cursor): { module: string; name: string } | null => {
    const i = c.maybeList('import');
    if (!i) return null;
    const module = utf8String(i.string('a module name'), file);
    const name = utf8String(i.string('an import name'), file);
    i.end();
    return { module, name };
  };
  const count = (kind: ExternKind) => ast.imports.filter((i) => i.desc.kind === kind).length + defs(kind);
  const defs = (kind: ExternKind) =>
    ({ func: ast.funcs.length, table: ast.tables.length, memory: ast.memories.length, global: ast.globals.length, tag: ast.tags.length })[kind];
  const addImport = (imp: Import, at: Position) => {
    if (defined) fail(at, `import after ${defined}`);
    ast.imports.push(imp);
  };
  /** The `(@name "...")` of a field, which must come right after its keyword and `$id`. */
  const fieldName = (c: Cursor): string | null => {
    const names = c.nameAnnotations;
    if (names.length > 1 || (names.length === 1 && names[0].before !== c.i)) fail(names[names.length - 1].at, 'misplaced @name annotation');
    return names[0]?.name ?? null;
  };

  const typeDef = (c: Cursor, at: Position): TypeDef => {
    const id = c.id();
    const sub = c.maybeList('sub');
    if (!sub) {
      const comp = compType(c);
      c.end();
      return { id, final: true, supers: [], comp, at };
    }
    const final = sub.keyword('final');
    const supers: Ref[] = [];
    while (sub.peekAtom()) supers.push(instrs.index(sub, 'a type index'));
    const comp = compType(sub);
    sub.end();
    c.end();
    return { id, final, supers, comp, at };
  };

  /** An offset: `(offset instr*)` or one folded instruction. */
  const offsetExpr = (c: Cursor): Expr => {
    const out: Expr = [];
    const o = c.maybeList('offset');
    if (o) instrs.sequence(o, out);
    else {
      const item = c.next();
      if (item.kind !== 'list') fail(startOf(item), `unexpected token ${item.token.text}, expected an offset`);
      instrs.sequence(new Cursor({ kind: 'list', items: [item], start: item.start, end: item.end }, file), out);
    }
    return out;
  };

  /** An element list: `reftype item*` or `func? funcidx*`. */
  const elemList = (c: Cursor, seg: ElemSegment, funcKeywordOptional: boolean) => {
    if (c.keyword('func') || (funcKeywordOptional && !isValTypeStart(c))) {
      seg.funcIndices = [];
      while (!c.atEnd()) seg.funcIndices.push(instrs.index(c, 'a function index'));
      return;
    }
    seg.type = refType(c);
    elemItems(c, seg);
  };

  /** Element expressions: `(item instr*)` or one folded instruction each. */
  const elemItems = (c: Cursor, seg: ElemSegment) => {
    while (!c.atEnd()) {
      const out: Expr = [];
      const item = c.maybeList('item');
      if (item) instrs.sequence(item, out);
      else {
        const e = c.next();
        if (e.kind !== 'list') fail(startOf(e), `unexpected token ${e.token.text}, expected an element expression`);
        instrs.sequence(new Cursor({ kind: 'list', items: [e], start: e.start, end: e.end }, file), out);
      }
      seg.items.push(out);
    }
  };

  const dataStrings = (c: Cursor): Uint8Array => {
    const parts: Uint8Array[] = [];
    while (!c.atEnd()) parts.push(decodeStringLiteral(c.string('a string').text));
    return concat(parts);
  };

  const fieldItems = new Set(cursor.items);
  rejectCodeAnnotations(cursor.source.items.filter((e) => !fieldItems.has(e)), file);
  while (!cursor.atEnd()) {
    const item = cursor.next();
    if (item.kind !== 'list') fail(item.token.start, `unexpected token ${item.token.text}, expected a module field`);
    const c = new Cursor(item, file, 0, true);
    const headToken = c.peekAtom();
    const head = headToken && headToken.kind === 'keyword' ? headToken.text : null;
    if (head !== 'func') rejectCodeAnnotations(item.items, file);
    c.i++;
    const at = item.start;
    const end = closeOf(item);
    if ((head === 'start' || head === 'export') && c.nameAnnotations.length) fail(c.nameAnnotations[0].at, 'misplaced @name annotation');
    switch (head) {
      case 'type':
        ast.recGroups.push({ types: [typeDef(c, at)], explicitRec: false });
        break;
      case 'rec': {
        const types: TypeDef[] = [];
        while (!c.atEnd()) {
          const t = c.list('type');
          types.push(typeDef(t, startOf(c.items[c.i - 1])));
        }
        ast.recGroups.push({ types, explicitRec: true });
        break;
      }
      case 'import': {
        const module = utf8String(c.string('a module name'), file);
        const name = utf8String(c.string('an import name'), file);
        const descHead = c.peekHead();
        if (descHead === null || !['func', 'table', 'memory', 'global', 'tag'].includes(descHead)) c.unexpected('an import description');
        const d = c.list(descHead!, true);
        const id = d.id();
        const annotatedName = fieldName(d);
        let desc: Import['desc'];
        if (descHead === 'func' || descHead === 'tag') desc = { kind: descHead, use: instrs.typeUse(d, true) };
        else if (descHead === 'table') desc = { kind: 'table', type: tableType(d) };
        else if (descHead === 'memory') desc = { kind: 'memory', limits: limits(d, true) };
        else desc = { kind: 'global', type: globalType(d) };
        d.end();
        c.end();
        addImport({ module, name, id, desc, at, end, annotatedName }, at);
        break;
      }
      case 'func': {
        const id = c.id();
        const name = fieldName(c);
        inlineExports(c, 'func', id, count('func'));
        const imp = inlineImport(c);
        const use = instrs.typeUse(c, true);
        if (imp) {
          c.end();
          addImport({ ...imp, id, desc: { kind: 'func', use }, at, end, annotatedName: name }, at);
          break;
        }
        const locals: TextModuleAst['funcs'][number]['locals'] = [];
        while (c.peekHead() === 'local') {
          const l = c.list('local');
          const lid = l.id();
          if (lid) {
            locals.push({ id: lid, type: valType(l) });
            l.end();
          } else while (!l.atEnd()) locals.push({ id: null, type: valType(l) });
        }
        const annotations = readCodeAnnotations(item, file);
        const body: Expr = [];
        instrs.sequence(c, body);
        body.push({ name: 'end', at: end, imm: [] });
        ast.funcs.push({ id, use, locals, body, at, end, name, metadata: attachCodeAnnotations(annotations, body, file) });
        defined ??= 'function';
        break;
      }
      case 'table': {
        const id = c.id();
        inlineExports(c, 'table', id, count('table'));
        const imp = inlineImport(c);
        if (imp) {
          const type = tableType(c);
          c.end();
          addImport({ ...imp, id, desc: { kind: 'table', type }, at, end, annotatedName: null }, at);
          break;
        }
        // `addrtype? reftype (elem ...)`: a table sized to its inline elements.
        const save = c.i;
        const addr64 = c.keyword('i64') ? true : (c.keyword('i32'), false);
        if (isValTypeStart(c)) {
          const ref = refType(c);
          const e = c.list('elem');
          const seg: ElemSegment = { id: null, mode: 'active', table: null, offset: [], type: ref, items: [], funcIndices: null, at };
          if (e.peekHead() !== null) elemItems(e, seg);
          else elemList(e, seg, true);
          c.end();
          const n = BigInt(seg.funcIndices ? seg.funcIndices.length : seg.items.length);
          const index = count('table');
          seg.table = numberToken(index, at);
          seg.offset = [{ name: addr64 ? 'i64.const' : 'i32.const', at, imm: [{ bytes: [0] }] }];
          ast.tables.push({ id, type: { limits: { min: n, max: n, addr64, shared: false }, ref }, init: null });
          ast.elems.push(seg);
        } else {
          c.i = save;
          const type = tableType(c);
          let init: Expr | null = null;
          if (!c.atEnd()) {
            init = [];
            instrs.sequence(c, init);
          }
          ast.tables.push({ id, type, init });
        }
        defined ??= 'table';
        break;
      }
      case 'memory': {
        const id = c.id();
        inlineExports(c, 'memory', id, count('memory'));
        const imp = inlineImport(c);
        if (imp) {
          const l = limits(c, true);
          c.end();
          addImport({ ...imp, id, desc: { kind: 'memory', limits: l }, at, end, annotatedName: null }, at);
          break;
        }
        const save = c.i;
        const addr64 = c.keyword('i64') ? true : (c.keyword('i32'), false);
        const d = c.maybeList('data');
        if (d) {
          const bytes = dataStrings(d);
          c.end();
          const pages = BigInt(Math.ceil(bytes.length / PAGE));
          const index = count('memory');
          ast.memories.push({ id, limits: { min: pages, max: pages, addr64, shared: false } });
          ast.datas.push({ id: null, active: true, memory: numberToken(index, at), offset: [{ name: addr64 ? 'i64.const' : 'i32.const', at, imm: [{ bytes: [0] }] }], bytes, at });
        } else {
          c.i = save;
          ast.memories.push({ id, limits: limits(c, true) });
          c.end();
        }
        defined ??= 'memory';
        break;
      }
      case 'global': {
        const id = c.id();
        inlineExports(c, 'global', id, count('global'));
        const imp = inlineImport(c);
        const type = globalType(c);
        if (imp) {
          c.end();
          addImport({ ...imp, id, desc: { kind: 'global', type }, at, end, annotatedName: null }, at);
          break;
        }
        const init: Expr = [];
        instrs.sequence(c, init);
        ast.globals.push({ id, type, init });
        defined ??= 'global';
        break;
      }
      case 'tag': {
        const id = c.id();
        const name = fieldName(c);
        inlineExports(c, 'tag', id, count('tag'));
        const imp = inlineImport(c);
        const use = instrs.typeUse(c, false);
        c.end();
        if (imp) {
          addImport({ ...imp, id, desc: { kind: 'tag', use }, at, end, annotatedName: name }, at);
          break;
        }
        ast.tags.push({ id, use, name });
        defined ??= 'tag';
        break;
      }
      case 'export': {
        const name = utf8String(c.string('an export name'), file);
        const kindHead = c.peekHead();
        if (kindHead === null || !['func', 'table', 'memory', 'global', 'tag'].includes(kindHead)) c.unexpected('an export description');
        const d = c.list(kindHead!);
        const ref = instrs.index(d, 'an index');
        d.end();
        c.end();
        ast.exports.push({ name, kind: kindHead as ExternKind, ref, at });
        break;
      }
      case 'start': {
        if (ast.start) fail(at, 'multiple start sections');
        ast.start = instrs.index(c, 'a function index');
        c.end();
        break;
      }
      case 'elem': {
        const id = c.id();
        const seg: ElemSegment = { id, mode: 'passive', table: null, offset: null, type: FUNCREF, items: [], funcIndices: null, at };
        if (c.keyword('declare')) {
          seg.mode = 'declarative';
          elemList(c, seg, false);
        } else if (c.peekHead() === 'table' || c.peekHead() === 'offset' || (c.peekHead() !== null && c.peekHead() !== 'item' && !isValTypeStart(c))) {
          seg.mode = 'active';
          const t = c.maybeList('table');
          if (t) {
            seg.table = instrs.index(t, 'a table index');
            t.end();
          }
          seg.offset = offsetExpr(c);
          elemList(c, seg, !t);
        } else if (c.peekAtom()?.kind === 'number' || c.peekAtom()?.kind === 'id') {
          // The legacy form `(elem 0 (offset ...) ...)`: a table index without `(table ...)`.
          seg.mode = 'active';
          seg.table = instrs.index(c, 'a table index');
          seg.offset = offsetExpr(c);
          elemList(c, seg, true);
        } else {
          elemList(c, seg, false);
        }
        ast.elems.push(seg);
        break;
      }
      case 'data': {
        const id = c.id();
        const seg: TextModuleAst['datas'][number] = { id, active: false, memory: null, offset: null, bytes: new Uint8Array(), at };
        if (c.peekHead() === 'memory') {
          const m = c.list('memory');
          seg.memory = instrs.index(m, 'a memory index');
          m.end();
          seg.active = true;
          seg.offset = offsetExpr(c);
        } else if (c.peekAtom()?.kind === 'number' || c.peekAtom()?.kind === 'id') {
          seg.memory = instrs.index(c, 'a memory index');
          seg.active = true;
          seg.offset = offsetExpr(c);
        } else if (c.peekHead() !== null) {
          seg.active = true;
          seg.offset = offsetExpr(c);
        }
        seg.bytes = dataStrings(c);
        ast.datas.push(seg);
        break;
      }
      default:
        fail(headToken ? headToken.start : at, head ? `unknown operator ${head}` : 'expected a module field');
    }
  }
  return ast;
}

/** A number token standing for an index that the text wrote implicitly (inline exports, segments). */
export function numberToken(index: number, at: Position): Token {
  return { kind: 'number', text: String(index), start: at, end: at };
}

