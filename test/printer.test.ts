// Our printer of the text format (src/text/print): the exact text of a module covering every kind of
// immediate, the overview of a module, generated names, and a round trip over the 2.0 and 3.0 spec
// suites: every function of every module printed, read back by our source-map reader at exactly the
// positions the printer recorded, and assembled again by our assembler to the same instructions.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { decodeModule, funcCode, importCount, instructionNames, type Instr, type Module } from '../src/engine';
import { locateSuite } from '../src/program/script';
import { assembleWat } from '../src/text/assemble';
import { GeneratedText } from '../src/text/generatedText';
import { ModuleNames } from '../src/text/print/names';
import { NO_LIMITS, printFunction, printModuleFields } from '../src/text/print/printer';
import { pairModule } from '../src/text/sourceMap';
import { readWatText } from '../src/text/watFunctions';
import { scriptModules, wastFiles } from './specModules';

async function binaryOf(text: string): Promise<Module> {
  return decodeModule(await assembleWat(text, 'x.wat'));
}

/** A function's instructions as `name line:column`. */
function listing(doc: { sourceMap: { functions: { instrs: { name: string; line: number; column: number }[] }[] } }): string[] {
  return doc.sourceMap.functions[0].instrs.map((i) => `${i.name} ${i.line}:${i.column}`);
}

describe('printer: one function per document', () => {
  it('writes every kind of immediate, with names where the module has them and generated ones elsewhere', async () => {
    const module = await binaryOf(`(module
      (type $sig (func (param i32) (result i32)))
      (import "env" "log" (func (param i32)))
      (memory 1) (table $tab 2 funcref) (table 1 externref)
      (global $sp (mut i32) (i32.const 64)) (global i64 (i64.const 0))
      (elem $fns (i32.const 0) func $kinds) (elem funcref (ref.null func))
      (data $text "abc")
      (func $kinds (param $n i32) (result i32) (local $acc i64) (local f32) (local v128)
        (block $out (result i32)
          (loop $again
            (br_if $again (i32.eqz (local.get $n)))
            (br_table $out $again $out (local.get $n) (local.get $n))))
        (if (result i32) (local.get $n) (then (call 0 (i32.const 1)) (i32.const 2)) (else (i32.const 3)))
        (call_indirect (type $sig) (i32.const 0))
        (call_indirect 1 (type $sig) (i32.const 0))
        drop
        (local.set $acc (i64.const -9223372036854775808))
        (local.set 2 (f32.const -nan:0x200000)) (drop (f64.const 0x1p-3)) (drop (f32.const inf))
        (global.set $sp (global.get 0))
        (drop (i64.load32_u offset=4 align=2 (i32.const 0)))
        (i32.store8 (i32.const 1) (i32.const 2))
        (drop (i32.load (i32.const 0)))
        (drop (memory.grow (memory.size)))
        (memory.init $text (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $text)
        (memory.copy (i32.const 0) (i32.const 0) (i32.const 0)) (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
        (table.init $tab $fns (i32.const 0) (i32.const 0) (i32.const 0)) (elem.drop 1)
        (table.copy $tab $tab (i32.const 0) (i32.const 0) (i32.const 0))
        (drop (table.get $tab (i32.const 0))) (drop (table.size 1)) (drop (ref.is_null (ref.null extern)))
        (drop (ref.func $kinds))
        (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))
        (local.set 3 (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 255))
        (local.set 3 (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get 3) (local.get 3)))
        (drop (i16x8.extract_lane_s 7 (local.get 3)))
        (local.set 3 (v128.load8_lane offset=3 5 (i32.const 0) (local.get 3)))
        (local.set 3 (v128.load align=8 (i32.const 0)))
        (v128.store64_lane 1 (i32.const 0) (local.get 3))
        (return_call $kinds (i32.const 0))))`);
    const doc = new GeneratedText(module, '/w/kinds.wasm').functionDocument(1)!;
    assert.strictEqual(doc.file, '/w/kinds.wasm/kinds.wat');
    assert.strictEqual(
      doc.text,
      [
        ';; function 1 of kinds.wasm, code at byte 0x57; the module: kinds.wasm.wat',
        '(func $kinds (type $sig) (param $n i32) (result i32)',
        '  (local $acc i64) (local $l2 f32) (local $l3 v128)',
        '  block (result i32)  ;; label = @1',
        '    loop  ;; label = @2',
        '      local.get $n',
        '      i32.eqz',
        '      br_if 0 (;@2;)',
        '      local.get $n',
        '      local.get $n',
        '      br_table 1 0 1',
        '    end',
        '  end',
        '  local.get $n',
        '  if (result i32)  ;; label = @1',
        '    i32.const 1',
        '    call $env.log',
        '    i32.const 2',
        '  else',
        '    i32.const 3',
        '  end',
        '  i32.const 0',
        '  call_indirect (type $sig) (param i32) (result i32)',
        '  i32.const 0',
        '  call_indirect $T1 (type $sig) (param i32) (result i32)',
        '  drop',
        '  i64.const -9223372036854775808',
        '  local.set $acc',
        '  f32.const -nan:0x200000',
        '  local.set $l2',
        '  f64.const 0.125',
        '  drop',
        '  f32.const inf',
        '  drop',
        '  global.get $sp',
        '  global.set $sp',
        '  i32.const 0',
        '  i64.load32_u offset=4 align=2',
        '  drop',
        '  i32.const 1',
        '  i32.const 2',
        '  i32.store8',
        '  i32.const 0',
        '  i32.load',
        '  drop',
        '  memory.size',
        '  memory.grow',
        '  drop',
        '  i32.const 0',
        '  i32.const 0',
        '  i32.const 1',
        '  memory.init $text',
        '  data.drop $text',
        '  i32.const 0',
        '  i32.const 0',
        '  i32.const 0',
        '  memory.copy',
        '  i32.const 0',
        '  i32.const 0',
        '  i32.const 0',
        '  memory.fill',
        '  i32.const 0',
        '  i32.const 0',
        '  i32.const 0',
        '  table.init $fns',
        '  elem.drop $e1',
        '  i32.const 0',
        '  i32.const 0',
        '  i32.const 0',
        '  table.copy',
        '  i32.const 0',
        '  table.get $tab',
        '  drop',
        '  table.size $T1',
        '  drop',
        '  ref.null extern',
        '  ref.is_null',
        '  drop',
        '  ref.func $kinds',
        '  drop',
        '  i32.const 1',
        '  i32.const 2',
        '  i32.const 0',
        '  select (result i32)',
        '  drop',
        '  v128.const i32x4 0x03020100 0x07060504 0x0b0a0908 0xff0e0d0c',
        '  local.set $l3',
        '  local.get $l3',
        '  local.get $l3',
        '  i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31',
        '  local.set $l3',
        '  local.get $l3',
        '  i16x8.extract_lane_s 7',
        '  drop',
        '  i32.const 0',
        '  local.get $l3',
        '  v128.load8_lane offset=3 5',
        '  local.set $l3',
        '  i32.const 0',
        '  v128.load align=8',
        '  local.set $l3',
        '  i32.const 0',
        '  local.get $l3',
        '  v128.store64_lane 1',
        '  i32.const 0',
        '  return_call $kinds',
        ')',
        '',
      ].join('\n'),
    );
    // Positions are recorded as printed: the instruction's first column, the final end at the parenthesis.
    const instrs = listing(doc);
    assert.deepStrictEqual(instrs.slice(0, 3), ['block 4:3', 'loop 5:5', 'local.get 6:7']);
    assert.strictEqual(instrs[instrs.length - 1], `end ${doc.text.split('\n').length - 1}:1`);
    assert.deepStrictEqual(doc.sourceMap.functions[0].start, { line: 2, column: 1 });
  });

  it('stops indenting blocks nested deeper than 16 (a dispatch loop nests hundreds)', async () => {
    const module = await binaryOf(`(module (func $deep ${'(block '.repeat(20)}nop${')'.repeat(20)}))`);
    const lines = new GeneratedText(module, '/w/deep.wasm').functionDocument(0)!.text.split('\n');
    assert.strictEqual(lines[2], '  block  ;; label = @1');
    assert.strictEqual(lines.find((l) => l.includes('@17')), `${'  '.repeat(16)}block  ;; label = @17`);
    assert.strictEqual(lines.find((l) => l.trim() === 'nop'), `${'  '.repeat(16)}nop`);
  });

  it('writes branch hints before their if and br_if, positions on the instruction, and reads them back', async () => {
    const module = await binaryOf(`(module
      (func $pick (param $n i32) (result i32)
        (block $out
          (@metadata.code.branch_hint "\\00") (br_if $out (local.get $n)))
        (@metadata.code.branch_hint "\\01")
        (if (result i32) (local.get $n) (then (i32.const 1)) (else (i32.const 2)))))`);
    const doc = new GeneratedText(module, '/w/hints.wasm').functionDocument(0)!;
    const lines = doc.text.split('\n');
    assert.ok(lines.includes('    (@metadata.code.branch_hint "\\00") br_if 0 (;@1;)'), doc.text);
    assert.ok(lines.includes('  (@metadata.code.branch_hint "\\01") if (result i32)  ;; label = @1'), doc.text);
    const brIf = doc.sourceMap.functions[0].instrs.find((i) => i.name === 'br_if')!;
    assert.strictEqual(lines[brIf.line - 1].slice(brIf.column - 1), 'br_if 0 (;@1;)');
    // The printed function assembles to the same hints section.
    const again = await binaryOf(`(module (type $t0 (func (param i32) (result i32))) ${doc.text.replace(/^;;.*\n/gm, '')})`);
    const section = (m: Module) => Buffer.from(m.customs.find((c) => c.name === 'metadata.code.branch_hint')!.bytes).toString('hex');
    assert.strictEqual(section(again), section(module));
    // A hint on an instruction that does not branch is left out, and said above the function.
    const wrong = await binaryOf(`(module (func $f (param i32) (local.get 0) (@metadata.code.branch_hint "\\01") (drop)))`);
    const text = new GeneratedText(wrong, '/w/wrong.wasm').functionDocument(0)!.text;
    assert.ok(text.includes(';; ignored: metadata.code.branch_hint section at byte 0x32: invalid target: function 0 has no if or br_if at body offset 3\n'), text);
    assert.ok(!text.includes('(@metadata'), text);
  });

  it('names a module without a name section as its exports and imports say, else by index', async () => {
    const named = await binaryOf(`(module
      (import "wasi" "exit" (func (param i32))) (import "env" "mem" (memory 1))
      (global (mut i32) (i32.const 0)) (table 1 funcref)
      (func (export "_start") (local i32) (drop (call 2 (i32.const 1))) (global.set 0 (i32.const 2)) (call 0 (local.get 0)))
      (func (param i32) (result i32) (local.get 0)))`);
    const bare = decodeModule(stripNames(named));
    const names = new ModuleNames(bare, true);
    assert.deepStrictEqual([0, 1, 2].map((i) => names.func(i)), ['wasi.exit', '_start', 'f2']);
    assert.deepStrictEqual([names.name('globals', 0), names.name('memories', 0), names.name('tables', 0), names.name('types', 1)], ['g0', 'env.mem', 'T0', 't1']);
    assert.deepStrictEqual([names.local(1, 0), names.local(2, 0)], ['l0', 'p0']);
    const generated = new GeneratedText(bare, '/w/app.wasm');
    assert.strictEqual(generated.functionFile(1), '/w/app.wasm/_start.wat');
    assert.strictEqual(generated.functionOfFile('/w/app.wasm/f2.wat'), 2);
    assert.strictEqual(generated.functionFile(0), undefined); // an import has no code
    assert.strictEqual(generated.displayName('/w/app.wasm/f2.wat'), 'app.wasm/f2.wat');
    assert.deepStrictEqual(generated.functionDocument(1)!.text.split('\n').slice(1, 10), [
      '(func $_start (export "_start") (type $t1)',
      '  (local $l0 i32)',
      '  i32.const 1',
      '  call $f2',
      '  drop',
      '  i32.const 2',
      '  global.set $g0',
      '  local.get $l0',
      '  call $wasi.exit',
    ]);
  });

  it('keeps names unique, and file names free of path separators', async () => {
    const module = await binaryOf('(module (func $a/b) (func $a_b) (func (export "a/b")) (func $f3) (func $f1))');
    const names = new ModuleNames(module, true);
    assert.deepStrictEqual([0, 1, 2, 3, 4].map((i) => names.func(i)), ['a/b', 'a_b', 'a/b.2', 'f3', 'f1']);
    const generated = new GeneratedText(module, '/w/m.wasm');
    assert.deepStrictEqual([0, 1, 2].map((i) => generated.functionFile(i)), ['/w/m.wasm/a_b.wat', '/w/m.wasm/a_b.1.wat', '/w/m.wasm/a_b.2.wat']);
    assert.deepStrictEqual(names.functionsNamed('$a/b'), [0]);
    assert.deepStrictEqual(names.functionsNamed('a/b'), [0, 2]); // its own name, and another's export name
  });

  it('finds a function by its default name and document only while the name is its own', async () => {
    // Nothing is kept for a function named f<index>: its name and file are made when asked for.
    const module = await binaryOf('(module (func (export "f2")) (func) (func) (func (export "F1")))');
    const names = new ModuleNames(module, true);
    assert.deepStrictEqual([0, 1, 2, 3].map((i) => names.func(i)), ['f2', 'f1', 'f2.2', 'F1']);
    assert.strictEqual(names.func(4), null);
    const found = ['f2', '$f2', 'f1', '$f1', 'f2.2', 'F1', 'f3', 'f0', 'f4', 'f01'].map((n) => names.functionsNamed(n));
    assert.deepStrictEqual(found, [[0], [0], [1], [1], [2], [3], [], [], [], []]);
    const generated = new GeneratedText(module, '/w/d.wasm');
    assert.deepStrictEqual([0, 1, 2, 3].map((i) => generated.functionFile(i)), ['/w/d.wasm/f2.wat', '/w/d.wasm/f1.wat', '/w/d.wasm/f2.2.wat', '/w/d.wasm/F1.3.wat']);
    const files = ['f2', 'f1', 'f2.2', 'F1.3', 'f0', 'f3', 'f4'].map((f) => generated.functionOfFile(`/w/d.wasm/${f}.wat`));
    assert.deepStrictEqual(files, [0, 1, 2, 3, undefined, undefined, undefined]);
  });

  it('writes the overview: every field, segments summarized, every function by name', async () => {
    const module = await binaryOf(`(module $demo
      (type (func (param i32) (result i32)))
      (import "env" "log" (func $log (param i32)))
      (import "env" "table" (table 1 funcref))
      (import "env" "g" (global $base i32))
      (memory $mem 1 2) (export "memory" (memory $mem))
      (global $sp (mut i32) (global.get $base))
      (global $end i32 (i32.add (global.get $base) (i32.const 4)))
      (func $main (export "main") (type 0) (local.get 0))
      (func $helper)
      (start $helper)
      (elem (i32.const 0) $main)
      (elem $many (table 0) (offset (i32.const 1)) funcref ${'(ref.func $main) '.repeat(40)})
      (elem declare func $helper)
      (data (i32.const 16) "short\\n")
      (data $big (i32.const 1024) "${'0123456789'.repeat(10)}")
      (data $passive "p"))`);
    const overview = new GeneratedText(module, '/w/demo.wasm').overview();
    assert.strictEqual(overview.file, '/w/demo.wasm.wat');
    assert.deepStrictEqual(overview.text.split('\n'), [
      ';; demo.wasm: 3 types, 3 imports, 2 functions, 2 exports, 3 data segments',
      ';; The code of each function is in a document of its own, demo.wasm/NAME.wat: it opens when the',
      ';; program stops in it; a function breakpoint on its name (without or with $) stops at its first instruction.',
      '(module $demo',
      '  (type $t0 (func (param i32) (result i32)))',
      '  (type $t1 (func (param i32)))',
      '  (type $t2 (func))',
      '  (import "env" "log" (func $log (type $t1) (param i32)))',
      '  (import "env" "table" (table $env.table 1 funcref))',
      '  (import "env" "g" (global $base i32))',
      '  (memory $mem 1 2)',
      '  (global $sp (mut i32) (global.get $base))',
      '  (global $end i32 global.get $base i32.const 4 i32.add)',
      '  (export "memory" (memory $mem))',
      '  (export "main" (func $main))',
      '  (start $helper)',
      '  (elem $e0 (i32.const 0) func $main)',
      `  (elem $many (i32.const 1) func${' $main'.repeat(32)} (; 40 items, the first 32 shown ;))`,
      '  (elem $e2 declare func $helper)',
      '  (data $d0 (i32.const 16) "short\\0a")',
      `  (data $big (i32.const 1024) "${'0123456789'.repeat(5).slice(0, 48)}" (; 100 bytes, the first 48 shown ;))`,
      '  (data $passive "p")',
      '  ;; 2 functions defined here, each with its code in a document of its own',
      '  (func $main (type $t0))',
      '  (func $helper (type $t2))',
      ')',
      '',
    ]);
  });
});

/** The module without its name section (custom sections are dropped; the others kept byte for byte). */
function stripNames(module: Module): Uint8Array {
  const bytes = module.bytes;
  const out: number[] = [...bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    let size = 0;
    let shift = 0;
    let p = pos + 1;
    for (;;) {
      const b = bytes[p++];
      size |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (id !== 0) out.push(...bytes.subarray(pos, p + size));
    pos = p + size;
  }
  return Uint8Array.from(out);
}

/** An instruction without its byte offset (which moves when the code is assembled again). */
function shape(instr: Instr): string {
  const { offset: _offset, ...rest } = instr;
  return JSON.stringify(rest, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Array.from(v) : v));
}

/** Prints every module of `files` whole, reads it back and assembles it again; the problems found and the counts. */
async function roundTrip(files: string[]): Promise<{ modules: number; functions: number; instructions: number; problems: string[] }> {
  let modules = 0;
  let functions = 0;
  let instructions = 0;
  const problems: string[] = [];
  for (const file of files) {
    for (const m of scriptModules(file)) {
      const source = m.source;
      const where = `${file}:${m.start.line}`;
      const bytes = source.kind === 'binary' ? source.bytes : await assembleWat(source.text, file, source.kind === 'text' ? { base: source.start } : {});
      const module = decodeModule(bytes);
      const names = new ModuleNames(module, true);
      const imported = importCount(module, 'func');
      // The whole module: its fields in full, then each function's document.
      const lines = ['(module', ...printModuleFields(names, NO_LIMITS)];
      const printed = module.funcs.map((_, i) => {
        const fn = printFunction(names, imported + i, ['a comment line, as documents have']);
        const firstLine = lines.length;
        lines.push(...fn.text.trimEnd().split('\n'));
        return { fn, firstLine };
      });
      lines.push(')');
      const text = lines.join('\n');
      modules++;
      // Our reader finds every instruction where the printer said it put it.
      const pairing = pairModule(readWatText(text, where, instructionNames()), module);
      problems.push(...pairing.mismatches.map((p) => p.message));
      printed.forEach(({ fn, firstLine }, i) => {
        const read = pairing.functions[imported + i]?.instrs.map((x) => `${x.name} ${x.line}:${x.column}`);
        const recorded = fn.mapped.instrs.map((x) => `${x.name} ${x.line + firstLine}:${x.column}`);
        if (read && JSON.stringify(read) !== JSON.stringify(recorded)) problems.push(`${where}: function ${imported + i}: positions differ`);
        functions++;
        instructions += recorded.length;
      });
      // Our assembler assembles the printed text to the same instructions.
      let again: Module;
      try {
        again = decodeModule(await assembleWat(text, where));
      } catch (e) {
        problems.push(`${where}: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      module.codes.forEach((_, i) => {
        const other = i < again.codes.length ? funcCode(again, i).body.map(shape).join('\n') : undefined;
        if (other !== funcCode(module, i).body.map(shape).join('\n')) problems.push(`${where}: function ${imported + i} assembles to other code`);
      });
    }
  }
  return { modules, functions, instructions, problems };
}

const suite = locateSuite();

describe('printer: round trip over the spec test suite', function () {
  this.timeout(300_000);

  before(function () {
    if ('missing' in suite) {
      console.log(`    skipped: ${suite.missing}`);
      this.skip();
    }
  });

  it('prints every function so that it reads back at the recorded positions and assembles to the same code', async function () {
    const { modules, functions, instructions, problems } = await roundTrip(wastFiles((suite as { dir: string }).dir));
    console.log(`    round trip: ${modules} modules, ${functions} functions, ${instructions} instructions, ${problems.length} problems`);
    assert.deepStrictEqual(problems.slice(0, 20), []);
    assert.ok(functions > 5000, `only ${functions} functions checked`);
  });
});

const SUITE_3 = path.resolve(__dirname, '../../../shared/wasm-testsuite-3');

describe('printer: round trip over the 3.0 test suite (top level, custom/ and legacy/)', function () {
  this.timeout(600_000);

  it('prints GC types, typed references, exceptions, memory64 and multiple memories so that they read back and assemble to the same code', async function () {
    if (!fs.existsSync(SUITE_3)) {
      console.log(`    skipped: no WebAssembly 3.0 test suite at ${SUITE_3}`);
      this.skip();
    }
    const files = wastFiles(SUITE_3).filter((f) => !path.relative(SUITE_3, f).startsWith('proposals'));
    const { modules, functions, instructions, problems } = await roundTrip(files);
    console.log(`    round trip: ${modules} modules, ${functions} functions, ${instructions} instructions, ${problems.length} problems`);
    assert.deepStrictEqual(problems.slice(0, 20), []);
    assert.ok(functions > 8000, `only ${functions} functions checked`);
  });
});
