// Assembles WebAssembly text into a binary with wabt, keeping names (for the debugger's frames and
// variables) and pointing wabt's errors back at the file the user wrote, also when the module is
// one of many inside a `.wast` script.

import { freshBytes, loadWabt, WABT_FEATURES } from '../engine/index';
import { restoreDataMemories } from './dataMemories';
import type { Position } from './sexpr';

export interface AssembleOptions {
  /**
   * Where the text starts in `file` (1-based line and column), for text cut out of a larger file
   * such as a module inside a `.wast` script. Defaults to the start of the file.
   */
  base?: Pick<Position, 'line' | 'column'>;
}

/** One problem wabt reported, re-pointed into the original file. */
export interface AssembleProblem {
  file: string;
  line: number;
  column: number;
  reason: string;
}

/** The text was rejected by the assembler; `message` names `file:line:column` of the first problem. */
export class AssembleError extends Error {
  constructor(readonly problems: AssembleProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.reason}`).join('\n'));
    this.name = 'AssembleError';
  }
  get first(): AssembleProblem {
    return this.problems[0];
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Text to binary (with a name section). Throws AssembleError for text that wabt rejects. */
export async function assembleWat(text: string, file: string, options: AssembleOptions = {}): Promise<Uint8Array> {
  const wabt = await loadWabt();
  // A fresh UTF-8 buffer: wabt would otherwise measure a JS string in the wrong units for non-ASCII text.
  const bytes = freshBytes(encoder.encode(text));
  let module: ReturnType<typeof wabt.parseWat> | undefined;
  try {
    module = wabt.parseWat(file, bytes, { ...WABT_FEATURES });
    module.resolveNames();
    const { buffer } = module.toBinary({ write_debug_names: true });
    const wat = module;
    return restoreDataMemories(new Uint8Array(buffer), () => wat.toText({}));
  } catch (err) {
    throw toAssembleError(err, text, file, options.base ?? { line: 1, column: 1 });
  } finally {
    module?.destroy();
  }
}

// wabt's errors look like "parseWat failed:\nFILE:LINE:COL: error: REASON\n  source line\n  ^^^".
const problemLine = /^(.*):(\d+):(\d+): error: (.*)$/;

function toAssembleError(err: unknown, text: string, file: string, base: Pick<Position, 'line' | 'column'>): AssembleError {
  const message = err instanceof Error ? err.message : String(err);
  const lines = text.split('\n');
  const problems: AssembleProblem[] = [];
  for (const line of message.split('\n')) {
    const m = problemLine.exec(line);
    if (!m) continue;
    const localLine = Number(m[2]);
    // wabt counts columns in UTF-8 bytes; the user's editor counts characters.
    const lineText = lines[localLine - 1] ?? '';
    const localColumn = decoder.decode(encoder.encode(lineText).subarray(0, Number(m[3]) - 1)).length + 1;
    problems.push({
      file,
      line: base.line + localLine - 1,
      column: localLine === 1 ? base.column + localColumn - 1 : localColumn,
      reason: m[4],
    });
  }
  if (problems.length === 0) {
    const reason = message.replace(/^\w+ failed:\s*/, '').trim() || 'rejected by the assembler';
    problems.push({ file, line: base.line, column: base.column, reason });
  }
  return new AssembleError(problems);
}
