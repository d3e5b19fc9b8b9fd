// DAP sessions on .wasm binaries: each function is shown in a small document of its own, printed
// when first needed, plus an overview of the module; breakpoints, steps and the disassembly work
// on those documents, under the same names everywhere.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { assembleWat } from '../src/text/assemble';
import { collectOutput, evaluate, exitCode, failure, frames, launch, resume, scope, tempProgram, useAdapter, ws } from './debugHelpers';

/** The text of a source fetched by its reference, as lines. */
async function sourceLines(dc: ReturnType<typeof useAdapter>, source: DebugProtocol.Source): Promise<string[]> {
  const text = await dc.sourceRequest({ source, sourceReference: source.sourceReference! });
  return text.body.content.split('\n');
}

async function loadedSourceNames(dc: ReturnType<typeof useAdapter>): Promise<string[]> {
  const response = (await dc.customRequest('loadedSources', {})) as DebugProtocol.LoadedSourcesResponse;
  return response.body.sources.map((s) => s.name!);
}

describe('debug adapter: a .wasm without names, through a generated document per function', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it('stops in _start in its own document; generated names agree in stack, variables, disassembly and breakpoints', async () => {
    const announced = dc.waitForEvent('loadedSource');
    await launch(dc, { program: ws('c/hello.wasm'), programArgs: ['7', 'primes'], stopOnEntry: true });
    // The overview is announced while the program loads, with the reference a client fetches it by.
    const overview = ((await announced) as DebugProtocol.LoadedSourceEvent).body.source;
    assert.strictEqual(overview.name, 'hello.wasm.wat');
    assert.strictEqual(overview.path, ws('c/hello.wasm.wat'));
    assert.ok(overview.sourceReference! > 0);

    const top = (await frames(dc)).raw[0];
    assert.strictEqual(top.name, 'hello!_start');
    assert.strictEqual(top.source?.name, 'hello.wasm/_start.wat');
    assert.strictEqual(top.source?.path, ws('c/hello.wasm/_start.wat'));
    assert.ok(top.source!.sourceReference! > 0 && top.source!.sourceReference !== overview.sourceReference);
    // `source` gives that function's text only.
    const lines = await sourceLines(dc, top.source!);
    assert.strictEqual(lines[1], '(func $_start (export "_start") (type $t3)');
    assert.strictEqual(lines.filter((l) => l.includes('(func ')).length, 1);
    assert.strictEqual(lines[top.line - 1], '  call $f7');
    assert.strictEqual(top.column, 3);

    // The overview lists types, imports, exports and every function, and nothing's code.
    const listed = await sourceLines(dc, overview);
    for (const line of [
      '  (import "wasi_snapshot_preview1" "fd_write" (func $wasi_snapshot_preview1.fd_write (type $t6) (param i32 i32 i32 i32) (result i32)))',
      '  (global $g0 (mut i32) (i32.const 71168))',
      '  (memory $memory 2)',
      '  (table $T0 5 5 funcref)',
      '  (export "_start" (func $_start))',
      '  (func $_start (type $t3))',
      '  (func $f7 (type $t3))',
    ]) {
      assert.ok(listed.includes(line), `the overview has ${line}`);
    }
    assert.ok(!listed.some((l) => l.trim() === 'call $f7'));

    // The binary has no name section: every view uses the generated names of the text.
    const dis = await dc.customRequest('disassemble', { memoryReference: top.instructionPointerReference, instructionCount: 2 });
    assert.deepStrictEqual(dis.body.instructions.map((i: DebugProtocol.DisassembledInstruction) => i.instruction), ['call $f7', 'call $f27']);
    assert.strictEqual(dis.body.instructions[0].location.name, 'hello.wasm/_start.wat');
    assert.strictEqual(dis.body.instructions[0].symbol, 'hello!_start');
    assert.deepStrictEqual(await scope(dc, top.id, 'Globals (hello)'), ['$g0 = 71168: mut i32']);
    assert.deepStrictEqual(await scope(dc, top.id, 'Memory (hello)'), ['$memory = 2 pages (131072 bytes): memory']);
    assert.deepStrictEqual(await scope(dc, top.id, 'Tables (hello)'), ['$T0 = funcref[5]: table']);
    assert.strictEqual(await evaluate(dc, '$g0', top.id), '71168: i32');
    // Only the documents shown so far are loaded sources, not one per function of the module.
    assert.deepStrictEqual(await loadedSourceNames(dc), ['hello.wasm.wat', 'hello.wasm/_start.wat']);

    // Stepping into the call opens the callee's document, under the name the text gives it.
    const opened = dc.waitForEvent('loadedSource');
    await resume(dc, 'stepIn');
    const callee = (await frames(dc)).raw;
    assert.deepStrictEqual(callee.map((f) => `${f.name} ${f.source?.name}:${f.line}`), [`hello!f7 hello.wasm/f7.wat:${callee[0].line}`, `hello!_start hello.wasm/_start.wat:${top.line}`]);
    assert.strictEqual(((await opened) as DebugProtocol.LoadedSourceEvent).body.source.name, 'hello.wasm/f7.wat');
    const f7 = await sourceLines(dc, callee[0].source!);
    assert.strictEqual(f7[1], '(func $f7 (type $t3)');
    assert.ok(callee[0].line > 2 && f7[callee[0].line - 1].startsWith('  '), 'the stop is on an instruction of $f7');
    assert.deepStrictEqual((await scope(dc, callee[0].id, 'Locals'))[0], '$l0 = 0: i32');

    // A breakpoint on a line of that document stops there (after the call it stopped at returns);
    // breakpointLocations offers its columns.
    assert.strictEqual(f7[callee[0].line - 1], '  call $f16');
    const callLine = callee[0].line + 1;
    assert.strictEqual(f7[callLine - 1], '  local.tee $l0');
    const locations = await dc.customRequest('breakpointLocations', { source: callee[0].source, line: callLine });
    assert.deepStrictEqual(locations.body.breakpoints, [{ line: callLine, column: 3 }]);
    const set = await dc.setBreakpointsRequest({ source: callee[0].source!, breakpoints: [{ line: callLine }] });
    assert.deepStrictEqual(set.body.breakpoints.map((b) => [b.verified, b.line, b.source?.name]), [[true, callLine, 'hello.wasm/f7.wat']]);
    const out = collectOutput(dc);
    assert.strictEqual((await resume(dc, 'continue'))?.body.reason, 'breakpoint');
    const atBreakpoint = (await frames(dc)).raw[0];
    assert.deepStrictEqual([atBreakpoint.name, atBreakpoint.source?.name, atBreakpoint.line], ['hello!f7', 'hello.wasm/f7.wat', callLine]);
    await dc.setBreakpointsRequest({ source: callee[0].source!, breakpoints: [] });
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.strictEqual(out.stdout, 'hello from C, 2 argument(s)\n  argv[1] = 7\n  argv[2] = primes\nfirst 7 primes: 2 3 5 7 11 13 17\nsum = 58\n');
  });

  it('binds a function breakpoint by generated name in a document never opened, and stops there', async () => {
    let bound: DebugProtocol.Breakpoint[] = [];
    await launch(dc, { program: ws('c/hello.wasm'), programArgs: ['3'] }, async () => {
      bound = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '$f7' }] })).body.breakpoints;
    });
    const top = (await frames(dc)).raw[0];
    assert.deepStrictEqual([top.name, top.source?.name], ['hello!f7', 'hello.wasm/f7.wat']);
    const lines = await sourceLines(dc, top.source!);
    assert.strictEqual(lines[top.line - 1].trim(), lines.slice(3).find((l) => !l.trim().startsWith('(local'))!.trim(), 'its first instruction');
    const verified = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'f7' }, { name: 'hello!_start' }] })).body.breakpoints;
    assert.deepStrictEqual(verified.map((b) => [b.verified, b.source?.name]), [[true, 'hello.wasm/f7.wat'], [true, 'hello.wasm/_start.wat']]);
    assert.ok(bound.length === 1);
    // The editor's links in the overview open a function's document through this request.
    const overview = ws('c/hello.wasm.wat');
    const opened = await dc.customRequest('generatedFunctionSource', { overview, function: '$f27' });
    assert.deepStrictEqual([opened.body.source.name, opened.body.source.path], ['hello.wasm/f27.wat', ws('c/hello.wasm/f27.wat')]);
    assert.strictEqual((await sourceLines(dc, opened.body.source))[1], '(func $f27 (type $t3)');
    assert.strictEqual(
      await failure(dc.customRequest('generatedFunctionSource', { overview, function: '$wasi_snapshot_preview1.fd_write' })),
      'hello.wasm.wat has no function $wasi_snapshot_preview1.fd_write with code',
    );
    assert.strictEqual(await exitCode(dc, () => dc.setFunctionBreakpointsRequest({ breakpoints: [] }).then(() => dc.continueRequest({ threadId: 1 }))), 0);
  });
});

describe('debug adapter: a .wasm with a name section', function () {
  this.timeout(60000);
  const dc = useAdapter();
  let wasm: string;

  before(async () => {
    const text = [
      '(module $calc',
      '  (func $square (param $x i32) (result i32)',
      '    (i32.mul (local.get $x) (local.get $x)))',
      '  (func $sum_squares (export "main") (param $n i32) (result i32) (local $total i32)',
      '    (block $done',
      '      (loop $next',
      '        (br_if $done (i32.eqz (local.get $n)))',
      '        (local.set $total (i32.add (local.get $total) (call $square (local.get $n))))',
      '        (local.set $n (i32.sub (local.get $n) (i32.const 1)))',
      '        (br $next)))',
      '    (local.get $total)))',
    ];
    const dir = path.dirname(tempProgram('calc.wat', text));
    wasm = path.join(dir, 'calc.wasm');
    fs.writeFileSync(wasm, await assembleWat(text.join('\n'), path.join(dir, 'calc.wat')));
  });

  it('stops at a function breakpoint by its own name, steps across functions and their documents', async () => {
    await launch(dc, { program: wasm, invoke: 'main', args: [3] }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'square' }] }));
    let stack = await frames(dc);
    assert.deepStrictEqual(stack.shown, ['calc!square square.wat:3:3', 'calc!sum_squares sum_squares.wat:11:7']);
    assert.deepStrictEqual(stack.raw.map((f) => f.source?.name), ['calc.wasm/square.wat', 'calc.wasm/sum_squares.wat']);
    const square = await sourceLines(dc, stack.raw[0].source!);
    assert.deepStrictEqual(square, [
      `;; function 0 of calc.wasm, code at byte 0x${square[0].match(/0x([0-9a-f]+)/)![1]}; the module: calc.wasm.wat`,
      '(func $square (type $t0) (param $x i32) (result i32)',
      '  local.get $x',
      '  local.get $x',
      '  i32.mul',
      ')',
      '',
    ]);
    assert.deepStrictEqual(await scope(dc, stack.raw[0].id, 'Locals'), ['$x = 3: i32']);
    // The disassembly runs on across functions, and pads before the first instruction of the code.
    const dis = await dc.customRequest('disassemble', { memoryReference: stack.raw[0].instructionPointerReference, instructionOffset: -2, instructionCount: 7 });
    assert.deepStrictEqual(
      dis.body.instructions.map((i: DebugProtocol.DisassembledInstruction) => (i.presentationHint === 'invalid' ? '-' : `${i.symbol} ${i.instruction} ${i.line}`)),
      ['-', '-', 'calc!square local.get $x 3', 'calc!square local.get $x 4', 'calc!square i32.mul 5', 'calc!square end 6', 'calc!sum_squares block 4'],
    );
    const addresses = dis.body.instructions.map((i: DebugProtocol.DisassembledInstruction) => Number(BigInt(i.address) & 0xffffffffn));
    assert.deepStrictEqual(addresses, [...addresses].sort((a, b) => a - b), 'addresses ascend');
    const caller = await sourceLines(dc, stack.raw[1].source!);
    assert.strictEqual(caller[10], '      call $square');
    assert.deepStrictEqual(await scope(dc, stack.raw[1].id, 'Locals'), ['$n = 3: i32', '$total = 0: i32']);

    // A line step in $square's document, then out to its caller's.
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await resume(dc, 'next');
    assert.deepStrictEqual((await frames(dc)).shown[0], 'calc!square square.wat:4:3');
    await resume(dc, 'stepOut');
    stack = await frames(dc);
    assert.deepStrictEqual(stack.shown, ['calc!sum_squares sum_squares.wat:12:7']);
    // Instruction steps around the loop go into $square's document again.
    let steps = 0;
    while ((await frames(dc)).raw[0].name !== 'calc!square' && steps++ < 20) await resume(dc, 'stepIn', { granularity: 'instruction' });
    assert.strictEqual(steps, 13); // i32.add ... call $square: 12 instructions of the loop, then $square's first
    assert.deepStrictEqual((await frames(dc)).shown[0], 'calc!square square.wat:3:3');
    assert.deepStrictEqual(await loadedSourceNames(dc), ['calc.wasm.wat', 'calc.wasm/square.wat', 'calc.wasm/sum_squares.wat']);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.match(out.console, /calc!main\(3\) returned 14\n/);
  });
});

describe('debug adapter: a binary module of a .wast script', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it('shows its functions in documents named after the script and the module command line', async () => {
    const bytes = await assembleWat('(module (func (export "answer") (result i32) (i32.const 42)))', 'answer.wat');
    const escaped = [...bytes].map((b) => '\\' + b.toString(16).padStart(2, '0')).join('');
    const script = tempProgram('binary.wast', [';; a module given as bytes', `(module binary "${escaped}")`, '(assert_return (invoke "answer") (i32.const 42))']);
    await launch(dc, { program: script }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'answer' }] }));
    const top = (await frames(dc)).raw[0];
    assert.deepStrictEqual([top.name, top.source?.name, top.source?.path, top.line], ['binary.wast:2!answer', 'binary.wast.2/answer.wat', `${script}.2/answer.wat`, 3]);
    assert.strictEqual((await sourceLines(dc, top.source!))[2], '  i32.const 42');
    assert.deepStrictEqual(await loadedSourceNames(dc), ['binary.wast.2.wat', 'binary.wast.2/answer.wat']);
    assert.strictEqual(await exitCode(dc, () => dc.setFunctionBreakpointsRequest({ breakpoints: [] }).then(() => dc.continueRequest({ threadId: 1 }))), 0);
  });
});
