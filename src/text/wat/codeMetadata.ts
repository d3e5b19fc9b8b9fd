// Code metadata annotations `(@metadata.code.T "bytes")`: a payload attached to the instruction that
// follows the annotation inside a function body (WebAssembly 3.0 defines the kind T = branch_hint).
// They become the custom section `metadata.code.T` (tool-conventions' CodeMetadata.md): for each
// function, in increasing order, the instructions' byte offsets from the start of the body.

import { Position, SExpr, SList, TextSyntaxError, decodeStringLiteral } from '../sexpr';
import { annotationId, startOf } from './cursor';
import { lebU } from './leb';

const PREFIX = 'metadata.code.';

export interface CodeAnnotation {
  /** T in `metadata.code.T`. */
  type: string;
  bytes: Uint8Array;
  at: Position;
  /** Text offset of the keyword of the instruction the annotation precedes. */
  target: number;
}

/** A code annotation attached to an instruction of a function's body. */
export interface CodeMetadata {
  type: string;
  bytes: Uint8Array;
  /** Index of the instruction in the function's body. */
  instr: number;
}

function codeType(expr: SExpr, file: string): string | null {
  const id = annotationId(expr, file);
  return id !== null && id.startsWith(PREFIX) ? id.slice(PREFIX.length) : null;
}

/** The code annotations inside a `(func ...)` field, each tied to the instruction keyword after it. */
export function readCodeAnnotations(func: SList, file: string): CodeAnnotation[] {
  const found: CodeAnnotation[] = [];
  const walk = (list: SList) => {
    list.items.forEach((item, k) => {
      const type = codeType(item, file);
      if (type === null) {
        if (item.kind === 'list' && annotationId(item, file) === null) walk(item);
        return;
      }
      const fail = (reason: string): never => {
        throw new TextSyntaxError(file, startOf(item), `@${PREFIX}${type} annotation: ${reason}`);
      };
      const payload = (item as SList).items.slice(1);
      if (payload.length !== 1 || payload[0].kind !== 'atom' || payload[0].token.kind !== 'string') fail('expected one string');
      const next = list.items.slice(k + 1).find((x) => annotationId(x, file) === null);
      const keyword = next && (next.kind === 'atom' ? next : next.items.find((x) => annotationId(x, file) === null));
      if (!keyword || keyword.kind !== 'atom' || keyword.token.kind !== 'keyword') return fail('not before an instruction');
      const target = keyword.token.start.offset;
      if (found.some((a) => a.type === type && a.target === target)) fail('duplicate annotation');
      const text = (payload[0] as { token: { text: string } }).token.text;
      found.push({ type, bytes: decodeStringLiteral(text), at: startOf(item), target });
    });
  };
  walk(func);
  return found;
}

/** Fails on a code annotation anywhere in `exprs`: outside function bodies they mean nothing. */
export function rejectCodeAnnotations(exprs: readonly SExpr[], file: string): void {
  for (const e of exprs) {
    const type = codeType(e, file);
    if (type !== null) throw new TextSyntaxError(file, startOf(e), `@${PREFIX}${type} annotation: not in a function`);
    if (e.kind === 'list' && annotationId(e, file) === null) rejectCodeAnnotations(e.items, file);
  }
}

/** Ties each annotation to the index of the body instruction whose keyword it precedes. */
export function attachCodeAnnotations(annotations: CodeAnnotation[], body: readonly { at: Position }[], file: string): CodeMetadata[] {
  return annotations.map((a) => {
    const instr = body.findIndex((i) => i.at.offset === a.target);
    if (instr < 0) throw new TextSyntaxError(file, a.at, `@${PREFIX}${a.type} annotation: not before an instruction`);
    return { type: a.type, bytes: a.bytes, instr };
  });
}

/** The payloads of `metadata.code.T` custom sections, one per kind T, from each function's metadata. */
export function codeMetadataSections(funcs: { funcIndex: number; metadata: CodeMetadata[]; offsets: number[] }[]): { name: string; payload: number[] }[] {
  const byType = new Map<string, { funcIndex: number; entries: { pos: number; bytes: Uint8Array }[] }[]>();
  for (const f of funcs) {
    for (const m of f.metadata) {
      const list = byType.get(m.type) ?? [];
      byType.set(m.type, list);
      let entry = list[list.length - 1];
      if (!entry || entry.funcIndex !== f.funcIndex) list.push((entry = { funcIndex: f.funcIndex, entries: [] }));
      entry.entries.push({ pos: f.offsets[m.instr], bytes: m.bytes });
    }
  }
  return [...byType].map(([type, list]) => {
    const payload = [...lebU(list.length)];
    for (const f of list) {
      f.entries.sort((a, b) => a.pos - b.pos);
      payload.push(...lebU(f.funcIndex), ...lebU(f.entries.length));
      for (const e of f.entries) payload.push(...lebU(e.pos), ...lebU(e.bytes.length), ...e.bytes);
    }
    return { name: PREFIX + type, payload };
  });
}
