// Real JavaScript programs under the debugger: the npm demos of testWorkspace/js-npm (an
// Emscripten-built package, sql.js, and wasm-bindgen-built ones, lz4-wasm-nodejs and
// @rollup/wasm-node), launched unchanged. A function breakpoint inside each one's wasm binds and
// stops with wasm and JavaScript frames on the stack; the program then runs to its end with the
// output it has under V8.

import * as assert from 'assert';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { NPM_DEMOS_DIR, packageDir } from '../bench/npmPackages';
import { collectOutput, exitCode, frames, launch, useAdapter } from './debugHelpers';

interface Case {
  pkg: string;
  program: string;
  args: string[];
  /** The function breakpoint, as a user writes it. */
  breakpoint: string;
  /** The innermost frames at the stop, and a JavaScript frame further down. */
  top: string[];
  programFrame: RegExp;
}

const CASES: Case[] = [
  {
    pkg: 'lz4-wasm-nodejs',
    program: 'lz4-demo.mjs',
    args: [],
    breakpoint: 'lz4_wasm_nodejs_bg!compress',
    top: ['lz4_wasm_nodejs_bg!compress', '[js] module.exports.compress lz4_wasm_nodejs.js'],
    programFrame: /^\[js\] <module> lz4-demo\.mjs:11:\d+$/,
  },
  {
    pkg: 'sql.js',
    program: 'sqljs-demo.mjs',
    args: ['debug'],
    breakpoint: 'sqlite3_step',
    top: ['sql-wasm-debug!sqlite3_step'],
    programFrame: /^\[js\] <module> sqljs-demo\.mjs:\d+:\d+$/,
  },
  {
    pkg: '@rollup/wasm-node',
    program: 'rollup-demo.mjs',
    args: [],
    breakpoint: 'bindings_wasm_bg!parse',
    top: ['bindings_wasm_bg!parse'],
    // Rollup parses from asynchronous code: the JavaScript below is Rollup's own, not the demo's.
    programFrame: /^\[js\] addModuleSource node-entry\.js:\d+:\d+$/,
  },
];

describe('debug adapter: npm packages built with Emscripten and wasm-bindgen', function () {
  this.timeout(120000);
  const dc = useAdapter();

  for (const c of CASES) {
    it(`${[c.program, ...c.args].join(' ')}: stops at ${c.breakpoint} inside its wasm, then runs to the end as under V8`, async function () {
      if (!packageDir(c.pkg)) this.skip(); // said by npmPackages.test.ts: the package is not installed (npm ci)
      const program = path.join(NPM_DEMOS_DIR, c.program);
      const v8 = execFileSync(process.execPath, [program, ...c.args], { cwd: NPM_DEMOS_DIR, encoding: 'utf8' });
      const out = collectOutput(dc);
      const stop = await launch(dc, { program, args: c.args }, async () => {
        const set = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: c.breakpoint }] });
        // Not yet: the program has not compiled its module.
        assert.strictEqual(set.body.breakpoints[0].verified, false);
      });
      assert.strictEqual(stop?.body.reason, 'breakpoint');
      const { shown } = await frames(dc);
      c.top.forEach((name, i) => assert.ok(shown[i].startsWith(name), `frame ${i} is ${shown[i]}, expected ${name}...; stack:\n${shown.join('\n')}`));
      assert.ok(shown.some((f) => c.programFrame.test(f)), `no frame like ${c.programFrame} in:\n${shown.join('\n')}`);
      await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
      assert.strictEqual(await exitCode(dc, () => dc.continueRequest({ threadId: 1 })), 0);
      assert.strictEqual(out.stdout, v8);
    });
  }
});
