// Lexer and S-expression reader for the WebAssembly text format (.wat) and scripts (.wast).
// Every token and list keeps its position in the original text, so that the source map and the
// script reader can point at `file:line:column` of what the user wrote.

export interface Position {
  /** Offset in the text, in UTF-16 code units. */
  offset: number;
  /** 1-based line and column. */
  line: number;
  column: number;
}

export type TokenKind = 'lparen' | 'rparen' | 'keyword' | 'id' | 'string' | 'number' | 'reserved';

export interface Token {
  kind: TokenKind;
  /** The token's exact source text (strings include their quotes). */
  text: string;
  start: Position;
  end: Position;
}

export type SExpr = SAtom | SList;

export interface SAtom {
  kind: 'atom';
  token: Token;
}

export interface SList {
  kind: 'list';
  items: SExpr[];
  /** Position of '(' and just after ')'. */
  start: Position;
  end: Position;
}

export class TextSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly position: Position,
    readonly reason: string,
  ) {
    super(`${file}:${position.line}:${position.column}: ${reason}`);
    this.name = 'TextSyntaxError';
  }
}

const idChar = /[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]/;
/** Characters the format reserves: they may appear in annotations, never in a module. */
const reservedChar = /[,;[\]{}]/;

/**
 * Skips the string literal starting at `text[at]` (its opening quote), checking its characters and
 * escapes; returns the index just after the closing quote.
 */
function skipString(text: string, at: number, here: () => Position, file: string): number {
  let i = at + 1;
  const fail = (reason: string): never => {
    throw new TextSyntaxError(file, here(), reason);
  };
  while (i < text.length && text[i] !== '"') {
    const c = text.charCodeAt(i);
    if (c === 0x0a) fail('unterminated string');
    if (c < 0x20 || c === 0x7f) fail('illegal character in string');
    if (text[i] !== '\\') {
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e !== undefined && 'tnr"\'\\'.includes(e)) i += 2;
    else if (e === 'u') {
      const m = /^u\{([0-9a-fA-F](?:_?[0-9a-fA-F])*)\}/.exec(text.slice(i + 1));
      const cp = m ? parseInt(m[1].replace(/_/g, ''), 16) : -1;
      if (!m || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) fail('illegal escape');
      i += 1 + m![0].length;
    } else if (/^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) i += 3;
    else fail('illegal escape');
  }
  if (i >= text.length) fail('unterminated string');
  return i + 1;
}

/** Line 1, column 1: where a whole file starts. */
export const TEXT_START: Position = { offset: 0, line: 1, column: 1 };

/**
 * Splits text into tokens, skipping whitespace, line comments and nested block comments.
 * `origin` is where `text` starts in its file, for a slice of a larger file (a module in a script):
 * positions then stay those of the file.
 */
export function tokenize(text: string, file = '<text>', origin: Position = TEXT_START): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = origin.line;
  let lineStart = 1 - origin.column;
  const pos = (at: number): Position => ({ offset: origin.offset + at, line, column: at - lineStart + 1 });
  const newline = (at: number) => {
    line++;
    lineStart = at + 1;
  };

  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      newline(i);
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === ';' && text[i + 1] === ';') {
      // A line comment ends at a line break: LF, CR or CR LF.
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '(' && text[i + 1] === ';') {
      const start = pos(i);
      let depth = 1;
      i += 2;
      while (depth > 0) {
        if (i >= text.length) throw new TextSyntaxError(file, start, 'unterminated block comment');
        if (text[i] === '(' && text[i + 1] === ';') {
          depth++;
          i += 2;
        } else if (text[i] === ';' && text[i + 1] === ')') {
          depth--;
          i += 2;
        } else {
          if (text[i] === '\n') newline(i);
          i++;
        }
      }
    } else if (c === '(' || c === ')') {
      const start = pos(i);
      i++;
      tokens.push({ kind: c === '(' ? 'lparen' : 'rparen', text: c, start, end: pos(i) });
    } else if (c === '"' || idChar.test(c) || reservedChar.test(c)) {
      // One token: a maximal run of identifier characters, strings and reserved characters
      // (`$"name"` is an identifier, a run mixing strings with anything else a reserved token).
      const start = pos(i);
      let strings = 0;
      let others = 0;
      while (i < text.length) {
        const d = text[i];
        if (d === '"') {
          i = skipString(text, i, () => pos(i), file);
          strings++;
        } else if (idChar.test(d) || (reservedChar.test(d) && !(d === ';' && text[i + 1] === ';'))) {
          others++;
          i++;
        } else {
          break;
        }
      }
      const word = text.slice(start.offset - origin.offset, i);
      let kind: TokenKind;
      if (strings === 0) kind = classify(word);
      else if (strings === 1 && word.startsWith('"') && word.endsWith('"') && others === 0) kind = 'string';
      else if (strings === 1 && word.startsWith('$"') && word.endsWith('"') && others === 1) kind = 'id';
      else kind = 'reserved';
      if (strings === 0 && /[,;[\]{}]/.test(word)) kind = 'reserved';
      tokens.push({ kind, text: word, start, end: pos(i) });
    } else {
      throw new TextSyntaxError(file, pos(i), `illegal character ${JSON.stringify(c)}`);
    }
  }
  return tokens;
}

function classify(word: string): TokenKind {
  if (word.startsWith('$')) return 'id';
  if (/^[a-z]/.test(word)) return 'keyword';
  if (/^[+-]?(\d|inf$|nan)/.test(word)) return 'number';
  return 'reserved';
}

/** Reads a whole text (or a slice of a file starting at `origin`) as a sequence of S-expressions. */
export function parseSExprs(text: string, file = '<text>', origin: Position = TEXT_START): SExpr[] {
  const tokens = tokenize(text, file, origin);
  const top: SExpr[] = [];
  const stack: { list: SList }[] = [];
  for (const token of tokens) {
    if (token.kind === 'lparen') {
      stack.push({ list: { kind: 'list', items: [], start: token.start, end: token.end } });
    } else if (token.kind === 'rparen') {
      const open = stack.pop();
      if (!open) throw new TextSyntaxError(file, token.start, "unexpected ')'");
      open.list.end = token.end;
      (stack.length ? stack[stack.length - 1].list.items : top).push(open.list);
    } else {
      (stack.length ? stack[stack.length - 1].list.items : top).push({ kind: 'atom', token });
    }
  }
  if (stack.length) throw new TextSyntaxError(file, stack[stack.length - 1].list.start, "unclosed '('");
  return top;
}

/** The keyword heading a list, e.g. 'module' for `(module ...)`, or null. */
export function headKeyword(expr: SExpr): string | null {
  if (expr.kind !== 'list' || expr.items.length === 0) return null;
  const first = expr.items[0];
  return first.kind === 'atom' && first.token.kind === 'keyword' ? first.token.text : null;
}

/** Decodes a text-format string literal (with its quotes) to bytes: escapes, \hh, \u{...}, UTF-8. */
export function decodeStringLiteral(literal: string): Uint8Array {
  const out: number[] = [];
  const body = literal.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      if (cp > 0xffff) i++;
      out.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'n': out.push(0x0a); break;
      case 't': out.push(0x09); break;
      case 'r': out.push(0x0d); break;
      case '"': out.push(0x22); break;
      case "'": out.push(0x27); break;
      case '\\': out.push(0x5c); break;
      case 'u': {
        const close = body.indexOf('}', i);
        const cp = parseInt(body.slice(i + 2, close).replace(/_/g, ''), 16);
        out.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
        i = close;
        break;
      }
      default:
        out.push(parseInt(body.slice(i, i + 2), 16));
        i++;
    }
  }
  return Uint8Array.from(out);
}
