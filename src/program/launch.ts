// The launch model: a main module file, a map from import-module names to files, and an export to
// invoke with arguments -> a store of linked, named instances ready to run or debug.
//
// Every import-module name bound in the map is one instance (its name is the import name), so two
// names bound to one file give two instances of one decoded module. Imports of imported modules are
// resolved through the same map, depth first, so instances come out in dependency order with the
// main module last. Host modules (console, wasi_snapshot_preview1, spectest) are provided by name
// unless the map binds that name to a file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  LinkError,
  Store,
  funcTypeOf,
  instantiate,
  invoke,
  loadModule,
  type ExternVal,
  type FuncInst,
  type FuncType,
  type Import,
  type Instance,
  type Module,
  type Value,
  funcTypeAt,
} from '../engine/index';
import { CONSOLE_MODULE, createConsole } from '../host/console';
import type { HostModule, OutputSink } from '../host/hostModule';
import { SPECTEST_MODULE, createSpectest } from '../host/spectest';
import { unresolvedImportStub } from '../host/unresolved';
import { WASI_MODULE, createWasi, type Wasi } from '../host/wasi';
import { AssembleError } from '../text/assemble';
import { TextValidationError, loadTextModule } from '../text/loadText';
import { sourceMapForText, type SourceMap } from '../text/sourceMap';
import { parseEntryArgs } from './args';
import { ProgramError } from './errors';
import { keepDataInFile, readWasmFile, type WasmFile } from './wasmFile';

export interface LaunchConfig {
  /** The main file: `.wat` or `.wasm` (a `.wast` script runs through src/program/script.ts). */
  program: string;
  /** Import-module name -> file (`.wat`/`.wasm`). Relative paths are relative to `cwd`. */
  imports?: Record<string, string>;
  /** The export to call; default `_start` when exported, else `main`. */
  invoke?: string;
  /**
   * The entry function's arguments (`10`, `"0xff"`, `"nan"`, `true` = 1). When the entry takes no
   * parameters, imports WASI and `programArgs` is absent, they are the WASI command line instead.
   */
  args?: (string | number | boolean)[];
  /** The WASI command line after the program name (argv[1...]). */
  programArgs?: string[];
  /** Base directory for relative paths; default process.cwd(). */
  cwd?: string;
  /** Where console and WASI output goes; default: discarded. */
  output?: OutputSink;
  /** What the program reads from WASI's stdin. */
  stdin?: string | Uint8Array;
  /** The WASI environment. */
  env?: Record<string, string>;
  /** Store limits (the engine's defaults when absent). */
  maxCallDepth?: number;
  /**
   * What a function import that nothing provides becomes: a load error ('error', the default),
   * or a host function that traps when called ('trap'). Other imports stay errors.
   */
  unresolvedImports?: UnresolvedImports;
}

export { UNRESOLVED_IMPORTS, type UnresolvedImports } from './unresolvedImports';
import type { UnresolvedImports } from './unresolvedImports';

/** One module instance of the program, with the source the debugger shows for it. */
export interface ProgramInstance {
  /** The human name the debugger shows: the import name, or the main file's base name. */
  name: string;
  /** The import-module name it is bound to, or null for the main module. */
  importName: string | null;
  instance: Instance;
  module: Module;
  /** Absolute path of its file. */
  file: string;
  /** 'wat': `text` holds the file's text; 'wasm': a binary (the debugger generates a text view). */
  format: 'wat' | 'wasm';
  text: string | null;
  /** The source map of a `.wat` instance (built on first use; shared by instances of one file); null for `.wasm`. */
  sourceMap(): SourceMap | null;
}

export interface Program {
  store: Store;
  /** Instances in instantiation (dependency) order; the main module is last. */
  instances: ProgramInstance[];
  main: ProgramInstance;
  /** The function to invoke, its export name and its parsed arguments. */
  entry: { exportName: string; func: FuncInst; args: Value[] };
  /**
   * A WASI reactor's `_initialize`, for the caller to run before the entry (with
   * `runInitialize: false`); null when there is none to run or loading has run it.
   */
  initialize: FuncInst | null;
  /** The host modules available to the program, by name (including those it does not import). */
  hosts: Map<string, HostModule>;
  /** The WASI state: its exitCode is set when the program calls proc_exit. */
  wasi: Wasi;
  /** The program instance (with its source) of an engine instance, or undefined for one made elsewhere. */
  instanceFor(instance: Instance): ProgramInstance | undefined;
  /** The program instance a function instance belongs to, or undefined for host code. */
  instanceOf(func: FuncInst): ProgramInstance | undefined;
}

/** What exists of a program while it is still being instantiated. */
export interface LoadingProgram {
  store: Store;
  wasi: Wasi;
}

export interface LoadOptions {
  /**
   * Runs start functions in the caller's place (a debugger runs them under its control): called
   * after each instance is made, in instantiation order, with its start function (null when it
   * has none), which instantiation then leaves to the caller. The next instance is made only once
   * the returned promise settles, so, as the spec says, a module's start function has run before
   * any module instantiated after it (which may read what it wrote); a rejection ends the load
   * with that error. Without it, instantiation runs start functions itself, and a trap in one ends
   * the load with that trap.
   */
  afterInstance?: (instance: ProgramInstance, start: FuncInst | null, loading: LoadingProgram) => Promise<void>;
  /**
   * Whether loading runs a WASI reactor's `_initialize` (default true). With false it is left to
   * the caller as the program's `initialize` (a debugger runs it under its control).
   */
  runInitialize?: boolean;
  /**
   * Hears every file of the program once all of them are read and decoded, before the first
   * instance is made (a debugger resolves breakpoints in them before anything runs). Files are
   * those reachable from the main module through "imports"; one that fails to load is left out,
   * and the load then fails with its error where instantiation needs it.
   */
  afterLoad?: (files: LoadedFile[]) => Promise<void>;
}

/** A decoded file; shared by every instance of that file. */
export interface LoadedFile {
  file: string;
  format: 'wat' | 'wasm';
  text: string | null;
  module: Module;
  sourceMap(): SourceMap | null;
}

/** Import-module names the debugger provides itself, unless "imports" binds them to files. */
export const HOST_MODULE_NAMES: readonly string[] = [CONSOLE_MODULE, WASI_MODULE, SPECTEST_MODULE];

/** The exports a program runs when the launch names none, in order of preference. */
export const DEFAULT_ENTRY_NAMES: readonly string[] = ['_start', 'main'];

/** The export to run when the launch names none: a default entry, else the only function; null when neither. */
export function defaultEntry(exportedFuncs: readonly string[]): string | null {
  const preferred = DEFAULT_ENTRY_NAMES.find((name) => exportedFuncs.includes(name));
  return preferred ?? (exportedFuncs.length === 1 ? exportedFuncs[0] : null);
}

/** True for files that are scripts (run command by command) rather than modules. */
export function isScript(file: string): boolean {
  return path.extname(file).toLowerCase() === '.wast';
}

/** Loads, links and instantiates a program; every failure is a ProgramError naming what and where. */
export async function loadProgram(config: LaunchConfig, options: LoadOptions = {}): Promise<Program> {
  const cwd = config.cwd ?? process.cwd();
  const mainFile = path.resolve(cwd, config.program);
  if (isScript(mainFile)) {
    throw new ProgramError('not-a-module', `${mainFile} is a script: run it as a script, not as a module program`);
  }
  const bindings = new Map<string, string>();
  for (const [name, file] of Object.entries(config.imports ?? {})) bindings.set(name, path.resolve(cwd, file));

  const files = new Map<string, Promise<LoadedFile>>();
  const load = (file: string, boundAs: string | null, importer: string | null) => {
    let loaded = files.get(file);
    if (!loaded) {
      loaded = loadModuleFile(file, boundAs, importer);
      files.set(file, loaded);
    }
    return loaded;
  };

  // Named after its file, unless an import name already says that (then the stack could not tell them apart).
  const baseName = path.basename(mainFile).replace(/\.(wat|wasm)$/i, '');
  const mainName = bindings.has(baseName) ? `${baseName}#main` : baseName;
  const main = await load(mainFile, null, null);
  if (options.afterLoad) await options.afterLoad(await loadDependencies(mainName, main, bindings, load));
  // The entry and its arguments are known from the main module alone (WASI needs the command line
  // before linking), but a problem with them is reported after the link problems, which come first.
  let entryProblem: ProgramError | null = null;
  let entryExport = '';
  let args: Value[] = [];
  let commandLine: string[] = config.programArgs ?? [];
  try {
    entryExport = chooseEntry(main, config.invoke);
    const entryType = exportedFuncType(main.module, entryExport);
    const rawArgs = config.args ?? [];
    const argsAreCommandLine =
      config.programArgs === undefined && entryType.params.length === 0 && importsModule(main.module, WASI_MODULE);
    if (argsAreCommandLine) commandLine = rawArgs.map(String);
    else args = parseEntryArgs(entryExport, entryType, rawArgs);
  } catch (e) {
    if (!(e instanceof ProgramError)) throw e;
    entryProblem = e;
  }

  const output = config.output ?? { stdout: () => {}, stderr: () => {} };
  const wasi = createWasi({
    args: [path.basename(mainFile), ...commandLine],
    env: config.env,
    stdin: config.stdin,
    output,
  });
  const hosts = new Map<string, HostModule>([createConsole(output), wasi, createSpectest(output)].map((host) => [host.name, host]));

  const store = new Store(config.maxCallDepth !== undefined ? { maxCallDepth: config.maxCallDepth } : undefined);
  const instances: ProgramInstance[] = [];
  const trapUnresolved = config.unresolvedImports === 'trap';
  const byName = new Map<string, ProgramInstance>();
  // Instances being instantiated, outermost first, to report a cycle as the chain that closes it.
  const chain: { name: string; importName: string | null; file: string }[] = [];

  const instantiateFile = async (name: string, importName: string | null, loaded: LoadedFile): Promise<ProgramInstance> => {
    chain.push({ name, importName, file: loaded.file });
    const providers = new Map<string, ProgramInstance | HostModule>();
    for (const moduleName of importedModuleNames(loaded.module)) {
      const boundFile = bindings.get(moduleName);
      if (boundFile !== undefined) {
        const cycleStart = chain.findIndex((c) => c.importName === moduleName);
        if (cycleStart >= 0) throw cycleError(chain.slice(cycleStart), moduleName);
        let provider = byName.get(moduleName);
        if (!provider) {
          const dependency = await load(boundFile, moduleName, `${name} (${loaded.file})`);
          provider = await instantiateFile(moduleName, moduleName, dependency);
        }
        providers.set(moduleName, provider);
      } else if (hosts.has(moduleName)) {
        providers.set(moduleName, hosts.get(moduleName)!);
      } else {
        const unbound = `module "${moduleName}", which is not bound to a file in "imports" and is not a host module (${HOST_MODULE_NAMES.join(', ')})`;
        // With "trap" its functions are stubs; anything else it should give is still missing.
        const other = trapUnresolved ? loaded.module.imports.find((i) => i.module === moduleName && i.desc.kind !== 'func') : undefined;
        if (!trapUnresolved || other) {
          const what = other ? `${other.desc.kind} "${other.module}"."${other.name}" from ${unbound}${STUBS_ARE_FUNCTIONS}` : unbound;
          throw new ProgramError('unbound-import', `${name} (${loaded.file}) imports ${what}`);
        }
      }
    }
    const importer = `${name} (${loaded.file})`;
    const exporter = (provider: ProgramInstance | HostModule) =>
      'resolve' in provider ? `host module ${provider.name}` : `${provider.name} (${provider.file})`;
    const resolve = (imp: Import): ExternVal => {
      const provider = providers.get(imp.module);
      const value = !provider ? undefined : 'resolve' in provider ? provider.resolve(imp, loaded.module) : provider.instance.exports.get(imp.name);
      if (!value && trapUnresolved && imp.desc.kind === 'func') return { kind: 'func', func: unresolvedImportStub(imp, funcTypeAt(loaded.module, imp.desc.typeIndex)) };
      if (!value) {
        const names = 'resolve' in provider! ? provider.exportNames() : [...provider!.instance.exports.keys()];
        throw new ProgramError(
          'missing-export',
          `${importer} imports "${imp.module}"."${imp.name}", but ${exporter(provider!)} exports no "${imp.name}"` +
            ` (its exports: ${names.length ? names.join(', ') : 'none'})${trapUnresolved ? STUBS_ARE_FUNCTIONS : ''}`,
        );
      }
      return value;
    };
    let instance: Instance;
    try {
      instance = instantiate(store, loaded.module, resolve, name, { runStart: !options.afterInstance });
    } catch (e) {
      // The engine checks import types; say which instance or host module the export came from.
      const provider = e instanceof LinkError ? providers.get(e.importModule) : undefined;
      if (!(e instanceof LinkError) || !provider) throw e;
      throw new ProgramError(
        'type-mismatch',
        `${importer} imports "${e.importModule}"."${e.importName}", but ${exporter(provider)} exports "${e.importName}" ` +
          `with an incompatible type: ${e.reason.replace(/^incompatible import type: /, '')}`,
      );
    }
    const programInstance: ProgramInstance = {
      name,
      importName,
      instance,
      module: loaded.module,
      file: loaded.file,
      format: loaded.format,
      text: loaded.text,
      sourceMap: loaded.sourceMap,
    };
    instances.push(programInstance);
    if (importName !== null) byName.set(importName, programInstance);
    if (options.afterInstance) {
      const start = loaded.module.start === null ? null : instance.funcs[loaded.module.start];
      await options.afterInstance(programInstance, start, { store, wasi });
    }
    chain.pop();
    return programInstance;
  };

  const mainInstance = await instantiateFile(mainName, null, main);
  if (entryProblem) throw entryProblem;
  // A WASI reactor initialises itself before any other export is called.
  const initializeExport = mainInstance.instance.exports.get('_initialize');
  let initialize: FuncInst | null = null;
  if (entryExport !== '_start' && initializeExport?.kind === 'func') {
    if (options.runInitialize === false) initialize = initializeExport.func;
    else invoke(store, initializeExport.func, []);
  }
  const entry = mainInstance.instance.exports.get(entryExport);
  if (entry?.kind !== 'func') throw new Error(`internal: entry ${entryExport} vanished after instantiation`);

  const byInstance = new Map<Instance, ProgramInstance>(instances.map((p) => [p.instance, p]));
  return {
    store,
    instances,
    main: mainInstance,
    entry: { exportName: entryExport, func: entry.func, args },
    initialize,
    hosts,
    wasi,
    instanceFor: (instance) => byInstance.get(instance),
    instanceOf: (func) => (func.instance ? byInstance.get(func.instance) : undefined),
  };
}

/** `raw` as a Uint8Array that starts at offset 0 of a buffer holding nothing else. */
function ownBytes(raw: Buffer): Uint8Array {
  const alone = raw.byteOffset === 0 && raw.buffer.byteLength === raw.byteLength;
  return alone ? new Uint8Array(raw.buffer, 0, raw.byteLength) : new Uint8Array(raw);
}

/**
 * Reads and decodes (`.wasm`, or a file starting with the wasm magic) or assembles (`.wat`) one
 * file, validating it. `boundAs` and `importer` say, in errors, which role the file plays.
 * Throws ProgramError, or AssembleError for text that is not a well-formed module.
 */
export async function loadModuleFile(file: string, boundAs: string | null = null, importer: string | null = null): Promise<LoadedFile> {
  const role = boundAs === null ? 'the main module' : `module "${boundAs}", imported by ${importer}`;
  let raw: Buffer;
  // A .wasm leaves its big data segments in the file (see wasmFile.ts).
  let wasmFile: WasmFile | null = null;
  try {
    if (path.extname(file).toLowerCase() === '.wasm') wasmFile = readWasmFile(file);
    raw = wasmFile ? Buffer.from(wasmFile.bytes.buffer, 0, wasmFile.bytes.length) : fs.readFileSync(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ProgramError('missing-file', `cannot read ${file} (${role}): ${reason}`);
  }
  const extension = path.extname(file).toLowerCase();
  const format = extension === '.wasm' || (extension !== '.wat' && raw.subarray(0, 4).equals(WASM_MAGIC)) ? 'wasm' : 'wat';
  const text = format === 'wat' ? raw.toString('utf8') : null;
  let module: Module;
  try {
    // A .wasm's bytes start at offset 0 of a buffer of their own: a large file's buffer already is
    // (no second copy of tens of MB), a small one may sit in Node's shared pool and is copied.
    module = text === null ? await loadModule(wasmFile?.bytes ?? ownBytes(raw)) : await loadTextModule(text, file);
    if (wasmFile) keepDataInFile(module, wasmFile);
  } catch (e) {
    // Text problems already name file:line:column; a binary's name the byte offset.
    if (e instanceof AssembleError) throw e;
    if (e instanceof TextValidationError) throw new ProgramError('invalid-module', e.message);
    throw new ProgramError('invalid-module', `${file}: ${(e as Error).message}`);
  }
  let map: SourceMap | null | undefined;
  const sourceMap = () => (map === undefined ? (map = text === null ? null : sourceMapForText(text, file, module)) : map);
  return { file, format, text, module, sourceMap };
}

/**
 * Loads every file reachable from `main` through `bindings`, in the order instantiation visits
 * them (so the first importer named in a file's error is the one instantiation would name), and
 * gives those that loaded. Failures are left for instantiation to report in its own order.
 */
async function loadDependencies(
  mainName: string,
  main: LoadedFile,
  bindings: Map<string, string>,
  load: (file: string, boundAs: string | null, importer: string | null) => Promise<LoadedFile>,
): Promise<LoadedFile[]> {
  const loaded = new Set<LoadedFile>([main]);
  const visited = new Set<string>();
  const visit = async (name: string, file: LoadedFile): Promise<void> => {
    for (const moduleName of importedModuleNames(file.module)) {
      const boundFile = bindings.get(moduleName);
      if (boundFile === undefined || visited.has(moduleName)) continue;
      visited.add(moduleName);
      const dependency = load(boundFile, moduleName, `${name} (${file.file})`);
      let ready: LoadedFile;
      try {
        ready = await dependency;
      } catch {
        continue;
      }
      loaded.add(ready);
      await visit(moduleName, ready);
    }
  };
  await visit(mainName, main);
  return [...loaded];
}

/** Said of a non-function import that unresolvedImports "trap" cannot stand in for. */
const STUBS_ARE_FUNCTIONS = '; unresolvedImports "trap" stands in for functions only';

const WASM_MAGIC = Buffer.from([0x00, 0x61, 0x73, 0x6d]);

function chooseEntry(main: LoadedFile, invoke: string | undefined): string {
  const funcs = main.module.exports.filter((e) => e.kind === 'func').map((e) => e.name);
  const listing = funcs.length ? funcs.join(', ') : 'none';
  if (invoke !== undefined) {
    if (!funcs.includes(invoke)) {
      throw new ProgramError('no-entry', `${main.file} exports no function "${invoke}" (its exported functions: ${listing})`);
    }
    return invoke;
  }
  const entry = defaultEntry(funcs);
  if (entry !== null) return entry;
  throw new ProgramError(
    'no-entry',
    `${main.file} exports neither ${DEFAULT_ENTRY_NAMES.join(' nor ')}; say which function to invoke (its exported functions: ${listing})`,
  );
}

function exportedFuncType(module: Module, name: string): FuncType {
  const exp = module.exports.find((e) => e.name === name && e.kind === 'func')!;
  return funcTypeOf(module, exp.index);
}

function importsModule(module: Module, name: string): boolean {
  return module.imports.some((i) => i.module === name);
}

/** The distinct module names a module imports from, in order of first appearance. */
function importedModuleNames(module: Module): string[] {
  return [...new Set(module.imports.map((i) => i.module))];
}

function cycleError(cycle: { name: string; file: string }[], closing: string): ProgramError {
  const steps = cycle.map((c, i) => `${c.name} (${c.file}) imports "${i + 1 < cycle.length ? cycle[i + 1].name : closing}"`);
  return new ProgramError('import-cycle', `import cycle: ${steps.join(', ')}`);
}
