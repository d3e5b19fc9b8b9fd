// What the debugger knows about each loaded module: its decoded structure, where its text is, its
// source map, and the names of its functions and locals. One unit per decoded module: two
// instances of one file share a unit (and its breakpoints), as they share the engine's module.

import type { Module, NameSection } from '../engine/index';
import type { MappedInstr, SourceMap } from '../text/sourceMap';

export interface CodeUnit {
  /** 1-based; the high part of this unit's instruction addresses. */
  readonly id: number;
  readonly module: Module;
  /**
   * The names its views use: those of the text the user debugs in, so a generated text view's
   * names (`$f7`, `$g0`) when the module has one, else the module's own name section.
   */
  readonly names: NameSection | null;
  /** Shown in the modules view and the disassembly: `math.wat`, `example.wast:23`. */
  readonly label: string;
  /** The file the module was loaded from (.wat, .wasm or the .wast script holding it). */
  readonly origin: string;
  /** The file whose text the source map points into (a generated `.wasm.wat` for a binary); null without one. */
  readonly file: string | null;
  readonly sourceMap: SourceMap | null;
  /** The text of `file` when the debugger generated it (for a binary); the client fetches it by reference. */
  readonly generatedText?: string;
  /** Names of the instances of this module, in creation order. */
  readonly instanceNames: string[];
  /** The lines of its text in a file holding more (a module of a .wast script); none for a whole file. */
  readonly span?: { first: number; last: number };
}

/** A name from the binary's name section or the text, without the text format's `$`. */
function bare(name: string): string {
  return name.startsWith('$') ? name.slice(1) : name;
}

/** A module with the names the debugger shows for it (a CodeUnit). */
export type NamedModule = Pick<CodeUnit, 'module' | 'names'>;

/** A function's name: from the text/name section, else its export name, else `func{index}`. */
export function functionName({ module, names }: NamedModule, funcIndex: number): string {
  const named = names?.functions.get(funcIndex);
  if (named) return bare(named);
  const exported = module.exports.find((e) => e.kind === 'func' && e.index === funcIndex);
  if (exported) return exported.name;
  return `func${funcIndex}`;
}

/** Every name a user may give a function in a function breakpoint: `fib`, `$fib`, and its export names. */
export function functionAliases({ module, names }: NamedModule, funcIndex: number): string[] {
  const aliases: string[] = [];
  const named = names?.functions.get(funcIndex);
  if (named) aliases.push(bare(named), '$' + bare(named));
  for (const e of module.exports) if (e.kind === 'func' && e.index === funcIndex) aliases.push(e.name);
  aliases.push(`func${funcIndex}`);
  return aliases;
}

/** A local's (or parameter's) name without `$`, or null when the text gives it none. */
export function localName({ names }: NamedModule, funcIndex: number, localIndex: number): string | null {
  const named = names?.locals.get(funcIndex)?.get(localIndex);
  return named ? bare(named) : null;
}

/** The name the name section gives a global, memory or table (without `$`), or null. */
export function itemName({ names }: NamedModule, kind: 'globals' | 'memories' | 'tables', index: number): string | null {
  const named = names?.[kind]?.get(index);
  return named ? bare(named) : null;
}

/** The name of a global: as the text (name section) calls it, else its export name, else null. */
export function globalName(unit: CodeUnit, globalIndex: number): string | null {
  const named = itemName(unit, 'globals', globalIndex);
  if (named) return named;
  const exported = unit.module.exports.find((e) => e.kind === 'global' && e.index === globalIndex);
  return exported ? exported.name : null;
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
