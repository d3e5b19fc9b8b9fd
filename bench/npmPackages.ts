// Real npm packages with WebAssembly (dev dependencies), each used by a demo program in
// testWorkspace/js-npm, and how long each demo takes on our engine against V8, both run the same
// way (a fresh worker thread, runJsProgramInWorker), side by side in one run:
//
//   node out/bench/npmPackages.js [--runs N]
//
// prints a markdown table: the wasm file and its size, the median wall time of the whole program
// on V8 and on ours, and their ratio. test/npmPackages.test.ts checks the same demos' output.

import * as fs from 'fs';
import * as path from 'path';
import { runJsProgramInWorker } from '../src/jsapi/runInWorker';
import { median } from './measure';

export const NPM_DEMOS_DIR = path.resolve(__dirname, '../../testWorkspace/js-npm');

export interface NpmDemo {
  title: string;
  /** The npm package the demo imports (a dev dependency). */
  pkg: string;
  /** The demo program, in NPM_DEMOS_DIR, and its command-line arguments. */
  program: string;
  args?: string[];
  /** The wasm file the package's glue reads, relative to the package's folder. */
  wasmFile: string;
  /** The name its instance gets: the wasm file's, without `.wasm`. */
  instanceName: string;
}

export const NPM_DEMOS: NpmDemo[] = [
  { title: 'sql.js (SQLite, Emscripten)', pkg: 'sql.js', program: 'sqljs-demo.mjs', wasmFile: 'dist/sql-wasm.wasm', instanceName: 'sql-wasm' },
  {
    title: "sql.js's debug build (exports with C names)",
    pkg: 'sql.js',
    program: 'sqljs-demo.mjs',
    args: ['debug'],
    wasmFile: 'dist/sql-wasm-debug.wasm',
    instanceName: 'sql-wasm-debug',
  },
  { title: 'lz4-wasm-nodejs (Rust, wasm-bindgen)', pkg: 'lz4-wasm-nodejs', program: 'lz4-demo.mjs', wasmFile: 'lz4_wasm_nodejs_bg.wasm', instanceName: 'lz4_wasm_nodejs_bg' },
  {
    title: "@rollup/wasm-node (Rollup's parser and hasher in Rust, wasm-bindgen with an externref table)",
    pkg: '@rollup/wasm-node',
    program: 'rollup-demo.mjs',
    wasmFile: 'dist/wasm-node/bindings_wasm_bg.wasm',
    instanceName: 'bindings_wasm_bg',
  },
];

/** The package's folder (the one holding its package.json above its main file), or null when it is not installed. */
export function packageDir(pkg: string): string | null {
  let dir: string;
  try {
    dir = path.dirname(require.resolve(pkg, { paths: [NPM_DEMOS_DIR] }));
  } catch {
    return null;
  }
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

async function wallMs(program: string, args: string[], webAssembly: 'ours' | 'v8'): Promise<number> {
  const start = performance.now();
  const run = await runJsProgramInWorker(program, { args, webAssembly });
  if (run.exitCode !== 0) throw new Error(`${path.basename(program)} failed on ${webAssembly}: ${run.stderr}`);
  return performance.now() - start;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--runs');
  const runs = i < 0 ? 5 : Number(process.argv[i + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a whole number of at least 1');
  console.log(`| demo | wasm file | wasm KB | V8 ms | ours ms | ours / V8 |`);
  console.log(`| --- | --- | ---: | ---: | ---: | ---: |`);
  for (const demo of NPM_DEMOS) {
    const dir = packageDir(demo.pkg);
    if (dir === null) {
      console.log(`| ${demo.program} | skipped: ${demo.pkg} is not installed (npm ci) | | | | |`);
      continue;
    }
    const program = path.join(NPM_DEMOS_DIR, demo.program);
    const v8: number[] = [];
    const ours: number[] = [];
    for (let r = 0; r < runs; r++) {
      v8.push(await wallMs(program, demo.args ?? [], 'v8'));
      ours.push(await wallMs(program, demo.args ?? [], 'ours'));
    }
    const kb = fs.statSync(path.join(dir, demo.wasmFile)).size / 1024;
    const [mv, mo] = [median(v8), median(ours)];
    console.log(`| ${[demo.program, ...(demo.args ?? [])].join(' ')} | ${path.basename(demo.wasmFile)} | ${kb.toFixed(0)} | ${mv.toFixed(0)} | ${mo.toFixed(0)} | ${(mo / mv).toFixed(1)} |`);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
