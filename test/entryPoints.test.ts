// "Debug This File" without a launch configuration: which export to call, with which arguments,
// and which files beside the program provide its imports.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chooseEntry, exportedFunctions, parseArguments, readModule, siblingImports, type ExportedFunction } from '../src/program/entryPoints';

const workspace = path.resolve(__dirname, '..', '..', 'testWorkspace');
const fn = (name: string, params: ExportedFunction['params'] = []): ExportedFunction => ({
  name,
  params,
  signature: `(func${params.length ? ` (param ${params.join(' ')})` : ''})`,
});

describe('entry points: Debug This File without a launch configuration', () => {
  describe('exported functions', () => {
    it('counter.wat: names, parameter types and signatures, in export order', async () => {
      const funcs = exportedFunctions(await readModule(path.join(workspace, 'counter.wat')));
      assert.deepStrictEqual(funcs, [
        { name: 'add', params: ['i32'], signature: '(func (param i32) (result i32))' },
        { name: 'get', params: [], signature: '(func (result i32))' },
        { name: 'calls', params: [], signature: '(func (result i32))' },
      ]);
    });
    it('a .wasm binary: hello.wasm exports _start', async () => {
      const funcs = exportedFunctions(await readModule(path.join(workspace, 'c', 'hello.wasm')));
      assert.deepStrictEqual(funcs.map((f) => f.name), ['_start']);
    });
    it('a file wabt rejects: the error names the file and line', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-entry-'));
      const bad = path.join(dir, 'bad.wat');
      fs.writeFileSync(bad, '(module\n  (func (i32.frobnicate)))\n');
      await assert.rejects(readModule(bad), (e: Error) => e.message.startsWith(`${bad}:2:`));
      fs.rmSync(dir, { recursive: true });
    });
    it('a file that does not validate or decode: loaded as a launch loads it, the error says where', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-entry-'));
      const invalid = path.join(dir, 'invalid.wat');
      fs.writeFileSync(invalid, '(module\n  (func (export "f")\n    local.get 3\n    drop))\n');
      await assert.rejects(readModule(invalid), { name: 'ProgramError', message: `${invalid}:3:5: unknown local 3 (in function 0)` });
      const notWasm = path.join(dir, 'text.wasm');
      fs.writeFileSync(notWasm, '(module)');
      await assert.rejects(readModule(notWasm), { name: 'ProgramError', message: `${notWasm}: malformed module at byte 0x0: magic header not detected (a module starts with the 4 bytes \\0asm)` });
      fs.rmSync(dir, { recursive: true });
    });
  });

  describe('choosing the export to invoke', () => {
    it('_start or main without parameters: the debugger picks it', () => {
      assert.deepStrictEqual(chooseEntry([fn('add', ['i32']), fn('_start')]), { kind: 'debugger-default' });
      assert.deepStrictEqual(chooseEntry([fn('main'), fn('other')]), { kind: 'debugger-default' });
    });
    it('main with parameters: main, so its arguments are asked for', () => {
      const main = fn('main', ['i32']);
      assert.deepStrictEqual(chooseEntry([fn('helper'), main]), { kind: 'only', func: main });
    });
    it('_start comes before main', () => {
      const start = fn('_start', ['i32']);
      assert.deepStrictEqual(chooseEntry([fn('main'), start]), { kind: 'only', func: start });
    });
    it('a single export is taken, several are offered', () => {
      assert.deepStrictEqual(chooseEntry([fn('sum', ['i64'])]), { kind: 'only', func: fn('sum', ['i64']) });
      const several = [fn('add', ['i32']), fn('get'), fn('calls')];
      assert.deepStrictEqual(chooseEntry(several), { kind: 'ask', funcs: several });
    });
    it('no exported function: left to the debugger (a start function may run, or it reports)', () =>
      assert.deepStrictEqual(chooseEntry([]), { kind: 'debugger-default' }));
  });

  describe('arguments typed by the user', () => {
    const add2 = fn('add2', ['i32', 'i64']);
    it('split on spaces and commas, kept as written', () => {
      assert.deepStrictEqual(parseArguments(' 10, 0x20 ', add2), { args: ['10', '0x20'] });
      assert.deepStrictEqual(parseArguments('-1 9223372036854775807', add2), { args: ['-1', '9223372036854775807'] });
    });
    it('a wrong count says how many the function takes', () => {
      assert.deepStrictEqual(parseArguments('1', add2), { error: 'add2 takes 2 arguments (i32 i64), got 1' });
      assert.deepStrictEqual(parseArguments('', fn('inc', ['i32'])), { error: 'inc takes 1 argument (i32), got 0' });
    });
  });

  describe('imports from files beside the program', () => {
    it('app.wat: math and logger bound to math.wat and logger.wat; console is the host module', async () => {
      const program = path.join(workspace, 'app.wat');
      assert.deepStrictEqual(await siblingImports(program, await readModule(program)), {
        math: path.join(workspace, 'math.wat'),
        logger: path.join(workspace, 'logger.wat'),
      });
    });
    it('imports of imported modules are followed; a .wasm is used when there is no .wat', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-entry-'));
      fs.writeFileSync(path.join(dir, 'top.wat'), '(module (import "middle" "f" (func)))');
      fs.writeFileSync(path.join(dir, 'middle.wat'), '(module (import "leaf" "g" (func)) (func (export "f")))');
      fs.copyFileSync(path.join(workspace, 'c', 'hello.wasm'), path.join(dir, 'leaf.wasm'));
      const program = path.join(dir, 'top.wat');
      assert.deepStrictEqual(await siblingImports(program, await readModule(program)), {
        middle: path.join(dir, 'middle.wat'),
        leaf: path.join(dir, 'leaf.wasm'),
      });
      fs.rmSync(dir, { recursive: true });
    });
    it('names without a file beside the program are left for the debugger to report', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-entry-'));
      fs.writeFileSync(path.join(dir, 'alone.wat'), '(module (import "nowhere" "f" (func)) (import "spectest" "print_i32" (func (param i32))))');
      const program = path.join(dir, 'alone.wat');
      assert.deepStrictEqual(await siblingImports(program, await readModule(program)), {});
      fs.rmSync(dir, { recursive: true });
    });
  });
});
