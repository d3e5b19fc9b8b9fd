// Real JavaScript programs, unchanged, on our WebAssembly: the demos in testWorkspace/js-npm use npm
// packages built with Emscripten (sql.js, its release and debug builds) and wasm-bindgen
// (lz4-wasm-nodejs, @rollup/wasm-node). Each runs under plain `node` (V8) and in a worker thread whose `WebAssembly` is ours; the output
// must be the same, and the wasm must have run on our engine, in instances named after the file
// the glue read.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFile } from 'child_process';
import { runJsProgramInWorker, type JsProgramRun } from '../src/jsapi/runInWorker';
import { NPM_DEMOS, NPM_DEMOS_DIR, packageDir } from '../bench/npmPackages';

/** Lines each demo prints, checked exactly, so an empty run on both sides cannot pass. */
const EXPECTED_LINES: Record<string, string[]> = {
  'sqljs-demo.mjs': [
    'color | count(*) | sum(grams) | round(avg(price), 3)',
    'red | 2 | 190 | 0.275',
    '{"name":"apple","double":364}',
    'APPLE:182 BANANA:118 PLUM:66',
    'callback error: thrown in a JavaScript callback',
    'printf 0003.142|ff|WASM',
    'error: no such table: missing',
    'database file: 8192 bytes, header SQLite format 3',
  ],
  'lz4-demo.mjs': [
    'input 11089 bytes, sha256 f1e63717090c082e',
    'compressed 1550 bytes, sha256 5339a95564cf2a65',
    'round trip 11089 bytes, equal: true',
    'empty 5 bytes 0000000000 -> 0',
  ],
  'rollup-demo.mjs': [
    '// main-CC2DV32H.es.js',
    "function report(r) { return format('circle', area(r)); }",
    '// main-BsshPaaS.cjs.js',
    'module.exports = report;',
    'PARSE_ERROR: main.js (1:16): Expression expected',
  ],
};

/**
 * Instances of modules the glue builds in memory, after the one from its file: Emscripten's
 * addFunction wraps each JavaScript function given to SQLite (create_function) in a tiny module
 * that imports it, since Node 20 has no WebAssembly.Function.
 */
const GENERATED_MODULES: Record<string, string[]> = { 'sqljs-demo.mjs': ['module#1', 'module#2'] };

function runOnV8(program: string, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [program, ...args], { cwd: NPM_DEMOS_DIR }, (err, stdout, stderr) => {
      resolve({ exitCode: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

describe('npm packages with WebAssembly, unchanged, on our engine', () => {
  for (const demo of NPM_DEMOS) {
    describe(demo.title, () => {
      let dir: string | null;
      let v8: { exitCode: number; stdout: string; stderr: string };
      let ours: JsProgramRun;

      before(async function () {
        dir = packageDir(demo.pkg);
        if (dir === null) {
          console.log(`      skipped: the dev dependency ${demo.pkg} is not installed (run npm ci)`);
          this.skip();
        }
        const program = path.join(NPM_DEMOS_DIR, demo.program);
        const args = demo.args ?? [];
        [v8, ours] = await Promise.all([runOnV8(program, args), runJsProgramInWorker(program, { args })]);
      });

      it('prints under our engine exactly what it prints under V8', () => {
        assert.deepStrictEqual(v8, { exitCode: 0, stdout: v8.stdout, stderr: '' });
        for (const line of EXPECTED_LINES[demo.program]) assert.ok(v8.stdout.split('\n').includes(line), `V8 printed no line "${line}":\n${v8.stdout}`);
        assert.strictEqual(ours.stderr, '');
        assert.strictEqual(ours.exitCode, 0);
        assert.strictEqual(ours.stdout, v8.stdout);
      });

      it('ran its wasm on our engine, in an instance named after the file the glue read', () => {
        const wasm = fs.realpathSync(path.join(dir!, demo.wasmFile));
        const generated = (GENERATED_MODULES[demo.program] ?? []).map((name) => ({ name, origin: null }));
        assert.deepStrictEqual(ours.instances.map((i) => ({ name: i.name, origin: i.origin && fs.realpathSync(i.origin) })), [{ name: demo.instanceName, origin: wasm }, ...generated]);
        assert.ok(ours.wasmCalls > 0, 'no call from JavaScript into wasm ran on our engine');
      });
    });
  }
});
