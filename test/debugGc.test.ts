// DAP sessions on a WebAssembly GC program (a .wasm assembled by binaryen's wasm-as with its name
// section): a struct shows its fields by name, an array its length and its elements paged, an i31
// its value, a null its type; setVariable changes a mutable field and an element.

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { collectOutput, failure, launch, topFrameId, useAdapter } from './debugHelpers';

const WASM_AS = path.join(__dirname, '..', '..', 'node_modules', 'binaryen', 'bin', 'wasm-as');

const PROGRAM = `(module
  (type $point (struct (field $x (mut i32)) (field $y i8) (field $next (ref null $point))))
  (type $bytes (array (mut i8)))
  (func $inspect (param $p (ref null $point)) (param $a (ref null $bytes)) (param $small i31ref) (param $none (ref null $point)) (result i32)
    (i32.add (struct.get $point $x (local.get $p)) (array.get_s $bytes (local.get $a) (i32.const 2))))
  (func $main (export "main") (result i32)
    (call $inspect
      (struct.new $point (i32.const 3) (i32.const -5) (struct.new $point (i32.const 4) (i32.const 0) (ref.null $point)))
      (array.new $bytes (i32.const 7) (i32.const 300))
      (ref.i31 (i32.const -2))
      (ref.null $point)))
)`;

describe('debug adapter: GC values', function () {
  this.timeout(60000);
  const dc = useAdapter();
  let wasm = '';

  before(function () {
    if (!fs.existsSync(WASM_AS)) this.skip(); // binaryen is a devDependency: `npm ci` installs it
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gc-debug-'));
    fs.writeFileSync(path.join(dir, 'points.wat'), PROGRAM);
    wasm = path.join(dir, 'points.wasm');
    execFileSync(WASM_AS, ['-all', '-g', path.join(dir, 'points.wat'), '-o', wasm], { stdio: 'pipe' });
  });

  const children = async (ref: number, start?: number, count?: number): Promise<DebugProtocol.Variable[]> =>
    (await dc.variablesRequest({ variablesReference: ref, start, count })).body.variables;
  const shown = (vs: DebugProtocol.Variable[]) => vs.map((v) => `${v.name}: ${v.type} = ${v.value}`);

  it('shows struct fields by name, arrays paged, i31 values and typed nulls; sets a field and an element', async () => {
    await launch(dc, { program: wasm, invoke: 'main' }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '$inspect' }] }));
    const scopes = (await dc.scopesRequest({ frameId: await topFrameId(dc) })).body.scopes;
    const locals = await children(scopes.find((s) => s.name === 'Locals')!.variablesReference);
    assert.deepStrictEqual(shown(locals), [
      '$p: (ref null 0) = $point struct (3 fields)',
      '$a: (ref null 1) = $bytes array [300]',
      '$small: i31ref = i31 -2',
      '$none: (ref null 0) = null (ref null type 0)',
    ]);
    assert.strictEqual(locals[1].indexedVariables, 300);

    const fields = await children(locals[0].variablesReference);
    assert.deepStrictEqual(shown(fields), ['x: (mut i32) = 3', 'y: i8 = -5', 'next: (ref null 0) = $point struct (3 fields)']);
    assert.deepStrictEqual(shown(await children(fields[2].variablesReference)), ['x: (mut i32) = 4', 'y: i8 = 0', 'next: (ref null 0) = null (ref null type 0)']);
    assert.deepStrictEqual(shown(await children(locals[1].variablesReference, 298, 5)), ['[298]: (mut i8) = 7', '[299]: (mut i8) = 7']);

    const setX = await dc.setVariableRequest({ variablesReference: locals[0].variablesReference, name: 'x', value: '40' });
    assert.strictEqual(setX.body.value, '40');
    const setElem = await dc.setVariableRequest({ variablesReference: locals[1].variablesReference, name: '[2]', value: '-1' });
    assert.strictEqual(setElem.body.value, '-1');
    assert.strictEqual(
      await failure(dc.setVariableRequest({ variablesReference: locals[0].variablesReference, name: 'y', value: '1' })),
      'setVariable: y is immutable (its type declares it without mut)',
    );
    assert.strictEqual(
      await failure(dc.setVariableRequest({ variablesReference: locals[1].variablesReference, name: '[2]', value: 'many' })),
      'setVariable: [2] holds i8, "many" is not an integer',
    );
    // The program reads the changed values: x + a[2] = 40 + -1.
    const output = collectOutput(dc);
    const terminated = dc.waitForEvent('terminated');
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await dc.continueRequest({ threadId: 1 });
    await terminated;
    assert.strictEqual(output.console, 'points!main() returned 39\n');
  });
});
