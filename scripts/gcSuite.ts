// Runs WebAssembly 3.0 .wast scripts whose modules use GC text that wabt cannot read: each text
// `module` command (also inside assert_trap / assert_unlinkable / assert_uninstantiable) that
// binaryen's parser accepts is replaced by the `module binary` form of binaryen's output, and the
// script then runs through our own runner. A stopgap measure until our own assembler reads GC
// text; binaryen folds some constant operands (a literal null becomes `unreachable`), so a few
// results differ from what the spec's modules, run as written, would give.
//
//   node out/scripts/gcSuite.js ../shared/wasm-testsuite-3/struct.wast ...

import * as fs from 'fs';
import { runScriptText } from '../src/program/script';
import { headKeyword, parseSExprs, type SExpr, type SList } from '../src/text/sexpr';

interface Binaryen {
  parseText(text: string): { setFeatures(f: number): void; validate(): number; emitBinary(): Uint8Array; dispose(): void };
  Features: Record<string, number>;
}

// binaryen's package is an ES module with top-level await: only a real dynamic import loads it.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ default: Binaryen }>;

const FEATURES_3_0 = [
  'MutableGlobals', 'NontrappingFPToInt', 'SIMD128', 'BulkMemory', 'SignExt', 'ExceptionHandling', 'TailCall',
  'ReferenceTypes', 'Multivalue', 'GC', 'Memory64', 'RelaxedSIMD', 'ExtendedConst', 'MultiMemory',
];

const NESTED = new Set(['assert_trap', 'assert_unlinkable', 'assert_uninstantiable', 'assert_exception']);

function binaryModule(b: Binaryen, text: string, id: string | null): string | null {
  let m;
  try {
    m = b.parseText(text);
  } catch {
    return null;
  }
  try {
    // What 3.0 has, and nothing later (exact types, compact imports) whose encodings binaryen would emit.
    m.setFeatures(FEATURES_3_0.reduce((all, name) => all | b.Features[name], 0));
    if (!m.validate()) return null;
    const bytes = m.emitBinary();
    const escaped = Array.from(bytes, (x) => `\\${x.toString(16).padStart(2, '0')}`).join('');
    return `(module${id ? ` ${id}` : ''} binary "${escaped}")`;
  } finally {
    m.dispose();
  }
}

/** The text modules of a script to replace: [start offset, end offset, replacement]. */
function replacements(b: Binaryen, text: string, exprs: SExpr[]): [number, number, string][] {
  const out: [number, number, string][] = [];
  const visit = (e: SExpr) => {
    if (e.kind !== 'list') return;
    const head = headKeyword(e);
    if (head === 'module') {
      const second = e.items[1];
      const word = second?.kind === 'atom' ? second.token.text : '';
      const id = word.startsWith('$') ? word : null;
      const next = id ? e.items[2] : second;
      const kind = next?.kind === 'atom' ? next.token.text : '';
      if (kind === 'binary' || kind === 'quote' || kind === 'definition' || kind === 'instance') return;
      const source = text.slice(e.start.offset, e.end.offset);
      const binary = binaryModule(b, source, id);
      if (binary) out.push([e.start.offset, e.end.offset, binary]);
      return;
    }
    if (head && NESTED.has(head)) (e as SList).items.forEach(visit);
  };
  exprs.forEach(visit);
  return out;
}

async function main(files: string[]): Promise<void> {
  const b = (await importEsm('binaryen')).default;
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    let text = fs.readFileSync(file, 'utf8');
    const swaps = replacements(b, text, parseSExprs(text, file));
    for (const [start, end, replacement] of swaps.reverse()) text = text.slice(0, start) + replacement + text.slice(end);
    const report = await runScriptText(text, file);
    passed += report.passed;
    failed += report.failed;
    console.log(`${report.failed === 0 ? 'PASS' : 'FAIL'} ${file}  ${report.passed} passed, ${report.failed} failed (${swaps.length} modules from binaryen)`);
    for (const f of report.failures.slice(0, 8)) console.log(`  ${f.message}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e);
  process.exit(1);
});
