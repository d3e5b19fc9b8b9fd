// binaryen's wasm-opt (an Emscripten build in the `binaryen` npm package) run inside this
// process: its script is compiled once and its 10 MB wasm compiled once, then each run gets a
// fresh global context (Emscripten programs run main once) that instantiates the cached module.
// That makes a run about six times cheaper than starting a node process for it.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { JsInstance, JsModule, WA } from './jsApi';

interface Loaded {
  file: string;
  script: vm.Script;
}

let loaded: Loaded | null = null;
let compiled: JsModule | null = null;

/** Where `wasm-opt` of the binaryen package is, or an Error saying how to install it. */
export function wasmOptPath(): string {
  let pkg: string;
  try {
    pkg = require.resolve('binaryen/package.json');
  } catch {
    throw new Error('the binaryen package is not installed: run `npm ci` (it is a devDependency)');
  }
  return path.join(path.dirname(pkg), 'bin', 'wasm-opt');
}

/**
 * The script's last statement starts main without handling its failure: an exception main does not
 * catch (binaryen's interpreter overflowing the JavaScript stack on a deep module) would reject a
 * promise nobody holds and end this process. It is handed to `Module.onRunFailure` instead.
 */
const START = 'createWasm().then(()=>run());';

function load(): Loaded {
  if (!loaded) {
    const file = wasmOptPath();
    const source = fs.readFileSync(file, 'utf8').replace(/^#!.*\n/, '');
    if (!source.endsWith(START) && !source.endsWith(`${START}\n`)) throw new Error(`${file} does not end with ${START} (another binaryen version?): cannot run it in-process`);
    const patched = source.slice(0, source.lastIndexOf(START)) + 'createWasm().then(()=>run()).catch((e)=>Module.onRunFailure(e));';
    loaded = { file, script: new vm.Script(patched, { filename: file }) };
  }
  return loaded;
}

/** Runs `wasm-opt args...` and resolves to its standard output; rejects with its error output when it fails. */
export function runWasmOpt(args: string[], timeoutMs = 60_000): Promise<string> {
  const { file, script } = load();
  return new Promise<string>((resolve, reject) => {
    const output: string[] = [];
    const errors: string[] = [];
    const fail = (why: string) => reject(new Error(`wasm-opt ${args.join(' ')}: ${errors.join('').trim() || why}`));
    const timer = setTimeout(() => fail(`no answer in ${timeoutMs} ms`), timeoutMs);
    const finish = (ok: boolean, why: string) => {
      clearTimeout(timer);
      if (ok) resolve(output.join(''));
      else fail(why);
    };
    // Its own process object, so exit codes it sets stay in this run.
    const ownProcess = Object.create(process) as NodeJS.Process & { exitCode?: number };
    // Its output goes to descriptors 1 and 2 through fs.writeSync: kept, standard output as the
    // result (what --fuzz-exec-before prints), errors for the error message.
    const capturingFs = {
      ...fs,
      writeSync(fd: number, buffer: Uint8Array, offset?: number, length?: number, ...rest: unknown[]): number {
        if (fd !== 1 && fd !== 2) return (fs.writeSync as (...a: unknown[]) => number)(fd, buffer, offset, length, ...rest);
        const start = offset ?? 0;
        const end = start + (length ?? buffer.length - start);
        (fd === 1 ? output : errors).push(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).subarray(start, end).toString());
        return end - start;
      },
    };
    const Module: Record<string, unknown> = {
      arguments: [...args], // a copy: Emscripten puts the program name in front
      thisProgram: 'wasm-opt',
      print: (text: string) => output.push(`${text}\n`),
      printErr: (text: string) => errors.push(`${text}\n`),
      onExit: (code: number) => finish(code === 0, `exit code ${code}`),
      onAbort: (what: unknown) => finish(false, `aborted: ${String(what)}`),
      onRunFailure: (e: unknown) => finish(false, `failed: ${e instanceof Error ? e.message : String(e)}`),
      postRun: [() => finish(!ownProcess.exitCode, `exit code ${ownProcess.exitCode}`)],
    };
    type Imports = Record<string, Record<string, unknown>>;
    const wasm = Object.create(WA) as Record<string, unknown>;
    wasm.instantiate = async (binary: Uint8Array, imports: Imports) => {
      compiled ??= new WA.Module(binary);
      return { module: compiled, instance: new WA.Instance(compiled, imports) };
    };
    if (compiled) {
      const module = compiled;
      Module.instantiateWasm = (imports: Imports, done: (i: JsInstance) => void) => {
        done(new WA.Instance(module, imports));
        return {};
      };
    }
    const context = vm.createContext({
      Module,
      process: ownProcess,
      require: (name: string) => (name === 'fs' || name === 'node:fs' ? capturingFs : require(name)),
      __filename: file,
      __dirname: path.dirname(file),
      console,
      WebAssembly: wasm,
      TextDecoder,
      TextEncoder,
      URL,
      Buffer,
      setTimeout,
      clearTimeout,
      performance,
      crypto: globalThis.crypto,
    });
    try {
      script.runInContext(context);
    } catch (e) {
      finish(false, (e as Error).message);
    }
  });
}

/** Runs `work` with a fresh temporary directory for wasm-opt's files, removed afterwards. */
export async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watdbg-fuzz-'));
  try {
    return await work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
