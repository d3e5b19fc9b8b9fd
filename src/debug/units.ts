// What the debugger knows about each loaded module: its decoded structure, where its text is, its
// source map, and the names of its functions and locals. One unit per decoded module: two
// instances of one file share a unit (and its breakpoints), as they share the engine's module.

import * as path from 'path';
import type { Module } from '../engine/index';
import type { GeneratedText } from '../text/generatedText';
import type { ModuleNames } from '../text/print/names';
import type { MappedInstr, SourceLocation, SourceMap } from '../text/sourceMap';

export interface CodeUnit {
  /** 1-based; the high part of this unit's instruction addresses. */
  readonly id: number;
  readonly module: Module;
  /**
   * The names its views use: those of the text the user debugs in, so the generated names
   * (`$f7`, `$g0`) of a binary shown through generated text, else the module's own name section.
   */
  readonly names: ModuleNames;
  /** Shown in the modules view and the disassembly: `math.wat`, `example.wast:23`. */
  readonly label: string;
  /** The file the module was loaded from (.wat, .wasm or the .wast script holding it). */
  readonly origin: string;
  /**
   * The file of its text: the .wat (or .wast) the source map points into, or the overview document
   * of a binary's generated text; null without either.
   */
  readonly file: string | null;
  /** The source map of a text file; null for a binary (its generated documents have their own). */
  readonly sourceMap: SourceMap | null;
  /** A binary's generated text: an overview and a document per function, printed on demand. */
  readonly generated?: GeneratedText;
  /** Names of the instances of this module, in creation order. */
  readonly instanceNames: string[];
  /** The lines of its text in a file holding more (a module of a .wast script); none for a whole file. */
  readonly span?: { first: number; last: number };
}

/** A path as a key: absolute and normalised; case-insensitive on Windows. */
export function pathKey(file: string): string {
  const normal = path.normalize(path.resolve(file));
  return process.platform === 'win32' ? normal.toLowerCase() : normal;
}

/** Whether the unit's instructions have places in a text (its own or generated). */
export function hasText(unit: CodeUnit): boolean {
  return unit.sourceMap !== null || unit.generated !== undefined;
}

/** The source map holding function `funcIndex`'s positions (a generated document is printed the first time). */
export function functionMap(unit: CodeUnit, funcIndex: number): SourceMap | undefined {
  if (unit.generated) return unit.generated.functionDocument(funcIndex)?.sourceMap;
  return unit.sourceMap ?? undefined;
}

/** The text position of the instruction at `offset` of function `funcIndex`. */
export function locationOf(unit: CodeUnit, funcIndex: number, offset: number): SourceLocation | undefined {
  return functionMap(unit, funcIndex)?.location(funcIndex, offset);
}

/** The source map of the unit's code in `file` (a path key), or undefined when none of it is there. */
export function fileMap(unit: CodeUnit, fileKey: string): SourceMap | undefined {
  if (unit.generated) return unit.generated.owns(fileKey) ? unit.generated.document(fileKey)?.sourceMap : undefined;
  return unit.file && unit.sourceMap && pathKey(unit.file) === fileKey ? unit.sourceMap : undefined;
}

/** A module with the names the debugger shows for it (a CodeUnit). */
export type NamedModule = Pick<CodeUnit, 'module' | 'names'>;

function exportName(module: Module, kind: 'func' | 'global', index: number): string | undefined {
  return module.exports.find((e) => e.kind === kind && e.index === index)?.name;
}

/** A function's name: from the text/name section (or generated), else its export name, else `func{index}`. */
export function functionName({ module, names }: NamedModule, funcIndex: number): string {
  return names.func(funcIndex) ?? exportName(module, 'func', funcIndex) ?? `func${funcIndex}`;
}

/** Every name a user may give a function: `fib`, `$fib`, and its export names (for completions). */
export function functionAliases({ module, names }: NamedModule, funcIndex: number): string[] {
  const aliases: string[] = [];
  const named = names.func(funcIndex);
  if (named !== null) aliases.push(named, '$' + named);
  for (const e of module.exports) if (e.kind === 'func' && e.index === funcIndex) aliases.push(e.name);
  aliases.push(`func${funcIndex}`);
  return aliases;
}

/** The functions a user's name stands for (see functionAliases), without going through every function. */
export function functionsNamed({ names }: NamedModule, name: string): number[] {
  const found = names.functionsNamed(name);
  const indexed = /^func(\d+)$/.exec(name);
  if (indexed && Number(indexed[1]) < names.count('functions') && !found.includes(Number(indexed[1]))) return [...found, Number(indexed[1])];
  return found;
}

/** A local's (or parameter's) name without `$`, or null when the text gives it none. */
export function localName({ names }: NamedModule, funcIndex: number, localIndex: number): string | null {
  return names.local(funcIndex, localIndex);
}

/** The name a global, memory or table has (without `$`), or null. */
export function itemName({ names }: NamedModule, kind: 'globals' | 'memories' | 'tables', index: number): string | null {
  return names.name(kind, index);
}

/** The name of a global: as the text (name section) calls it, else its export name, else null. */
export function globalName(unit: CodeUnit, globalIndex: number): string | null {
  return itemName(unit, 'globals', globalIndex) ?? exportName(unit.module, 'global', globalIndex) ?? null;
}

// Instruction addresses: unit id in the high 32 bits, the instruction's byte offset in the low 32.
// DAP clients read addresses as numbers, so one number space holds every module's code.

export function instructionAddress(unitId: number, offset: number): string {
  return '0x' + ((BigInt(unitId) << 32n) | BigInt(offset)).toString(16).padStart(10, '0');
}

export function parseInstructionAddress(text: string): { unitId: number; offset: number } | undefined {
  let value: bigint;
  try {
    value = BigInt(text);
  } catch {
    return undefined;
  }
  if (value < 0n) return undefined;
  return { unitId: Number(value >> 32n), offset: Number(value & 0xffffffffn) };
}

/**
 * `else` and `end` only mark where a block's parts end: execution never enters an `else` branch
 * through its `else` instruction (it runs only when the `then` branch is done, to jump past the
 * `else` branch), so a line holding nothing else is not a place to stop.
 */
const STRUCTURAL = new Set(['else', 'end']);

/** Whether stopping at `instr` would mean stopping where the user's line is not about to run. */
export function isBranchSkip(instr: MappedInstr | undefined): boolean {
  return instr?.name === 'else';
}

/**
 * The instructions of `line` where execution enters the line: those whose predecessor in the
 * function's binary order is on another line, or is an `else` (the `else` branch starts right after
 * it). A folded expression on one line has one entry; a line interrupted by other lines (an operand
 * written below its operator) has one per segment. Empty for a line of only `else`/`end`.
 */
export function lineEntries(map: SourceMap, line: number): MappedInstr[] {
  const onLine = map.instructionsAt(line);
  if (onLine.every((i) => STRUCTURAL.has(i.name))) return [];
  const entries: MappedInstr[] = [];
  for (const instr of onLine) {
    if (isBranchSkip(instr)) continue;
    const fn = map.functions.find((f) => f.funcIndex === instr.funcIndex);
    if (!fn) continue;
    const i = instr.index;
    const previous = i > 0 ? fn.instrs[i - 1] : undefined;
    if (!previous || previous.line !== line || isBranchSkip(previous)) entries.push(instr);
  }
  return entries;
}

/** The first line at or after `line` where a breakpoint can stop (see lineEntries), or undefined. */
export function nextLineWithEntries(map: SourceMap, line: number): number | undefined {
  let l = map.nearestLineWithCode(line);
  while (l !== undefined && lineEntries(map, l).length === 0) l = map.nearestLineWithCode(l + 1);
  return l;
}
