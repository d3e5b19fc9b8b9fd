import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { locateSuite } from '../src/program/script';

const cli = path.resolve(__dirname, '..', 'src', 'cli.js');

function watdbg(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
  return { status: r.status, lines: r.stdout.trimEnd().split('\n'), stderr: r.stderr };
}

describe('watdbg test', function () {
  this.timeout(60000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watdbg-cli-'));
    fs.writeFileSync(
      path.join(dir, 'ok.wast'),
      [
        '(module',
        '  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))',
        '  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))',
        '(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))',
        '(assert_return (invoke "add" (i32.const 0xffffffff) (i32.const 1)) (i32.const 0))',
        '(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")',
        '(assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")',
        '(assert_malformed (module quote "(func (i32.const nope))") "unknown operator")',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'bad.wast'),
      [
        '(module (func (export "three") (result i32) (i32.const 3)))',
        '(assert_return (invoke "three") (i32.const 3))',
        '  (assert_return (invoke "three") (i32.const 4))',
        '(assert_trap (invoke "three") "unreachable")',
        '(module (func (i32.add)) (func (foo)))',
      ].join('\n'),
    );
    fs.mkdirSync(path.join(dir, 'broken'));
    fs.writeFileSync(path.join(dir, 'broken', 'syntax.wast'), '(module)\n(assert_return (invoke "f") (i32.const 1x))\n');
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints PASS and the totals for a passing script, exit status 0', () => {
    const file = path.join(dir, 'ok.wast');
    const r = watdbg(['test', file]);
    assert.deepStrictEqual(r.lines, [`PASS ${file}  6 passed`, '6 passed, 0 failed, 0 skipped']);
    assert.strictEqual(r.status, 0);
  });

  it('lists failures as file:line:column: message and exits with 1', () => {
    const r = watdbg(['test', dir]);
    const bad = path.join(dir, 'bad.wast');
    const syntax = path.join(dir, 'broken', 'syntax.wast');
    assert.deepStrictEqual(r.lines, [
      'FAIL bad.wast  2 passed, 3 failed',
      `  ${bad}:3:3: expected (i32.const 4), got (i32.const 3)`,
      `  ${bad}:4:1: expected trap "unreachable", got (i32.const 3)`,
      `  ${bad}:5:33: unknown operator foo`,
      `FAIL ${path.join('broken', 'syntax.wast')}  0 passed, 1 failed`,
      `  ${syntax}:2:40: malformed integer literal "1x"`,
      'PASS ok.wast  6 passed',
      '8 passed, 4 failed, 0 skipped',
    ]);
    assert.strictEqual(r.status, 1);
  });

  it('says plainly that the spec suite was skipped when it is absent', () => {
    const missing = path.join(dir, 'no-such-dir');
    const r = watdbg(['test', '--suite'], { ...process.env, WASM_TESTSUITE: missing });
    assert.deepStrictEqual(r.lines, [`spec suite skipped: WASM_TESTSUITE is set to ${missing}, which does not exist`]);
    assert.strictEqual(r.status, 0);
    const file = path.join(dir, 'ok.wast');
    assert.deepStrictEqual(locateSuite({ WASM_TESTSUITE: file }), { missing: `WASM_TESTSUITE is set to ${file}, which is not a directory` });
    assert.deepStrictEqual(locateSuite({ WASM_TESTSUITE: dir }), { dir });
  });

  it('names a missing path, exit status 2', () => {
    const r = watdbg(['test', path.join(dir, 'missing.wast')]);
    assert.strictEqual(r.status, 2);
    assert.strictEqual(r.stderr, `watdbg: ${path.join(dir, 'missing.wast')}: no such file or directory\n`);
  });

  it('checks modules by the edition --edition names, and refuses an unknown one', () => {
    const file = path.join(dir, 'editions', 'two.wast');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '(assert_invalid (module (memory 0) (memory 0)) "multiple memories")\n');
    assert.deepStrictEqual(watdbg(['test', '--edition=2.0', file]).lines, [`PASS ${file}  1 passed`, '1 passed, 0 failed, 0 skipped']);
    assert.deepStrictEqual(watdbg(['test', '--edition=3.0', file]).lines.slice(-1), ['0 passed, 1 failed, 0 skipped']);
    // Without the option, the edition the suite's README names.
    fs.writeFileSync(path.join(dir, 'editions', 'README.md'), '# A test suite (WebAssembly 2.0)\n');
    assert.deepStrictEqual(watdbg(['test', file]).lines.slice(-1), ['1 passed, 0 failed, 0 skipped']);
    const r = watdbg(['test', '--edition=4.0', file]);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /^watdbg: unknown edition "4\.0": expected 2\.0 or 3\.0\nusage: watdbg test/);
  });

  it('rejects unknown commands with usage and exit status 2', () => {
    const r = watdbg(['frobnicate']);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /^watdbg: unknown command frobnicate\nusage: watdbg test/);
  });
});

describe('watdbg assemble', function () {
  this.timeout(60000);

  it('writes the binary of a text module beside it (or to -o), which runs as the text does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watdbg-assemble-'));
    const wat = path.join(dir, 'twice.wat');
    fs.writeFileSync(wat, '(module $twice\n  (func (export "twice") (param i32) (result i32)\n    (i32.mul (local.get 0) (i32.const 2))))\n');
    const r = watdbg(['assemble', wat]);
    assert.strictEqual(r.status, 0, r.stderr);
    const wasm = path.join(dir, 'twice.wasm');
    assert.match(r.lines[0], /twice\.wasm: \d+ bytes$/);
    // Node's own WebAssembly (the project's TypeScript has no DOM types for it).
    const v8 = (globalThis as unknown as { WebAssembly: { Instance: new (m: unknown) => { exports: Record<string, unknown> }; Module: new (b: Uint8Array) => unknown } }).WebAssembly;
    const instance = new v8.Instance(new v8.Module(fs.readFileSync(wasm)));
    assert.strictEqual((instance.exports.twice as (n: number) => number)(21), 42);
    const out = path.join(dir, 'other.wasm');
    assert.strictEqual(watdbg(['assemble', wat, '-o', out]).status, 0);
    assert.deepStrictEqual(fs.readFileSync(out), fs.readFileSync(wasm));
  });

  it('names file:line:column of a text that is not a module, and writes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watdbg-assemble-'));
    const wat = path.join(dir, 'bad.wat');
    fs.writeFileSync(wat, '(module\n  (func (i32.const nope)))\n');
    const r = watdbg(['assemble', wat]);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, new RegExp(`^${wat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: `));
    assert.ok(!fs.existsSync(path.join(dir, 'bad.wasm')));
    assert.strictEqual(watdbg(['assemble']).status, 2);
  });
});
