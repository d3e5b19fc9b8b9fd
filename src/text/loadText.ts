// Loads a text module: assembles it, then the engine decodes the binary and
// validates it. Validation errors speak of byte offsets in the assembled binary,
// which the user never sees, so each is re-pointed at the instruction's token in the text
// (`file:line:column`).

import { Edition, Module, ValidationError, ValidationProblem, describeProblem, loadModule } from '../engine/index';
import { assembleWithPositions, rememberAssembly } from './assemble';
import { Position, TEXT_START } from './sexpr';
import type { Assembled } from './wat';

/** A module that does not validate, with the place in its text that the problem concerns. */
export class TextValidationError extends ValidationError {
  /** `line`, `column`, `reason` are the first error's; `others` the further ones, placed when they can be. */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    offset: number | null,
    reason: string,
    readonly others: PlacedProblem[] = [],
  ) {
    super(offset, reason, others);
    const more = others.map((p) => (p.at ? `${file}:${p.at.line}:${p.at.column}: ${p.reason}` : describeProblem(p)));
    this.message = [`${file}:${line}:${column}: ${reason}`, ...more].join('\n');
    this.name = 'TextValidationError';
  }
}

/** A validation error with its place in the text, when it has one. */
export interface PlacedProblem extends ValidationProblem {
  at: { line: number; column: number } | null;
}

/**
 * Assembles, decodes and validates one text module. `origin` is where `text` starts in `file`
 * (a module command of a `.wast` script); `edition` the rules it is checked by (3.0 by default).
 * Throws AssembleError for text that is not a well-formed module, TextValidationError for a module
 * that does not validate when the problem has a place in the text, else the engine's
 * ValidationError (naming the byte offset).
 */
export async function loadTextModule(text: string, file: string, origin: Position = TEXT_START, edition?: Edition): Promise<Module> {
  const assembled = assembleWithPositions(text, file, { base: origin });
  try {
    const module = await loadModule(assembled.bytes, edition);
    rememberAssembly(module, text, file, { base: origin }, assembled);
    return module;
  } catch (err) {
    if (!(err instanceof ValidationError) || err.offset === null) throw err;
    const place = textPlaceOf(assembled, err.offset);
    if (!place) throw err;
    const others = err.others.map((other) => ({ ...other, at: other.offset === null ? null : textPlaceOf(assembled, other.offset) }));
    throw new TextValidationError(file, place.line, place.column, err.offset, err.reason, others);
  }
}

/**
 * The text position of the instruction a validation error at `offset` concerns (the validator gives
 * the offset of the instruction itself, or a place inside it); the function's `(func` for its local
 * declarations; null when the offset is in no function body.
 */
function textPlaceOf(assembled: Assembled, offset: number): { line: number; column: number } | null {
  let previousEnd = -1;
  for (const fn of assembled.functions) {
    const instrs = fn.instrs;
    if (instrs.length === 0) continue;
    const last = instrs[instrs.length - 1].offset;
    if (previousEnd >= 0 && offset > previousEnd && offset < instrs[0].offset) return { line: fn.start.line, column: fn.start.column }; // its local declarations
    previousEnd = last;
    if (offset < instrs[0].offset || offset > last) continue;
    let k = instrs.length - 1;
    while (k > 0 && instrs[k].offset > offset) k--;
    return { line: instrs[k].line, column: instrs[k].column };
  }
  return null;
}
