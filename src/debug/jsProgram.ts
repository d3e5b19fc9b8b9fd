// A JavaScript program (`main.mjs`, `.js`, `.cjs`) run unchanged in the core's thread, with a
// global `WebAssembly` whose modules our engine compiles and runs: every call into wasm goes
// through the debugger (`invoke`), and every instance is named and shown as it is made.

import * as fs from 'fs';
import * as path from 'path';
import { Store, type FuncInst, type Instance, type Module, type Value } from '../engine/index';
import { moduleOrigin, runJsProgram } from '../jsapi/index';
import { sourceMapOfAssembly } from '../text/sourceMap';
import { assembleWithPositions } from '../text/assemble';
import type { Assembled } from '../text/wat';
import type { LaunchConfig } from './launchArgs';
import { generatedUnit, textUnit, type TargetHost } from './targets';
import type { CodeUnit } from './units';

export interface JsProgramHost extends TargetHost {
  /** Runs a call from JavaScript into wasm under the debugger. */
  invoke(func: FuncInst, args: Value[]): Value[];
  /** The program has ended (its event loop is empty, or it called process.exit). */
  ended(exitCode: number): void;
}

export class JsProgram {
  readonly store: Store;
  private readonly units = new Map<Module, CodeUnit>();

  constructor(
    private readonly config: LaunchConfig,
    private readonly host: JsProgramHost,
  ) {
    this.store = new Store({ maxCallDepth: config.maxCallDepth });
  }

  /** Installs our `WebAssembly`, gives the program its command line and output, and runs its main module. */
  async run(): Promise<void> {
    const { config, host } = this;
    redirect(process.stdout, (text) => host.output.stdout(text));
    redirect(process.stderr, (text) => host.output.stderr(text));
    Object.assign(process.env, config.env); // the thread's own copy of the environment
    // A worker thread cannot change its directory: the program sees `cwd` as its own, while
    // relative file paths still resolve against the adapter's.
    process.cwd = () => config.cwd;
    process.on('exit', (code) => host.ended(code));
    process.on('beforeExit', () => host.ended(typeof process.exitCode === 'number' ? process.exitCode : 0));
    process.on('uncaughtException', (e) => {
      host.output.stderr(`Uncaught ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    });
    process.on('unhandledRejection', (e) => {
      host.output.stderr(`Uncaught (in promise) ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    });
    await runJsProgram(config.program, config.args.map(String), {
      store: this.store,
      invoke: (func, args) => host.invoke(func, args),
      instantiated: (module, instance) => this.instantiated(module, instance),
    });
  }

  /** A new instance: its module's unit (made once), then the instance itself, before its start function runs. */
  private instantiated(module: Module, instance: Instance): void {
    let unit = this.units.get(module);
    if (!unit) {
      unit = this.unitOf(module, instance.name);
      this.units.set(module, unit);
    }
    this.host.addInstance(unit, instance, instance.name);
  }

  /**
   * A module is shown in its own text when a `.wat` beside the `.wasm` it was read from (or beside
   * the program, named as the module's name section names it) assembles to the very same bytes;
   * otherwise in text generated from its binary.
   */
  private unitOf(module: Module, instanceName: string): CodeUnit {
    const id = this.host.nextUnitId();
    const origin = moduleOrigin(module);
    const file = origin && !/^[a-z][a-z0-9+.-]*:\/\//i.test(origin) ? path.resolve(origin) : null;
    const wat = this.textOf(module, file);
    if (wat) return textUnit(id, module, wat.file, path.basename(wat.file), wat.file, sourceMapOfAssembly(wat.file, wat.assembled));
    const base = file ?? path.join(path.dirname(this.config.program), `${instanceName}.wasm`);
    return generatedUnit(id, module, base, path.basename(base), base);
  }

  /** The `.wat` that assembles to the module's very bytes, if there is one where it would be. */
  private textOf(module: Module, wasmFile: string | null): { file: string; assembled: Assembled } | null {
    const name = module.names?.module;
    const candidates = [
      wasmFile ? wasmFile.replace(/\.wasm$/i, '') + '.wat' : null,
      name ? path.join(path.dirname(this.config.program), `${name}.wat`) : null,
    ];
    for (const wat of candidates) {
      if (!wat || !fs.existsSync(wat)) continue;
      try {
        // The very same bytes: the assembly's positions are the module's, with no second assembly to map them.
        const assembled = assembleWithPositions(fs.readFileSync(wat, 'utf8'), wat);
        if (Buffer.from(assembled.bytes).equals(module.bytes)) return { file: wat, assembled };
        this.host.console(`wat-debugger: ${wat} does not assemble to the module the program loaded; showing text generated from the binary\n`);
      } catch (e) {
        this.host.console(`wat-debugger: ${wat}: ${(e as Error).message}\n`);
      }
    }
    return null;
  }
}

/** The program's writes to a standard stream go to the debugger's output, in order with everything else it says. */
function redirect(stream: NodeJS.WriteStream, to: (text: string) => void): void {
  stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    to(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as typeof stream.write;
}
