// The debugger and v128 values: a vector local shows its bytes and, as children, its lanes in
// every shape; setVariable takes a whole vector in any shape or one lane; watches and
// breakpoint conditions read lanes ($v.i32x4[2]).

import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluate, failure, frames, launch, resume, tempProgram, topFrameId, useAdapter } from './debugHelpers';

// $v starts as i32x4 1 -2 3 4 and gets i32x4 1 1 1 1 added on each of 4 turns (line 12).
const PROGRAM = [
  '(module',
  '  (global $g (mut v128) (v128.const f32x4 1.5 -0 nan inf))',
  '  (func (export "main") (result i32)',
  '    (local $v v128) (local $i i32)',
  '    (local.set $v (v128.const i32x4 1 -2 3 4))',
  '    (loop $turn',
  '      (local.set $v',
  '        (i32x4.add (local.get $v) (v128.const i32x4 1 1 1 1)))',
  '      (local.set $i (i32.add (local.get $i) (i32.const 1)))',
  '      (br_if $turn (i32.lt_u (local.get $i) (i32.const 4))))',
  '    (global.set $g (local.get $v))',
  '    (i32x4.extract_lane 2 (local.get $v)))',
  ')',
];

describe('debug adapter: v128 values', function () {
  this.timeout(60000);
  const dc = useAdapter();
  const file = tempProgram('vectors.wat', PROGRAM);

  async function variables(ref: number): Promise<DebugProtocol.Variable[]> {
    return (await dc.variablesRequest({ variablesReference: ref })).body.variables;
  }
  const shown = (vs: DebugProtocol.Variable[]) => vs.map((v) => `${v.name} = ${v.value}: ${v.type}`);

  /** The locals scope's reference, and $v's children by shape name. */
  async function vectorLocal(): Promise<{ locals: number; v: DebugProtocol.Variable; shapes: Map<string, DebugProtocol.Variable> }> {
    const scopes = (await dc.scopesRequest({ frameId: await topFrameId(dc) })).body.scopes;
    const locals = scopes.find((s) => s.name === 'Locals')!.variablesReference;
    const v = (await variables(locals)).find((x) => x.name === '$v')!;
    assert.ok(v.variablesReference > 0, '$v can be expanded');
    const shapes = new Map((await variables(v.variablesReference)).map((s) => [s.name, s]));
    return { locals, v, shapes };
  }

  it('shows a v128 local as bytes and its lanes as i8x16 ... f64x2, signed and unsigned, with exact values', async () => {
    // Stop after the first turn's add: $v = i32x4 2 -1 4 5.
    await launch(dc, { program: file, invoke: 'main' }, () => dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: 9 }] }));
    const { v, shapes } = await vectorLocal();
    assert.strictEqual(`${v.value}: ${v.type}`, 'i32x4 0x00000002 0xffffffff 0x00000004 0x00000005: v128');
    assert.deepStrictEqual([...shapes.keys()], ['i8x16', 'u8x16', 'i16x8', 'u16x8', 'i32x4', 'u32x4', 'i64x2', 'u64x2', 'f32x4', 'f64x2']);
    assert.strictEqual(shapes.get('i32x4')!.value, 'i32x4 2 -1 4 5');
    assert.strictEqual(shapes.get('u32x4')!.value, 'u32x4 2 4294967295 4 5');
    assert.strictEqual(shapes.get('i8x16')!.value, 'i8x16 2 0 0 0 -1 -1 -1 -1 4 0 0 0 5 0 0 0');
    assert.strictEqual(shapes.get('i64x2')!.value, 'i64x2 -4294967294 21474836484');
    assert.deepStrictEqual(shown(await variables(shapes.get('i32x4')!.variablesReference)), ['[0] = 2: i32', '[1] = -1: i32', '[2] = 4: i32', '[3] = 5: i32']);
    assert.deepStrictEqual(shown(await variables(shapes.get('u16x8')!.variablesReference)), [
      '[0] = 2: u16', '[1] = 0: u16', '[2] = 65535: u16', '[3] = 65535: u16', '[4] = 4: u16', '[5] = 0: u16', '[6] = 5: u16', '[7] = 0: u16',
    ]);
    const lanes = await variables(shapes.get('i32x4')!.variablesReference);
    assert.strictEqual(lanes[2].evaluateName, '$v.i32x4[2]');
    // A global's float lanes: -0, NaN and infinity as the text format writes them.
    const globals = (await dc.scopesRequest({ frameId: await topFrameId(dc) })).body.scopes.find((s) => s.name.startsWith('Globals'))!;
    const g = (await variables(globals.variablesReference))[0];
    const f32 = (await variables(g.variablesReference)).find((s) => s.name === 'f32x4')!;
    assert.strictEqual(f32.value, 'f32x4 1.5 -0 nan inf');
  });

  it('sets one lane, a whole vector in any shape, and refuses lanes that do not fit', async () => {
    await launch(dc, { program: file, invoke: 'main' }, () => dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: 9 }] }));
    let { locals, shapes } = await vectorLocal();
    const i32 = shapes.get('i32x4')!.variablesReference;
    const set = await dc.setVariableRequest({ variablesReference: i32, name: '[1]', value: '100 + 1' });
    assert.deepStrictEqual([set.body.value, set.body.type], ['101', 'i32']);
    ({ shapes } = await vectorLocal());
    assert.strictEqual(shapes.get('i32x4')!.value, 'i32x4 2 101 4 5');
    assert.strictEqual(await evaluate(dc, '$v.i32x4[1]'), '101: i32');
    // A byte lane: 255 and -1 are the same byte, 256 does not fit.
    const u8 = shapes.get('u8x16')!.variablesReference;
    await dc.setVariableRequest({ variablesReference: u8, name: '[0]', value: '255' });
    assert.strictEqual(await evaluate(dc, '$v.i8x16[0]'), '-1: i32');
    assert.strictEqual(await failure(dc.setVariableRequest({ variablesReference: u8, name: '[0]', value: '256' })), '$v.u8x16[0]: 256 does not fit in a 8-bit lane');
    // The whole vector, in the text format's syntax, under the local or under a shape.
    const whole = await dc.setVariableRequest({ variablesReference: locals, name: '$v', value: 'f32x4 1 2 3 4' });
    assert.deepStrictEqual([whole.body.value, whole.body.type], ['i32x4 0x3f800000 0x40000000 0x40400000 0x40800000', 'v128']);
    const shape = await dc.setVariableRequest({ variablesReference: (await vectorLocal()).v.variablesReference, name: 'i16x8', value: '1 2 3 4 5 6 7 -8' });
    assert.strictEqual(shape.body.value, 'i16x8 1 2 3 4 5 6 7 -8');
    assert.strictEqual(await evaluate(dc, '$v.u16x8[7]'), '65528: i32');
    assert.strictEqual(await failure(dc.setVariableRequest({ variablesReference: locals, name: '$v', value: 'i32x4 1 2 3' })), "expected lane 3 of i32x4 (it has 4 lanes), found end of expression at column 12");
    // The program goes on with the new value: 4 more turns... 3 more, after this first one.
    await dc.setVariableRequest({ variablesReference: locals, name: '$v', value: 'i32x4 10 20 30 40' });
    await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [] });
    const done = dc.waitForEvent('terminated');
    await resume(dc, 'continue');
    await done;
  });

  it('reads lanes in watches and stops on a breakpoint condition on a lane', async () => {
    // $v.i32x4[2] is 4, 5, 6, 7 after the adds: stop when it is 6 (the third turn).
    await launch(dc, { program: file, invoke: 'main' }, () =>
      dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: 9, condition: '$v.i32x4[2] == 6' }] }),
    );
    assert.deepStrictEqual((await frames(dc)).shown, ['vectors!main vectors.wat:9:31']);
    assert.strictEqual(await evaluate(dc, '$i'), '2: i32');
    assert.strictEqual(await evaluate(dc, '$v.i32x4[2]'), '6: i32');
    assert.strictEqual(await evaluate(dc, 'local0.u32x4[1] + 1'), '2: u32');
    assert.strictEqual(await evaluate(dc, '$v'), 'i32x4 0x00000004 0x00000001 0x00000006 0x00000007: v128');
    assert.strictEqual(await evaluate(dc, '$g.f32x4[0] * 2'), '3: f32');
    // A watch of a vector expands into its lanes too.
    const watch = await dc.evaluateRequest({ expression: '$v', frameId: await topFrameId(dc), context: 'watch' });
    const watchShapes = await variables(watch.body.variablesReference);
    assert.strictEqual(watchShapes.find((s) => s.name === 'i16x8')!.value, 'i16x8 4 0 1 0 6 0 7 0');
    assert.strictEqual(await evaluate(dc, '$v.f64x2[1]'), '1.48539705397e-313: f64');
    const err = await dc.evaluateRequest({ expression: '$v.i32x4[4]', frameId: await topFrameId(dc), context: 'watch' }).catch((e: Error) => e.message);
    assert.strictEqual(err, 'lane index 4 is out of range: i32x4 has lanes 0..3 at column 1');
    const notVector = await dc.evaluateRequest({ expression: '$i.i32x4[0]', frameId: await topFrameId(dc), context: 'watch' }).catch((e: Error) => e.message);
    assert.strictEqual(notVector, '.i32x4[...] reads a lane of a v128, not of i32 at column 1');
  });
});
