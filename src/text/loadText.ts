// Loads a text module: assembles it with wabt, then the engine decodes the binary and
// validates it. Validation errors speak of byte offsets in the assembled binary,
// which the user never sees, so each is re-pointed at the instruction's token in the text
// (`file:line:column`).

import { Edition, Module, ValidationError, ValidationProblem, describeProblem, decodeModule, funcCode, importCount, instructionNames, loadModule } from '../engine/index';
import { assembleWat } from './assemble';
import { Position, SExpr, SList, TEXT_START, TextSyntaxError, headKeyword, parseSExprs } from './sexpr';
import { pairModule } from './sourceMap';
import { readWatText } from './watFunctions';

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
 * (a module command of a `.wast` script); `edition` the rules it is checked by (3.0 by default). Throws AssembleError for text wabt rejects,
 * TextValidationError for a module that does not validate when the problem has a place in the text,
 * else the engine's ValidationError (naming the byte offset).
 */
export async function loadTextModule(text: string, file: string, origin: Position = TEXT_START, edition?: Edition): Promise<Module> {
  const bytes = await assembleWat(text, file, { base: origin });
  checkSelectResults(text, file, origin);
  try {
    return await loadModule(bytes, edition);
  } catch (err) {
    if (!(err instanceof ValidationError) || err.offset === null) throw err;
    const module = decodeModule(bytes, edition);
    const place = textPlaceOf(text, file, origin, module, err.offset);
    if (!place) throw err;
    const others = err.others.map((other) => ({
      ...other,
      at: other.offset === null ? null : textPlaceOf(text, file, origin, module, other.offset),
    }));
    throw new TextValidationError(file, place.line, place.column, err.offset, err.reason, others);
  }
}

/**
 * `select (result)` names no result type, which the specification rejects ("invalid result
 * arity"); wabt encodes it as the untyped `select`, so the binary cannot tell the validator.
 */
function checkSelectResults(text: string, file: string, origin: Position): void {
  if (!/\bselect\s*\(\s*result\s*\)/.test(text)) return;
  const visit = (items: SExpr[]): void => {
    items.forEach((item, i) => {
      if (item.kind === 'list') return visit(item.items);
      if (item.token.text !== 'select') return;
      let lists = 0;
      let types = 0;
      for (let j = i + 1; j < items.length && headKeyword(items[j]) === 'result'; j++, lists++) types += (items[j] as SList).items.length - 1;
      if (lists === 0 || types > 0) return;
      const at = item.token.start;
      throw new TextValidationError(file, at.line, at.column, null, 'invalid result arity: select (result) names no type, a typed select names one');
    });
  };
  try {
    visit(parseSExprs(text, file, origin));
  } catch (e) {
    if (!(e instanceof TextSyntaxError)) throw e;
  }
}

/**
 * The text position of the instruction a validation error at `offset` concerns (the validator gives
 * the offset of the instruction itself). When the text and binary cannot be paired up to that
 * instruction, the function's `(func`; when the offset is outside every function body, null.
 */
function textPlaceOf(text: string, file: string, origin: Position, module: Module, offset: number): { line: number; column: number } | null {
  const codeIndex = module.codes.findIndex((code) => code.offset < offset && offset <= code.endOffset);
  if (codeIndex < 0) return null;
  let functions;
  try {
    functions = pairModule(readWatText(text, file, instructionNames(), origin), module).functions;
  } catch (e) {
    if (e instanceof TextSyntaxError) return null;
    throw e;
  }
  // Empty when the text and binary disagree on how many functions there are.
  const fn = functions[importCount(module, 'func') + codeIndex];
  if (!fn) return null;
  const body = funcCode(module, codeIndex).body;
  let index = body.length - 1;
  while (index >= 0 && body[index].offset > offset) index--;
  const instr = index >= 0 ? fn.instrs[index] : undefined;
  return instr ?? fn.start;
}
