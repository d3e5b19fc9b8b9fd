// runJsProgramInWorker: a JavaScript program runs unchanged in a worker thread whose WebAssembly is
// ours; what it prints, its arguments and environment, its failures and exit codes, the instances
// it creates (named after the files their bytes were read from) and its calls into wasm.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runJsProgramInWorker } from '../src/jsapi/runInWorker';
import { assembleText } from '../src/text/wat/index';

describe('JavaScript programs in a worker on our WebAssembly', () => {
  let dir: string;
  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);

  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'js-program-')));
    fs.writeFileSync(path.join(dir, 'adder.wasm'), assembleText(`(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))`, 'adder.wat').bytes);
    const inline = [...assembleText(`(module (func (export "answer") (result i64) i64.const 42))`, 'inline.wat').bytes];
    write('main.mjs', `
      import { readFileSync } from 'node:fs';
      const bytes = readFileSync(new URL('./adder.wasm', import.meta.url));
      const a = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
      const { instance: b } = await WebAssembly.instantiate(bytes);
      const { instance: c } = await WebAssembly.instantiate(new Uint8Array(${JSON.stringify(inline)}));
      console.log('sums', a.add(2, 3), b.exports.add(-1, 1), 'answer', c.exports.answer());
      console.log('argv', process.argv.slice(2).join(','), 'env', process.env.GREETING);
      console.error('to stderr');
      globalThis.leakedFromProgram = true;
    `);
    write('fails.mjs', `console.log('before'); throw new Error('boom');`);
    write('exits.cjs', `console.log('bye'); process.exit(3);`);
    write('trap.cjs', `
      const bytes = require('fs').readFileSync(__dirname + '/trap.wasm');
      const { run } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
      try { run(); } catch (e) { console.log(e instanceof WebAssembly.RuntimeError, e.message); }
    `);
    fs.writeFileSync(path.join(dir, 'relay.wasm'), assembleText(`(module
      (import "js" "cb" (func $cb))
      (func $middle (export "run") call $cb)
      (func $divide (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
      (func (export "id64") (param i64) (result i64) local.get 0))`, 'relay.wat').bytes);
    write('stacks.cjs', `
      const bytes = require('fs').readFileSync(__dirname + '/relay.wasm');
      let nested = false;
      const { run, div, id64 } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
        js: { cb() { if (nested) { nested = false; run(); } throw new Error('from callback'); } },
      }).exports;
      function outer() { run(); }
      const top = (e) => e.stack.split('\\n').slice(0, 5).join('\\n').replace(/wasm:\\/\\/wasm\\/[0-9a-f]+:wasm-function\\[\\d+\\]:/g, 'wasm:');
      try { outer(); } catch (e) { console.log(top(e)); }
      nested = true;
      try { outer(); } catch (e) { console.log(top(e)); }
      try { div(1, 0); } catch (e) { console.log(top(e).split('\\n').slice(1, 3).join('\\n')); }
      function passesANumber() { id64(5); }
      try { passesANumber(); } catch (e) { console.log(top(e).split('\\n').slice(0, 2).join('\\n')); }
    `);
    fs.writeFileSync(path.join(dir, 'trap.wasm'), assembleText(`(module (func (export "run") unreachable))`, 'trap.wat').bytes);
  });
  after(() => fs.rmSync(dir, { recursive: true }));

  it('runs an ES module with its arguments and environment, and names instances after the file the bytes came from', async () => {
    const run = await runJsProgramInWorker(path.join(dir, 'main.mjs'), { args: ['x', 'y z'], env: { GREETING: 'hi' } });
    assert.deepStrictEqual(run, {
      exitCode: 0,
      stdout: 'sums 5 0 answer 42n\nargv x,y z env hi\n',
      stderr: 'to stderr\n',
      instances: [
        { name: 'adder', origin: path.join(dir, 'adder.wasm') },
        { name: 'adder#2', origin: path.join(dir, 'adder.wasm') },
        { name: 'module#1', origin: null },
      ],
      wasmCalls: 3,
    });
    assert.strictEqual((globalThis as { leakedFromProgram?: boolean }).leakedFromProgram, undefined);
  });

  it("runs the same program on Node's own WebAssembly with webAssembly: 'v8', reporting no instances of ours", async () => {
    const run = await runJsProgramInWorker(path.join(dir, 'main.mjs'), { args: ['x', 'y z'], env: { GREETING: 'hi' }, webAssembly: 'v8' });
    assert.deepStrictEqual(run, { exitCode: 0, stdout: 'sums 5 0 answer 42n\nargv x,y z env hi\n', stderr: 'to stderr\n', instances: [], wasmCalls: 0 });
  });

  it('error stacks show the wasm frames between JavaScript frames where V8 does, not the engine\'s own', async () => {
    const program = path.join(dir, 'stacks.cjs');
    const [ours, v8] = await Promise.all([runJsProgramInWorker(program), runJsProgramInWorker(program, { webAssembly: 'v8' })]);
    const at = (line: number) => `(${program}:${line}`;
    assert.deepStrictEqual(ours.stdout.split('\n').map((l) => l.replace(/:\d+\)$/, ')')), [
      'Error: from callback',
      `    at cb ${at(5)})`,
      '    at middle (wasm:0x45)',
      `    at outer ${at(7)})`,
      `    at Object.<anonymous> ${at(9)})`,
      'Error: from callback',
      `    at cb ${at(5)})`,
      '    at middle (wasm:0x45)',
      `    at cb ${at(5)})`,
      '    at middle (wasm:0x45)',
      '    at divide (wasm:0x4e)',
      `    at Object.<anonymous> ${at(12)})`,
      'TypeError: Cannot convert 5 to a BigInt',
      `    at passesANumber ${at(13)})`,
      '',
    ]);
    assert.strictEqual(ours.stdout, v8.stdout);
  });

  it("reports an uncaught error as node does, after the program's output, with exit code 1", async () => {
    const run = await runJsProgramInWorker(path.join(dir, 'fails.mjs'));
    assert.strictEqual(run.exitCode, 1);
    assert.strictEqual(run.stdout, 'before\n');
    assert.match(run.stderr, /^Uncaught Error: boom\n {4}at .*fails\.mjs:1:/);
  });

  it('ends with the code a CommonJS program gives process.exit, keeping its output', async () => {
    const run = await runJsProgramInWorker(path.join(dir, 'exits.cjs'));
    assert.deepStrictEqual({ exitCode: run.exitCode, stdout: run.stdout, instances: run.instances }, { exitCode: 3, stdout: 'bye\n', instances: [] });
  });

  it("gives the program our RuntimeError for a trap in wasm, with the engine's message", async () => {
    const run = await runJsProgramInWorker(path.join(dir, 'trap.cjs'));
    assert.deepStrictEqual({ stdout: run.stdout, instances: run.instances, wasmCalls: run.wasmCalls }, {
      stdout: 'true unreachable\n', instances: [{ name: 'trap', origin: path.join(dir, 'trap.wasm') }], wasmCalls: 1,
    });
  });
});
