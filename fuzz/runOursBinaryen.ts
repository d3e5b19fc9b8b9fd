// Runs a fuzz module in wat-debugger's engine under the import semantics of binaryen's interpreter
// and records its trace in the binaryen format (see trace.ts), to compare with runBinaryen.ts.

import {
  Exception, FuncInst, FuncType, GcArray, GcStruct, HostContext, HostFn, Module, TagInst, Trap, UncaughtException, ValType, Value,
  f32FromBits, f64FromBits,
} from '../src/engine';
import { OurRun, tableAt, zeroArgs } from './runOurs';
import type { TierMode } from '../src/engine/tier/modes';
import { HostCalls, HostThrow, Trace, showExactFloat, showLanes } from './trace';

/** The value binaryen gives an imported externref global: a payload computed from its names. */
class ExternPayload {
  constructor(readonly payload: number) {}
}

/** The externref payload of a host error's exception, which binaryen prints as `jserror`. */
const JS_ERROR_PAYLOAD = 0xbad;

/** binaryen's payload for an imported externref global (FuzzerImportResolver::getGlobalOrNull). */
export function externPayload(module: string, name: string): number {
  let payload = 0;
  for (const c of Buffer.from(module + name)) payload = (payload + c) % 251;
  return payload;
}

/** A value as binaryen's printValue shows it, in the trace's form. */
export function showBinaryenValue(v: Value): string {
  switch (v.type) {
    case 'i32': case 'i64': return String(v.value);
    case 'f32': return showExactFloat(f32FromBits(v.bits));
    case 'f64': return showExactFloat(f64FromBits(v.bits));
    case 'v128': return showLanes(new Uint32Array(v.bytes.slice().buffer));
    case 'externref':
      if (v.value === null) return 'null';
      if (v.value instanceof ExternPayload) return v.value.payload === JS_ERROR_PAYLOAD ? 'jserror' : `externref(${v.value.payload})`;
      throw new Error(`an externref the binaryen harness did not make: ${String(v.value)}`);
    default: {
      // funcref, exnref and the GC references: binaryen prints null, function, i31ref(N), and a
      // struct, an array or an exception as object(null) (its descriptor, which 3.0 objects do not have).
      const ref = v as { type: string; value: unknown };
      if (ref.value === null) return 'null';
      if (ref.value instanceof FuncInst) return 'function';
      if (typeof ref.value === 'number') return `i31ref(${ref.value})`;
      if (ref.value instanceof GcStruct || ref.value instanceof GcArray || ref.value instanceof Exception) return 'object(null)';
      if (ref.value instanceof ExternPayload) return showBinaryenValue({ type: 'externref', value: ref.value });
      throw new Error(`the binaryen harness cannot show a ${ref.type} value yet`);
    }
  }
}

/** A type binaryen's trapsOnJSBoundary refuses: v128, and the references of the exn hierarchy. */
const notForJs = (t: ValType) => t === 'v128' || t === 'exnref' || t === 'nullexnref' || t === '(ref exn)' || t === '(ref noexn)';

/** binaryen's callFunctionAsJS refuses (with a host error, before calling) what JavaScript could not pass. */
function refusedAtBoundary(t: FuncType): string | null {
  const param = t.params.find((p) => p === 'i64' || notForJs(p));
  if (param) return `a ${param} parameter cannot come from JavaScript`;
  // The arguments are zeros and nulls: a non-nullable reference parameter cannot take one.
  const nonNull = t.params.find((p) => p.startsWith('(ref ') && !p.startsWith('(ref null '));
  if (nonNull) return `a ${nonNull} parameter cannot be null`;
  const result = t.results.find(notForJs);
  return result ? `a ${result} result cannot go to JavaScript` : null;
}

const int = (v: Value) => (v as { value: number }).value;
const i32 = (value: number): Value[] => [{ type: 'i32', value }];

/** binaryen's two fuzzing tags (execution-results.h): the `throw` import's and host errors'. */
function fuzzingTags(): { wasmtag: TagInst; jstag: TagInst } {
  return {
    wasmtag: new TagInst({ params: ['i32'], results: [] }, 'fuzzing-support!wasmtag'),
    jstag: new TagInst({ params: ['externref'], results: [] }, 'fuzzing-support!jstag'),
  };
}

export function runOursBinaryen(module: Module, trace: Trace, tier: TierMode): void {
  const host = new HostCalls(trace, 'binaryen');
  const run = new OurRun(module, host, tier);
  const tags = fuzzingTags();
  const throwing = (tag: TagInst, payload: Value) => new UncaughtException(new Exception(tag, [payload]));
  /**
   * In binaryen a host error is a wasm exception of jstag (throwJSException), which the module's
   * code can catch: a host error leaving an import becomes one (the call budget's end stays a trap).
   */
  const hostErrorsAsExceptions = (fn: HostFn): HostFn => (args, ctx) => {
    try {
      return fn(args, ctx);
    } catch (e) {
      if (e instanceof HostThrow && !host.exhausted) throw throwing(tags.jstag, { type: 'externref', value: new ExternPayload(JS_ERROR_PAYLOAD) });
      throw e;
    }
  };

  /** Calls `func` the way binaryen's interpreter calls it for JavaScript: zeros as arguments. */
  const callAsJs = (ctx: HostContext, func: () => FuncInst): void => {
    const f = func();
    const refused = refusedAtBoundary(f.type);
    if (refused) throw new HostThrow(refused);
    ctx.invoke(f, zeroArgs(f.type.params));
  };
  // Export indices count every export, not only functions.
  const exportAt = (i: number) => (): FuncInst => {
    const e = module.exports[i >>> 0];
    if (e?.kind !== 'func') throw new HostThrow(e ? `export ${i >>> 0} is not a function` : `no export ${i >>> 0}`);
    return run.exportedFunc(e.name);
  };
  const refToCall = (arg: Value) => (): FuncInst => {
    const f = (arg as { value: unknown }).value;
    if (f === null) throw new HostThrow('a null reference is not callable');
    return f as FuncInst;
  };
  // The flags argument of call-export and call-ref makes no difference in binaryen's interpreter.
  const calling = (target: (args: Value[]) => () => FuncInst, caught: boolean): HostFn => (args, ctx) => {
    const threw = host.callBack(() => callAsJs(ctx, target(args)), caught);
    return caught ? i32(threw ? 1 : 0) : [];
  };
  const table = () => run.exportedTable('table');

  const impl = (name: string): HostFn | undefined => {
    switch (name) {
      case 'log-i32': case 'log-i64': case 'log-f32': case 'log-f64': case 'log-v128':
      case 'log-anyref': case 'log-funcref': case 'log-externref':
        return (args) => { trace.push(`log ${showBinaryenValue(args[0])}`); return []; };
      case 'call-export': return calling((args) => exportAt(int(args[0])), false);
      case 'call-export-catch': return calling((args) => exportAt(int(args[0])), true);
      case 'call-ref': return calling((args) => refToCall(args[0]), false);
      case 'call-ref-catch': return calling((args) => refToCall(args[0]), true);
      case 'table-get':
        return (args) => [{ type: 'funcref', value: tableAt(table(), int(args[0]), 'get') as object | null }];
      case 'table-set':
        return (args) => { tableAt(table(), int(args[0]), 'set', (args[1] as { value: unknown }).value); return []; };
      // throw(0) is a host error, throw(n) throws wasmtag with payload n.
      case 'throw':
        return (args) => { throw int(args[0]) === 0 ? new HostThrow('thrown by the throw import') : throwing(tags.wasmtag, args[0]); };
      case 'sleep':
        return (args) => [args[1]];
      default:
        return undefined;
    }
  };

  const implementation = (name: string) => {
    const fn = impl(name);
    return fn && hostErrorsAsExceptions(fn);
  };
  if (!run.instantiate(trace, implementation, (m, n) => new ExternPayload(externPayload(m, n)), true, (name) => (name === 'wasmtag' || name === 'jstag' ? tags[name] : undefined))) return;
  const exceptionLine = binaryenTagNames(module, run.instance!.tags, tags);
  for (const e of module.exports) {
    if (host.exhausted) break;
    if (e.kind === 'global') {
      const ext = run.instance!.exports.get(e.name) as { kind: 'global'; global: { get(): Value } };
      trace.push(`global ${e.name} = ${showBinaryenValue(ext.global.get())}`);
    }
    if (e.kind !== 'func') continue;
    const func = run.exportedFunc(e.name);
    trace.push(`call ${e.name}`);
    host.topLevelCall();
    try {
      const results = run.store.invoke(func, zeroArgs(func.type.params));
      if (results.length) trace.push(`result ${results.map(showBinaryenValue).join(', ')}`);
    } catch (err) {
      if (!(err instanceof Trap)) throw err;
      trace.push(host.exhausted ? 'host call budget exhausted' : err instanceof UncaughtException ? exceptionLine(err.exception) : 'trap');
    }
  }
}

/**
 * The trace line of an exception that left a top-level call, its tag named as binaryen names it:
 * the fuzzing tags (imported or not: the imports throw them anyway) by their import names, the
 * module's own by the name section or `tag$N` (N counting defined tags only: WasmBinaryReader::readTags).
 */
function binaryenTagNames(module: Module, instanceTags: readonly TagInst[], fuzzingTags: { wasmtag: TagInst; jstag: TagInst }): (exn: Exception) => string {
  const imported = module.imports.filter((i) => i.desc.kind === 'tag').length;
  const names = new Map<TagInst, string>(instanceTags.slice(imported).map((tag, i) => [tag, module.names?.tags?.get(imported + i) ?? `tag$${i}`]));
  for (const [name, tag] of Object.entries(fuzzingTags)) names.set(tag, name);
  return (exn) => {
    const name = names.get(exn.tag);
    if (name === undefined) throw new Error(`an exception of a tag the module does not have: ${exn.describe()}`);
    return ['exception', name, ...exn.payload.map(showBinaryenValue)].join(' ');
  };
}
