// Names the binary's name section does not carry for us: globals, memories and tables as the text
// calls them (`$count`), read from the module's text so the Globals scope can show them.

import { parseSExprs, headKeyword, type SExpr, type SList } from '../text/sexpr';

export interface TextNames {
  globals: Map<number, string>;
  memories: Map<number, string>;
  tables: Map<number, string>;
}

const KINDS = ['global', 'memory', 'table'] as const;
type Kind = (typeof KINDS)[number];

function idOf(list: SList, at: number): string | null {
  const item = list.items[at];
  return item && item.kind === 'atom' && item.token.kind === 'id' ? item.token.text.slice(1) : null;
}

/** Names from the fields of one module: the items of `(module ...)` after its head, or a file of bare fields. */
export function namesFromFields(fields: SExpr[]): TextNames {
  const names: TextNames = { globals: new Map(), memories: new Map(), tables: new Map() };
  const counts: Record<Kind, number> = { global: 0, memory: 0, table: 0 };
  const target: Record<Kind, Map<number, string>> = { global: names.globals, memory: names.memories, table: names.tables };
  // Imports come before definitions of their kind in the text format, so text order is index order.
  for (const field of fields) {
    if (field.kind !== 'list') continue;
    const head = headKeyword(field);
    let kind: Kind | null = null;
    let id: string | null = null;
    if (head === 'import') {
      const desc = field.items[3];
      const descHead = desc ? headKeyword(desc) : null;
      if (descHead && (KINDS as readonly string[]).includes(descHead)) {
        kind = descHead as Kind;
        id = idOf(desc as SList, 1);
      }
    } else if (head && (KINDS as readonly string[]).includes(head)) {
      kind = head as Kind;
      id = idOf(field, 1);
    }
    if (kind) {
      if (id) target[kind].set(counts[kind], id);
      counts[kind]++;
    }
  }
  return names;
}

/** Names from a `(module ...)` expression. */
export function namesFromModuleExpr(moduleExpr: SList): TextNames {
  let from = 1;
  const second = moduleExpr.items[1];
  if (second && second.kind === 'atom' && second.token.kind === 'id') from = 2;
  return namesFromFields(moduleExpr.items.slice(from));
}

/** Names from a `.wat` file's text (one module, or bare fields); empty names when it cannot be read. */
export function namesFromWatText(text: string): TextNames {
  let top: SExpr[];
  try {
    top = parseSExprs(text);
  } catch {
    return { globals: new Map(), memories: new Map(), tables: new Map() };
  }
  const moduleExpr = top.find((e) => headKeyword(e) === 'module');
  return moduleExpr ? namesFromModuleExpr(moduleExpr as SList) : namesFromFields(top);
}
