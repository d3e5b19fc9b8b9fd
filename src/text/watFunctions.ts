// Reads the functions of a text module and the instruction tokens of their bodies, in the order
// the binary encodes them: folded operands before their operator, `block`/`loop`/`if` followed by
// their bodies and an `end` (the closing parenthesis of a folded block). The source map pairs this
// list with the decoded instructions.

import { withoutAnnotations } from './wat/cursor';
import { Position, SAtom, SExpr, SList, TEXT_START, Token, TextSyntaxError, headKeyword, parseSExprs } from './sexpr';

export interface TextInstr {
  /** The instruction's name as the text writes it: `i32.add`, `block`, `else`, `end`. */
  name: string;
  /** Start of its token; for an `end` written as a closing parenthesis, that parenthesis. */
  position: Position;
  /** An `else` whose branch is empty: assemblers may leave it out of the binary. */
  optional?: boolean;
}

export interface TextFunction {
  /** Index in the module's function index space (imports first). */
  funcIndex: number;
  /** The function's `$name` as written, or null. */
  name: string | null;
  imported: boolean;
  /** The opening parenthesis of the `(func ...)` (or of the `(import ...)` declaring it). */
  start: Position;
  /** Its closing parenthesis, where the function's final `end` maps. */
  end: Position;
  /** The body's instructions in binary order, the final `end` included; empty for imports. */
  instrs: TextInstr[];
}

export interface TextModule {
  file: string;
  /** Where the module starts: its `(module` or its first field. */
  start: Position;
  functions: TextFunction[];
  importedFuncCount: number;
}

/** Decides which keywords name instructions (everything else after an instruction is an immediate). */
export type InstructionNames = ReadonlySet<string>;

/** Keywords that are immediates, not instructions: memargs, ref.null's heap type, v128 shapes, float specials. */
const immediateKeyword =
  /^(offset=|align=)|^(func|extern|any|eq|i31|struct|array|none|nofunc|noextern|exn|noexn|null|(null)?(func|extern|any|eq|i31|struct|array|exn)?ref|nullfuncref|nullexternref|nullexnref|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2|inf|nan|nan:.*)$/;
/** Lists that belong to the instruction before them: block types, type uses, reference types and try_table's catch clauses. */
const typeUseHeads = new Set(['type', 'param', 'result', 'ref', 'catch', 'catch_ref', 'catch_all', 'catch_all_ref']);
/** Leading lists of a `(func ...)` before its body. */
const funcHeaderHeads = new Set(['export', 'import', 'type', 'param', 'result', 'local']);

/** The position of a list's closing parenthesis (its `end` is just after it). */
export function closingParen(list: SList): Position {
  return { offset: list.end.offset - 1, line: list.end.line, column: list.end.column - 1 };
}

/**
 * The module fields of a module expression `(module $id? field*)`. Returns null for
 * `(module binary ...)` and `(module quote ...)`, which have no text to map.
 */
export function textModuleFields(moduleExpr: SList): SExpr[] | null {
  let i = 1;
  const definition = moduleExpr.items[i];
  if (definition && definition.kind === 'atom' && definition.token.text === 'definition') i++;
  const id = moduleExpr.items[i];
  if (id && id.kind === 'atom' && id.token.kind === 'id') i++;
  const form = moduleExpr.items[i];
  if (form && form.kind === 'atom' && (form.token.text === 'binary' || form.token.text === 'quote')) return null;
  return moduleExpr.items.slice(i);
}

/**
 * Reads a module's text: one `(module ...)`, or module fields written without it. `origin` is where
 * the text starts in `file` when it is a slice of it (a module command of a script).
 */
export function readWatText(text: string, file: string, names: InstructionNames, origin: Position = TEXT_START): TextModule {
  const top = withoutAnnotations(parseSExprs(text, file, origin), file);
  const modules = top.filter((e) => headKeyword(e) === 'module');
  if (modules.length > 1) {
    const second = modules[1] as SList;
    throw new TextSyntaxError(file, second.start, 'a .wat file holds one module; use a .wast script for several');
  }
  if (modules.length === 1) return readTextModule(modules[0] as SList, file, names);
  const start = top.length ? startOf(top[0]) : origin;
  return readModuleFields(top, start, file, names);
}

/** Reads a `(module ...)` expression (positions stay those of the file it was read from). */
export function readTextModule(moduleExpr: SList, file: string, names: InstructionNames): TextModule {
  const fields = textModuleFields(moduleExpr);
  if (!fields) throw new TextSyntaxError(file, moduleExpr.start, 'module is not in text form (binary or quote)');
  return readModuleFields(fields, moduleExpr.start, file, names);
}

function readModuleFields(fields: SExpr[], start: Position, file: string, names: InstructionNames): TextModule {
  const imported: TextFunction[] = [];
  const defined: { field: SList; bodyStart: number; name: string | null }[] = [];
  const declareImport = (decl: SList, name: string | null) =>
    imported.push({ funcIndex: imported.length, name, imported: true, start: decl.start, end: closingParen(decl), instrs: [] });
  for (const field of fields) {
    if (field.kind !== 'list') throw new TextSyntaxError(file, field.token.start, `expected a module field, found ${field.token.text}`);
    const head = headKeyword(field);
    if (head === 'import') {
      // (import "module" "name" (func $id? ...))
      const desc = field.items[3];
      if (desc && headKeyword(desc) === 'func') declareImport(field, idOf(desc as SList));
    } else if (head === 'func') {
      const header = readFuncHeader(field);
      if (header.imported) declareImport(field, header.name);
      else defined.push({ field, bodyStart: header.bodyStart, name: header.name });
    }
  }
  const functions = [...imported];
  for (const { field, bodyStart, name } of defined) {
    const reader = new InstrReader(file, names);
    reader.sequence(field.items, bodyStart);
    reader.emit('end', closingParen(field));
    functions.push({
      funcIndex: functions.length,
      name,
      imported: false,
      start: field.start,
      end: closingParen(field),
      instrs: markEmptyElses(reader.out),
    });
  }
  return { file, start, functions, importedFuncCount: imported.length };
}

/** The `$id` right after a list's keyword, or null. */
function idOf(list: SList): string | null {
  const id = list.items[1];
  return id && id.kind === 'atom' && id.token.kind === 'id' ? id.token.text : null;
}

function readFuncHeader(field: SList): { name: string | null; imported: boolean; bodyStart: number } {
  const name = idOf(field);
  let i = name === null ? 1 : 2;
  let imported = false;
  for (; i < field.items.length; i++) {
    const head = headKeyword(field.items[i]);
    if (head === null || !funcHeaderHeads.has(head)) break;
    if (head === 'import') imported = true;
  }
  return { name, imported, bodyStart: i };
}

/** An `else` directly followed by its `end` has an empty branch. */
function markEmptyElses(instrs: TextInstr[]): TextInstr[] {
  for (let i = 0; i + 1 < instrs.length; i++) {
    if (instrs[i].name === 'else' && instrs[i + 1].name === 'end') instrs[i].optional = true;
  }
  return instrs;
}

function startOf(e: SExpr): Position {
  return e.kind === 'list' ? e.start : e.token.start;
}

/** The clauses of a try_table: part of the instruction, not instructions. */
const catchClauseHeads = new Set(['catch', 'catch_ref', 'catch_all', 'catch_all_ref']);

class InstrReader {
  readonly out: TextInstr[] = [];

  constructor(
    private readonly file: string,
    private readonly names: InstructionNames,
  ) {}

  emit(name: string, position: Position): void {
    this.out.push({ name, position });
  }

  /** A sequence of flat and folded instructions: items[from..]. */
  sequence(items: SExpr[], from: number): void {
    let i = from;
    while (i < items.length) {
      const item = items[i];
      if (item.kind === 'list') {
        this.folded(item);
        i++;
        continue;
      }
      const token = this.instructionToken(item);
      i++;
      // Immediates: atoms that do not start the next instruction, and type-use lists (and a
      // try_table's catch clauses, which are not the legacy `catch` instruction).
      const tryTable = token.text === 'try_table';
      while (i < items.length) {
        const next = items[i];
        if (next.kind === 'list') {
          const head = headKeyword(next);
          if (head === null || !(typeUseHeads.has(head) || (tryTable && catchClauseHeads.has(head)))) break;
        } else if (!this.isImmediate(next.token)) {
          break;
        }
        i++;
      }
      this.emit(token.text, token.start);
    }
  }

  /** A folded instruction `(op immediates* operands*)`, `(block ...)`, `(loop ...)` or `(if ...)`. */
  folded(list: SList): void {
    const first = list.items[0];
    if (!first || first.kind !== 'atom') {
      throw new TextSyntaxError(this.file, list.start, 'cannot read instruction: expected an instruction name after (');
    }
    const token = this.instructionToken(first);
    const name = token.text;
    if (name === 'block' || name === 'loop' || name === 'try_table') {
      this.emit(name, token.start);
      let i = this.skipBlockHeader(list.items);
      if (name === 'try_table') while (i < list.items.length && catchClauseHeads.has(headKeyword(list.items[i]) ?? '')) i++;
      this.sequence(list.items, i);
      this.emit('end', closingParen(list));
      return;
    }
    if (name === 'try') {
      this.foldedTry(list, token);
      return;
    }
    if (name === 'if') {
      let i = this.skipBlockHeader(list.items);
      // Conditions (folded operands), then the `if` itself, then its branches.
      for (; i < list.items.length; i++) {
        const head = headKeyword(list.items[i]);
        if (head === 'then' || head === 'else') break;
        const cond = list.items[i];
        if (cond.kind !== 'list') throw new TextSyntaxError(this.file, cond.token.start, `cannot read if: unexpected ${cond.token.text}`);
        this.folded(cond);
      }
      this.emit('if', token.start);
      const thenClause = list.items[i];
      if (thenClause && headKeyword(thenClause) === 'then') {
        this.sequence((thenClause as SList).items, 1);
        i++;
      }
      const elseClause = list.items[i];
      if (elseClause && headKeyword(elseClause) === 'else') {
        const elseList = elseClause as SList;
        this.emit('else', (elseList.items[0] as SAtom).token.start);
        this.sequence(elseList.items, 1);
        i++;
      }
      if (i < list.items.length) {
        throw new TextSyntaxError(this.file, startOf(list.items[i]), 'cannot read if: expected (then ...) or (else ...)');
      }
      this.emit('end', closingParen(list));
      return;
    }
    if (name === 'try') {
      this.emit(name, token.start);
      let i = this.skipBlockHeader(list.items);
      for (; i < list.items.length; i++) {
        const clause = list.items[i];
        const head = headKeyword(clause);
        if (clause.kind !== 'list' || !(head === 'do' || head === 'catch' || head === 'catch_all' || head === 'delegate')) {
          throw new TextSyntaxError(this.file, startOf(clause), 'cannot read try: expected (do ...), (catch ...), (catch_all ...) or (delegate ...)');
        }
        if (head !== 'do') this.emit(head, (clause.items[0] as SAtom).token.start);
        if (head === 'delegate') return;
        this.sequence(clause.items, head === 'catch' ? 2 : 1);
      }
      this.emit('end', closingParen(list));
      return;
    }
    // A plain instruction: immediates and type uses, then folded operands, then the operator.
    for (let i = 1; i < list.items.length; i++) {
      const item = list.items[i];
      if (item.kind === 'atom') {
        if (!this.isImmediate(item.token)) {
          throw new TextSyntaxError(this.file, item.token.start, `cannot read ${name}: unexpected ${item.token.text}`);
        }
        continue;
      }
      const head = headKeyword(item);
      if (head !== null && typeUseHeads.has(head)) continue;
      this.folded(item);
    }
    this.emit(name, token.start);
  }

  /** The legacy `(try label? blocktype (do ...) (catch $e ...)* (catch_all ...)?)`, or with `(delegate N)`. */
  private foldedTry(list: SList, token: Token): void {
    this.emit('try', token.start);
    let i = this.skipBlockHeader(list.items);
    let ended = false;
    for (; i < list.items.length; i++) {
      const clause = list.items[i];
      const head = headKeyword(clause);
      if (clause.kind !== 'list' || (head !== 'do' && head !== 'catch' && head !== 'catch_all' && head !== 'delegate')) {
        throw new TextSyntaxError(this.file, startOf(clause), 'cannot read try: expected (do ...), (catch ...), (catch_all ...) or (delegate ...)');
      }
      const keyword = (clause.items[0] as SAtom).token;
      if (head === 'do') {
        this.sequence(clause.items, 1);
      } else if (head === 'delegate') {
        this.emit('delegate', keyword.start);
        ended = true;
      } else {
        this.emit(head, keyword.start);
        const tagged = head === 'catch' && clause.items[1]?.kind === 'atom';
        this.sequence(clause.items, tagged ? 2 : 1);
      }
    }
    if (!ended) this.emit('end', closingParen(list));
  }

  /** Skips a folded block's keyword, label and block type, returning the index of the first item after them. */
  private skipBlockHeader(items: SExpr[]): number {
    let i = 1;
    const label = items[i];
    if (label && label.kind === 'atom' && label.token.kind === 'id') i++;
    while (i < items.length) {
      const head = headKeyword(items[i]);
      if (head === null || !typeUseHeads.has(head)) break;
      i++;
    }
    return i;
  }

  private instructionToken(atom: SAtom): Token {
    const token = atom.token;
    if (token.kind !== 'keyword') throw new TextSyntaxError(this.file, token.start, `cannot read instruction: unexpected ${token.text}`);
    if (!this.names.has(token.text)) {
      throw new TextSyntaxError(this.file, token.start, `cannot read instruction: ${token.text} is not an instruction name`);
    }
    return token;
  }

  /** True for an atom that belongs to the instruction before it (not the start of the next one). */
  private isImmediate(token: Token): boolean {
    if (token.kind === 'number' || token.kind === 'id') return true;
    return token.kind === 'keyword' && !this.names.has(token.text) && immediateKeyword.test(token.text);
  }
}
