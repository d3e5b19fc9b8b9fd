// `watdbg test --check-positions`: checks the positions the assembler recorded against an
// independent reading of the text paired with the decoded binary: every decoded instruction must
// have a token of the same instruction name, at the same place the assembler says.

import { Module, instructionNames, transientFuncCode } from '../engine';
import { Position, TEXT_START, TextSyntaxError } from './sexpr';
import { MappedFunction, PositionMismatch, mappedFunctions, pairModule, plural } from './sourceMap';
import { assembleWithPositions } from './assemble';
import { textInstructionNames } from './wat/instructions';
import { readWatText } from './watFunctions';

export interface PositionCheck {
  /** Functions with a body in the binary. */
  functions: number;
  /** Decoded instructions in those bodies. */
  instructions: number;
  /** Every disagreement (at most one per function: pairing stops there), text that could not be read included. */
  mismatches: PositionMismatch[];
}

/**
 * Checks one text module (its source `text`, starting at `origin` in `file`) against the module
 * decoded from the binary assembled from it.
 */
export function checkModulePositions(text: string, file: string, module: Module, origin: Position = TEXT_START): PositionCheck {
  const functions = module.codes.length;
  const instructions = module.codes.reduce((n: number, _, i) => n + transientFuncCode(module, i).body.length, 0);
  try {
    const { functions: paired, mismatches } = pairModule(readWatText(text, file, textInstructionNames(instructionNames()), origin), module);
    if (mismatches.length === 0) mismatches.push(...compareWithAssembler(file, paired, mappedFunctions(assembleWithPositions(text, file, { base: origin }))));
    return { functions, instructions, mismatches };
  } catch (e) {
    if (!(e instanceof TextSyntaxError)) throw e;
    return { functions, instructions, mismatches: [{ file, position: e.position, funcIndex: null, message: e.message }] };
  }
}

/**
 * Sums the checks of a run and prints them as one line, saying how many modules it covered; quoted
 * modules are counted as not checked.
 */
export class PositionTally {
  modules = 0;
  /** Modules that loaded from `(module quote ...)`: their text has no place in the script to check. */
  quotedModules = 0;
  functions = 0;
  instructions = 0;
  readonly mismatches: PositionMismatch[] = [];

  add(check: PositionCheck): void {
    this.modules++;
    this.functions += check.functions;
    this.instructions += check.instructions;
    this.mismatches.push(...check.mismatches);
  }

  /** Counts a quoted module, which is not checked. */
  addQuoted(): void {
    this.quotedModules++;
  }

  /**
   * Two lines: which modules were checked, then the totals in the fixed form
   * `positions: N functions, N instructions, N mismatches` that scripts and people look for.
   */
  summary(): string {
    const quoted = this.quotedModules ? `; ${plural(this.quotedModules, 'quoted module')} not checked` : '';
    return (
      `position check: ${plural(this.modules, 'text module')}${quoted}\n` +
      `positions: ${plural(this.functions, 'function')}, ${plural(this.instructions, 'instruction')}, ` +
      `${plural(this.mismatches.length, 'mismatch', 'mismatches')}`
    );
  }
}

/** Where the assembler's record of each instruction differs from the independent pairing (at most one per function). */
function compareWithAssembler(file: string, paired: MappedFunction[], assembled: MappedFunction[]): PositionMismatch[] {
  const out: PositionMismatch[] = [];
  for (const fn of paired) {
    const own = assembled[fn.funcIndex]?.instrs ?? [];
    const k = fn.instrs.findIndex((p, i) => !own[i] || own[i].offset !== p.offset || own[i].name !== p.name || own[i].line !== p.line || own[i].column !== p.column);
    const index = k >= 0 ? k : own.length !== fn.instrs.length ? fn.instrs.length : -1;
    if (index < 0) continue;
    const p = fn.instrs[index];
    const a = own[index];
    const position = p ? { offset: -1, line: p.line, column: p.column } : { offset: -1, line: fn.end.line, column: fn.end.column };
    const says = (x: typeof p | undefined) => (x ? `${x.name} at ${x.line}:${x.column}, byte 0x${x.offset.toString(16)}` : 'nothing');
    out.push({
      file,
      position,
      funcIndex: fn.funcIndex,
      message: `${file}:${position.line}:${position.column}: the assembler and the text disagree on instruction ${index + 1} of function ${fn.funcIndex}: the text has ${says(p)}, the assembler recorded ${says(a)}`,
    });
  }
  return out;
}
