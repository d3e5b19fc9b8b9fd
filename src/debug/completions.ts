// Completions in the debug console: what an expression can name at the cursor — locals and
// parameters, globals, functions and memories (of the frame's instance or `instance!`), instance
// names, the typed loads (of memory 0 or after a memory's name) and conversions, and a struct's
// fields after `$p.`.

import type { CompletionKind, CompletionView } from './views';
import { GcArray, GcStruct, type FrameView } from '../engine/index';
import { evaluate, type EvalValue } from './evaluate';
import { fieldNames } from './evaluateGc';
import { isMutable, storageLabel } from './gcValues';
import { frameContext, memoryLabel, type DebugInstance } from './inspect';
import { functionAliases, globalName, localName } from './units';

const TYPES = ['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'f32', 'f64'];

/** The word being typed before `cursor` (0-based): `$n`, `loc`, `math!f`. */
export function wordBefore(text: string, cursor: number): string {
  return /[$A-Za-z0-9_.!]*$/.exec(text.slice(0, cursor))![0];
}

/**
 * Items completing the word that ends at `cursor` (0-based offset in `text`); each item's `start`
 * and `length` (0-based) say which characters it replaces.
 */
export function completionsAt(
  text: string,
  cursor: number,
  inst: DebugInstance | null,
  frame: FrameView | null,
  instances: DebugInstance[],
): CompletionView[] {
  const word = wordBefore(text, cursor);
  const items: CompletionView[] = [];
  const add = (label: string, type: CompletionKind, detail?: string) => {
    // `fib` finds `$fib` too: the `$` is easy to leave out (but a typed `$` asks for names only).
    const matches = label.startsWith(word) || (!word.includes('$') && label.replace('$', '').startsWith(word));
    if (matches && !items.some((i) => i.label === label)) items.push({ label, type, detail, start: cursor - word.length, length: word.length });
  };
  /** A function by its text name (`$fib`) when it has one, else by its export names, else `func3`. */
  const functionsOf = (of: DebugInstance, prefix: string) => {
    of.instance.funcs.forEach((f, i) => {
      const aliases = functionAliases(of.unit, i);
      const named = aliases.filter((a) => a.startsWith('$'));
      const exported = aliases.filter((a) => !a.startsWith('$') && a !== `func${i}` && !named.includes('$' + a));
      const detail = `(${f.type.params.join(' ')}) -> (${f.type.results.join(' ')})`;
      const labels = named.length ? named : exported.length ? exported : [`func${i}`];
      for (const label of labels) add(`${prefix}${label}`, 'function', detail);
    });
  };

  /** Each memory as `$heap.` (or `memory1.`) to go on with a load; after one, its loads (`$heap.i32[`). */
  const memoriesOf = (of: DebugInstance, prefix: string) => {
    of.instance.memories.forEach((m, i) => {
      const label = `${prefix}${memoryLabel(of, i)}.`;
      if (word.startsWith(label)) for (const t of TYPES) add(`${label}${t}[`, 'keyword', `${t} load from ${memoryLabel(of, i)}`);
      else add(label, 'property', `memory ${i}: ${m.pages()} page${m.pages() === 1 ? '' : 's'}${m.type.limits.address64 ? ', i64 addresses' : ''}`);
    });
  };

  /** After `$p.` or `$m[0].` (an expression without calls giving a struct or array): its fields, or `length`. */
  const fieldsAfter = (dot: number) => {
    const partial = text.slice(dot + 1, cursor);
    if (!/^[A-Za-z0-9_]*$/.test(partial)) return;
    let value: EvalValue;
    try {
      value = evaluate(accessBefore(text, dot), frameContext(inst!, frame));
    } catch {
      return;
    }
    const field = (label: string, type: CompletionKind, detail: string) => {
      if (label.startsWith(partial)) items.push({ label, type, detail, start: dot + 1, length: partial.length });
    };
    const ref = value.kind === 'opaque' ? (value.value as { value?: unknown }).value : undefined;
    if (ref instanceof GcStruct) fieldNames(ref).forEach((name, i) => field(name, 'field', storageLabel(ref.type.types[i], isMutable(ref.type, i))));
    if (ref instanceof GcArray) field('length', 'property', `${ref.length} elements`);
  };
  const dot = text.lastIndexOf('.', cursor - 1);
  if (inst && dot > 0 && /^[A-Za-z0-9_]*$/.test(text.slice(dot + 1, cursor))) {
    fieldsAfter(dot);
    if (items.length) return items;
  }

  const bang = word.indexOf('!');
  if (bang >= 0) {
    const target = instances.find((i) => i.name === word.slice(0, bang));
    if (target) {
      functionsOf(target, word.slice(0, bang + 1));
      memoriesOf(target, word.slice(0, bang + 1));
    }
    return items;
  }
  if (frame && inst) {
    frame.locals().forEach((v, i) => {
      const name = localName(inst.unit, frame.func.index, i);
      add(name !== null ? `$${name}` : `local${i}`, 'variable', v.type);
    });
  }
  if (inst) {
    inst.instance.globals.forEach((g, i) => {
      const name = globalName(inst.unit, i);
      add(name !== null ? `$${name}` : `global${i}`, 'variable', `${g.type.mutable ? 'mut ' : ''}${g.type.type}`);
    });
    functionsOf(inst, '');
    memoriesOf(inst, '');
  }
  for (const other of instances) add(`${other.name}!`, 'module', 'instance');
  for (const t of TYPES) add(`${t}[`, 'keyword', `${t} load from memory 0`);
  return items;
}

/** The access expression that ends at `end` (a name, with any `[...]` and `.field` after it): `$m[0]` in `1 + $m[0].`. */
function accessBefore(text: string, end: number): string {
  let i = end;
  let depth = 0;
  while (i > 0) {
    const c = text[i - 1];
    if (c === ']') depth++;
    else if (c === '[') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && !/[$A-Za-z0-9_.!]/.test(c)) break;
    i--;
  }
  return text.slice(i, end);
}
