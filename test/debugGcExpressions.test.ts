// DAP sessions on expressions over WebAssembly GC values and exceptions: fields by name and index,
// elements, chains and lengths in watch, hover, the debug console, conditions and log points;
// errors that say what and where; a caught exception (exnref) expanded to its tag and payload;
// reference fields set to null and to other references, type-checked.

import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, evaluate, failure, launch, topFrameId, tempProgram, useAdapter } from './debugHelpers';

const PROGRAM = [
  '(module', //                                                                                            1
  '  (type $point (struct (field $x (mut i32)) (field $y i8) (field $next (mut (ref null $point)))))', //  2
  '  (type $pair (struct (field $a i32) (field $b i32)))', //                                               3
  '  (type $row (array (mut i32)))', //                                                                     4
  '  (type $matrix (array (mut (ref null $row))))', //                                                      5
  '  (type $anon (struct (field i32) (field (mut (ref $point)))))', //                                      6
  '  (tag $oops (param i32 (ref null $point)))', //                                                         7
  '  (func $point (param $x i32) (param $next (ref null $point)) (result (ref $point))', //                 8
  '    (struct.new $point (local.get $x) (i32.const 0) (local.get $next)))', //                             9
  '  (func $inspect (param $p (ref null $point)) (param $arr (ref null $row)) (param $m (ref null $matrix))', // 10
  '      (param $none (ref null $point)) (param $other anyref) (param $e exnref) (param $n i32)', //        11
  '      (param $anon (ref null $anon)) (param $q (ref null $pair)) (result i32)', //                       12
  '    (local $cur (ref null $point))', //                                                                  13
  '    (local $sum i32)', //                                                                                14
  '    (local.set $cur (local.get $p))', //                                                                 15
  '    (block $done (loop $walk', //                                                                        16
  '      (br_if $done (ref.is_null (local.get $cur)))', //                                                  17
  '      (local.set $sum (i32.add (local.get $sum) (struct.get $point $x (local.get $cur))))', //           18
  '      (local.set $cur (struct.get $point $next (local.get $cur)))', //                                   19
  '      (br $walk)))', //                                                                                  20
  '    (local.get $sum))', //                                                                               21
  '  (func $main (export "main") (result i32)', //                                                          22
  '    (local $e exnref)', //                                                                               23
  '    (block $caught (result i32 (ref null $point) exnref)', //                                            24
  '      (try_table (catch_ref $oops $caught)', //                                                          25
  '        (throw $oops (i32.const 42) (call $point (i32.const 9) (ref.null $point))))', //                26
  '      (unreachable))', //                                                                                27
  '    (local.set $e) (drop) (drop)', //                                                                    28
  '    (call $inspect', //                                                                                  29
  '      (struct.new $point (i32.const 3) (i32.const -5) (call $point (i32.const 4) (call $point (i32.const 5) (ref.null $point))))', // 30
  '      (array.new_fixed $row 5 (i32.const 10) (i32.const 20) (i32.const 30) (i32.const 40) (i32.const 50))', // 31
  '      (array.new_fixed $matrix 3 (array.new_fixed $row 2 (i32.const 1) (i32.const 2))', //              32
  '        (array.new_fixed $row 2 (i32.const 3) (i32.const 4)) (array.new_fixed $row 2 (i32.const 5) (i32.const 6)))', // 33
  '      (ref.null $point)', //                                                                             34
  '      (call $point (i32.const 7) (ref.null $point))', //                                                 35
  '      (local.get $e)', //                                                                                36
  '      (i32.const 5)', //                                                                                 37
  '      (struct.new $anon (i32.const 1) (call $point (i32.const 8) (ref.null $point)))', //                38
  '      (struct.new $pair (i32.const 1) (i32.const 2))))', //                                              39
  ')', //                                                                                                   40
];

describe('debug adapter: expressions on GC values and exceptions', function () {
  this.timeout(60000);
  const dc = useAdapter();
  let program = '';

  before(() => {
    program = tempProgram('points.wat', PROGRAM);
  });

  const children = async (ref: number, start?: number, count?: number): Promise<DebugProtocol.Variable[]> =>
    (await dc.variablesRequest({ variablesReference: ref, start, count })).body.variables;
  const shown = (vs: DebugProtocol.Variable[]) => vs.map((v) => `${v.name}: ${v.type} = ${v.value}${v.evaluateName ? ` (${v.evaluateName})` : ''}`);
  const stopInInspect = async () => {
    await launch(dc, { program, invoke: 'main' }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '$inspect' }] }));
    return topFrameId(dc);
  };
  const locals = async (frameId: number) => {
    const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    return children(scopes.find((s) => s.name === 'Locals')!.variablesReference);
  };
  const finish = async () => {
    const terminated = dc.waitForEvent('terminated');
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await dc.continueRequest({ threadId: 1 });
    await terminated;
  };

  it('reads fields by name and index, elements, chains and lengths; a struct result expands as in Variables', async () => {
    const frameId = await stopInInspect();
    assert.strictEqual(await evaluate(dc, '$p.x', frameId), '3: i32');
    assert.strictEqual(await evaluate(dc, '$p.y', frameId), '-5: i32');
    assert.strictEqual(await evaluate(dc, '$p.next.next.x', frameId), '5: i32');
    assert.strictEqual(await evaluate(dc, '$p.next.next.next', frameId), 'null (ref null type 0): (ref null 0)');
    assert.strictEqual(await evaluate(dc, '$arr[3]', frameId), '40: i32');
    assert.strictEqual(await evaluate(dc, '$arr[$n - 2] * 2', frameId), '80: i32');
    assert.strictEqual(await evaluate(dc, '$arr.length', frameId), '5: i32');
    assert.strictEqual(await evaluate(dc, '$m[2][1]', frameId), '6: i32');
    assert.strictEqual(await evaluate(dc, '$m[1].length + $m[0][0]', frameId), '3: i32');
    assert.strictEqual(await evaluate(dc, '$anon.0', frameId), '1: i32');
    assert.strictEqual(await evaluate(dc, '$anon.field1.x', frameId), '8: i32');
    assert.strictEqual(await evaluate(dc, '$p.next == null', frameId), 'false: bool');
    assert.strictEqual(await evaluate(dc, '$none == null', frameId), 'true: bool');
    assert.strictEqual(await evaluate(dc, '$p.next.next == $p.next.next', frameId), 'true: bool');
    // Calls take and give references: an argument is checked against the parameter's type.
    assert.strictEqual(await evaluate(dc, '$point(6, $p.next).next.x', frameId), '4: i32');
    assert.strictEqual(await evaluate(dc, '$point(6, null)', frameId), '$point struct (3 fields): (ref 0)');
    assert.strictEqual(
      await failure(dc.evaluateRequest({ expression: '$point(6, $q)', frameId, context: 'watch' })),
      'argument 2 of $point: type mismatch: the parameter holds (ref null $point), but the argument is (ref null $pair) ($pair struct (2 fields)) at column 1',
    );

    // A struct result (watch or hover) has the same children as in Variables, named by expressions.
    const hover = await dc.evaluateRequest({ expression: '$p.next', frameId, context: 'hover' });
    assert.strictEqual(hover.body.result, '$point struct (3 fields)');
    assert.strictEqual(hover.body.namedVariables, 3);
    assert.deepStrictEqual(shown(await children(hover.body.variablesReference)), [
      'x: (mut i32) = 4 ($p.next.x)',
      'y: i8 = 0 ($p.next.y)',
      'next: (mut (ref null 0)) = $point struct (3 fields) ($p.next.next)',
    ]);
    const row = await dc.evaluateRequest({ expression: '$m[1]', frameId, context: 'watch' });
    assert.strictEqual(row.body.result, '$row array [2]');
    assert.strictEqual(row.body.indexedVariables, 2);
    assert.deepStrictEqual(shown(await children(row.body.variablesReference)), ['[0]: (mut i32) = 3 ($m[1][0])', '[1]: (mut i32) = 4 ($m[1][1])']);
    // The debug console completes a struct's fields and an array's length.
    const completions = async (text: string) => (await dc.completionsRequest({ text, column: text.length + 1, frameId })).body.targets.map((t) => `${t.label} ${t.detail}`);
    assert.deepStrictEqual(await completions('$p.next.'), ['x (mut i32)', 'y i8', 'next (mut (ref null 0))']);
    assert.deepStrictEqual(await completions('$p.n'), ['next (mut (ref null 0))']);
    assert.deepStrictEqual(await completions('1 + $m[$n - 4].l'), ['length 2 elements']);
    const anon = (await locals(frameId)).find((v) => v.name === '$anon')!;
    assert.deepStrictEqual(shown(await children(anon.variablesReference)), ['field 0: i32 = 1 ($anon.field0)', 'field 1: (mut (ref 0)) = $point struct (3 fields) ($anon.field1)']);
    await finish();
  });

  it('says what is wrong and where: null reference, index out of bounds, no such field, not a struct or array', async () => {
    const frameId = await stopInInspect();
    const error = (expression: string) => failure(dc.evaluateRequest({ expression, frameId, context: 'watch' }));
    assert.strictEqual(await error('$none.x'), 'null reference: $none is a null (ref null $point), so it has no field x at column 7');
    assert.strictEqual(await error('$p.next.next.next.x'), 'null reference: $p.next.next.next is a null (ref null $point), so it has no field x at column 19');
    assert.strictEqual(await error('$arr[5]'), 'index out of bounds: $arr[5], and $arr has length 5 at column 5');
    assert.strictEqual(await error('$m[0][-1]'), 'index out of bounds: $m[0][-1], and $m[0] has length 2 at column 6');
    assert.strictEqual(await error('$p.z'), '$p ($point) has no field named z (its fields: x, y, next) at column 4');
    assert.strictEqual(await error('$anon.2'), '$anon ($anon) has no field named 2 (its fields: field0, field1) at column 7');
    assert.strictEqual(await error('$n.x'), '$n is not a struct (it is an i32), so it has no field x at column 4');
    assert.strictEqual(await error('$arr.x'), '$arr is not a struct (it is a $row array [5]), so it has no field x at column 6');
    assert.strictEqual(await error('$p[0]'), '$p is not an array (it is a $point struct (3 fields)), so it cannot be indexed at column 3');
    assert.strictEqual(await error('$arr[1.5]'), 'the index of $arr[...] must be an integer, not float at column 5');
    assert.strictEqual(await error('$q.x'), '$q ($pair) has no field named x (its fields: a, b) at column 4');
    assert.strictEqual(await error('$zz.x'), 'no local, parameter or global named $zz at column 1');
    await finish();
  });

  it('expands a caught exception (exnref) into its tag and payload, in Variables and in watch', async () => {
    const frameId = await stopInInspect();
    const e = (await locals(frameId)).find((v) => v.name === '$e')!;
    assert.strictEqual(`${e.type} = ${e.value}`, 'exnref = points!oops(i32 42, $point struct (3 fields))');
    assert.strictEqual(e.namedVariables, 3);
    const payload = await children(e.variablesReference);
    assert.deepStrictEqual(shown(payload), ['tag: tag = points!oops', '[0]: i32 = 42 ($e[0])', '[1]: (ref null 0) = $point struct (3 fields) ($e[1])']);
    assert.deepStrictEqual(shown(await children(payload[2].variablesReference)), ['x: (mut i32) = 9 ($e[1].x)', 'y: i8 = 0 ($e[1].y)', 'next: (mut (ref null 0)) = null (ref null type 0) ($e[1].next)']);
    const watched = await dc.evaluateRequest({ expression: '$e', frameId, context: 'watch' });
    assert.strictEqual(watched.body.result, 'points!oops(i32 42, $point struct (3 fields))');
    assert.deepStrictEqual(shown(await children(watched.body.variablesReference)).slice(0, 2), ['tag: tag = points!oops', '[0]: i32 = 42 ($e[0])']);
    assert.strictEqual(await evaluate(dc, '$e[1].x + $e[0]', frameId), '51: i32');
    assert.strictEqual((await dc.evaluateRequest({ expression: '$p.next = $e[1]', frameId, context: 'repl' })).body.result, '$point struct (3 fields)');
    assert.strictEqual(await evaluate(dc, '$p.next.x', frameId), '9: i32');
    assert.strictEqual(
      await failure(dc.setVariableRequest({ variablesReference: e.variablesReference, name: '[0]', value: '1' })),
      "setVariable: [0] cannot be changed: an exception's tag and payload are immutable",
    );
    await finish();
  });

  it('sets reference fields to null and to other references of their type, and the program sees them', async () => {
    const frameId = await stopInInspect();
    const vars = await locals(frameId);
    const p = vars.find((v) => v.name === '$p')!;
    const anon = vars.find((v) => v.name === '$anon')!;
    const set = (ref: number, name: string, value: string) => dc.setVariableRequest({ variablesReference: ref, name, value });

    const toNull = await set(p.variablesReference, 'next', 'null');
    assert.strictEqual(`${toNull.body.value}: ${toNull.body.type}`, 'null (ref null type 0): (mut (ref null 0))');
    assert.strictEqual(await evaluate(dc, '$p.next', frameId), 'null (ref null type 0): (ref null 0)');
    assert.strictEqual(await evaluate(dc, '$p.next == null', frameId), 'true: bool');

    // An anyref holding a $point fits a (ref null $point) field: the engine checks the value as ref.cast does.
    const toOther = await set(p.variablesReference, 'next', '$other');
    assert.strictEqual(toOther.body.value, '$point struct (3 fields)');
    assert.deepStrictEqual(shown(await children(toOther.body.variablesReference!)), ['x: (mut i32) = 7 ($p.next.x)', 'y: i8 = 0 ($p.next.y)', 'next: (mut (ref null 0)) = null (ref null type 0) ($p.next.next)']);
    assert.strictEqual(await evaluate(dc, '$p.next.x', frameId), '7: i32');
    assert.strictEqual(await evaluate(dc, '$p.next == $other', frameId), 'true: bool');

    // A field of another struct, by expression; a non-nullable field takes a struct but not null.
    await set(anon.variablesReference, 'field 1', '$p.next');
    assert.strictEqual(await evaluate(dc, '$anon.field1.x', frameId), '7: i32');
    assert.strictEqual(await failure(set(anon.variablesReference, 'field 1', 'null')), 'setVariable: field 1 holds (ref $point), which cannot be null');
    assert.strictEqual(await failure(set(p.variablesReference, 'next', '$q')), 'setVariable: type mismatch: next holds (ref null $point), but $q is (ref null $pair) ($pair struct (2 fields))');
    assert.strictEqual(await failure(set(p.variablesReference, 'next', '$n')), 'setVariable: type mismatch: next holds (ref null $point), but $n is an i32');
    assert.strictEqual(await failure(set(p.variablesReference, 'next', '$e')), 'setVariable: type mismatch: next holds (ref null $point), but $e is exnref (points!oops(i32 42, $point struct (3 fields)))');
    assert.strictEqual(await failure(set(p.variablesReference, 'next', '$nope')), 'setVariable: no local, parameter or global named $nope at column 1');

    // In the debug console: fields, elements and locals by assignment.
    const repl = (expression: string) => dc.evaluateRequest({ expression, frameId, context: 'repl' });
    assert.strictEqual((await repl('$p.next.next = $p')).body.result, '$point struct (3 fields)');
    assert.strictEqual(await evaluate(dc, '$p.next.next.next.x', frameId), '7: i32');
    assert.strictEqual((await repl('$p.next.next = null')).body.result, 'null (ref null type 0)');
    assert.strictEqual((await repl('$arr[0] = $arr[4] + 1')).body.result, '51');
    assert.strictEqual((await repl('$m[2] = $m[0]')).body.result, '$row array [2]');
    assert.strictEqual((await repl('$none = $p.next')).body.result, '$point struct (3 fields)');
    // Editing a watch (setExpression) stores too, and a struct it gives expands.
    const edited = ((await dc.customRequest('setExpression', { expression: '$anon.field1', value: '$p', frameId })) as DebugProtocol.SetExpressionResponse).body;
    assert.strictEqual(edited.value, '$point struct (3 fields)');
    assert.deepStrictEqual(shown(await children(edited.variablesReference!)).slice(0, 1), ['x: (mut i32) = 3 ($anon.field1.x)']);
    assert.strictEqual(await failure(repl('$p.y = 1')), '$p.y is immutable (its type declares it without mut)');
    assert.strictEqual(await failure(repl('$arr.length = 1')), 'the length of $arr cannot be changed at column 6');
    assert.strictEqual(await failure(repl('$m[0] = $p')), 'type mismatch: $m[0] holds (ref null $row), but $p is (ref null $point) ($point struct (3 fields))');

    // The program walks the list it now has: 3 -> 7, so $inspect returns 10.
    const output = collectOutput(dc);
    await finish();
    assert.strictEqual(output.console, 'points!main() returned 10\n');
  });

  it('evaluates field reads in breakpoint conditions and log points', async () => {
    const frameId = await stopInInspect();
    assert.ok(frameId > 0);
    const output = collectOutput(dc);
    await dc.setBreakpointsRequest({
      source: { path: program },
      breakpoints: [{ line: 18, condition: '$cur.x == 5 && $cur.next == null' }, { line: 19, logMessage: 'x={$cur.x} next={$cur.next}' }],
    });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    await stopped;
    const top = await topFrameId(dc);
    assert.strictEqual(await evaluate(dc, '$sum', top), '7: i32');
    assert.strictEqual(await evaluate(dc, '$cur.x', top), '5: i32');
    assert.strictEqual(output.console, 'x=3 next=$point struct (3 fields)\nx=4 next=$point struct (3 fields)\n');
    const terminated = dc.waitForEvent('terminated');
    await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
    await dc.continueRequest({ threadId: 1 });
    await terminated;
  });

  it('stores a struct of one module into a field of another module\'s struct when their types are equivalent', async () => {
    // The same $point type at index 1 in one module and at index 0 in the other: one canonical type.
    const maker = tempProgram('maker.wat', [
      '(module',
      '  (type $pair (struct (field i64)))',
      '  (type $point (struct (field $x (mut i32)) (field $next (mut (ref null $point)))))',
      '  (func (export "make") (param $x i32) (result (ref $point)) (struct.new $point (local.get $x) (ref.null $point))))',
    ]);
    const user = tempProgram('user.wat', [
      '(module',
      '  (type $point (struct (field $x (mut i32)) (field $next (mut (ref null $point)))))',
      '  (type $other (struct (field $x (mut i32)) (field $next (mut (ref null $other))) (field $extra i32)))',
      '  (import "maker" "make" (func $make (param i32) (result (ref $point))))',
      '  (func $look (param $theirs (ref $point)) (param $mine (ref $point)) (param $odd (ref $other)) (result i32)',
      '    (struct.get $point $x (struct.get $point $next (local.get $theirs))))',
      '  (func (export "main") (result i32)',
      '    (call $look (call $make (i32.const 1)) (struct.new $point (i32.const 2) (ref.null $point)) (struct.new $other (i32.const 3) (ref.null $other) (i32.const 4)))))',
    ]);
    await launch(dc, { program: user, imports: { maker }, invoke: 'main' }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '$look' }] }));
    const frameId = await topFrameId(dc);
    const theirs = (await locals(frameId)).find((v) => v.name === '$theirs')!;
    assert.strictEqual(theirs.value, '$point struct (2 fields)');
    const set = await dc.setVariableRequest({ variablesReference: theirs.variablesReference, name: 'next', value: '$mine' });
    assert.strictEqual(`${set.body.value}: ${set.body.type}`, '$point struct (2 fields): (mut (ref null 1))');
    assert.strictEqual(await evaluate(dc, '$theirs.next.x', frameId), '2: i32');
    assert.strictEqual(
      await failure(dc.setVariableRequest({ variablesReference: theirs.variablesReference, name: 'next', value: '$odd' })),
      'setVariable: type mismatch: next holds (ref null $point), but $odd is (ref $other) ($other struct (3 fields))',
    );
    const output = collectOutput(dc);
    await finish();
    assert.strictEqual(output.console, 'user!main() returned 2\n');
  });
});
