// Runs a fuzz module in wat-debugger's engine and records its trace (see trace.ts).

import {
  ExternVal, FuncInst, FuncType, Instance, Module, Store, Trap, ValType, Value,
  createGlobal, defaultValue, funcTypeAt, f32FromBits, f64FromBits, hostFunction, instantiate,
} from '../src/engine';
import { HostCalls, HostThrow, IMPORT_MODULE, Trace, checksum, showFloat, showLanes, showRef } from './trace';

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

export function runOurs(module: Module, trace: Trace): void {
  const store = new Store();
  let instance: Instance | null = null;
  const funcExports = module.exports.filter((e) => e.kind === 'func').map((e) => e.name);
  const host = new HostCalls(trace);
  const exportedFunc = (name: string) => {
    host.needExports(instance !== null);
    return (instance!.exports.get(name) as { kind: 'func'; func: FuncInst }).func;
  };
  const exportedTable = () => {
    host.needExports(instance !== null);
    for (const e of module.exports) if (e.kind === 'table') return (instance!.exports.get(e.name) as { kind: 'table'; table: import('../src/engine').TableInst }).table;
    throw new HostThrow('no exported table');
  };

  const callBack = (ctx: { invoke(f: FuncInst, a: Value[]): Value[] }, func: FuncInst, args: () => Value[], caught: boolean): boolean =>
    host.callBack(() => {
      if (hasV128(func.type)) throw new HostThrow('TypeError: type incompatibility when transforming from/to JS');
      ctx.invoke(func, args());
    }, caught);
  const exportAt = (i: number) => {
    const name = funcExports[i >>> 0];
    if (name === undefined) throw new HostThrow(`no function export ${i >>> 0}`);
    return exportedFunc(name);
  };
  const refToCall = (arg: Value) => {
    const ref = arg as { value: unknown };
    if (ref.value === null) throw new HostThrow('TypeError: null is not a function');
    return ref.value as FuncInst;
  };

  const hostImpl = (name: string, type: FuncType): FuncInst | undefined => {
    const fn = (impl: (args: Value[], ctx: { invoke(f: FuncInst, a: Value[]): Value[] }) => Value[]) =>
      hostFunction(type, name, (args, ctx) => {
        host.enter();
        return impl(args, ctx);
      });
    const i32 = (value: number): Value[] => [{ type: 'i32', value }];
    switch (name) {
      case 'log-i32': case 'log-i64': case 'log-f32': case 'log-f64': case 'log-v128':
        return fn((args) => { trace.push(`log ${showValue(args[0])}`); return []; });
      case 'call-export':
        return fn((args, ctx) => { const f = exportAt(int(args[0])); callBack(ctx, f, () => zeroArgs(f.type.params), (int(args[1]) & 1) !== 0); return []; });
      case 'call-export-catch':
        return fn((args, ctx) => { const f = exportAt(int(args[0])); return i32(callBack(ctx, f, () => zeroArgs(f.type.params), true) ? 1 : 0); });
      case 'call-ref':
        return fn((args, ctx) => { const f = refToCall(args[0]); callBack(ctx, f, () => jsNoArgs(f.type), (int(args[1]) & 1) !== 0); return []; });
      case 'call-ref-catch':
        return fn((args, ctx) => {
          let threw: boolean;
          try {
            const f = refToCall(args[0]);
            threw = callBack(ctx, f, () => jsNoArgs(f.type), true);
          } catch (e) {
            host.catchOrRethrow(e);
            threw = true;
          }
          return i32(threw ? 1 : 0);
        });
      case 'table-get':
        return fn((args) => [{ type: 'funcref', value: tableAt(exportedTable(), int(args[0]), 'get') as object | null }]);
      case 'table-set':
        return fn((args) => { tableAt(exportedTable(), int(args[0]), 'set', (args[1] as { value: unknown }).value); return []; });
      case 'sleep':
        return fn((args) => [args[1]]);
      default:
        return undefined;
    }
  };

  const resolve = (imp: { module: string; name: string; desc: Module['imports'][number]['desc'] }): ExternVal | undefined => {
    if (imp.module === IMPORT_MODULE && imp.desc.kind === 'func') {
      const func = hostImpl(imp.name, funcTypeAt(module, imp.desc.typeIndex));
      if (func) return { kind: 'func', func };
    }
    if (imp.desc.kind === 'global' && imp.desc.type.type === 'externref') {
      return { kind: 'global', global: createGlobal(imp.desc.type, { type: 'externref', value: EXTERN_VALUE }) };
    }
    throw new Error(`the fuzz harness has no import "${imp.module}"."${imp.name}" (${imp.desc.kind})`);
  };

  try {
    instance = instantiate(store, module, resolve, 'fuzz');
  } catch (e) {
    if (!(e instanceof Trap) && !(e instanceof HostThrow)) throw e;
    trace.push('instantiation trapped');
    return;
  }
  for (const name of funcExports) {
    if (host.exhausted) break;
    const func = exportedFunc(name);
    trace.push(`call ${name}`);
    host.topLevelCall();
    try {
      const results = store.invoke(func, zeroArgs(func.type.params));
      trace.push(`result ${results.map(showValue).join(', ')}`);
    } catch (e) {
      if (!(e instanceof Trap) && !(e instanceof HostThrow)) throw e;
      trace.push(host.exhausted ? 'host call budget exhausted' : 'exception');
    }
  }
  recordState(module, instance, trace);
}

function tableAt(table: import('../src/engine').TableInst, i: number, op: 'get' | 'set', v?: unknown): unknown {
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
