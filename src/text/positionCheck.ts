// `watdbg test --check-positions`: checks that the source map pairs every decoded instruction of a
// text module with a token of the same instruction name, counting what it checked.

import { Module, instructionNames } from '../engine';
import { Position, TEXT_START, TextSyntaxError } from './sexpr';
import { PositionMismatch, pairModule, plural } from './sourceMap';
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
 * decoded from the binary wabt assembled from it.
 */
export function checkModulePositions(text: string, file: string, module: Module, origin: Position = TEXT_START): PositionCheck {
  const functions = module.codes.length;
  const instructions = module.codes.reduce((n: number, code) => n + code.body.length, 0);
  try {
    const { mismatches } = pairModule(readWatText(text, file, instructionNames(), origin), module);
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
