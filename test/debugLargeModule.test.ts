// A large binary without names: 20,000 functions. A function breakpoint binds to a function whose
// document was never opened, the stop shows that function's own small document, and the adapter
// lists only the documents it has shown.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { assembleWat } from '../src/text/assemble';
import { exitCode, frames, launch, tempProgram, useAdapter } from './debugHelpers';

const FUNCTIONS = 20_000;
const TARGET = 15_000; // defined function index; no import, so also the function index

/** The module's text: each function adds its index to its argument; main calls the target. */
function largeModuleText(): string[] {
  const lines = ['(module', '  (memory 1)', `  (data (i32.const 0) "${'wat-debugger '.repeat(300)}")`];
  for (let i = 0; i < FUNCTIONS; i++) lines.push(`  (func (param i32) (result i32) (i32.add (local.get 0) (i32.const ${i})))`);
  lines.push(`  (func (export "main") (result i32) (call ${TARGET} (i32.const 1)))`, ')');
  return lines;
}

describe('debug adapter: a large binary module', function () {
  this.timeout(120000);
  const dc = useAdapter();
  let wasm: string;

  before(async () => {
    const text = largeModuleText();
    const dir = path.dirname(tempProgram('large.wat', text));
    wasm = path.join(dir, 'large.wasm');
    fs.writeFileSync(wasm, await assembleWat(text.join('\n'), path.join(dir, 'large.wat')));
  });

  it('binds a function breakpoint in a function never shown, stops there in its own document, and lists only what it showed', async () => {
    let bound: DebugProtocol.Breakpoint[] = [];
    await launch(dc, { program: wasm, invoke: 'main' }, async () => {
      bound = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: `f${TARGET}` }] })).body.breakpoints;
    });
    assert.deepStrictEqual(bound.map((b) => [b.verified, b.source?.name, b.line]), [[true, `large.wasm/f${TARGET}.wat`, 3]]);

    const stack = await frames(dc);
    assert.deepStrictEqual(stack.shown, [`large!f${TARGET} f${TARGET}.wat:3:3`, `large!main main.wat:4:3`]);
    const top = stack.raw[0];
    const source = await dc.sourceRequest({ source: top.source!, sourceReference: top.source!.sourceReference! });
    const lines = source.body.content.split('\n');
    assert.deepStrictEqual(lines.slice(1), [
      `(func $f${TARGET} (type $t0) (param $p0 i32) (result i32)`,
      '  local.get $p0',
      `  i32.const ${TARGET}`,
      '  i32.add',
      ')',
      '',
    ]);
    assert.ok(source.body.content.length < 1000, 'one small document for one function');

    const loaded = (await dc.customRequest('loadedSources', {})) as DebugProtocol.LoadedSourcesResponse;
    assert.deepStrictEqual(loaded.body.sources.map((s) => s.name).sort(), ['large.wasm.wat', `large.wasm/f${TARGET}.wat`, 'large.wasm/main.wat'].sort());

    // The overview lists every function without printing their code.
    const overviewSource = loaded.body.sources.find((s) => s.name === 'large.wasm.wat')!;
    const overview = await dc.sourceRequest({ source: overviewSource, sourceReference: overviewSource.sourceReference! });
    assert.ok(overview.body.content.includes(`(func $f${FUNCTIONS - 1} (type $t0))`));
    assert.ok(!overview.body.content.includes('i32.add'));
    assert.strictEqual(await exitCode(dc, () => dc.setFunctionBreakpointsRequest({ breakpoints: [] }).then(() => dc.continueRequest({ threadId: 1 }))), 0);
  });
});
