import * as assert from 'assert';
import { decodeModule, funcCode, instructionNames, Module } from '../src/engine';
import { readWatText } from '../src/text/watFunctions';
import { assembleWat } from '../src/text/assemble';
import { checkModulePositions } from '../src/text/positionCheck';
import { TextSyntaxError } from '../src/text/sexpr';
import { SourceMap, SourceMapError, pairModule, sourceMapForScriptModule, sourceMapForText } from '../src/text/sourceMap';
import { parseScript } from '../src/text/wast';

/** The independent pairing of a text with a binary (what `--check-positions` checks against), throwing its first mismatch. */
function pairOrThrow(text: string, file: string, module: Module): void {
  const { mismatches } = pairModule(readWatText(text, file, instructionNames()), module);
  if (mismatches.length) throw new SourceMapError(mismatches[0]);
}

async function compile(lines: string[], file = 'test.wat'): Promise<{ text: string; module: Module; map: SourceMap }> {
  const text = lines.join('\n');
  const module = decodeModule(await assembleWat(text, file));
  return { text, module, map: sourceMapForText(text, file, module) };
}

/** `name line:column` of each instruction of one function, in binary order. */
function listing(map: SourceMap, funcIndex: number): string[] {
  return map.functions[funcIndex].instrs.map((i) => `${i.name} ${i.line}:${i.column}`);
}

describe('source map', () => {
  it('maps a folded expression: three instructions on one line, the final end at the closing parenthesis', async () => {
    const { map, module } = await compile([
      '(module',
      '  (func $inc (param i32) (result i32)',
      '    (i32.add (local.get 0) (i32.const 1))))',
    ]);
    assert.deepStrictEqual(listing(map, 0), ['local.get 3:15', 'i32.const 3:29', 'i32.add 3:6', 'end 3:42']);
    // Header 8 bytes, type section 8, function section 4, code section id/size/count, body size, locals.
    assert.deepStrictEqual(map.functions[0].instrs.map((i) => i.offset), [25, 27, 29, 30]);
    assert.deepStrictEqual(funcCode(module, 0).body.map((i) => i.offset), [25, 27, 29, 30]);
    assert.strictEqual(map.functions[0].name, '$inc');
    assert.deepStrictEqual(map.location(0, 27), { file: 'test.wat', line: 3, column: 29 });
    assert.strictEqual(map.location(0, 26), undefined, 'no instruction starts inside another');
    assert.strictEqual(map.location(1, 27), undefined, 'offset of another function');
  });

  it('maps folded if/then/else, nested blocks, br_table, flat if/else/end with labels, and an empty else', async () => {
    const { map, module } = await compile([
      '(module',
      '  (func $sign (param i32) (result i32)',
      '    (if (result i32) (i32.lt_s (local.get 0) (i32.const 0))',
      '      (then (i32.const -1))',
      '      (else',
      '        (block $b (result i32)',
      '          (br_table $b $b (i32.const 1) (local.get 0))))))',
      '  (func $flat (param i32) (result i32)',
      '    local.get 0',
      '    if $l (result i32)',
      '      i32.const 10',
      '    else $l',
      '      i32.const 20',
      '    end $l)',
      '  (func $empty-else (param i32)',
      '    (if (local.get 0) (then (nop)) (else))))',
    ]);
    assert.deepStrictEqual(listing(map, 0), [
      'local.get 3:33', 'i32.const 3:47', 'i32.lt_s 3:23', 'if 3:6',
      'i32.const 4:14',
      'else 5:8',
      'block 6:10',
      'i32.const 7:28', 'local.get 7:42', 'br_table 7:12', 'end 7:55', 'end 7:57', 'end 7:58',
    ]);
    assert.deepStrictEqual(listing(map, 1), [
      'local.get 9:5', 'if 10:5', 'i32.const 11:7', 'else 12:5', 'i32.const 13:7', 'end 14:5', 'end 14:11',
    ]);
    // The binary has no `else` for an empty else branch: the text's `(else)` maps to nothing.
    assert.deepStrictEqual(listing(map, 2), ['local.get 16:10', 'if 16:6', 'nop 16:30', 'end 16:42', 'end 16:43']);
    assert.strictEqual(map.functions[2].instrs.length, funcCode(module, 2).body.length);
  });

  it('numbers functions with imports first (import field and inline import), and reads type uses, select with types, call_indirect with table, memargs, ref.null, float specials', async () => {
    const { map } = await compile([
      '(module',
      '  (type $t (func (param i32) (result i32)))',
      '  (import "env" "log" (func $log (param i32)))',
      '  (func $ext (import "env" "ext") (type $t))',
      '  (table 1 funcref)',
      '  (memory 1)',
      '  (func $main (export "main") (type $t) (param $x i32) (result i32)',
      '    (call $log (local.get $x))',
      '    (call_indirect 0 (type $t) (local.get $x) (i32.const 0))',
      '    (select (result i32) (i32.const 1) (call $ext (i32.const 2)) (local.get $x))',
      '    i32.add',
      '    (drop (ref.null func)) (i32.store offset=4 align=2 (i32.const 0) (i32.const 5))',
      '    (f32.const nan:0x200000) drop (f64.const -inf) drop))',
    ]);
    assert.deepStrictEqual(
      map.functions.map((f) => [f.funcIndex, f.name, f.imported, f.instrs.length]),
      [[0, '$log', true, 0], [1, '$ext', true, 0], [2, '$main', false, 21]],
    );
    assert.deepStrictEqual(listing(map, 2), [
      'local.get 8:17', 'call 8:6',
      'local.get 9:33', 'i32.const 9:48', 'call_indirect 9:6',
      'i32.const 10:27', 'i32.const 10:52', 'call 10:41', 'local.get 10:67', 'select 10:6',
      'i32.add 11:5',
      'ref.null 12:12', 'drop 12:6', 'i32.const 12:57', 'i32.const 12:71', 'i32.store 12:29',
      'f32.const 13:6', 'drop 13:30', 'f64.const 13:36', 'drop 13:52', 'end 13:56',
    ]);
    assert.deepStrictEqual(map.functions[0].start, { line: 3, column: 3 });
  });

  it('tells flat instructions from their immediates: named tables, type uses, select types, memargs, labels', async () => {
    const { map } = await compile([
      '(module',
      '  (type $t (func (result i32)))',
      '  (table $tab 2 funcref)',
      '  (memory 1)',
      '  (func $k (type $t) i32.const 42)',
      '  (elem (table $tab) (i32.const 0) func $k)',
      '  (func $flat (result i32) (local i64)',
      '    i32.const 0 call_indirect $tab (type $t)',
      '    i32.const 1 i32.const 0 select (result i32)',
      '    ref.func $k ref.is_null drop',
      '    i32.const 0 i64.load32_u offset=8 align=4 local.set 0',
      '    block $out (result i32) i32.const 3 br $out end',
      '    i32.add))',
    ]);
    assert.deepStrictEqual(listing(map, 0), ['i32.const 5:22', 'end 5:34']);
    assert.deepStrictEqual(listing(map, 1), [
      'i32.const 8:5', 'call_indirect 8:17',
      'i32.const 9:5', 'i32.const 9:17', 'select 9:29',
      'ref.func 10:5', 'ref.is_null 10:17', 'drop 10:29',
      'i32.const 11:5', 'i64.load32_u 11:17', 'local.set 11:47',
      'block 12:5', 'i32.const 12:29', 'br 12:41', 'end 12:49',
      'i32.add 13:5', 'end 13:12',
    ]);
  });

  it('skips line comments, nested block comments holding parentheses, and strings holding comment marks', async () => {
    const { map } = await compile([
      ';; a line comment (with an open paren',
      '(module (; a block comment (; nested ( ;) still ) a comment ;)',
      '  (memory 1)',
      '  (data (i32.const 0) "a)b(;c;)")',
      '  (func $f (result i32) ;; (i32.const 99)',
      '    (; (i32.const 98) ;) (i32.const 7) (; ) ( (; ( ;) ;) (i32.const 8)',
      '    i32.add))',
    ]);
    assert.deepStrictEqual(listing(map, 0), ['i32.const 6:27', 'i32.const 6:59', 'i32.add 7:5', 'end 7:12']);
  });

  it('counts columns in UTF-16 code units, as editors do', async () => {
    const { map } = await compile(['(module (func (; ünï 😀 ;) nop))']);
    // 14 characters before the comment, 12 code units in it (the emoji takes two), one space.
    assert.deepStrictEqual(listing(map, 0), ['nop 1:28', 'end 1:31']);
  });

  it('reads bare module fields (a .wat without (module ...))', async () => {
    const { map } = await compile(['(func (export "one") (result i32)', '  i32.const 1)']);
    assert.deepStrictEqual(listing(map, 0), ['i32.const 2:3', 'end 2:14']);
  });

  it('maps a module inside a .wast script to positions in the script file', async () => {
    const scriptText = [
      ';; script',
      '(module $A',
      '  (func (export "f") (result i32) (i32.const 1)))',
      '(assert_return (invoke "f") (i32.const 1))',
      '(module $B',
      '  (func $g (export "g") (param i32) (result i32)',
      '    (i32.mul (local.get 0) (i32.const 2))))',
    ].join('\n');
    const script = parseScript(scriptText, 'suite.wast');
    const maps: SourceMap[] = [];
    for (const command of script.commands) {
      if (command.kind !== 'module' || command.module.source.kind !== 'text') continue;
      const { text, start } = command.module.source;
      const module = decodeModule(await assembleWat(text, 'suite.wast', { base: start }));
      maps.push(sourceMapForScriptModule(command.module, 'suite.wast', module)!);
    }
    assert.strictEqual(maps.length, 2);
    assert.deepStrictEqual(listing(maps[0], 0), ['i32.const 3:36', 'end 3:48']);
    assert.deepStrictEqual(listing(maps[1], 0), ['local.get 7:15', 'i32.const 7:29', 'i32.mul 7:6', 'end 7:42']);
    assert.strictEqual(maps[1].file, 'suite.wast');
    assert.deepStrictEqual(maps[1].instructionsAt(3), [], 'the first module is not in the second map');
  });

  describe('from lines to instructions', () => {
    const lines = [
      '(module',
      '  (func $inc (param i32) (result i32)',
      '    (i32.add (local.get 0) (i32.const 1)))',
      '',
      '  ;; nothing here',
      '  (func $twice (param i32) (result i32)',
      '    local.get 0',
      '    (call $inc (call $inc (local.get 0)))',
      '    drop))',
    ];

    it('gives every instruction starting on a line, in binary order, or only those at a column', async () => {
      const { map } = await compile(lines);
      assert.deepStrictEqual(
        map.instructionsAt(3).map((i) => `${i.funcIndex} ${i.name} ${i.column}`),
        ['0 local.get 15', '0 i32.const 29', '0 i32.add 6', '0 end 42'],
      );
      assert.deepStrictEqual(map.instructionsAt(3, 29).map((i) => [i.funcIndex, i.offset, i.name, i.index]), [[0, 28, 'i32.const', 1]]);
      assert.deepStrictEqual(map.instructionsAt(3, 7), [], 'no instruction starts inside a token');
      assert.deepStrictEqual(map.columnsWithCode(3), [6, 15, 29, 42]);
      assert.deepStrictEqual(
        map.instructionsAt(8).map((i) => `${i.funcIndex} ${i.name} ${i.column}`),
        ['1 local.get 28', '1 call 17', '1 call 6'],
      );
      assert.deepStrictEqual(map.instructionsAt(4), []);
    });

    it('moves a line without code to the next line with code', async () => {
      const { map } = await compile(lines);
      assert.strictEqual(map.nearestLineWithCode(1), 3);
      assert.strictEqual(map.nearestLineWithCode(3), 3);
      assert.strictEqual(map.nearestLineWithCode(4), 7);
      assert.strictEqual(map.nearestLineWithCode(9), 9);
      assert.strictEqual(map.nearestLineWithCode(10), undefined);
      assert.deepStrictEqual(map.lines, [3, 7, 8, 9]);
      assert.strictEqual(map.functionAtLine(5), undefined);
      assert.strictEqual(map.functionAtLine(7)?.name, '$twice');
    });
  });

  describe('errors', () => {
    it('reports an instruction whose name differs from the binary, at the token', async () => {
      const module = decodeModule(await assembleWat('(module (func (result i32) (i32.add (i32.const 1) (i32.const 2))))', 'x.wat'));
      const edited = '(module (func (result i32) (i32.sub (i32.const 1) (i32.const 2))))';
      assert.throws(
        () => pairOrThrow(edited, 'x.wat', module),
        (e: unknown) =>
          e instanceof SourceMapError &&
          e.message ===
            'x.wat:1:29: text and binary disagree in function 0: the text has i32.sub where the binary has i32.add (instruction 3, byte 0x1c)',
      );
    });

    it('reports a text with an instruction more than the binary', async () => {
      const module = decodeModule(await assembleWat('(module (func $f nop))', 'x.wat'));
      assert.throws(
        () => pairOrThrow('(module (func $f nop\n  nop))', 'x.wat', module),
        (e: unknown) =>
          e instanceof SourceMapError &&
          e.message === 'x.wat:2:3: text and binary disagree in function 0 ($f): the text has nop where the binary has end (instruction 2, byte 0x18)',
      );
    });

    it('reports a text that goes on, or stops, where the binary does not', async () => {
      const module = decodeModule(await assembleWat('(module (func $f (block)))', 'x.wat'));
      assert.throws(
        () => pairOrThrow('(module (func $f (block) end\n  nop))', 'x.wat', module),
        (e: unknown) =>
          e instanceof SourceMapError &&
          e.message === 'x.wat:2:3: text and binary disagree in function 0 ($f): the binary has 3 instructions, the text has nop after them',
      );
      assert.throws(
        () => pairOrThrow('(module (func $f\n  block))', 'x.wat', module),
        (e: unknown) =>
          e instanceof SourceMapError &&
          e.message ===
            'x.wat:2:8: text and binary disagree in function 0 ($f): the text ends after 2 instructions, the binary has 3 (next: end at byte 0x1a)',
      );
    });

    it('reports a text with other functions than the binary, at the module', async () => {
      const module = decodeModule(await assembleWat('(module (func))', 'x.wat'));
      assert.throws(
        () => pairOrThrow('\n (module (import "m" "f" (func)) (func) (func))', 'x.wat', module),
        (e: unknown) =>
          e instanceof SourceMapError &&
          e.message ===
            'x.wat:2:2: text and binary disagree: the text has 1 imported function and 2 defined functions, the binary 0 and 1',
      );
    });

    it('reports a text that does not assemble to the binary it is given, at the module', async () => {
      const module = decodeModule(await assembleWat('(module (func))', 'x.wat'));
      assert.throws(
        () => sourceMapForText('\n (module (func) (func))', 'x.wat', module),
        (e: unknown) =>
          e instanceof SourceMapError &&
          e.message === 'x.wat:1:1: the text does not assemble to this binary: it has 2 defined functions, the binary 1',
      );
    });

    it('reports an instruction token it cannot read', async () => {
      const module = decodeModule(await assembleWat('(module (func nop))', 'x.wat'));
      assert.throws(
        () => pairOrThrow('(module\n  (func (i32.frobnicate)))', 'x.wat', module),
        (e: unknown) =>
          e instanceof TextSyntaxError && e.message === 'x.wat:2:10: cannot read instruction: i32.frobnicate is not an instruction name',
      );
      assert.throws(
        () => pairOrThrow('(module\n  (func nop "oops"))', 'x.wat', module),
        (e: unknown) => e instanceof TextSyntaxError && e.message === 'x.wat:2:13: cannot read instruction: unexpected "oops"',
      );
      assert.throws(
        () => pairOrThrow('(module\n  (func nop bogus))', 'x.wat', module),
        (e: unknown) => e instanceof TextSyntaxError && e.message === 'x.wat:2:13: cannot read instruction: bogus is not an instruction name',
      );
    });
  });

  describe('position check', () => {
    it('counts functions and instructions and lists mismatches with their position', async () => {
      const text = '(module (func nop) (func (drop (i32.const 1))))';
      const module = decodeModule(await assembleWat(text, 'x.wat'));
      const ok = checkModulePositions(text, 'x.wat', module);
      assert.deepStrictEqual([ok.functions, ok.instructions, ok.mismatches], [2, 5, []]);
      const bad = checkModulePositions('(module (func nop) (func (drop (i64.const 1))))', 'x.wat', module);
      assert.deepStrictEqual(
        bad.mismatches.map((m) => m.message),
        ['x.wat:1:33: text and binary disagree in function 1: the text has i64.const where the binary has i32.const (instruction 1, byte 0x1c)'],
      );
      const unreadable = checkModulePositions('(module (func nop) (func (drop (i32.const 1) "x")))', 'x.wat', module);
      assert.deepStrictEqual(unreadable.mismatches.map((m) => m.message), ['x.wat:1:46: cannot read drop: unexpected "x"']);
    });
  });
});
