import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ProgramError } from '../src/program/errors';
import { loadProgram, type LaunchConfig } from '../src/program/launch';
import { runProgram } from '../src/program/run';
import { runCommand, stackLines } from '../src/program/runCommand';

const workspace = path.resolve(__dirname, '..', '..', 'testWorkspace');
const cli = path.resolve(__dirname, '..', 'src', 'cli.js');

/** Runs `watdbg run ARGS` in-process from the test workspace; returns status and output. */
async function watdbgRun(args: string[], cwd = workspace) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCommand(args, { cwd, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { status, stdout: out.join(''), stderr: err.join('') };
}

describe('watdbg run (the testWorkspace programs, options, errors)', function () {
  this.timeout(120000);

  it('app.wat: three modules, output through logger and console, then the result', async () => {
    const r = await watdbgRun(['app.wat', '--import', 'math=math.wat', '--import', 'logger=logger.wat', '--invoke', 'main', '10']);
    assert.deepStrictEqual(r, { status: 0, stdout: 'fib(n) = 55\ngcd(fib(n), 60) = 5\nn! mod 1000 = 800\n860\n', stderr: '' });
  });

  it('twice.wat: counter.wat bound to two names keeps two separate counts', async () => {
    const r = await watdbgRun(['twice.wat', '--import', 'left=counter.wat', '--import', 'right=counter.wat']);
    assert.deepStrictEqual(r, { status: 0, stdout: '1\n2\n3\n10\n20\n3202\n', stderr: '' });
  });

  it('deep.wat: a 100,000-deep recursion', async () => {
    const r = await watdbgRun(['deep.wat', '--invoke', 'sum', '100000']);
    assert.deepStrictEqual(r, { status: 0, stdout: '5000050000\n', stderr: '' });
  });

  it('deep.wat beyond the call depth limit traps with "call stack exhausted"', async () => {
    const r = await watdbgRun(['deep.wat', '--invoke', 'sum', '1000', '--max-call-depth', '100']);
    assert.strictEqual(r.status, 1);
    assert.strictEqual(
      r.stderr,
      [
        'trap: call stack exhausted',
        '    at deep!sum at deep.wat:9:34',
        '    at deep!sum at deep.wat:9:34',
        '    at deep!sum at deep.wat:9:34',
        '    ... the frame above 97 more times',
        '',
      ].join('\n'),
    );
  });

  it('trap.wat: a divide by zero in math.wat, three calls deep, with the stack and lines', async () => {
    const r = await watdbgRun(['trap.wat', '--import', 'math=math.wat', '--invoke', 'main', '5', '5']);
    assert.strictEqual(r.status, 1);
    assert.strictEqual(r.stdout, '');
    assert.strictEqual(
      r.stderr,
      [
        'trap: integer divide by zero',
        '    at math!divide at math.wat:42:6',
        '    at trap!average at trap.wat:31:6',
        '    at trap!main at trap.wat:35:6',
        '',
      ].join('\n'),
    );
    const ok = await watdbgRun(['trap.wat', '--import', 'math=math.wat', '--invoke', 'main', '1', '5']);
    assert.deepStrictEqual(ok, { status: 0, stdout: '2\n', stderr: '' });
  });

  it('example.wast: runs the script, its spectest prints, and a summary', async () => {
    const r = await watdbgRun(['example.wast']);
    assert.deepStrictEqual(r, { status: 0, stdout: '13 : i32\n114 : i32\nexample.wast: 17 passed, 0 failed\n', stderr: '' });
  });

  it('c/hello.wasm: a C program printing through WASI, with its command line', async () => {
    const r = await watdbgRun(['c/hello.wasm', '7', 'primes']);
    assert.deepStrictEqual(r, {
      status: 0,
      stdout: 'hello from C, 2 argument(s)\n  argv[1] = 7\n  argv[2] = primes\nfirst 7 primes: 2 3 5 7 11 13 17\nsum = 58\n',
      stderr: '',
    });
  });

  it('c/hello.wasm: exit(2) through proc_exit becomes the exit status', async () => {
    const r = await watdbgRun(['c/hello.wasm', 'many']);
    assert.deepStrictEqual(r, {
      status: 2,
      stdout: 'hello from C, 1 argument(s)\n  argv[1] = many\n',
      stderr: 'not a count between 1 and 1000: many\n',
    });
  });

  it('the real command line: status, stdout and stderr of the process', function () {
    if (!fs.existsSync(cli)) this.skip();
    const run = (args: string[]) => spawnSync(process.execPath, [cli, 'run', ...args], { cwd: workspace, encoding: 'utf8' });
    const ok = run(['twice.wat', '--import', 'left=counter.wat', '--import', 'right=counter.wat']);
    assert.deepStrictEqual([ok.status, ok.stdout, ok.stderr], [0, '1\n2\n3\n10\n20\n3202\n', '']);
    const exited = run(['c/hello.wasm', '0']);
    assert.deepStrictEqual([exited.status, exited.stderr], [2, 'not a count between 1 and 1000: 0\n']);
    const trapped = run(['trap.wat', '--import', 'math=math.wat', '--invoke', 'main', '3', '3']);
    assert.strictEqual(trapped.status, 1);
    assert.match(trapped.stderr, /^trap: integer divide by zero\n {4}at math!divide at math\.wat:42:6\n/);
  });

  it('--stdin gives a WASI program its standard input', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watdbg-stdin-'));
    try {
      // Copies stdin to stdout in 4-byte reads until a read returns 0 bytes.
      fs.writeFileSync(
        path.join(dir, 'cat.wat'),
        `(module
          (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 100))
            (loop $more
              (i32.store (i32.const 4) (i32.const 4))
              (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
              (if (i32.load (i32.const 8))
                (then
                  (i32.store (i32.const 4) (i32.load (i32.const 8)))
                  (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
                  (br $more))))))`,
      );
      fs.writeFileSync(path.join(dir, 'input.txt'), 'one\ntwo ✓\n');
      const r = await watdbgRun(['cat.wat', '--stdin', 'input.txt'], dir);
      assert.deepStrictEqual(r, { status: 0, stdout: 'one\ntwo ✓\n', stderr: '' });
      const missing = await watdbgRun(['cat.wat', '--stdin', 'nope.txt'], dir);
      assert.strictEqual(missing.status, 2);
      assert.match(missing.stderr, /^watdbg run: --stdin: cannot read .*nope\.txt: ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--unresolved-imports=trap runs a program whose missing import is never called, and traps naming it when it is', async () => {
    const ran = await watdbgRun(['host.wat', '--unresolved-imports=trap', '21']);
    assert.deepStrictEqual(ran, { status: 0, stdout: '42\n42\n', stderr: '' });
    const trapped = await watdbgRun(['host.wat', '--unresolved-imports', 'trap', '-3']);
    assert.deepStrictEqual(trapped, {
      status: 1,
      stdout: '',
      stderr: ['trap: called unresolved import rb-host.eval', '    at [host] rb-host.eval', '    at host!compute at host.wat:10:14', '    at host!main at host.wat:13:17', ''].join('\n'),
    });
    const refused = await watdbgRun(['host.wat', '21']);
    assert.strictEqual(refused.status, 1);
    assert.strictEqual(refused.stderr, `error: host (${path.join(workspace, 'host.wat')}) imports module "rb-host", which is not bound to a file in "imports" and is not a host module (console, wasi_snapshot_preview1, spectest)\n`);
    const bad = await watdbgRun(['host.wat', '--unresolved-imports=ignore']);
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /^watdbg run: --unresolved-imports expects error or trap, got "ignore"\n/);
  });

  it('a long trap stack is shortened: recursion counted, at most 60 lines', () => {
    const frames = [...Array.from({ length: 5 }, () => 'a!f'), 'b!g', ...Array.from({ length: 100 }, (_, i) => `c!h${i}`)];
    const lines = stackLines(frames);
    assert.deepStrictEqual(lines.slice(0, 6), ['at a!f', 'at a!f', 'at a!f', '... the frame above 2 more times', 'at b!g', 'at c!h0']);
    assert.strictEqual(lines.length, 51);
    assert.strictEqual(lines[40], '... 55 more lines');
    assert.strictEqual(lines[50], 'at c!h99');
  });

  it('usage errors give status 2 and the usage text', async () => {
    const r = await watdbgRun(['app.wat', '--import', 'math']);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /^watdbg run: --import expects NAME=FILE, got "math"\nusage: watdbg run FILE/);
    const none = await watdbgRun([]);
    assert.match(none.stderr, /^watdbg run: no program file given\n/);
  });
});

describe('launch model', function () {
  this.timeout(60000);
  let dir: string;
  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
  const launch = (config: Omit<LaunchConfig, 'cwd'>) => loadProgram({ cwd: dir, ...config });
  const rejects = (config: Omit<LaunchConfig, 'cwd'>, kind: string, message: string) =>
    assert.rejects(launch(config), (e: unknown) => {
      assert.ok(e instanceof ProgramError, `expected a ProgramError, got ${e}`);
      assert.strictEqual(e.message, message.replace(/DIR/g, dir));
      assert.strictEqual(e.kind, kind);
      return true;
    });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watdbg-program-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('afterInstance runs start functions in the caller\'s place, each before the next instance is made', async () => {
    write('lib.wat', '(module (memory (export "mem") 1) (func $init (i32.store (i32.const 0) (i32.const 42))) (start $init))');
    write('main.wat', '(module (import "lib" "mem" (memory 1)) (func (export "main") (result i32) (i32.load (i32.const 0))))');
    const config = { program: 'main.wat', imports: { lib: 'lib.wat' } };
    const seen: string[] = [];
    const program = await loadProgram({ cwd: dir, ...config }, {
      afterInstance: async (p, start, loading) => {
        const mem = p.instance.memories[0];
        seen.push(`${p.name}: start ${start?.name ?? 'none'}, memory[0] = ${mem.u8[0]}`);
        if (start) loading.store.invoke(start, []);
      },
    });
    assert.deepStrictEqual(seen, ['lib: start init, memory[0] = 0', 'main: start none, memory[0] = 42']);
    assert.deepStrictEqual(runProgram(program), { kind: 'returned', values: [{ type: 'i32', value: 42 }] });
    // Without it, instantiation runs the start function itself.
    assert.deepStrictEqual(runProgram(await launch(config)), { kind: 'returned', values: [{ type: 'i32', value: 42 }] });
    // A rejection ends the load with that error, before the importer is instantiated.
    seen.length = 0;
    await assert.rejects(
      loadProgram({ cwd: dir, ...config }, {
        afterInstance: async (p, start) => {
          seen.push(p.name);
          if (start) throw new Error('the start function was abandoned');
        },
      }),
      /^Error: the start function was abandoned$/,
    );
    assert.deepStrictEqual(seen, ['lib']);
  });

  it('instantiates in dependency order with human names; one file bound twice gives two instances of one module', async () => {
    const program = await loadProgram({
      program: path.join(workspace, 'twice.wat'),
      imports: { left: path.join(workspace, 'counter.wat'), right: path.join(workspace, 'counter.wat') },
    });
    assert.deepStrictEqual(program.instances.map((i) => i.name), ['left', 'right', 'twice']);
    assert.deepStrictEqual(program.instances.map((i) => i.importName), ['left', 'right', null]);
    const [left, right, main] = program.instances;
    assert.strictEqual(program.main, main);
    assert.strictEqual(left.module, right.module);
    assert.notStrictEqual(left.instance, right.instance);
    assert.strictEqual(left.file, path.join(workspace, 'counter.wat'));
    assert.strictEqual(left.format, 'wat');
    assert.strictEqual(left.text, fs.readFileSync(left.file, 'utf8'));
    assert.strictEqual(left.instance.name, 'left');
    assert.strictEqual(program.entry.exportName, 'main');
    assert.deepStrictEqual(program.entry.args, []);
    assert.deepStrictEqual(runProgram(program), { kind: 'returned', values: [{ type: 'i32', value: 3202 }] });
    // each instance keeps its own state
    const get = (p: (typeof program.instances)[number]) => p.instance.exports.get('get');
    assert.deepStrictEqual(
      [left, right].map((p) => {
        const g = get(p)!;
        return g.kind === 'func' && program.store.begin(g.func, []).run(1000);
      }),
      [
        { status: 'done', results: [{ type: 'i32', value: 3 }] },
        { status: 'done', results: [{ type: 'i32', value: 20 }] },
      ],
    );
  });

  it('resolves imports of imported modules through the same map, once per name', async () => {
    write('base.wat', '(module (global (export "g") (mut i32) (i32.const 0)) (func (export "bump") (result i32) (global.set 0 (i32.add (global.get 0) (i32.const 1))) (global.get 0)))');
    write('mid.wat', '(module (import "base" "bump" (func $bump (result i32))) (func (export "twice") (result i32) (drop (call $bump)) (call $bump)))');
    write('top.wat', '(module (import "mid" "twice" (func $t (result i32))) (import "base" "bump" (func $b (result i32))) (func (export "main") (result i32) (drop (call $t)) (call $b)))');
    const program = await launch({ program: 'top.wat', imports: { mid: 'mid.wat', base: 'base.wat' } });
    assert.deepStrictEqual(program.instances.map((i) => i.name), ['base', 'mid', 'top']);
    assert.deepStrictEqual(runProgram(program), { kind: 'returned', values: [{ type: 'i32', value: 3 }] });
    const base = program.instances[0];
    assert.strictEqual(program.instanceOf(base.instance.funcs[0]), base);
  });

  it('the main module is named after its file, or FILE#main when an import has that name', async () => {
    write('counter.wat', '(module (func (export "main") (result i32) (i32.const 1)))');
    write('use.wat', '(module (import "counter" "main" (func $m (result i32))) (func (export "main") (result i32) (call $m)))');
    const program = await launch({ program: 'use.wat', imports: { counter: 'counter.wat' } });
    assert.deepStrictEqual(program.instances.map((i) => i.name), ['counter', 'use']);
    write('lib.wat', '(module (func (export "f") (result i32) (i32.const 2)))');
    write('app.wat', '(module (import "app" "f" (func $f (result i32))) (func (export "main") (result i32) (call $f)))');
    const clash = await launch({ program: 'app.wat', imports: { app: 'lib.wat' } });
    assert.deepStrictEqual(clash.instances.map((i) => i.name), ['app', 'app#main']);
  });

  it('a file bound to a host module name replaces the host module', async () => {
    write('myconsole.wat', '(module (global $n (mut i32) (i32.const 0)) (func (export "log_i32") (param i32) (global.set $n (local.get 0))) (func (export "last") (result i32) (global.get $n)))');
    write('main.wat', '(module (import "console" "log_i32" (func $log (param i32))) (import "console" "last" (func $last (result i32))) (func (export "main") (result i32) (call $log (i32.const 77)) (call $last)))');
    const out: string[] = [];
    const program = await launch({ program: 'main.wat', imports: { console: 'myconsole.wat' }, output: { stdout: (t) => out.push(t), stderr: () => {} } });
    assert.deepStrictEqual(runProgram(program), { kind: 'returned', values: [{ type: 'i32', value: 77 }] });
    assert.deepStrictEqual(out, []);
    assert.deepStrictEqual(program.instances.map((i) => i.name), ['console', 'main']);
  });

  it('error: an import cycle, naming each module of it and what it imports', async () => {
    write('main.wat', '(module (import "a" "f" (func)))');
    write('a.wat', '(module (import "b" "f" (func)) (func (export "f")))');
    write('b.wat', '(module (import "a" "f" (func)) (func (export "f")))');
    await rejects(
      { program: 'main.wat', imports: { a: 'a.wat', b: 'b.wat' } },
      'import-cycle',
      'import cycle: a (DIR/a.wat) imports "b", b (DIR/b.wat) imports "a"',
    );
  });

  it('error: a module importing itself is a cycle', async () => {
    write('main.wat', '(module (import "self" "f" (func)))');
    write('self.wat', '(module (import "self" "f" (func $f)) (export "f" (func $f)))');
    await rejects({ program: 'main.wat', imports: { self: 'self.wat' } }, 'import-cycle', 'import cycle: self (DIR/self.wat) imports "self"');
  });

  it('error: a missing file, naming the import and its importer', async () => {
    write('main.wat', '(module (import "math" "f" (func)))');
    await rejects(
      { program: 'main.wat', imports: { math: 'nope.wat' } },
      'missing-file',
      'cannot read DIR/nope.wat (module "math", imported by main (DIR/main.wat)): no such file',
    );
    await rejects({ program: 'absent.wat' }, 'missing-file', 'cannot read DIR/absent.wat (the main module): no such file');
  });

  it('error: an import module that is neither bound nor a host module', async () => {
    write('main.wat', '(module (import "math" "fib" (func (param i32) (result i32))))');
    await rejects(
      { program: 'main.wat', invoke: undefined },
      'unbound-import',
      'main (DIR/main.wat) imports module "math", which is not bound to a file in "imports" and is not a host module (console, wasi_snapshot_preview1, spectest)',
    );
  });

  it('error: a missing export, naming importer, exporter, module and field', async () => {
    write('math.wat', '(module (func (export "gcd") (param i32 i32) (result i32) (local.get 0)) (memory (export "mem") 1))');
    write('main.wat', '(module (import "math" "fib" (func (param i32) (result i32))) (func (export "main")))');
    await rejects(
      { program: 'main.wat', imports: { math: 'math.wat' } },
      'missing-export',
      'main (DIR/main.wat) imports "math"."fib", but math (DIR/math.wat) exports no "fib" (its exports: gcd, mem)',
    );
    write('host.wat', '(module (import "console" "log" (func (param i32))) (func (export "main")))');
    await rejects(
      { program: 'host.wat' },
      'missing-export',
      'host (DIR/host.wat) imports "console"."log", but host module console exports no "log" (its exports: log_i32, log_i64, log_f32, log_f64, log_str)',
    );
  });

  it('error: type mismatches name both sides and both types', async () => {
    write('math.wat', '(module (func (export "fib") (param i32) (result i32) (local.get 0)) (global (export "g") i32 (i32.const 1)) (memory (export "mem") 1 2))');
    write('f.wat', '(module (import "math" "fib" (func (param i64) (result i64))) (func (export "main")))');
    await rejects(
      { program: 'f.wat', imports: { math: 'math.wat' } },
      'type-mismatch',
      'f (DIR/f.wat) imports "math"."fib", but math (DIR/math.wat) exports "fib" with an incompatible type: expected (func (param i64) (result i64)), got (func (param i32) (result i32))',
    );
    write('g.wat', '(module (import "math" "g" (global (mut i32))) (func (export "main")))');
    await rejects(
      { program: 'g.wat', imports: { math: 'math.wat' } },
      'type-mismatch',
      'g (DIR/g.wat) imports "math"."g", but math (DIR/math.wat) exports "g" with an incompatible type: expected (global (mut i32)), got (global i32)',
    );
    write('k.wat', '(module (import "math" "fib" (memory 1)) (func (export "main")))');
    await rejects(
      { program: 'k.wat', imports: { math: 'math.wat' } },
      'type-mismatch',
      'k (DIR/k.wat) imports "math"."fib", but math (DIR/math.wat) exports "fib" with an incompatible type: expected (memory 1), got (func (param i32) (result i32))',
    );
    write('m.wat', '(module (import "math" "mem" (memory 1 1)) (func (export "main")))');
    await rejects(
      { program: 'm.wat', imports: { math: 'math.wat' } },
      'type-mismatch',
      'm (DIR/m.wat) imports "math"."mem", but math (DIR/math.wat) exports "mem" with an incompatible type: expected (memory 1 1), got (memory 1 2)',
    );
    write('h.wat', '(module (import "console" "log_i32" (func (param i64))) (func (export "main")))');
    await rejects(
      { program: 'h.wat' },
      'type-mismatch',
      'h (DIR/h.wat) imports "console"."log_i32", but host module console exports "log_i32" with an incompatible type: expected (func (param i64)), got (func (param i32))',
    );
    write('w.wat', '(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32))) (func (export "main")))');
    await rejects(
      { program: 'w.wat' },
      'type-mismatch',
      'w (DIR/w.wat) imports "wasi_snapshot_preview1"."fd_write", but host module wasi_snapshot_preview1 exports "fd_write" with an incompatible type: expected (func (param i32) (result i32)), got (func (param i32 i32 i32 i32) (result i32))',
    );
  });

  it('any WASI preview-1 function links; a name outside preview 1 is a missing export', async () => {
    write('w.wat', '(module (import "wasi_snapshot_preview1" "path_open" (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32))) (memory 1) (func (export "main")))');
    await launch({ program: 'w.wat' });
    write('x.wat', '(module (import "wasi_snapshot_preview1" "fd_frob" (func)) (func (export "main")))');
    await assert.rejects(launch({ program: 'x.wat' }), /^ProgramError: x \(.*x\.wat\) imports "wasi_snapshot_preview1"\."fd_frob", but host module wasi_snapshot_preview1 exports no "fd_frob" \(its exports: args_get, args_sizes_get, /);
  });

  it('unresolvedImports "trap": missing functions become stubs that trap naming them; memories, tables and globals stay errors', async () => {
    write('lib.wat', '(module (func (export "one") (result i32) (i32.const 1)))');
    write(
      'main.wat',
      `(module
        (import "rb-host" "eval" (func $eval (param i32) (result i32)))
        (import "lib" "two" (func $two (result i32)))
        (import "wasi_snapshot_preview1" "fd_frob" (func $frob))
        (import "lib" "one" (func $one (result i32)))
        (func (export "main") (result i32) (call $one))
        (func (export "eval") (result i32) (call $eval (i32.const 5)))
        (func (export "two") (result i32) (call $two)))`,
    );
    const config = { program: 'main.wat', imports: { lib: 'lib.wat' }, unresolvedImports: 'trap' as const };
    const program = await launch(config);
    assert.deepStrictEqual(runProgram(program), { kind: 'returned', values: [{ type: 'i32', value: 1 }] });
    const trapped = runProgram(await launch({ ...config, invoke: 'eval' }));
    assert.deepStrictEqual(trapped.kind === 'trapped' && [trapped.message, trapped.stack.map((e) => `${e.instance}!${e.func}`)], [
      'called unresolved import rb-host.eval',
      ['null!rb-host.eval', 'main!eval'],
    ]);
    const missingExport = runProgram(await launch({ ...config, invoke: 'two' }));
    assert.strictEqual(missingExport.kind === 'trapped' && missingExport.message, 'called unresolved import lib.two');
    // Without the option each of them stops the load, as before.
    await rejects(
      { program: 'main.wat', imports: { lib: 'lib.wat' } },
      'unbound-import',
      'main (DIR/main.wat) imports module "rb-host", which is not bound to a file in "imports" and is not a host module (console, wasi_snapshot_preview1, spectest)',
    );
    write('mem.wat', '(module (import "env" "f" (func)) (import "env" "memory" (memory 1)) (func (export "main")))');
    await rejects(
      { program: 'mem.wat', unresolvedImports: 'trap' },
      'unbound-import',
      'mem (DIR/mem.wat) imports memory "env"."memory" from module "env", which is not bound to a file in "imports" and is not a host module (console, wasi_snapshot_preview1, spectest); unresolvedImports "trap" stands in for functions only',
    );
    write('glob.wat', '(module (import "lib" "g" (global i32)) (func (export "main")))');
    await rejects(
      { program: 'glob.wat', imports: { lib: 'lib.wat' }, unresolvedImports: 'trap' },
      'missing-export',
      'glob (DIR/glob.wat) imports "lib"."g", but lib (DIR/lib.wat) exports no "g" (its exports: one); unresolvedImports "trap" stands in for functions only',
    );
  });

  it('error: the entry function does not exist, or is not given and cannot be guessed', async () => {
    write('two.wat', '(module (func (export "a")) (func (export "b")) (memory (export "m") 1))');
    await rejects({ program: 'two.wat', invoke: 'c' }, 'no-entry', 'DIR/two.wat exports no function "c" (its exported functions: a, b)');
    await rejects({ program: 'two.wat' }, 'no-entry', 'DIR/two.wat exports neither _start nor main; say which function to invoke (its exported functions: a, b)');
    write('one.wat', '(module (func (export "only") (result i32) (i32.const 9)))');
    const program = await launch({ program: 'one.wat' });
    assert.strictEqual(program.entry.exportName, 'only');
  });

  it('arguments are parsed by the entry function\'s parameter types; errors name the argument', async () => {
    write('args.wat', '(module (func (export "f") (param i32 i64 f32 f64) (result f64) (f64.const 0)))');
    const program = await launch({ program: 'args.wat', args: ['0xffffffff', '-9223372036854775808', 'nan:0x1', 1.5] });
    assert.deepStrictEqual(program.entry.args, [
      { type: 'i32', value: -1 },
      { type: 'i64', value: -(2n ** 63n) },
      { type: 'f32', bits: 0x7f800001 },
      { type: 'f64', bits: 0x3ff8000000000000n },
    ]);
    await rejects({ program: 'args.wat', args: [1, 2] }, 'bad-args', 'f (func (param i32 i64 f32 f64) (result f64)) takes 4 arguments, got 2');
    await rejects({ program: 'args.wat', args: ['x', 1, 1, 1] }, 'bad-args', 'argument 1 of f (i32): malformed integer literal "x"');
    await rejects({ program: 'args.wat', args: [4294967296, 0, 0, 0] }, 'bad-args', 'argument 1 of f (i32): constant out of range: 4294967296 does not fit in i32');
    await rejects({ program: 'args.wat', args: [1.5, 0, 0, 0] }, 'bad-args', 'argument 1 of f (i32): malformed integer literal "1.5"');
  });

  it('error: text the assembler rejects names file:line:column', async () => {
    write('bad.wat', '(module\n  (func (export "main")\n    (i32.add (i32.const 1) (nope))))');
    await assert.rejects(launch({ program: 'bad.wat' }), (e: unknown) => {
      assert.match((e as Error).message, new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/bad\\.wat:3:29: `));
      return true;
    });
  });

  it('error: a .wat that does not validate names file:line:column of the offending instruction', async () => {
    write('bad.wat', '(module\n  (func (export "main") (result i32)\n    (i32.add (i64.const 1) (i32.const 2))))');
    const expected = `${path.join(dir, 'bad.wat')}:3:6: type mismatch: i32.add expects [i32 i32] but the stack has [i64 i32] (in function 0)`;
    await assert.rejects(launch({ program: 'bad.wat' }), (e: unknown) => {
      assert.ok(e instanceof ProgramError);
      assert.strictEqual(e.kind, 'invalid-module');
      assert.strictEqual(e.message, expected);
      return true;
    });
    assert.deepStrictEqual(await watdbgRun(['bad.wat'], dir), { status: 1, stdout: '', stderr: `error: ${expected}\n` });
    // The same for an imported module.
    write('main.wat', '(module (import "lib" "f" (func)) (func (export "main") (call 0)))');
    write('lib.wat', '(module\n  (func (export "f")\n    local.get 0\n    drop))');
    await assert.rejects(launch({ program: 'main.wat', imports: { lib: 'lib.wat' } }), {
      name: 'ProgramError',
      message: `${path.join(dir, 'lib.wat')}:3:5: unknown local 0 (in function 0)`,
    });
  });

  it('error: a binary that does not decode names the file and byte offset', async () => {
    fs.writeFileSync(path.join(dir, 'bad.wasm'), Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0e, 0x01, 0x00]));
    await assert.rejects(launch({ program: 'bad.wasm' }), (e: unknown) => {
      assert.ok(e instanceof ProgramError);
      assert.strictEqual(e.kind, 'invalid-module');
      assert.match(e.message, new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/bad\\.wasm: .*byte 0x8`));
      return true;
    });
  });

  it('proc_exit ends the program as an exit, not a trap; a WASI reactor gets _initialize first', async () => {
    write(
      'exit.wat',
      `(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (global $ready (mut i32) (i32.const 0))
        (memory (export "memory") 1)
        (func (export "_initialize") (global.set $ready (i32.const 40)))
        (func (export "main") (param i32) (call $exit (i32.add (global.get $ready) (local.get 0))) unreachable))`,
    );
    const program = await launch({ program: 'exit.wat', args: [2] });
    assert.deepStrictEqual(runProgram(program), { kind: 'exited', code: 42 });
    assert.strictEqual(program.wasi.exitCode, 42);
  });

  it('a WASI command gets its args as the command line, or programArgs when given', async () => {
    const out: string[] = [];
    const output = { stdout: (t: string) => out.push(t), stderr: () => {} };
    const hello = path.join(workspace, 'c', 'hello.wasm');
    const program = await loadProgram({ program: hello, args: ['3'], output });
    assert.strictEqual(program.main.format, 'wasm');
    assert.strictEqual(program.main.text, null);
    assert.strictEqual(program.main.sourceMap(), null);
    assert.strictEqual(program.main.name, 'hello');
    assert.strictEqual(program.entry.exportName, '_start');
    assert.deepStrictEqual(runProgram(program), { kind: 'returned', values: [] });
    assert.strictEqual(out.join(''), 'hello from C, 1 argument(s)\n  argv[1] = 3\nfirst 3 primes: 2 3 5\nsum = 10\n');
    out.length = 0;
    await loadProgram({ program: hello, programArgs: ['2', 'x'], output }).then(runProgram);
    assert.match(out.join(''), /^hello from C, 2 argument\(s\)\n {2}argv\[1\] = 2\n {2}argv\[2\] = x\nfirst 2 primes: 2 3\n/);
  });

  it('refuses a .wast script as a module program', async () => {
    write('s.wast', '(module)');
    await rejects({ program: 's.wast' }, 'not-a-module', 'DIR/s.wast is a script: run it as a script, not as a module program');
  });
});
