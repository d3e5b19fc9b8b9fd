// `(@custom "name" (before|after section)? "bytes"*)` annotations at module level: custom sections
// placed among the module's sections (after the last one unless told otherwise).

import { SList, TextSyntaxError } from '../sexpr';
import { utf8String } from './cursor';
import { decodeStringLiteral } from '../sexpr';

export interface CustomSection {
  name: string;
  bytes: Uint8Array;
  /** Where it goes, as a rank among the section ranks of SECTION_RANK. */
  rank: number;
}

/** The binary order of the sections a placement can name. */
const SECTION_RANK: Record<string, number> = {
  type: 1,
  import: 2,
  func: 3,
  table: 4,
  memory: 5,
  tag: 6,
  global: 7,
  export: 8,
  start: 9,
  elem: 10,
  datacount: 11,
  code: 12,
  data: 13,
};

/** The rank of a section of the binary, by section id. */
export function sectionRank(id: number): number {
  return { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 }[id] ?? 14;
}

/** Reads one `(@custom ...)` annotation. */
export function readCustomAnnotation(list: SList, file: string): CustomSection {
  const items = list.items;
  const fail = (at: SList['start'], reason: string): never => {
    throw new TextSyntaxError(file, at, `@custom annotation: ${reason}`);
  };
  const nameItem = items[1];
  if (!nameItem || nameItem.kind !== 'atom' || nameItem.token.kind !== 'string') return fail(nameItem ? start(nameItem) : list.start, 'missing section name');
  let name: string;
  try {
    name = utf8String(nameItem.token, file);
  } catch {
    return fail(nameItem.token.start, 'malformed UTF-8 encoding');
  }
  let rank = 100; // after the last section
  let i = 2;
  const place = items[i];
  if (place && place.kind === 'list') {
    const [where, kind, extra] = place.items;
    if (!where || where.kind !== 'atom' || (where.token.text !== 'before' && where.token.text !== 'after') || extra) fail(place.start, 'malformed placement');
    const after = (where as { token: { text: string } }).token.text === 'after';
    const k = kind && kind.kind === 'atom' ? kind.token.text : null;
    if (k === 'first') rank = after ? 0 : -1;
    else if (k === 'last') rank = after ? 100 : 99.5;
    else if (k !== null && k in SECTION_RANK) rank = SECTION_RANK[k] + (after ? 0.5 : -0.5);
    else fail(kind ? start(kind) : place.start, 'malformed section kind');
    i++;
  }
  const parts: number[] = [];
  for (; i < items.length; i++) {
    const s = items[i];
    if (s.kind !== 'atom' || s.token.kind !== 'string') fail(start(s), 'unexpected token');
    parts.push(...decodeStringLiteral((s as { token: { text: string } }).token.text));
  }
  return { name, bytes: Uint8Array.from(parts), rank };
}

function start(e: SList['items'][number]): SList['start'] {
  return e.kind === 'list' ? e.start : e.token.start;
}
