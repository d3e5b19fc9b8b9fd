// The "name" custom section: module, function and local names for the debugger's views.
// Its payload is read strictly here; the caller ignores a section that does not decode.

import { Reader } from './decodeReader';
import type { NameSection } from './types';

/** The extended-name subsections that map an index to a name, by subsection id. */
const EXTENDED = { 4: 'types', 5: 'tables', 6: 'memories', 7: 'globals', 8: 'elems', 9: 'datas', 11: 'tags' } as const;

export function decodeNameSection(payload: Uint8Array): NameSection {
  const r = new Reader(payload);
  const names: NameSection = { module: null, functions: new Map(), locals: new Map() };
  let lastId = -1;
  while (!r.atEnd()) {
    const at = r.pos;
    const id = r.byte('a name subsection id');
    if (id <= lastId) r.fail(at, 'out-of-order name subsection');
    lastId = id;
    const size = r.len32('the size of a name subsection');
    const end = r.pos + size;
    const sub = new Reader(payload, r.pos, end);
    switch (id) {
      case 0:
        names.module = sub.name('the module name');
        break;
      case 1:
        readNameMap(sub, names.functions, 'a function name');
        break;
      case 2:
        readIndirectNameMap(sub, names.locals, 'function', 'local');
        break;
      case 10:
        readIndirectNameMap(sub, (names.fields = new Map()), 'type', 'field');
        break;
      case 4:
      case 5:
      case 6:
      case 7:
      case 8:
      case 9:
      case 11: {
        const map = new Map<number, string>();
        readNameMap(sub, map, `a ${EXTENDED[id]} name`);
        names[EXTENDED[id]] = map;
        break;
      }
      default:
        sub.pos = end; // label names (3) and later subsections: not used by the debugger
    }
    if (sub.pos !== end) r.fail(at, 'section size mismatch', 'name subsection');
    r.pos = end;
  }
  return names;
}

/** A name map per entity (locals per function, fields per type). */
function readIndirectNameMap(r: Reader, into: Map<number, Map<number, string>>, outer: string, inner: string): void {
  const n = r.len32(`the number of ${outer}s with ${inner} names`);
  for (let i = 0; i < n; i++) {
    const index = r.u32(`a ${outer} index`);
    const map = new Map<number, string>();
    readNameMap(r, map, `a ${inner} name`);
    into.set(index, map);
  }
}

function readNameMap(r: Reader, into: Map<number, string>, what: string): void {
  const n = r.len32(`the number of entries of ${what} map`);
  for (let i = 0; i < n; i++) {
    const index = r.u32('an index');
    into.set(index, r.name(what));
  }
}
