// A text view of a binary-only module, so a `.wasm` can be debugged like a `.wat`: wabt's
// disassembly with generated names, one instruction per line, and the same source map as for text
// the user wrote (paired with the decoded binary, so every line is checked).

import { Module, WABT_FEATURES, loadWabt } from '../engine';
import { SourceMap, sourceMapForText } from './sourceMap';

/** wabt's text for `bytes`: names from the name section, generated ones (`$f0`, `$p0`...) elsewhere. */
export async function generatedText(bytes: Uint8Array): Promise<{ text: string }> {
  const wabt = await loadWabt();
  const wasm = wabt.readWasm(bytes, { readDebugNames: true, ...WABT_FEATURES });
  try {
    wasm.generateNames();
    wasm.applyNames();
    return { text: wasm.toText({ foldExprs: false, inlineExport: false }) };
  } finally {
    wasm.destroy();
  }
}

/**
 * The generated text of a binary module and its source map. `virtualFile` names the read-only
 * document the text is shown in (it appears in positions and messages).
 */
export async function generatedSourceMap(
  bytes: Uint8Array,
  module: Module,
  virtualFile: string,
): Promise<{ text: string; sourceMap: SourceMap }> {
  const { text } = await generatedText(bytes);
  return { text, sourceMap: sourceMapForText(text, virtualFile, module) };
}
