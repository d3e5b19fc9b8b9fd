// `watdbg test --check-positions`: checks that the source map pairs every decoded instruction of a
// text module with a token of the same instruction name, counting what it checked.

import { Module, instructionNames } from '../engine';
import { Position, TEXT_START, TextSyntaxError } from './sexpr';
import { PositionMismatch, pairModule } from './sourceMap';
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

/** Sums the checks of a run and prints them as one line. */
export class PositionTally {
  functions = 0;
  instructions = 0;
  readonly mismatches: PositionMismatch[] = [];

  add(check: PositionCheck): void {
    this.functions += check.functions;
    this.instructions += check.instructions;
    this.mismatches.push(...check.mismatches);
  }

  /** `positions: N functions, N instructions, N mismatches` */
  summary(): string {
    return `positions: ${this.functions} functions, ${this.instructions} instructions, ${this.mismatches.length} mismatches`;
  }
}
