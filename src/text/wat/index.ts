// The text assembler: a `.wat` module (or one module of a `.wast` script) to its binary, with the
// byte offset and text position of every instruction it emitted.

import { Position, SList, TEXT_START, TextSyntaxError, parseSExprs } from '../sexpr';
import { annotationId } from './cursor';
import { encodeModule, type Assembled } from './encode';
import { parseModule } from './parseModule';

export type { Assembled, EmittedFunction, EmittedInstr } from './encode';

/**
 * Assembles one module written as `(module ...)` or as bare module fields. `origin` is where the
 * text starts in `file` (a module inside a script), so positions and errors are the file's.
 * Throws TextSyntaxError (`file:line:column: reason`) for text that is not a well-formed module.
 */
export function assembleText(text: string, file: string, origin: Position = TEXT_START): Assembled {
  const all = parseSExprs(text, file, origin);
  const top = all.filter((e) => annotationId(e, file) === null);
  const modules = top.filter((e) => e.kind === 'list' && headOf(e, file) === 'module');
  if (modules.length > 0) {
    if (top.length > 1) {
      const other = top.find((e) => e !== modules[0])!;
      const at = other.kind === 'list' ? other.start : other.token.start;
      throw new TextSyntaxError(file, at, modules.length > 1 ? 'a .wat file holds one module; use a .wast script for several' : 'unexpected text after the module');
    }
    return encodeModule(parseModule(file, modules[0] as SList, [], (modules[0] as SList).start), file);
  }
  const start = top.length ? (top[0].kind === 'list' ? top[0].start : top[0].token.start) : origin;
  // Bare fields keep their annotations: `(@custom ...)` among them makes a section.
  return encodeModule(parseModule(file, null, all, start), file);
}

/** The first word of a list, annotations left out. */
function headOf(list: SList, file: string): string | null {
  const first = list.items.find((x) => annotationId(x, file) === null);
  return first && first.kind === 'atom' ? first.token.text : null;
}
