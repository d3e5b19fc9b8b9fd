// Runs the WebAssembly JS API tests (the *.any.js files of the spec's test/js-api, with the
// web-platform-tests testharness.js) against our `WebAssembly` and against Node's own (V8), each file
// in a fresh `vm` context per implementation, and prints passed/failed per file and in total, the
// *.tentative.any.js files (proposals) counted apart. Exits with 1 when a test that V8 passes fails
// on ours (outside the tentative files).
//
//   node out/scripts/jsApiTests.js [DIR] [--verbose] [--filter=TEXT] [--failures]
//
// --filter runs the files whose path contains TEXT; --failures lists every failure of each side;
// --verbose lets the tests' console output through.
// DIR (default $WASM_JS_API, else ../shared/wasm-js-api beside the repository) holds js-api/ and
// harness/ (README.md there).

import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { spawn } from 'child_process';
import { requireInContext } from './contextModules';

type Implementation = 'ours' | 'v8';

interface SubtestResult {
  name: string;
  passed: boolean;
  message: string;
}

export interface FileResult {
  file: string;
  tentative: boolean;
  results: Record<Implementation, SubtestResult[]>;
}

const JSAPI_ENTRY = path.resolve(__dirname, '../src/jsapi/index.js');
// limits.any.js builds and compiles modules of a million entries synchronously, several times.
const SCRIPT_TIMEOUT_MS = 600_000;
const ASYNC_TIMEOUT_MS = 120_000;
const CHILD_TIMEOUT_MS = 900_000;
const CHILD_HEAP_MB = 8192;

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(p));
    else if (entry.name.endsWith('.any.js')) out.push(p);
  }
  return out.sort();
}

/** The scripts a test file asks for (`// META: script=...`): `/wasm/jsapi/x` is js-api/x. */
function metaScripts(source: string, file: string, jsApiDir: string): string[] {
  const scripts: string[] = [];
  for (const m of source.matchAll(/^\/\/ META: script=(\S+)/gm)) {
    const s = m[1];
    scripts.push(s.startsWith('/wasm/jsapi/') ? path.join(jsApiDir, s.slice('/wasm/jsapi/'.length)) : path.resolve(path.dirname(file), s));
  }
  return scripts;
}

function runScript(context: vm.Context, file: string): void {
  new vm.Script(fs.readFileSync(file, 'utf8'), { filename: file }).runInContext(context, { timeout: SCRIPT_TIMEOUT_MS });
}

/** Runs one test file in a fresh context whose WebAssembly is ours or V8's. */
export async function runTestFile(suiteDir: string, file: string, impl: Implementation, verbose = false, onResult?: (r: SubtestResult) => void): Promise<SubtestResult[]> {
  const jsApiDir = path.join(suiteDir, 'js-api');
  const context = vm.createContext({});
  const global = vm.runInContext('this', context) as Record<string, unknown>;
  global.self = global;
  global.console = verbose ? console : { log() {}, info() {}, warn() {}, error() {}, debug() {} };
  // What a JavaScript shell or worker provides and the context lacks.
  Object.assign(global, { setTimeout, clearTimeout, structuredClone, TextDecoder, TextEncoder });
  if (impl === 'ours') {
    const jsapi = requireInContext(context, JSAPI_ENTRY) as { installWebAssembly(g: object): object };
    jsapi.installWebAssembly(global);
  }
  const results: SubtestResult[] = [];
  const finished = new Promise<string | null>((resolve) => {
    global.__report = (name: string, status: number, message: string | null) => {
      const r = { name, passed: status === 0, message: message ?? '' };
      results.push(r);
      onResult?.(r);
    };
    global.__done = (harnessStatus: number, message: string | null) => resolve(harnessStatus === 0 ? null : message ?? `harness status ${harnessStatus}`);
  });
  let harnessError: string | null = null;
  try {
    runScript(context, path.join(suiteDir, 'harness', 'testharness.js'));
    vm.runInContext(
      'add_result_callback((t) => __report(t.name, t.status, t.message));' +
        'add_completion_callback((tests, status) => __done(status.status, status.message));',
      context,
    );
    const source = fs.readFileSync(file, 'utf8');
    for (const script of metaScripts(source, file, jsApiDir)) runScript(context, script);
    runScript(context, file);
  } catch (e) {
    harnessError = `the file threw: ${e instanceof Error ? e.message : String(e)}`;
    vm.runInContext('typeof done === "function" && done()', context);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => { timer = setTimeout(() => resolve(`timed out after ${ASYNC_TIMEOUT_MS / 1000} s`), ASYNC_TIMEOUT_MS); });
  const status = await Promise.race([finished, timeout]);
  clearTimeout(timer);
  harnessError ??= status;
  // A file-level failure (an error outside any test, a timeout) counts as one failed test.
  if (harnessError !== null) {
    const r = { name: '(file)', passed: false, message: harnessError };
    results.push(r);
    onResult?.(r);
  }
  return results;
}

/**
 * Runs one file in a child process (still in a fresh vm context there), so that a file that
 * exhausts memory or time ends as failures of its own, not the run.
 */
function runInChild(suiteDir: string, file: string, impl: Implementation, verbose: boolean): Promise<SubtestResult[]> {
  return new Promise((resolve) => {
    // limits.any.js compiles modules of ten million element segments: room for ours to decode them.
    const child = spawn(process.execPath, [`--max-old-space-size=${CHILD_HEAP_MB}`, __filename, '--child', suiteDir, file, impl, ...(verbose ? ['--verbose'] : [])], {
      stdio: ['ignore', verbose ? 'inherit' : 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000); });
    // Results come one by one, so a process that dies keeps those it reported.
    const results: SubtestResult[] = [];
    let finished = false;
    child.on('message', (m) => {
      if (m === 'done') finished = true;
      else results.push(m as SubtestResult);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (finished) {
        if (stderr) process.stderr.write(stderr);
        return resolve(results);
      }
      if (!finished && stderr) process.stderr.write(stderr.split('\n').slice(0, 3).join('\n') + '\n');
      const why = signal === 'SIGKILL' ? `killed after ${CHILD_TIMEOUT_MS / 1000} s`
        : /heap out of memory/.test(stderr) ? `ran out of JavaScript heap (${CHILD_HEAP_MB} MB)` : `the process ended (${signal ?? `exit code ${code}`})`;
      resolve([...results, { name: '(file)', passed: false, message: `${why} before the end; later tests did not run` }]);
    });
  });
}

function count(results: SubtestResult[]): { passed: number; failed: number } {
  const passed = results.filter((r) => r.passed).length;
  return { passed, failed: results.length - passed };
}

function defaultSuiteDir(): string {
  return process.env.WASM_JS_API ?? path.resolve(__dirname, '../../../shared/wasm-js-api');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const listFailures = args.includes('--failures');
  const filter = args.find((a) => a.startsWith('--filter='))?.slice('--filter='.length);
  const suiteDir = path.resolve(args.find((a) => !a.startsWith('--')) ?? defaultSuiteDir());
  const jsApiDir = path.join(suiteDir, 'js-api');
  if (!fs.existsSync(jsApiDir) || !fs.existsSync(path.join(suiteDir, 'harness', 'testharness.js'))) {
    console.log(`WebAssembly JS API tests not found at ${suiteDir} (expected js-api/ and harness/testharness.js there): nothing run.`);
    console.log('Give the directory as the first argument or in WASM_JS_API.');
    return 0;
  }
  // A test file may leave a promise rejected with nobody listening (V8 rejecting a module it lacks a
  // proposal for): that is the file's business, not a reason to stop the run.
  process.on('unhandledRejection', () => {});
  const files = testFiles(jsApiDir).filter((f) => filter === undefined || f.includes(filter));
  const all: FileResult[] = [];
  const width = Math.max(...files.map((f) => path.relative(jsApiDir, f).length));
  console.log(`${'file'.padEnd(width)}  ours passed/failed   V8 passed/failed`);
  for (const file of files) {
    const rel = path.relative(jsApiDir, file);
    const ours = await runInChild(suiteDir, file, 'ours', verbose);
    const v8 = await runInChild(suiteDir, file, 'v8', verbose);
    all.push({ file: rel, tentative: rel.endsWith('.tentative.any.js'), results: { ours, v8 } });
    const o = count(ours);
    const v = count(v8);
    console.log(`${rel.padEnd(width)}  ${`${o.passed}/${o.failed}`.padStart(18)}   ${`${v.passed}/${v.failed}`.padStart(16)}`);
    if (listFailures) {
      for (const [side, results] of [['ours', ours], ['V8', v8]] as const) {
        for (const r of results) if (!r.passed) console.log(`    ${side} failed: ${r.name}: ${r.message.split('\n')[0]}`);
      }
    }
  }
  const worse: string[] = [];
  for (const tentative of [false, true]) {
    const group = all.filter((f) => f.tentative === tentative);
    const o = count(group.flatMap((f) => f.results.ours));
    const v = count(group.flatMap((f) => f.results.v8));
    const label = tentative ? 'tentative' : 'not tentative';
    console.log(`total (${label}, ${group.length} files): ours ${o.passed} passed, ${o.failed} failed; V8 ${v.passed} passed, ${v.failed} failed`);
    if (tentative) continue;
    for (const f of group) {
      const oursByName = new Map(f.results.ours.map((r) => [r.name, r]));
      for (const r of f.results.v8) {
        const mine = oursByName.get(r.name);
        if (r.passed && !(mine?.passed ?? false)) worse.push(`  ${f.file}: ${r.name}: ${mine ? mine.message : 'not run'}`);
      }
    }
  }
  console.log(`tests V8 passes and ours fails (not tentative): ${worse.length}`);
  for (const line of worse) console.log(line);
  return worse.length === 0 ? 0 : 1;
}

async function child(args: string[]): Promise<void> {
  const [suiteDir, file, impl] = args;
  await runTestFile(suiteDir, file, impl as Implementation, args.includes('--verbose'), (r) => process.send!(r));
  await new Promise<void>((resolve) => process.send!('done', () => resolve()));
}

if (require.main === module && process.argv[2] === '--child') {
  process.on('unhandledRejection', () => {}); // a file's own business (see main)
  child(process.argv.slice(3)).then(() => process.exit(0));
} else if (require.main === module) {
  main().then((code) => process.exit(code), (e) => {
    console.error(e);
    process.exit(2);
  });
}
