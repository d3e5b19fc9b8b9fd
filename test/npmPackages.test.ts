// Real JavaScript programs, unchanged, on our WebAssembly: the demos in testWorkspace/js-npm use npm
// packages built with Emscripten (sql.js) and wasm-bindgen (lz4-wasm-nodejs, @rollup/wasm-node).
// Each runs under plain `node` (V8) and in a worker thread whose `WebAssembly` is ours; the output
// must be the same, and the wasm must have run on our engine, in instances named after the file
// the glue read.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFile } from 'child_process';
import { runJsProgramInWorker, type JsProgramRun } from '../src/jsapi/index';

const ROOT = path.resolve(__dirname, '../..');
const DEMOS = path.join(ROOT, 'testWorkspace/js-npm');

interface Demo {
  title: string;
  /** The npm package the demo imports (a dev dependency). */
  pkg: string;
  program: string;
  /** The wasm file the package's glue reads, relative to the package. */
  wasmFile: string;
  instanceName: string;
  /** Lines the demo prints, checked exactly, so an empty run on both sides cannot pass. */
  lines: string[];
}

const DEMOS_UNDER_TEST: Demo[] = [
  {
    title: 'sql.js (SQLite, Emscripten)',
    pkg: 'sql.js',
    program: 'sqljs-demo.mjs',
    wasmFile: 'dist/sql-wasm.wasm',
    instanceName: 'sql-wasm',
    lines: [
      'color | count(*) | sum(grams) | round(avg(price), 3)',
      'red | 2 | 190 | 0.275',
      '{"name":"apple","double":364}',
      'printf 0003.142|ff|WASM',
      'error: no such table: missing',
      'database file: 8192 bytes, header SQLite format 3',
    ],
  },
  {
    title: 'lz4-wasm-nodejs (Rust, wasm-bindgen)',
    pkg: 'lz4-wasm-nodejs',
    program: 'lz4-demo.mjs',
    wasmFile: 'lz4_wasm_nodejs_bg.wasm',
    instanceName: 'lz4_wasm_nodejs_bg',
    lines: [
      'input 11089 bytes, sha256 f1e63717090c082e',
      'compressed 1550 bytes, sha256 5339a95564cf2a65',
      'round trip 11089 bytes, equal: true',
      'empty 5 bytes 0000000000 -> 0',
    ],
  },
  {
    title: '@rollup/wasm-node (Rollup\'s parser and hasher in Rust, wasm-bindgen with an externref table)',
    pkg: '@rollup/wasm-node',
    program: 'rollup-demo.mjs',
    wasmFile: 'dist/wasm-node/bindings_wasm_bg.wasm',
    instanceName: 'bindings_wasm_bg',
    lines: [
      '// main-CC2DV32H.es.js',
      'function report(r) { return format(\'circle\', area(r)); }',
      '// main-BsshPaaS.cjs.js',
      'module.exports = report;',
      'PARSE_ERROR: main.js (1:16): Expression expected',
    ],
  },
];

/** The package's folder (the one holding its package.json above its main file), or null when it is not installed. */
function packageDir(pkg: string): string | null {
  let dir: string;
  try {
    dir = path.dirname(require.resolve(pkg, { paths: [DEMOS] }));
  } catch {
    return null;
  }
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

function runOnV8(program: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [program], { cwd: DEMOS }, (err, stdout, stderr) => {
      resolve({ exitCode: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

describe('npm packages with WebAssembly, unchanged, on our engine', () => {
  for (const demo of DEMOS_UNDER_TEST) {
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
        const program = path.join(DEMOS, demo.program);
        [v8, ours] = await Promise.all([runOnV8(program), runJsProgramInWorker(program)]);
      });

      it('prints under our engine exactly what it prints under V8', () => {
        assert.deepStrictEqual(v8, { exitCode: 0, stdout: v8.stdout, stderr: '' });
        for (const line of demo.lines) assert.ok(v8.stdout.split('\n').includes(line), `V8 printed no line "${line}":\n${v8.stdout}`);
        assert.strictEqual(ours.stderr, '');
        assert.strictEqual(ours.exitCode, 0);
        assert.strictEqual(ours.stdout, v8.stdout);
      });

      it('ran its wasm on our engine, in an instance named after the file the glue read', () => {
        const wasm = fs.realpathSync(path.join(dir!, demo.wasmFile));
        assert.deepStrictEqual(ours.instances.map((i) => ({ name: i.name, origin: i.origin && fs.realpathSync(i.origin) })), [{ name: demo.instanceName, origin: wasm }]);
        assert.ok(ours.wasmCalls > 0, 'no call from JavaScript into wasm ran on our engine');
      });
    });
  }
});
