// Instructions in the text format, flat and folded, read into one list in binary order: folded
// operands before their operator, a block's body between it and its `end` (the closing parenthesis
// of a folded block). Every instruction keeps the position of its token.

import { SList, Token } from '../sexpr';
import { LiteralError, parseF32, parseF64, parseI32, parseI64, parseIntLane } from '../literals';
import type { Imm, Instr, Ref, TypeUse, ValType } from './ast';
import { Cursor, closeOf, idName, startOf } from './cursor';
import { textInstruction } from './instructions';
import { shapeInfo, type V128Shape } from '../wast';
import { heapType, params, refType, results, valType } from './types';
import { lebS, lebU } from './leb';

const V128_SHAPES = new Set(['i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2']);

const CATCH_CLAUSES: Record<string, number> = { catch: 0, catch_ref: 1, catch_all: 2, catch_all_ref: 3 };

/** Reads type uses and instructions; every type use is also recorded in `uses`, in text order. */
export class InstrParser {
  constructor(
    readonly file: string,
    readonly uses: TypeUse[],
  ) {}

  /** `(type x)? (param ...)* (result ...)*`; `allowIds` for function headers. */
  typeUse(c: Cursor, allowIds: boolean): TypeUse {
    const use = this.readTypeUse(c, allowIds);
    if (use.ref && use.params!.length === 0 && use.results!.length === 0) use.params = use.results = null;
    this.uses.push(use);
    return use;
  }

  /** A block type: a type use, left out of `uses` when it is no type or one result (encoded inline). */
  private blockType(c: Cursor): TypeUse {
    const use = this.readTypeUse(c, false);
    if (use.ref || use.params!.length > 0 || use.results!.length > 1) this.uses.push(use);
    return use;
  }

  private readTypeUse(c: Cursor, allowIds: boolean): TypeUse {
    const at = c.here();
    let ref: Ref | null = null;
    const t = c.maybeList('type');
    if (t) {
      ref = this.index(t, 'a type index');
      t.end();
    }
    const ps: TypeUse['params'] = [];
    params(c, ps, allowIds);
    const rs: ValType[] = [];
    results(c, rs);
    return { ref, params: ps, results: rs, at };
  }

  index(c: Cursor, what: string): Token {
    const t = c.peekAtom();
    if (!t || (t.kind !== 'id' && t.kind !== 'number')) c.unexpected(what);
    if (t.kind === 'number' && !/^(0x[0-9a-fA-F](_?[0-9a-fA-F])*|[0-9](_?[0-9])*)$/.test(t.text)) c.fail(t.start, `unexpected token ${t.text}, expected ${what}`);
    c.i++;
    return t;
  }

  private optIndex(c: Cursor): Token | null {
    const t = c.peekAtom();
    return t && (t.kind === 'id' || (t.kind === 'number' && /^(0x)?[0-9a-fA-F_]+$/.test(t.text))) ? this.index(c, 'an index') : null;
  }

  /** A sequence of instructions up to the end of `c`, or up to one of the keywords in `stop`. */
  sequence(c: Cursor, out: Instr[], stop?: ReadonlySet<string>): void {
    while (!c.atEnd()) {
      const item = c.peek()!;
      if (item.kind === 'list') {
        c.i++;
        this.folded(new Cursor(item, this.file), item, out);
        continue;
      }
      const kw = c.peekKeyword();
      if (stop && kw !== null && stop.has(kw)) return;
      this.flat(c, out);
    }
  }

  private keywordToken(c: Cursor): Token {
    const t = c.peekAtom();
    if (!t) c.unexpected('an instruction');
    if (t.kind !== 'keyword' || (!textInstruction(t.text) && t.text !== 'select')) c.fail(t.start, `unknown operator ${t.text}`);
    c.i++;
    return t;
  }

  /** One flat instruction (a block with its body and `end`). */
  private flat(c: Cursor, out: Instr[]): void {
    const token = this.keywordToken(c);
    const info = textInstruction(token.text)!;
    if (info.imm === 'block' || info.imm === 'try_table' || info.imm === 'try') {
      const instr = this.blockHeader(c, token, info.imm);
      out.push(instr);
      if (token.text === 'if') {
        this.sequence(c, out, ELSE_END);
        if (c.peekKeyword() === 'else') {
          const elseToken = c.atom('else');
          this.endLabel(c, instr.label ?? null);
          const elseInstr: Instr = { name: 'else', at: elseToken.start, imm: [] };
          const before = out.length;
          out.push(elseInstr);
          this.sequence(c, out, END);
          if (out.length === before + 1) out.pop(); // an empty else branch is left out of the binary
        }
      } else if (token.text === 'try') {
        this.sequence(c, out, TRY_CLAUSES);
        while (c.peekKeyword() === 'catch' || c.peekKeyword() === 'catch_all') {
          const clause = c.atom('catch');
          const imm: Imm[] = clause.text === 'catch' ? [{ ref: this.index(c, 'a tag index') }] : [];
          out.push({ name: clause.text, at: clause.start, imm });
          this.sequence(c, out, TRY_CLAUSES);
        }
        if (c.peekKeyword() === 'delegate') {
          const d = c.atom('delegate');
          out.push({ name: 'delegate', at: d.start, imm: [{ ref: this.index(c, 'a label') }] });
          return;
        }
      } else {
        this.sequence(c, out, END);
      }
      const end = c.peekAtom();
      if (!end || end.text !== 'end') c.unexpected('end');
      c.i++;
      this.endLabel(c, instr.label ?? null);
      out.push({ name: 'end', at: end.start, imm: [] });
      return;
    }
    out.push(this.plain(c, token));
  }

  /** `end $l` / `else $l`: the label, when written, must repeat the block's. */
  private endLabel(c: Cursor, label: Token | null): void {
    const t = c.peekAtom();
    if (!t || t.kind !== 'id') return;
    if (!label || idName(label, this.file) !== idName(t, this.file)) c.fail(t.start, 'mismatching label');
    c.i++;
  }

  private blockHeader(c: Cursor, token: Token, kind: string): Instr {
    const label = c.id();
    const blockType = this.blockType(c);
    const instr: Instr = { name: token.text, at: token.start, imm: [], label, blockType };
    if (kind === 'try_table') instr.catches = this.catchClauses(c);
    return instr;
  }

  private catchClauses(c: Cursor): NonNullable<Instr['catches']> {
    const catches: NonNullable<Instr['catches']> = [];
    for (;;) {
      const head = c.peekHead();
      if (head === null || !(head in CATCH_CLAUSES)) return catches;
      const k = c.list(head);
      const tag = CATCH_CLAUSES[head] < 2 ? this.index(k, 'a tag index') : null;
      catches.push({ kind: CATCH_CLAUSES[head], tag, label: this.index(k, 'a label') });
      k.end();
    }
  }

  /** A folded instruction: `(op imm* folded*)` or a folded block. */
  private folded(c: Cursor, list: SList, out: Instr[]): void {
    const token = this.keywordToken(c);
    const info = textInstruction(token.text)!;
    const close = closeOf(list);
    if (token.text === 'if') {
      const instr = this.blockHeader(c, token, 'block');
      while (!c.atEnd() && c.peekHead() !== 'then') {
        const cond = c.next();
        if (cond.kind !== 'list') c.fail(startOf(cond), `unexpected token ${cond.token.text}, expected (then ...)`);
        this.folded(new Cursor(cond, this.file), cond, out);
      }
      out.push(instr);
      const then = c.list('then');
      this.sequence(then, out);
      const elseList = c.peekHead() === 'else' ? (c.peek() as SList) : null;
      if (elseList) {
        const e = c.list('else');
        const before = out.length;
        out.push({ name: 'else', at: (elseList.items[0] as { token: Token }).token.start, imm: [] });
        this.sequence(e, out);
        if (out.length === before + 1) out.pop();
      }
      c.end();
      out.push({ name: 'end', at: close, imm: [] });
      return;
    }
    if (token.text === 'try') {
      const instr = this.blockHeader(c, token, 'try');
      out.push(instr);
      const body = c.maybeList('do');
      if (body) this.sequence(body, out);
      while (c.peekHead() === 'catch' || c.peekHead() === 'catch_all') {
        const clauseList = c.peek() as SList;
        const head = c.peekHead()!;
        const k = c.list(head);
        const imm: Imm[] = head === 'catch' ? [{ ref: this.index(k, 'a tag index') }] : [];
        out.push({ name: head, at: (clauseList.items[0] as { token: Token }).token.start, imm });
        this.sequence(k, out);
      }
      if (c.peekHead() === 'delegate') {
        const dList = c.peek() as SList;
        const d = c.list('delegate');
        out.push({ name: 'delegate', at: (dList.items[0] as { token: Token }).token.start, imm: [{ ref: this.index(d, 'a label') }] });
        d.end();
        c.end();
        return;
      }
      c.end();
      out.push({ name: 'end', at: close, imm: [] });
      return;
    }
    if (info.imm === 'block' || info.imm === 'try_table') {
      out.push(this.blockHeader(c, token, info.imm));
      this.sequence(c, out);
      out.push({ name: 'end', at: close, imm: [] });
      return;
    }
    const instr = this.plain(c, token);
    while (!c.atEnd()) {
      const operand = c.next();
      if (operand.kind !== 'list') c.fail(startOf(operand), `unexpected token ${operand.token.text}`);
      this.folded(new Cursor(operand, this.file), operand, out);
    }
    out.push(instr);
  }

  /** A plain (non-block) instruction's immediates. */
  private plain(c: Cursor, token: Token): Instr {
    const name = token.text;
    const info = textInstruction(name)!;
    const instr: Instr = { name, at: token.start, imm: [] };
    const imm = instr.imm;
    const idx = (what: string) => imm.push({ ref: this.index(c, what) });
    switch (info.imm) {
      case 'none':
        if (name === 'select') {
          const types: ValType[] = [];
          let lists = 0;
          while (c.peekHead() === 'result') {
            results(c, types);
            lists++;
          }
          if (lists > 0) imm.push({ types });
        }
        break;
      case 'select_t':
        break;
      case 'label':
      case 'func':
      case 'local':
      case 'global':
      case 'data':
      case 'elem':
      case 'tag':
      case 'catch':
      case 'type':
        idx('an index');
        break;
      case 'br_table': {
        const refs: Ref[] = [this.index(c, 'a label')];
        for (let r = this.optIndex(c); r; r = this.optIndex(c)) refs.push(r);
        imm.push({ refs });
        break;
      }
      case 'table':
      case 'memory':
        imm.push({ ref: this.optIndex(c) });
        break;
      case 'call_indirect':
        imm.push({ ref: this.optIndex(c) });
        imm.push({ use: this.typeUse(c, false) });
        break;
      case 'memarg':
        imm.push({ ref: this.optIndex(c) });
        imm.push(this.memarg(c));
        break;
      case 'memarg_lane': {
        const t = c.peekAtom();
        const next = c.items[c.i + 1];
        const memoryFirst = t && (t.kind === 'id' || (t.kind === 'number' && next && next.kind === 'atom' && (next.token.kind === 'number' || /^(offset|align)=/.test(next.token.text))));
        imm.push({ ref: memoryFirst ? this.index(c, 'a memory index') : null });
        imm.push(this.memarg(c));
        imm.push({ bytes: [this.laneIndex(c)] });
        break;
      }
      case 'memory_init':
      case 'table_init': {
        const first = this.index(c, 'an index');
        const second = this.optIndex(c);
        imm.push({ ref: second ? first : null }, { ref: second ?? first });
        break;
      }
      case 'memory_copy':
      case 'table_copy': {
        const first = this.optIndex(c);
        const second = first ? this.index(c, 'an index') : null;
        imm.push({ ref: first }, { ref: second });
        break;
      }
      case 'i32':
      case 'i64':
      case 'f32':
      case 'f64':
        imm.push({ bytes: this.number(c, info.imm) });
        break;
      case 'v128':
        imm.push({ bytes: this.v128(c) });
        break;
      case 'shuffle': {
        const lanes: number[] = [];
        for (let k = 0; k < 16; k++) lanes.push(this.laneIndex(c));
        imm.push({ bytes: lanes });
        break;
      }
      case 'lane':
        imm.push({ bytes: [this.laneIndex(c)] });
        break;
      case 'ref_null':
        imm.push({ heap: heapType(c) });
        break;
      case 'type_field':
        idx('a type index');
        idx('a field index');
        break;
      case 'type_type':
      case 'type_data':
      case 'type_elem':
        idx('a type index');
        idx('an index');
        break;
      case 'type_n': {
        idx('a type index');
        const n = c.atom('a count');
        imm.push({ bytes: this.u32Bytes(c, n) });
        break;
      }
      case 'ref_type':
        imm.push({ type: refType(c) });
        break;
      case 'br_on_cast':
        idx('a label');
        imm.push({ type: refType(c) }, { type: refType(c) });
        break;
      default:
        c.fail(token.start, `unexpected ${name} here`);
    }
    return instr;
  }

  private u32Bytes(c: Cursor, t: Token): number[] {
    if (t.kind !== 'number' || !/^(0x[0-9a-fA-F_]+|[0-9_]+)$/.test(t.text)) c.fail(t.start, `unexpected token ${t.text}, expected a number`);
    const v = BigInt(t.text.replace(/_/g, ''));
    if (v >= 1n << 32n) c.fail(t.start, 'constant out of range');
    return lebU(v);
  }

  private memarg(c: Cursor): Imm {
    let offset = 0n;
    let align: bigint | null = null;
    const field = (prefix: string): bigint | null => {
      const t = c.peekAtom();
      if (!t || !t.text.startsWith(prefix)) return null;
      c.i++;
      const v = t.text.slice(prefix.length);
      if (!/^(0x[0-9a-fA-F](_?[0-9a-fA-F])*|[0-9](_?[0-9])*)$/.test(v)) c.fail(t.start, `unknown operator ${t.text}`);
      const n = BigInt(v.replace(/_/g, ''));
      if (n >= 1n << 64n) c.fail(t.start, 'constant out of range');
      return n;
    };
    offset = field('offset=') ?? 0n;
    align = field('align=');
    if (align !== null && (align === 0n || (align & (align - 1n)) !== 0n)) c.fail(c.items[c.i - 1] ? startOf(c.items[c.i - 1]) : c.here(), 'alignment must be a power of two');
    return { memarg: { offset, align, memory: null } };
  }

  private laneIndex(c: Cursor): number {
    const t = c.atom('a lane index');
    if (t.kind !== 'number' || !/^(0x[0-9a-fA-F_]+|[0-9_]+)$/.test(t.text)) c.fail(t.start, `unexpected token ${t.text}, expected a lane index`);
    const v = Number(t.text.replace(/_/g, ''));
    if (v > 255) c.fail(t.start, 'malformed lane index');
    return v;
  }

  private literal<T>(c: Cursor, t: Token, parse: (text: string) => T): T {
    if (t.kind !== 'number' && !/^(inf|nan(:.*)?)$/.test(t.text)) c.fail(t.start, `unexpected token ${t.text}, expected a number`);
    try {
      return parse(t.text);
    } catch (e) {
      if (e instanceof LiteralError) c.fail(t.start, /out of range/.test(e.message) ? 'constant out of range' : `unknown operator ${t.text}`);
      throw e;
    }
  }

  number(c: Cursor, type: 'i32' | 'i64' | 'f32' | 'f64'): number[] {
    const t = c.atom('a number');
    switch (type) {
      case 'i32':
        return lebS(BigInt(this.literal(c, t, parseI32)));
      case 'i64':
        return lebS(this.literal(c, t, parseI64));
      case 'f32':
        return le(BigInt(this.literal(c, t, parseF32)), 4);
      case 'f64':
        return le(this.literal(c, t, parseF64), 8);
    }
  }

  private v128(c: Cursor): number[] {
    const shapeToken = c.atom('a vector shape');
    if (!V128_SHAPES.has(shapeToken.text)) c.fail(shapeToken.start, `unexpected token ${shapeToken.text}, expected a vector shape`);
    const shape = shapeInfo(shapeToken.text as V128Shape);
    const bytes: number[] = [];
    for (let k = 0; k < shape.count; k++) {
      const t = c.atom('a lane value');
      const bits = shape.float
        ? shape.bits === 32
          ? BigInt(this.literal(c, t, parseF32))
          : this.literal(c, t, parseF64)
        : this.literal(c, t, (s) => parseIntLane(s, shape.bits));
      bytes.push(...le(bits, shape.bits / 8));
    }
    return bytes;
  }
}

const END: ReadonlySet<string> = new Set(['end']);
const ELSE_END: ReadonlySet<string> = new Set(['else', 'end']);
const TRY_CLAUSES: ReadonlySet<string> = new Set(['catch', 'catch_all', 'delegate', 'end']);

function le(v: bigint, n: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(Number((v >> BigInt(8 * k)) & 0xffn));
  return out;
}

