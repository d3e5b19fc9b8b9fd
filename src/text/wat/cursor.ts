// Reading the items of one S-expression list left to right, with annotations `(@id ...)` left out
// and every error naming `file:line:column` of the item it concerns.

import { Position, SAtom, SExpr, SList, Token, TextSyntaxError, decodeStringLiteral } from '../sexpr';

/** `(@id ...)`: a list whose '(' is directly followed by a token starting with '@'. */
export function annotationId(expr: SExpr, file: string): string | null {
  if (expr.kind !== 'list' || expr.items.length === 0) return null;
  const first = expr.items[0];
  if (first.kind !== 'atom' || !first.token.text.startsWith('@') || first.token.start.offset !== expr.start.offset + 1) return null;
  let id = first.token.text.slice(1);
  if (id.startsWith('"')) id = utf8String({ ...first.token, text: id }, file);
  if (id === '') throw new TextSyntaxError(file, first.token.start, 'empty annotation id');
  return id;
}

/** The expressions with every annotation list left out, at every depth. */
export function withoutAnnotations(exprs: SExpr[], file: string): SExpr[] {
  return exprs.filter((e) => annotationId(e, file) === null).map((e) => (e.kind === 'list' ? { ...e, items: withoutAnnotations(e.items, file) } : e));
}

/** The position just before a list's closing parenthesis, where "missing" items are reported. */
export function closeOf(list: SList): Position {
  return { offset: list.end.offset - 1, line: list.end.line, column: list.end.column - 1 };
}

export class Cursor {
  readonly items: SExpr[];
  i = 0;
  /** `(@name "...")` annotations met, in order, with the index of the item they preceded. */
  readonly nameAnnotations: { name: string; before: number; at: Position }[] = [];
  /** `(@custom ...)` annotations met, in order. */
  readonly customAnnotations: SList[] = [];

  constructor(
    readonly source: SList,
    readonly file: string,
    from = 0,
    /** Whether `(@name ...)` may appear here (module fields and the module); elsewhere it is misplaced. */
    namesAllowed = false,
    /** Whether `(@custom ...)` may appear here: only among the module's fields. */
    customsAllowed = false,
  ) {
    this.items = [];
    source.items.forEach((item, k) => {
      if (k < from) return;
      const id = annotationId(item, file);
      if (id === null) this.items.push(item);
      else if (id === 'custom' && !customsAllowed) this.fail(startOf(item), 'misplaced @custom annotation');
      else if (id === 'custom') this.customAnnotations.push(item as SList);
      else if (id === 'name' && !namesAllowed) this.fail(startOf(item), 'misplaced @name annotation');
      else if (id === 'name') this.nameAnnotations.push({ name: this.annotationString(item as SList), before: this.items.length, at: item.kind === 'list' ? item.start : item.token.start });
    });
  }

  private annotationString(list: SList): string {
    const s = list.items[1];
    if (list.items.length !== 2 || s.kind !== 'atom' || s.token.kind !== 'string') this.fail(list.start, 'malformed @name annotation');
    return utf8String(s.token, this.file);
  }

  fail(at: Position, reason: string): never {
    throw new TextSyntaxError(this.file, at, reason);
  }

  /** Where the next item starts, or the list's closing parenthesis. */
  here(): Position {
    const item = this.items[this.i];
    return item ? startOf(item) : closeOf(this.source);
  }

  atEnd(): boolean {
    return this.i >= this.items.length;
  }

  peek(): SExpr | undefined {
    return this.items[this.i];
  }

  /** The head keyword of the next item when it is a list (`param` for `(param ...)`), else null. */
  peekHead(): string | null {
    const item = this.items[this.i];
    if (!item || item.kind !== 'list') return null;
    const first = item.items.find((x) => annotationId(x, this.file) === null);
    return first && first.kind === 'atom' && first.token.kind === 'keyword' ? first.token.text : null;
  }

  peekAtom(): Token | null {
    const item = this.items[this.i];
    return item && item.kind === 'atom' ? item.token : null;
  }

  peekKeyword(): string | null {
    const t = this.peekAtom();
    return t && t.kind === 'keyword' ? t.text : null;
  }

  next(): SExpr {
    const item = this.items[this.i];
    if (!item) this.fail(this.here(), 'unexpected end of list');
    this.i++;
    return item;
  }

  /** The next item, which must be a list headed by `head`, as a cursor after its head. */
  list(head: string, namesAllowed = false): Cursor {
    if (this.peekHead() !== head) this.fail(this.here(), `expected (${head} ...)`);
    const inner = new Cursor(this.next() as SList, this.file, 0, namesAllowed);
    inner.i = 1;
    return inner;
  }

  /** The next list as a cursor after its head, when it is headed by `head`. */
  maybeList(head: string): Cursor | null {
    return this.peekHead() === head ? this.list(head) : null;
  }

  /** An optional `$id`. */
  id(): Token | null {
    const t = this.peekAtom();
    if (!t || t.kind !== 'id') return null;
    this.i++;
    return t;
  }

  keyword(word: string): boolean {
    if (this.peekKeyword() !== word) return false;
    this.i++;
    return true;
  }

  expectKeyword(word: string): Token {
    const t = this.peekAtom();
    if (!t || t.text !== word) this.unexpected(word);
    this.i++;
    return t;
  }

  atom(what: string): Token {
    const t = this.peekAtom();
    if (!t) this.unexpected(what);
    this.i++;
    return t;
  }

  string(what = 'a string'): Token {
    const t = this.peekAtom();
    if (!t || t.kind !== 'string') this.unexpected(what);
    this.i++;
    return t;
  }

  /** Fails at the next item: it is not what was expected. */
  unexpected(expected: string): never {
    const item = this.items[this.i];
    if (!item) this.fail(this.here(), `unexpected token ')', expected ${expected}`);
    const found = item.kind === 'atom' ? item.token.text : '(';
    this.fail(startOf(item), `unexpected token ${found}, expected ${expected}`);
  }

  /** Fails unless every item was read. */
  end(): void {
    if (!this.atEnd()) {
      const item = this.items[this.i];
      if (item.kind === 'atom' && item.token.kind === 'keyword') this.fail(startOf(item), `unknown operator ${item.token.text}`);
      this.unexpected("')'");
    }
  }
}

export function startOf(e: SExpr): Position {
  return e.kind === 'list' ? e.start : e.token.start;
}

export function atomOf(e: SExpr | undefined): SAtom | null {
  return e && e.kind === 'atom' ? e : null;
}

/** A string literal as text; names must be valid UTF-8 ("malformed UTF-8 encoding"). */
export function utf8String(token: Token, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(decodeStringLiteral(token.text));
  } catch {
    throw new TextSyntaxError(file, token.start, 'malformed UTF-8 encoding');
  }
}

/** The name an `$id` token stands for (without `$`; `$"..."` gives the string's text). */
export function idName(token: Token, file: string): string {
  if (token.text.startsWith('$"')) {
    const name = utf8String({ ...token, text: token.text.slice(1) }, file);
    if (name === '') throw new TextSyntaxError(file, token.start, 'empty identifier');
    return name;
  }
  if (token.text === '$') throw new TextSyntaxError(file, token.start, 'empty identifier');
  return token.text.slice(1);
}
