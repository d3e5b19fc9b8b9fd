// Breakpoint resolution without the adapter: which instruction a line, a column, a function name
// or an instruction address means, and what the engine is told.

import * as assert from 'assert';
import { ModuleNames } from '../src/text/print/names';
import { loadModule, type Module } from '../src/engine/index';
import { assembleWat } from '../src/text/assemble';
import { sourceMapForText } from '../src/text/sourceMap';
import { Breakpoints, parseHitCondition, parseLogMessage } from '../src/debug/breakpoints';
import { CodeUnit, instructionAddress, parseInstructionAddress } from '../src/debug/units';
import { emptyContext } from '../src/debug/evaluate';

const FILE = '/virtual/loop.wat';
const TEXT = [
  '(module $loop', //                                           1
  '  (global $total (mut i32) (i32.const 0))', //               2
  '  ;; Adds 0..n-1 to $total.', //                             3
  '  (func $run (export "run") (param $n i32)', //              4
  '    (local $i i32)', //                                      5
  '    (block $done', //                                        6
  '      (loop $next', //                                       7
  '        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))', // 8
  '        (global.set $total', //                              9
  '          (i32.add (global.get $total) (local.get $i)))', // 10
  '        (local.set $i (i32.add (local.get $i) (i32.const 1)))', // 11
  '        (br $next))))', //                                   12
  '  (func $twice (param $x i32) (result i32)', //              13
  '    (if (result i32) (local.get $x)', //                     14
  '      (then (i32.const 2))', //                              15
  '      (else', //                                             16
  '        (i32.const 0)))))', //                               17
].join('\n');

async function unit(): Promise<CodeUnit> {
  const module: Module = await loadModule(await assembleWat(TEXT, FILE));
  return { id: 1, module, names: ModuleNames.of(module), origin: FILE, label: 'loop.wat', file: FILE, sourceMap: sourceMapForText(TEXT, FILE, module), instanceNames: ['loop'] };
}

describe('debug breakpoints: resolution', () => {
  let engine: { funcIndex: number; offsets: number[] }[];
  let bps: Breakpoints;
  let u: CodeUnit;
  beforeEach(async () => {
    engine = [];
    bps = new Breakpoints((_module, funcIndex, offsets) => engine.push({ funcIndex, offsets }));
    u = await unit();
    bps.addUnit(u);
  });

  const at = (line: number, column: number) => u.sourceMap!.instructionsAt(line, column)[0].offset;

  it('a line means where execution enters it: the first instruction of a folded expression', () => {
    const [bp] = bps.setSourceBreakpoints(FILE, [{ line: 8 }]);
    assert.deepStrictEqual([bp.verified, bp.line, bp.column], [true, 8, 33]); // local.get $i
    assert.deepStrictEqual(engine, [{ funcIndex: 0, offsets: [at(8, 33)] }]);
  });

  it('a line of comments moves to the next line with code; a line of only else moves past it', () => {
    const [comment, onlyElse] = bps.setSourceBreakpoints(FILE, [{ line: 3 }, { line: 16 }]);
    assert.deepStrictEqual([comment.line, comment.column], [6, 6]); // (block $done: the block instruction
    assert.deepStrictEqual([onlyElse.line, onlyElse.column], [17, 10]);
  });

  it('a statement spread over two lines: the outer line is entered after the inner one', () => {
    const [bp] = bps.setSourceBreakpoints(FILE, [{ line: 9 }]);
    assert.deepStrictEqual([bp.line, bp.column], [9, 10]); // global.set, which runs after line 10
  });

  it('a column picks that instruction, or the next one on the line', () => {
    const [exact, between] = bps.setSourceBreakpoints(FILE, [{ line: 11, column: 24 }, { line: 11, column: 40 }]);
    assert.deepStrictEqual([exact.line, exact.column], [11, 24]); // i32.add
    assert.deepStrictEqual([between.line, between.column], [11, 48]); // i32.const 1
    assert.deepStrictEqual(bps.locations(FILE, 11).map((l) => l.column), [10, 24, 33, 48]);
  });

  it('a line after the last code is not verified, and says why', () => {
    const [bp] = bps.setSourceBreakpoints(FILE, [{ line: 40 }]);
    assert.deepStrictEqual([bp.verified, bp.message], [false, 'no code at or after line 40']);
  });

  it('functions by $name, bare name, export name and instance!name; the engine hears every change', () => {
    const r = bps.setFunctionBreakpoints([{ name: 'twice' }, { name: '$run' }, { name: 'loop!run' }, { name: 'other!run' }]);
    assert.deepStrictEqual(r.map((b) => [b.verified, b.line]), [[true, 14], [true, 6], [true, 6], [false, undefined]]);
    assert.strictEqual(r[3].message, 'no instance named other');
    bps.setFunctionBreakpoints([]);
    assert.deepStrictEqual(engine.slice(-2).map((e) => e.offsets), [[], []]);
  });

  it('instruction breakpoints by address, only where an instruction starts', () => {
    const address = instructionAddress(1, at(11, 48));
    assert.deepStrictEqual(parseInstructionAddress(address), { unitId: 1, offset: at(11, 48) });
    const [good, inside] = bps.setInstructionBreakpoints([{ instructionReference: address }, { instructionReference: address, offset: 1 }]);
    assert.deepStrictEqual([good.verified, good.line, good.column], [true, 11, 48]);
    assert.strictEqual(inside.verified, false);
  });

  it('conditions, hit counts and log points decide at a hit', () => {
    bps.setSourceBreakpoints(FILE, [{ line: 11, condition: '$i == 2' }, { line: 11, hitCondition: '% 2' }, { line: 11, logMessage: 'i={$i}' }]);
    const offset = at(11, 33);
    const ctx = (i: number) => () => ({
      ...emptyContext,
      localByName: (name: string) => (name === 'i' ? { type: 'i32' as const, value: i } : undefined),
    });
    const results = [0, 1, 2, 3].map((i) => bps.check(u.module, offset, 'loop', ctx(i)));
    assert.deepStrictEqual(results.map((r) => [r.stop, r.hitBreakpointIds.length, r.logs]), [
      [false, 0, ['i=0']],
      [true, 1, ['i=1']], // second hit of the `% 2` breakpoint
      [true, 1, ['i=2']], // the condition holds (and `% 2` is at its third hit)
      [true, 1, ['i=3']],
    ]);
  });
});

describe('debug breakpoints: hit conditions and log messages', () => {
  it('reads hit conditions', () => {
    const hits = (text: string) => [1, 2, 3, 4, 5, 6].filter(parseHitCondition(text));
    assert.deepStrictEqual(hits('3'), [3]);
    assert.deepStrictEqual(hits('>= 4'), [4, 5, 6]);
    assert.deepStrictEqual(hits('<3'), [1, 2]);
    assert.deepStrictEqual(hits('% 3'), [3, 6]);
    assert.throws(() => parseHitCondition('three'), { message: 'hit count \'three\': expected a number, optionally after >, >=, <, <=, == or % (e.g. ">= 3")' });
  });

  it('reads log messages with {expressions} and {{ }} escapes', () => {
    const parts = parseLogMessage('n={$n} {{literal}}');
    assert.deepStrictEqual(parts.map((p) => p.text ?? `<${p.source}>`), ['n=', '<$n>', ' {literal}']);
    assert.throws(() => parseLogMessage('bad {$n +}'), { message: 'log message {$n +}: expected a value, found end of expression at column 5' });
    assert.throws(() => parseLogMessage('open {$n'), { message: "log message: '{' at column 6 is not closed" });
  });
});
