// The text of a binary-only module, so a `.wasm` can be debugged like a `.wat`: printed by our own
// printer, on demand, as one small read-only document per function plus an overview of the module,
// never as one document for the whole module (a large module's would be hundreds of megabytes).
//
// Documents of the binary `dir/hello.wasm` (the `base`):
//   dir/hello.wasm.wat          the overview: types, imports, exports, globals, memories, tables,
//                               segments (data summarized), and every function by name
//   dir/hello.wasm/NAME.wat     the code of function $NAME (its name in ModuleNames)
// Each function document comes with its source map, made as it is printed.

import * as path from 'path';
import { importCount, type Module } from '../engine/index';
import { functionBody } from './print/body';
import { ModuleNames } from './print/names';
import { printFunction, printOverview, type SegmentLimits } from './print/printer';
import { SourceMap, plural } from './sourceMap';

/** How much of each segment the overview shows. */
const OVERVIEW_LIMITS: SegmentLimits = { dataBytes: 48, elemItems: 32 };

export interface GeneratedDocument {
  file: string;
  text: string;
  /** The positions of its instructions (empty for the overview). */
  sourceMap: SourceMap;
}

export class GeneratedText {
  /** The names its documents use, and every view of the module with them. */
  readonly names: ModuleNames;
  readonly overviewFile: string;
  private readonly documents = new Map<number, GeneratedDocument>();
  private overviewDoc: GeneratedDocument | null = null;
  /**
   * Function documents whose file name is not their function's default (`f12.wat` for function 12,
   * which most functions of a module without a name section have, and which are not kept): file
   * names (case-folded where paths are) to function indices, and back. Made on first use.
   */
  private files: { byName: Map<string, number>; byFunc: Map<number, string> } | null = null;
  private readonly baseKey: string;

  /**
   * `base` is the path the documents are shown under: the binary's (`dir/hello.wasm`), or a
   * stand-in for a module without a file of its own.
   */
  constructor(
    readonly module: Module,
    readonly base: string,
  ) {
    this.names = new ModuleNames(module, true);
    this.overviewFile = `${base}.wat`;
    this.baseKey = keyOf(base);
  }

  /** The document of function `funcIndex`; undefined for an imported function (it has no code). */
  functionFile(funcIndex: number): string | undefined {
    const imported = importCount(this.module, 'func');
    if (funcIndex < imported || funcIndex >= imported + this.module.funcs.length) return undefined;
    return `${this.base}${path.sep}${this.fileIndex().byFunc.get(funcIndex) ?? defaultFile(funcIndex)}`;
  }

  /** The function whose document `file` is, or undefined. */
  functionOfFile(file: string): number | undefined {
    const key = keyOf(file);
    if (path.dirname(key) !== this.baseKey) return undefined;
    const name = path.basename(key);
    const files = this.fileIndex();
    const named = files.byName.get(name);
    if (named !== undefined) return named;
    const byDefault = /^f(0|[1-9][0-9]*)\.wat$/.exec(name);
    if (!byDefault) return undefined;
    const funcIndex = Number(byDefault[1]);
    const imported = importCount(this.module, 'func');
    return funcIndex >= imported && funcIndex < imported + this.module.funcs.length && !files.byFunc.has(funcIndex) ? funcIndex : undefined;
  }

  private isOverview(file: string): boolean {
    return keyOf(file) === `${this.baseKey}.wat`;
  }

  /** Whether `file` is one of this module's documents (the overview or a function's). */
  owns(file: string): boolean {
    return this.isOverview(file) || this.functionOfFile(file) !== undefined;
  }

  /** How `file`, one of its documents, reads in an editor tab or a stack: `hello.wasm/_start.wat`, `hello.wasm.wat`. */
  displayName(file: string): string {
    return path.relative(path.dirname(this.base), file);
  }

  /** The document shown as `file` (printed the first time it is asked for), or undefined. */
  document(file: string): GeneratedDocument | undefined {
    if (this.isOverview(file)) return this.overview();
    const funcIndex = this.functionOfFile(file);
    return funcIndex === undefined ? undefined : this.functionDocument(funcIndex);
  }

  /** The document holding function `funcIndex`'s code, printed the first time; undefined for an import. */
  functionDocument(funcIndex: number): GeneratedDocument | undefined {
    let doc = this.documents.get(funcIndex);
    if (doc) return doc;
    const file = this.functionFile(funcIndex);
    if (file === undefined) return undefined;
    const code = functionBody(this.module, funcIndex - importCount(this.module, 'func'));
    const printed = printFunction(this.names, funcIndex, [
      `function ${funcIndex} of ${path.basename(this.base)}, code at byte 0x${code.offset.toString(16)}; the module: ${path.basename(this.overviewFile)}`,
    ]);
    doc = { file, text: printed.text, sourceMap: new SourceMap(file, [printed.mapped]) };
    this.documents.set(funcIndex, doc);
    return doc;
  }

  overview(): GeneratedDocument {
    if (!this.overviewDoc) {
      const m = this.module;
      const comments = [
        `${path.basename(this.base)}: ${plural(m.types.length, 'type')}, ${plural(m.imports.length, 'import')}, ` +
          `${plural(m.funcs.length, 'function')}, ${plural(m.exports.length, 'export')}, ${plural(m.datas.length, 'data segment')}`,
        `The code of each function is in a document of its own, ${path.basename(this.base)}/NAME.wat: it opens when the`,
        'program stops in it; a function breakpoint on its name (without or with $) stops at its first instruction.',
      ];
      this.overviewDoc = { file: this.overviewFile, text: printOverview(this.names, comments, OVERVIEW_LIMITS), sourceMap: new SourceMap(this.overviewFile, []) };
    }
    return this.overviewDoc;
  }

  private fileIndex(): { byName: Map<string, number>; byFunc: Map<number, string> } {
    if (this.files) return this.files;
    const imported = importCount(this.module, 'func');
    const byName = new Map<string, number>();
    const byFunc = new Map<number, string>();
    // Names differing only in case get distinct files everywhere (some file systems fold case).
    const taken = new Set<string>();
    for (let i = 0; i < this.module.funcs.length; i++) {
      const funcIndex = imported + i;
      let name = fileName(this.names.func(funcIndex)!);
      if (taken.has(name.toLowerCase())) name = `${name}.${funcIndex}`;
      taken.add(name.toLowerCase());
      const file = `${name}.wat`;
      if (file === defaultFile(funcIndex)) continue;
      byFunc.set(funcIndex, file);
      byName.set(foldCase(file), funcIndex);
    }
    return (this.files = { byName, byFunc });
  }
}

/** The document file name of function `funcIndex` when its name is the generated default. */
function defaultFile(funcIndex: number): string {
  return `f${funcIndex}.wat`;
}

/** Paths are compared case-insensitively on Windows. */
function foldCase(text: string): string {
  return process.platform === 'win32' ? text.toLowerCase() : text;
}

/** A path as a key: absolute and normalised, case-folded where the platform does. */
function keyOf(file: string): string {
  return foldCase(path.resolve(file));
}

/** Longest function name kept whole in a document's file name. */
const MAX_FILE_NAME = 100;

/** A function name as a file name: no path separators or control characters, not too long. */
function fileName(name: string): string {
  let safe = name.replace(/[/\\\x00-\x1f]/g, '_');
  if (safe === '.' || safe === '..') safe = `_${safe}`;
  return safe.length > MAX_FILE_NAME ? `${safe.slice(0, MAX_FILE_NAME)}…` : safe;
}
