// A text view of a binary-only module, so a `.wasm` can be debugged like a `.wat`: wabt's
// disassembly with generated names, one instruction per line, and the same source map as for text
// the user wrote (paired with the decoded binary, so every line is checked).

import { Module, NameSection, WABT_FEATURES, WabtModule, decodeModule, freshBytes, loadWabt } from '../engine';
import { SourceMap, sourceMapForText } from './sourceMap';

/**
 * wabt's text for `bytes`: names from the name section, generated ones (`$f0`, `$p0`...) elsewhere,
 * one instruction per line, exports as separate fields. `names` are the names that text uses (for
 * the debugger's views to agree with it), or null when wabt cannot write them.
 */
export async function generatedText(bytes: Uint8Array): Promise<{ text: string; names: NameSection | null }> {
  const wabt = await loadWabt();
  const read = () => wabt.readWasm(freshBytes(bytes), { readDebugNames: true, ...WABT_FEATURES });
  let wasm = read();
  try {
    wasm.generateNames();
    try {
      wasm.applyNames();
    } catch {
      // wabt cannot apply names to some valid modules (a passive data segment without a memory):
      // keep the generated names on definitions and leave references as indices.
      wasm.destroy();
      wasm = read();
      wasm.generateNames();
    }
    return { text: wasm.toText({ foldExprs: false, inlineExport: false }), names: textNames(wasm) };
  } finally {
    wasm.destroy();
  }
}

/** The names wabt gave the module's text, read back from the name section it writes for them. */
function textNames(wasm: ReturnType<WabtModule['readWasm']>): NameSection | null {
  try {
    return decodeModule(wasm.toBinary({ write_debug_names: true }).buffer).names;
  } catch {
    return null;
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
): Promise<{ text: string; sourceMap: SourceMap; names: NameSection | null }> {
  const { text, names } = await generatedText(bytes);
  return { text, sourceMap: sourceMapForText(text, virtualFile, module), names };
}
