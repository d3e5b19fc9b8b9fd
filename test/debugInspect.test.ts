// The debug adapter's views of a stopped program: variables, evaluate, setVariable, memory,
// modules and sources; .wast scripts and .wasm binaries; a 1,000,000-deep stack; bad requests.

import * as assert from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as net from 'net';
import * as path from 'path';
import { spawn } from 'child_process';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { ADAPTER, APP, TWICE, collectOutput, evaluate, exitCode, failure, firstOf, frames, launch, launchRunning, resume, scope, tempProgram, topFrameId, useAdapter, ws } from './debugHelpers';

describe('debug adapter: variables, evaluate and memory', function () {
  this.timeout(60000);
  const dc = useAdapter();

  /** Stops in logger!report just before it prints its first line ("fib(n) = 55"). */
  async function stopBeforeFirstPrint(): Promise<number> {
    await launch(dc, APP, () => dc.setBreakpointsRequest({ source: { path: ws('logger.wat') }, breakpoints: [{ line: 54 }] }));
    assert.deepStrictEqual((await frames(dc)).shown, ['logger!report logger.wat:54:21', 'app!main app.wat:23:6']);
    return topFrameId(dc);
  }

  it('shows locals by $name, the operand stack, the instance globals, memory and scopes of the frame', async () => {
    const frameId = await stopBeforeFirstPrint();
    const scopes = await dc.scopesRequest({ frameId });
    assert.deepStrictEqual(scopes.body.scopes.map((s) => s.name), ['Locals', 'Operand Stack', 'Globals (logger)', 'Memory (logger)']);
    assert.deepStrictEqual(await scope(dc, frameId, 'Locals'), ['$label = 256: i32', '$len = 6: i32', '$value = 55: i32', '$end = 11: i32']);
    assert.deepStrictEqual(await scope(dc, frameId, 'Operand Stack'), []);
    assert.deepStrictEqual(await scope(dc, frameId, 'Globals (logger)'), ['$lines = 0: mut i32', '$buffer = 0: i32']);
    assert.deepStrictEqual(await scope(dc, frameId, 'Memory (logger)'), ['memory0 = 1 page (65536 bytes): memory']);
    // The caller's frame shows the caller's instance.
    const caller = (await frames(dc)).raw[1].id;
    assert.deepStrictEqual(await scope(dc, caller, 'Locals'), ['$n = 10: i32', '$f = 55: i32', '$g = 0: i32', '$fact = 0: i32']);
    assert.deepStrictEqual((await dc.scopesRequest({ frameId: caller })).body.scopes.map((s) => s.name), ['Locals', 'Operand Stack', 'Globals (app)', 'Memory (app)']);
    // Two instructions into the line, the operand stack holds what they pushed.
    await resume(dc, 'stepIn', { granularity: 'instruction' });
    await resume(dc, 'stepIn', { granularity: 'instruction' });
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Operand Stack'), ['[0] = 0: i32', '[1] = 11: i32']);
  });

  it('formats integers in hex on request and pages memory in rows of 16 bytes', async () => {
    const frameId = await stopBeforeFirstPrint();
    const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    const locals = await dc.variablesRequest({ variablesReference: scopes[0].variablesReference, format: { hex: true } });
    assert.deepStrictEqual(locals.body.variables.map((v) => `${v.name} = ${v.value}`), ['$label = 0x100', '$len = 0x6', '$value = 0x37', '$end = 0xb']);
    const memories = await dc.variablesRequest({ variablesReference: scopes[3].variablesReference });
    const memory = memories.body.variables[0];
    assert.strictEqual(memory.memoryReference, 'memory/2/0');
    assert.strictEqual(memory.indexedVariables, 4096);
    const rows = await dc.variablesRequest({ variablesReference: memory.variablesReference, filter: 'indexed', start: 0, count: 2 });
    assert.deepStrictEqual(rows.body.variables.map((v) => `${v.name}: ${v.value}`), [
      '0x0000: 66 69 62 28 6e 29 20 3d 20 35 35 00 00 00 00 00  fib(n) = 55.....',
      '0x0010: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................',
    ]);
  });

  it('evaluates expressions over locals, globals and memory, in any frame, and reports errors as messages', async () => {
    const frameId = await stopBeforeFirstPrint();
    assert.strictEqual(await evaluate(dc, '$end - $label', frameId), '-245: i32');
    assert.strictEqual(await evaluate(dc, 'u8[0]', frameId), '102: i32');
    assert.strictEqual(await evaluate(dc, 'u8[$end - 1] == 53 && $lines == 0', frameId), 'true: bool');
    assert.strictEqual(await evaluate(dc, 'i64(local2) * 1000000000000', frameId), '55000000000000: i64');
    assert.strictEqual(await evaluate(dc, 'global1'), '0: i32'); // no frame given: the top frame
    const caller = (await frames(dc)).raw[1].id;
    assert.strictEqual(await evaluate(dc, '$f + $n', caller), '65: i32');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: '$nope', frameId })), 'no local, parameter or global named $nope at column 1');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: 'i32[65534]', frameId })), 'out of bounds memory access: i32[65534] reads 4 bytes but the memory is 65536 bytes at column 1');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: '($end', frameId })), "expected ')' to close '(' at column 1, found end of expression at column 6");
    const hover = await dc.evaluateRequest({ expression: 'value', frameId, context: 'hover' });
    assert.strictEqual(hover.body.result, '55');
  });

  it('changes locals and mutable globals, and refuses what cannot change', async () => {
    const frameId = await stopBeforeFirstPrint();
    const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    const [locals, , globals] = scopes.map((s) => s.variablesReference);
    const set = await dc.setVariableRequest({ variablesReference: locals, name: '$end', value: '$end - 3' });
    assert.deepStrictEqual([set.body.value, set.body.type], ['8', 'i32']);
    await dc.setVariableRequest({ variablesReference: globals, name: '$lines', value: '41' });
    assert.strictEqual(await failure(dc.setVariableRequest({ variablesReference: globals, name: '$buffer', value: '1' })), 'global $buffer is immutable');
    assert.strictEqual(await failure(dc.setVariableRequest({ variablesReference: locals, name: '$end', value: '1.5' })), '$end: cannot store 1.5 into an i32: it is not an integer');
    assert.strictEqual(await failure(dc.setVariableRequest({ variablesReference: locals, name: '$end', value: 'abc' })), 'no local, parameter or global named $abc at column 1');
    assert.strictEqual(await failure(dc.setVariableRequest({ variablesReference: scopes[1].variablesReference, name: '[0]', value: '1' })), 'values on the operand stack cannot be changed');
    const out = collectOutput(dc);
    await resume(dc, 'continue'); // the next report stops at the same breakpoint
    assert.strictEqual(out.stdout, 'fib(n) =\n'); // 8 bytes printed instead of 11
    assert.strictEqual(await evaluate(dc, '$lines'), '42: i32');
  });

  it('assigns locals, globals and memory from the debug console and from watches', async () => {
    const frameId = await stopBeforeFirstPrint();
    const repl = async (expression: string) => {
      const r = await dc.evaluateRequest({ expression, frameId, context: 'repl' });
      return `${r.body.result}: ${r.body.type}`;
    };
    assert.strictEqual(await repl('u8[9] = 0x34'), '52: i32');
    assert.strictEqual(await repl('i16[20] = 70000'), '4464: i32'); // a 16-bit store wraps
    assert.strictEqual(await repl('$lines = $lines + 7'), '7: i32');
    assert.strictEqual(await repl('$value == 55'), 'true: bool');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: '$buffer = 1', frameId, context: 'repl' })), 'global $buffer is immutable');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: '$end + 1 = 2', frameId, context: 'repl' })), 'only a local, a mutable global, a lane of one ($v.i32x4[0]), a memory place such as i32[addr], or a mutable field or element ($p.x, $a[2]) can be assigned at column 6');
    const watch = await dc.customRequest('setExpression', { expression: 'local3', value: '10', frameId });
    assert.deepStrictEqual([watch.body.value, watch.body.type], ['10', 'i32']);
    const out = collectOutput(dc);
    await resume(dc, 'continue');
    assert.strictEqual(out.stdout, 'fib(n) = 4\n'); // 10 bytes, the ninth changed to '4'
    assert.strictEqual(await evaluate(dc, '$lines'), '8: i32');
  });

  it('calls functions of any instance from the debug console, on top of the stopped program', async () => {
    await launch(dc, { ...APP, stopOnEntry: true });
    const out = collectOutput(dc);
    assert.strictEqual(await evaluate(dc, 'math!fib(10)'), '55: i32');
    assert.strictEqual(await evaluate(dc, '$fib(20) + 1'), '6766: i32'); // app's import of math's fib
    assert.strictEqual(await evaluate(dc, 'gcd(12, 18) * factorial(5)'), '720: i64');
    assert.strictEqual(await evaluate(dc, 'logger!report(256, 6, 7)'), 'no result: none');
    assert.strictEqual(out.stdout, 'fib(n) = 7\n');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: 'math!divide(1, 0)', context: 'repl' })), 'math!divide: trapped: integer divide by zero at column 1');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: 'nope(1)', context: 'repl' })), 'app has no function nope at column 1');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: '$fib()', context: 'repl' })), '$fib takes 1 argument (i32), got 0 at column 1');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: 'moon!fib(1)', context: 'repl' })), 'no instance named moon (instances: math, logger, app) at column 1');
    // The stopped program is untouched: it runs on from where it was.
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:22:31']);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.strictEqual(out.stdout, 'fib(n) = 7\nfib(n) = 55\ngcd(fib(n), 60) = 5\nn! mod 1000 = 800\n');
  });

  it('completes names in the debug console: locals, globals, functions, instances', async () => {
    const frameId = await stopBeforeFirstPrint();
    const complete = async (text: string) => {
      const r = await dc.completionsRequest({ text, column: text.length + 1, frameId });
      return r.body.targets.map((t) => `${t.label}@${t.start}+${t.length}`);
    };
    assert.deepStrictEqual(await complete('$l'), ['$label@1+2', '$len@1+2', '$lines@1+2', '$log_str@1+2']);
    assert.deepStrictEqual(await complete('1 + $fo'), ['$format_i32@5+3']);
    assert.deepStrictEqual(await complete('math!f'), ['math!$fib@1+6', 'math!$factorial@1+6']);
    assert.deepStrictEqual(await complete('u3'), ['u32[@1+2']);
    assert.deepStrictEqual(await complete('lo'), ['$log_str@1+2', 'logger!@1+2']);
  });

  it('reads and writes memory through its memoryReference', async () => {
    await stopBeforeFirstPrint();
    const read = await dc.customRequest('readMemory', { memoryReference: 'memory/2/0', offset: 0, count: 11 });
    assert.strictEqual(Buffer.from(read.body!.data!, 'base64').toString(), 'fib(n) = 55');
    assert.strictEqual(read.body!.address, '0x0');
    const edge = await dc.customRequest('readMemory', { memoryReference: 'memory/2/0', offset: 65530, count: 10 });
    assert.deepStrictEqual([Buffer.from(edge.body!.data!, 'base64').length, edge.body!.unreadableBytes], [6, 4]);
    const written = await dc.customRequest('writeMemory', { memoryReference: 'memory/2/0', offset: 9, data: Buffer.from('42').toString('base64') });
    assert.deepStrictEqual(written.body, { offset: 9, bytesWritten: 2 });
    assert.strictEqual(await failure(dc.customRequest('writeMemory', { memoryReference: 'memory/2/0', offset: 65535, data: Buffer.from('ab').toString('base64') })), "writeMemory: writing 2 bytes at 0xffff goes past the end of the memory (65536 bytes); set 'allowPartial' to write what fits");
    const out = collectOutput(dc);
    await resume(dc, 'continue');
    assert.strictEqual(out.stdout, 'fib(n) = 42\n');
  });

  it('shows i64 values exactly and floats with their NaN payloads', async () => {
    const file = tempProgram('floats.wat', [
      '(module $floats',
      '  (func $f (export "f") (param $x f32) (param $y f64) (param $z i64) (result i64)',
      '    (local.get $z)))',
    ]);
    await launch(dc, { program: file, invoke: 'f', args: ['nan:0x200000', '-nan:0x1', '9223372036854775807'], stopOnEntry: true });
    const frameId = await topFrameId(dc);
    assert.deepStrictEqual(await scope(dc, frameId, 'Locals'), ['$x = nan:0x200000: f32', '$y = -nan:0x1: f64', '$z = 9223372036854775807: i64']);
    assert.strictEqual(await evaluate(dc, '$z + 1'), '-9223372036854775808: i64');
    const locals = (await dc.scopesRequest({ frameId })).body.scopes[0].variablesReference;
    await dc.setVariableRequest({ variablesReference: locals, name: '$x', value: '-nan:0x7' });
    await dc.setVariableRequest({ variablesReference: locals, name: '$z', value: '$z - 9223372036854775000' });
    assert.deepStrictEqual(await scope(dc, frameId, 'Locals'), ['$x = -nan:0x7: f32', '$y = -nan:0x1: f64', '$z = 807: i64']);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.match(out.console, /floats!f\(nan:0x200000, -nan:0x1, 9223372036854775807\) returned 807\n/);
  });

  it("names globals, memories and tables as the module's text does, imported ones included", async () => {
    const file = tempProgram('named.wat', [
      '(module $named',
      '  (import "spectest" "global_i32" (global $imported i32))',
      '  (memory $heap 1)',
      '  (table $callbacks 2 funcref)',
      '  (global $count (mut i32) (i32.const 3))',
      '  (global i32 (i32.const 4))',
      '  (func (export "main")',
      '    (nop)))',
    ]);
    await launch(dc, { program: file, invoke: 'main', stopOnEntry: true });
    const frameId = await topFrameId(dc);
    assert.deepStrictEqual(await scope(dc, frameId, 'Globals (named)'), ['$imported = 666: i32', '$count = 3: mut i32', 'global2 = 4: i32']);
    assert.deepStrictEqual(await scope(dc, frameId, 'Memory (named)'), ['$heap = 1 page (65536 bytes): memory']);
    assert.deepStrictEqual(await scope(dc, frameId, 'Tables (named)'), ['$callbacks = funcref[2]: table']);
    assert.strictEqual(await evaluate(dc, '$count + $imported'), '669: i32');
  });

  it('lists one module per instance, named as in the stack, and the loaded sources', async () => {
    await launch(dc, { ...TWICE, stopOnEntry: true });
    const modules = await dc.customRequest('modules', {});
    assert.deepStrictEqual(
      modules.body.modules.map((m: { id: number; name: string; path: string }) => `${m.id} ${m.name} ${path.basename(m.path)}`),
      ['1 left counter.wat', '2 right counter.wat', '3 twice twice.wat'],
    );
    const sources = await dc.customRequest('loadedSources', {});
    // In the order launch reads them: the main module, then what it imports.
    assert.deepStrictEqual(sources.body.sources.map((s: { name: string }) => s.name), ['twice.wat', 'counter.wat']);
    // Step into one instance and out of it.
    assert.deepStrictEqual((await frames(dc)).shown, ['twice!main twice.wat:13:6']);
    await resume(dc, 'stepIn');
    assert.deepStrictEqual((await frames(dc)).shown, ['twice!main twice.wat:14:30']);
    await resume(dc, 'stepIn');
    assert.deepStrictEqual((await frames(dc)).shown, ['left!add counter.wat:10:34', 'twice!main twice.wat:14:14']);
    await resume(dc, 'stepOut');
    assert.deepStrictEqual((await frames(dc)).shown, ['twice!main twice.wat:14:8']);
  });

  it('answers every bad request with an error and keeps running', async () => {
    await launch(dc, { ...APP, stopOnEntry: true });
    assert.strictEqual(await failure(dc.scopesRequest({ frameId: 999 })), 'unknown frameId 999');
    assert.strictEqual(await failure(dc.variablesRequest({ variablesReference: 999 })), 'unknown variablesReference 999');
    assert.strictEqual(await failure(dc.stackTraceRequest({ threadId: 2 })), 'unknown thread 2');
    assert.strictEqual(await failure(dc.setBreakpointsRequest({ source: { name: 'nowhere' }, breakpoints: [{ line: 1 }] })), 'the source has no path');
    assert.strictEqual(await failure(dc.sourceRequest({ sourceReference: 77 })), 'unknown source reference 77');
    assert.strictEqual(await failure(dc.customRequest('readMemory', { memoryReference: 'memory/9/0', count: 4 })), 'readMemory: unknown memoryReference memory/9/0');
    assert.strictEqual(await failure(dc.customRequest('readMemory', { memoryReference: 'memory/2/0', count: -4 })), "readMemory: argument 'count' must be a whole number of bytes, got -4");
    assert.strictEqual(await failure(dc.customRequest('disassemble', { memoryReference: 'bogus', instructionCount: 4 })), 'unknown instruction reference bogus');
    assert.strictEqual(await failure(dc.exceptionInfoRequest({ threadId: 1 })), 'not stopped at a trap or an exception');
    assert.strictEqual(await failure(dc.customRequest('selfDestruct', {})), 'unknown request "selfDestruct"');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: '$n', frameId: -5 })), 'unknown frameId -5');
    // Missing and mistyped arguments name the request and the argument.
    assert.strictEqual(await failure(dc.send('scopes')), "scopes: missing argument 'frameId'");
    assert.strictEqual(await failure(dc.send('scopes', { frameId: 'x' })), 'scopes: argument \'frameId\' must be a number, got "x"');
    assert.strictEqual(await failure(dc.send('setBreakpoints')), "setBreakpoints: missing argument 'source'");
    assert.strictEqual(await failure(dc.send('stackTrace', { threadId: 1, levels: 1.5 })), "stackTrace: argument 'levels' must be a whole number, got number 1.5");
    assert.strictEqual(await failure(dc.send('evaluate', { frameId: 2 })), "evaluate: missing argument 'expression'");
    assert.strictEqual(await failure(dc.send('variables', [7])), 'variables: arguments must be an object, got an array');
    assert.strictEqual(await failure(dc.send('continue')), "continue: missing argument 'threadId'");
    assert.strictEqual(await failure(dc.send('next', { threadId: 1, granularity: 'word' })), 'next: argument \'granularity\' must be one of statement, line, instruction, got "word"');
    assert.strictEqual(await failure(dc.send('setFunctionBreakpoints', { breakpoints: [{ name: '$fib' }, { name: 3 }] })), "setFunctionBreakpoints: argument 'breakpoints[1].name' must be a string, got number 3");
    assert.strictEqual(await failure(dc.send('setBreakpoints', { source: { path: ws('logger.wat') }, breakpoints: [null] })), "setBreakpoints: argument 'breakpoints[0]' must be an object, got null");
    assert.strictEqual(await failure(dc.send('readMemory', { memoryReference: 'memory/2/0' })), "readMemory: missing argument 'count'");
    // A breakpoint line that is no line leaves that breakpoint unverified, saying why; the others stand.
    const set = await dc.setBreakpointsRequest({ source: { path: ws('logger.wat') }, breakpoints: [{ line: 'abc' as never }, { line: -5 }, { line: 54 }, {} as never] });
    assert.deepStrictEqual(
      set.body.breakpoints.map((b) => [b.verified, b.line, b.message]),
      [
        [false, undefined, 'line "abc" is not a line number (lines are whole numbers from 1)'],
        [false, undefined, 'line -5 is not a line number (lines are whole numbers from 1)'],
        [true, 54, undefined],
        [false, undefined, 'the breakpoint has no line'],
      ],
    );
    await dc.setBreakpointsRequest({ source: { path: ws('logger.wat') }, breakpoints: [] });
    // Still alive and well.
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:22:31']);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
  });

  it('says there is no program yet when asked about one before launch', async () => {
    await dc.initializeRequest();
    assert.strictEqual(await failure(dc.stackTraceRequest({ threadId: 1 })), 'there is no program yet: launch one first');
    assert.strictEqual(await failure(dc.scopesRequest({ frameId: 2 })), 'there is no program yet: launch one first');
    assert.strictEqual(await failure(dc.evaluateRequest({ expression: '1 + 1' })), 'there is no program yet: launch one first');
  });

  it('restarts the program from the beginning', async () => {
    await launch(dc, { ...APP, stopOnEntry: true });
    await resume(dc, 'next');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:23:20']);
    const stopped = firstOf(dc, ['stopped']);
    await dc.restartRequest({ arguments: { ...APP, stopOnEntry: true } } as never);
    assert.strictEqual(((await stopped) as { body: { reason: string } }).body.reason, 'entry');
    assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:22:31']);
  });
});

describe('debug adapter: Run Without Debugging', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it('runs to the end without stopping at the entry, breakpoints or traps', async () => {
    const out = collectOutput(dc);
    const code = await exitCode(dc, () =>
      launch(dc, { ...APP, stopOnEntry: true, noDebug: true }, () =>
        dc.setBreakpointsRequest({ source: { path: ws('math.wat') }, breakpoints: [{ line: 8 }] }),
      ),
    );
    assert.strictEqual(code, 0);
    assert.strictEqual(out.stdout, 'fib(n) = 55\ngcd(fib(n), 60) = 5\nn! mod 1000 = 800\n');
  });
});

describe('debug adapter: a 1,000,000-deep stack', function () {
  this.timeout(120000);
  const dc = useAdapter('suite');

  it('pages the stack from the middle, with totalFrames, and evaluates in a frame there', async () => {
    dc.defaultTimeout = 60000;
    const stop = await launch(dc, { program: ws('deep.wat'), invoke: 'sum', args: [1000000], maxCallDepth: 1000000 }, () =>
      dc.setBreakpointsRequest({ source: { path: ws('deep.wat') }, breakpoints: [{ line: 7 }] }),
    );
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    const middle = await frames(dc, 500000, 3);
    assert.strictEqual(middle.total, 1000000);
    assert.deepStrictEqual(middle.shown, ['deep!sum deep.wat:9:34', 'deep!sum deep.wat:9:34', 'deep!sum deep.wat:9:34']);
    assert.strictEqual(await evaluate(dc, '$n', middle.raw[0].id), '500001: i64');
    const top = await frames(dc, 0, 1);
    assert.deepStrictEqual(top.shown, ['deep!sum deep.wat:7:14']);
    const bottom = await frames(dc, 999999, 20);
    assert.deepStrictEqual(bottom.shown, ['deep!sum deep.wat:9:34']);
    assert.strictEqual(await evaluate(dc, '$n', bottom.raw[0].id), '1000000: i64');
  });
});

describe('debug adapter: .wast scripts', function () {
  this.timeout(60000);
  const dc = useAdapter();

  const SCRIPT_17 = 'example.wast: (assert_return (invoke $Store "add" (i32.const 5)) (i32.const 5)) example.wast:17:1';

  it('stops at the first invocation command, steps into it and over whole commands', async () => {
    const stop = await launch(dc, { program: ws('example.wast'), stopOnEntry: true });
    assert.strictEqual(stop?.body.reason, 'entry');
    const first = await frames(dc);
    assert.deepStrictEqual([first.shown, first.total], [[SCRIPT_17], 1]);
    assert.deepStrictEqual(await scope(dc, first.raw[0].id, 'Globals (Store)'), ['$total = 0: mut i32']);
    await resume(dc, 'next'); // runs the whole assert_return, stops at the next command
    assert.deepStrictEqual((await frames(dc)).shown, ['example.wast: (assert_return (invoke $Store "add" (i32.const 7)) (i32.const 12)) example.wast:18:1']);
    assert.strictEqual(await evaluate(dc, '$total'), '5: i32');
    await resume(dc, 'stepIn');
    assert.deepStrictEqual((await frames(dc)).shown, [
      'Store!add example.wast:10:34',
      'example.wast: (assert_return (invoke $Store "add" (i32.const 7)) (i32.const 12)) example.wast:18:1',
    ]);
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Locals'), ['$x = 7: i32']);
  });

  it('hits breakpoints in the script, steps across registered modules, and reports the script result', async () => {
    const out = collectOutput(dc);
    await launch(dc, { program: ws('example.wast') }, () =>
      dc.setBreakpointsRequest({ source: { path: ws('example.wast') }, breakpoints: [{ line: 28 }] }),
    );
    const command = 'example.wast: (assert_return (invoke "add_twice" (i32.const 1)) (i32.const 14)) example.wast:39:1';
    assert.deepStrictEqual((await frames(dc)).shown, ['User!twice example.wast:28:23', command]);
    await resume(dc, 'stepIn', { granularity: 'instruction' });
    assert.deepStrictEqual((await frames(dc)).shown, ['User!twice example.wast:28:12', command]);
    await resume(dc, 'stepIn'); // into the registered module's function
    assert.deepStrictEqual((await frames(dc)).shown, ['Store!add example.wast:10:34', 'User!twice example.wast:28:12', command]);
    await resume(dc, 'stepOut');
    assert.deepStrictEqual((await frames(dc)).shown, ['User!twice example.wast:28:6', command]);
    await resume(dc, 'next');
    // Stepping over the spectest host function prints and lands on the next line.
    assert.deepStrictEqual((await frames(dc)).shown, ['User!twice example.wast:29:19', command]);
    await resume(dc, 'next');
    assert.deepStrictEqual((await frames(dc)).shown, ['User!twice example.wast:30:17', command]);
    await dc.setBreakpointsRequest({ source: { path: ws('example.wast') }, breakpoints: [] });
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
    assert.match(out.console, /example\.wast: 17 passed, 0 failed, 0 skipped\n/);
    assert.strictEqual(out.stdout, '13 : i32\n114 : i32\n');
  });

  it('stops at a breakpoint on an invocation command, before the script runs it', async () => {
    let unverified: { verified: boolean; message?: string } | undefined;
    const stop = await launch(dc, { program: ws('example.wast') }, async () => {
      const r = await dc.setBreakpointsRequest({ source: { path: ws('example.wast') }, breakpoints: [{ line: 41 }, { line: 15 }] });
      unverified = r.body.breakpoints[1];
    });
    assert.strictEqual(unverified?.verified, false);
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    const command = 'example.wast: (assert_return (invoke "fact" (i64.const 20)) (i64.const 2432902008176640000)) example.wast:41:1';
    assert.deepStrictEqual((await frames(dc)).shown, [command]);
    assert.strictEqual(await evaluate(dc, '$total'), '14: i32'); // the instance it calls: User, with Store's global imported
    await resume(dc, 'stepIn');
    assert.deepStrictEqual((await frames(dc)).shown, ['User!fact example.wast:34:32', command]);
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Locals'), ['$n = 20: i64']);
  });

  it('stops at traps an assertion expects only when asked to', async () => {
    const stop = await launch(dc, { program: ws('example.wast') }, () => dc.setExceptionBreakpointsRequest({ filters: ['trap', 'expectedTrap'] }));
    assert.strictEqual(stop?.body.reason, 'exception');
    assert.strictEqual(stop?.body.text, 'out of bounds memory access');
    assert.deepStrictEqual((await frames(dc)).shown, [
      'Store!load example.wast:13:6',
      'example.wast: (assert_trap (invoke $Store "load" (i32.const 65536)) "out of bounds memory access") example.wast:20:1',
    ]);
    await resume(dc, 'continue');
    assert.deepStrictEqual((await frames(dc)).shown[0], 'User!quotient example.wast:32:6');
  });
});

describe('debug adapter: start functions of .wast script modules', function () {
  this.timeout(60000);
  const dc = useAdapter();

  function startScript(): string {
    return tempProgram('starts.wast', [
      '(module $Counter', //                                          1
      '  (global $count (export "count") (mut i32) (i32.const 0))', // 2
      '  (func $init', //                                             3
      '    (global.set $count', //                                  4
      '      (i32.const 41)))', //                                  5
      '  (start $init))', //                                          6
      '(assert_return (get $Counter "count") (i32.const 41))', //     7
      '(module $Boom', //                                             8
      '  (func $init', //                                             9
      '    (unreachable))', //                                     10
      '  (start $init)', //                                          11
      '  (func (export "f")))', //                                 12
      '(assert_return (invoke $Boom "f"))', //                       13
    ]);
  }

  it('a breakpoint in a start function stops there under the module command; a trapping start fails its module', async () => {
    const file = startScript();
    const stop = await launch(dc, { program: file }, () => dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: 5 }] }));
    assert.strictEqual(stop?.body.reason, 'breakpoint');
    assert.deepStrictEqual((await frames(dc)).shown, ['Counter!init starts.wast:5:8', 'starts.wast: (module $Counter starts.wast:1:1']);
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Globals (Counter)'), ['$count = 0: mut i32']);
    await resume(dc, 'stepIn');
    assert.deepStrictEqual((await frames(dc)).shown, ['Counter!init starts.wast:4:6', 'starts.wast: (module $Counter starts.wast:1:1']);
    await resume(dc, 'stepIn');
    assert.deepStrictEqual(await scope(dc, await topFrameId(dc), 'Globals (Counter)'), ['$count = 41: mut i32']);
    const trap = await resume(dc, 'continue');
    assert.strictEqual(trap?.body.reason, 'exception');
    assert.deepStrictEqual((await frames(dc)).shown, ['Boom!init starts.wast:10:6', 'starts.wast: (module $Boom starts.wast:8:1']);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 1);
    assert.strictEqual(
      out.stderr,
      `trap: unreachable\n    at Boom!init (${file}:10:6)\n` +
        `${file}:8:1: module failed: trap "unreachable"\n${file}:13:1: assert_return failed: the module at line 8 failed to load\n`,
    );
    assert.match(out.console, /starts\.wast: 2 passed, 2 failed, 0 skipped\n/);
  });
});

describe('debug adapter: WASI command lines', function () {
  this.timeout(60000);
  const dc = useAdapter();

  it("passes args to the entry function and programArgs as the WASI command line, both at once", async () => {
    const file = tempProgram('argc.wat', [
      '(module $argc',
      '  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))',
      '  (memory 1)',
      '  ;; n plus the number of command-line words (the program name included)',
      '  (func (export "count") (param $n i32) (result i32)',
      '    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))',
      '    (i32.add (local.get $n) (i32.load (i32.const 0)))))',
    ]);
    const out = collectOutput(dc);
    assert.strictEqual(await exitCode(dc, () => launchRunning(dc, { program: file, invoke: 'count', args: [10], programArgs: ['a', 'b'] })), 0);
    assert.match(out.console, /argc!count\(10\) returned 13\n/);
  });
});

describe('debug adapter: --server mode', function () {
  this.timeout(60000);

  it('serves DAP sessions on 127.0.0.1', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const server = spawn(process.execPath, [ADAPTER, `--server=${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        server.stderr!.on('data', (d: Buffer) => (d.toString().includes('waiting for DAP clients') ? resolve() : undefined));
        server.on('exit', (code) => reject(new Error(`adapter exited with ${code}`)));
      });
      const dc = new DebugClient('node', ADAPTER, 'wat');
      await dc.start(port);
      try {
        await launch(dc, { ...APP, stopOnEntry: true });
        assert.deepStrictEqual((await frames(dc)).shown, ['app!main app.wat:22:31']);
      } finally {
        await dc.stop();
      }
    } finally {
      server.kill();
    }
  });
});
