// Runs a fuzz module in wat-debugger's engine and records its trace (see trace.ts).

import {
  ExternVal, FuncInst, FuncType, HostContext, HostFn, Instance, Module, Store, TableInst, TagInst, Trap, UncaughtException, ValType, Value,
  createGlobal, defaultValue, funcTypeAt, f32FromBits, f64FromBits, hostFunction, instantiate,
} from '../src/engine';
import { HostCalls, HostThrow, IMPORT_MODULE, Trace, checksum, showFloat, showLanes, showRef } from './trace';
import type { TierMode } from '../src/engine/tier/modes';

/** A value as trace.ts shows it. */
export function showValue(v: Value): string {
  switch (v.type) {
    case 'i32': return String(v.value);
    case 'i64': return String(v.value);
    case 'f32': return showFloat(f32FromBits(v.bits));
    case 'f64': return showFloat(f64FromBits(v.bits));
    case 'v128': return showLanes(new Uint32Array(v.bytes.slice().buffer));
    default: return showRef(v.value);
  }
}

const int = (v: Value) => (v as { value: number }).value;

const hasV128 = (t: FuncType) => t.params.includes('v128') || t.results.includes('v128');

/** The arguments JavaScript passes when it calls a function with none: undefined, converted per type. */
function jsNoArgs(t: FuncType): Value[] {
  return t.params.map((p): Value => {
    switch (p) {
      case 'i32': return { type: 'i32', value: 0 };
      case 'f32': return { type: 'f32', bits: 0x7fc00000 };
      case 'f64': return { type: 'f64', bits: 0x7ff8000000000000n };
      case 'externref': return { type: 'externref', value: undefined };
      default: throw new HostThrow(`TypeError: cannot convert undefined to ${p}`);
    }
  });
}

/** The value a host import of an externref global gets (the same in both runners). */
export const EXTERN_VALUE = 'fuzz-extern';

/**
 * What our two runners share: the store and instance of one fuzz module, its exports, and its
 * imports wired to the `fuzzing-support` functions a runner provides.
 */
export class OurRun {
  readonly store: Store;
  instance: Instance | null = null;

  /** `tier`: the compiled tier the store runs with (the fuzzer runs each module without and with it). */
  constructor(readonly module: Module, readonly host: HostCalls, tier: TierMode) {
    this.store = new Store({ tier });
  }

  /** The function exported as `name` (imports calling it throw until instantiation is done). */
  exportedFunc(name: string): FuncInst {
    this.host.needExports(this.instance !== null);
    return (this.instance!.exports.get(name) as { kind: 'func'; func: FuncInst }).func;
  }

  /** The table exported as `name`, or the first exported table. */
  exportedTable(name?: string): TableInst {
    this.host.needExports(this.instance !== null);
    for (const e of this.module.exports) {
      if (e.kind === 'table' && (name === undefined || e.name === name)) return (this.instance!.exports.get(e.name) as { kind: 'table'; table: TableInst }).table;
    }
    throw new HostThrow(name === undefined ? 'no exported table' : `no table exported as "${name}"`);
  }

  /**
   * Instantiates the module: `impl(name)` implements the fuzzing-support import `name` (every call
   * is counted by the host budget), `externGlobal` gives an imported externref global its value,
   * `tag(name)` the fuzzing-support tag `name` (binaryen's harness has two).
   * Returns false when instantiation trapped (recorded as `instantiation trapped`, or as
   * `instantiation threw` when `hostThrows` and an exception left the start function).
   */
  instantiate(
    trace: Trace, impl: (name: string) => HostFn | undefined, externGlobal: (module: string, name: string) => unknown,
    hostThrows = false, tag: (name: string) => TagInst | undefined = () => undefined,
  ): boolean {
    const resolve = (imp: Module['imports'][number]): ExternVal | undefined => {
      const importedTag = imp.module === IMPORT_MODULE && imp.desc.kind === 'tag' ? tag(imp.name) : undefined;
      if (importedTag) return { kind: 'tag', tag: importedTag };
      const fn = imp.module === IMPORT_MODULE && imp.desc.kind === 'func' ? impl(imp.name) : undefined;
      if (fn && imp.desc.kind === 'func') {
        return { kind: 'func', func: hostFunction(funcTypeAt(this.module, imp.desc.typeIndex), imp.name, (args, ctx) => { this.host.enter(); return fn(args, ctx); }) };
      }
      // An imported global of an extern type, nullable (externref) or not (`(ref extern)`, with GC).
      if (imp.desc.kind === 'global' && (imp.desc.type.type === 'externref' || imp.desc.type.type === '(ref extern)')) {
        const value = { type: imp.desc.type.type, value: externGlobal(imp.module, imp.name) } as Value;
        return { kind: 'global', global: createGlobal(imp.desc.type, value) };
      }
      throw new Error(`the fuzz harness has no import "${imp.module}"."${imp.name}" (${imp.desc.kind})`);
    };
    try {
      this.instance = instantiate(this.store, this.module, resolve, 'fuzz');
      return true;
    } catch (e) {
      if (!(e instanceof Trap)) throw e;
      trace.push(hostThrows && e instanceof UncaughtException ? 'instantiation threw' : 'instantiation trapped');
      return false;
    }
  }
}

export function runOurs(module: Module, trace: Trace, tier: TierMode): void {
  const funcExports = module.exports.filter((e) => e.kind === 'func').map((e) => e.name);
  const host = new HostCalls(trace);
  const run = new OurRun(module, host, tier);

  const callBack = (ctx: HostContext, func: FuncInst, args: () => Value[], caught: boolean): boolean =>
    host.callBack(() => {
      if (hasV128(func.type)) throw new HostThrow('TypeError: type incompatibility when transforming from/to JS');
      ctx.invoke(func, args());
    }, caught);
  const exportAt = (i: number) => {
    const name = funcExports[i >>> 0];
    if (name === undefined) throw new HostThrow(`no function export ${i >>> 0}`);
    return run.exportedFunc(name);
  };
  const refToCall = (arg: Value) => {
    const ref = arg as { value: unknown };
    if (ref.value === null) throw new HostThrow('TypeError: null is not a function');
    return ref.value as FuncInst;
  };

  const i32 = (value: number): Value[] => [{ type: 'i32', value }];
  const impl = (name: string): HostFn | undefined => {
    switch (name) {
      case 'log-i32': case 'log-i64': case 'log-f32': case 'log-f64': case 'log-v128':
        return (args) => { trace.push(`log ${showValue(args[0])}`); return []; };
      case 'call-export':
        return (args, ctx) => { const f = exportAt(int(args[0])); callBack(ctx, f, () => zeroArgs(f.type.params), (int(args[1]) & 1) !== 0); return []; };
      case 'call-export-catch':
        return (args, ctx) => { const f = exportAt(int(args[0])); return i32(callBack(ctx, f, () => zeroArgs(f.type.params), true) ? 1 : 0); };
      case 'call-ref':
        return (args, ctx) => { const f = refToCall(args[0]); callBack(ctx, f, () => jsNoArgs(f.type), (int(args[1]) & 1) !== 0); return []; };
      case 'call-ref-catch':
        return (args, ctx) => {
          let threw: boolean;
          try {
            const f = refToCall(args[0]);
            threw = callBack(ctx, f, () => jsNoArgs(f.type), true);
          } catch (e) {
            host.catchOrRethrow(e);
            threw = true;
          }
          return i32(threw ? 1 : 0);
        };
      case 'table-get':
        return (args) => [{ type: 'funcref', value: tableAt(run.exportedTable(), int(args[0]), 'get') as object | null }];
      case 'table-set':
        return (args) => { tableAt(run.exportedTable(), int(args[0]), 'set', (args[1] as { value: unknown }).value); return []; };
      case 'sleep':
        return (args) => [args[1]];
      default:
        return undefined;
    }
  };

  if (!run.instantiate(trace, impl, () => EXTERN_VALUE)) return;
  for (const name of funcExports) {
    if (host.exhausted) break;
    const func = run.exportedFunc(name);
    trace.push(`call ${name}`);
    host.topLevelCall();
    try {
      const results = run.store.invoke(func, zeroArgs(func.type.params));
      trace.push(`result ${results.map(showValue).join(', ')}`);
    } catch (e) {
      if (!(e instanceof Trap)) throw e;
      trace.push(host.exhausted ? 'host call budget exhausted' : 'exception');
    }
  }
  recordState(module, run.instance!, trace);
}

export function tableAt(table: TableInst, i: number, op: 'get' | 'set', v?: unknown): unknown {
  if (i >>> 0 >= table.size()) throw new HostThrow(`RangeError: table index ${i >>> 0} out of bounds`);
  if (op === 'get') return table.get(i >>> 0);
  table.set(i >>> 0, v);
  return undefined;
}

export function zeroArgs(params: ValType[]): Value[] {
  return params.map(defaultValue);
}

/** Exported globals (v128 ones too: V8's runner reads them through wasm) and memories. */
function recordState(module: Module, instance: Instance, trace: Trace): void {
  for (const e of module.exports) {
    const ext = instance.exports.get(e.name)!;
    if (ext.kind === 'global') trace.push(`global ${e.name} = ${showValue(ext.global.get())}`);
    if (ext.kind === 'memory') trace.push(`memory ${e.name}: ${checksum(new Uint8Array(ext.memory.buffer))}`);
  }
}
