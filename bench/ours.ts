// Our engine, called the way a host program calls it: load (decode + validate),
// instantiate with imports resolved by instance name, then `invoke`.

import * as fs from 'fs';
import * as path from 'path';
import { ExternVal, FuncInst, Instance, Store, instantiate, invoke, loadModule, type Value } from '../src/engine';
import { TierMode, tierReasons } from '../src/engine/tier/tier';
import { Benchmark, PROGRAMS_DIR } from './benchmarks';
import { Clock, WrongResult, asU32, since, clock } from './measure';

export interface Loaded {
  store: Store;
  instances: Map<string, Instance>;
  entry: FuncInst;
}

/** A store whose call stack holds the benchmark's deepest recursion. */
export function storeFor(b: Benchmark, tier: TierMode = 'off'): Store {
  return new Store({ maxCallDepth: Math.max(100_000, b.depth + 16), tier });
}

export async function loadOurs(b: Benchmark, store: Store = storeFor(b)): Promise<Loaded> {
  const instances = new Map<string, Instance>();
  for (const m of b.modules) {
    const module = await loadModule(new Uint8Array(fs.readFileSync(path.join(PROGRAMS_DIR, m.file))));
    const resolve = (imp: { module: string; name: string }): ExternVal | undefined => instances.get(imp.module)?.exports.get(imp.name);
    instances.set(m.name, instantiate(store, module, resolve, m.name));
  }
  const exp = instances.get(b.entryModule)?.exports.get(b.entry);
  if (!exp || exp.kind !== 'func') throw new Error(`${b.name}: ${b.entryModule} has no exported function "${b.entry}"`);
  return { store, instances, entry: exp.func };
}

export function i32Args(args: number[]): { type: 'i32'; value: number }[] {
  return args.map((a) => ({ type: 'i32' as const, value: a | 0 }));
}

/** The entry's results as one unsigned i32, or undefined when they are anything else. */
export function i32Result(results: Value[]): number | undefined {
  return results.length === 1 && results[0].type === 'i32' ? asU32(results[0].value) : undefined;
}

/** Calls the entry once with the benchmark's arguments; throws WrongResult on a wrong answer. */
export function callOurs(b: Benchmark, loaded: Loaded): Clock {
  const args = i32Args(b.args);
  const t0 = clock();
  const results = invoke(loaded.store, loaded.entry, args);
  const t = since(t0);
  const got = i32Result(results) ?? JSON.stringify(results);
  if (got !== b.expected) throw new WrongResult(b, 'ours', b.args, got, b.expected);
  return t;
}

/** Loads the benchmark; `loadMs` is the CPU time that took. */
export async function timedLoad(b: Benchmark, tier: TierMode = 'off'): Promise<{ loaded: Loaded; loadMs: number }> {
  const t0 = clock();
  const loaded = await loadOurs(b, storeFor(b, tier));
  return { loaded, loadMs: since(t0).cpu };
}

/** The functions the compiled tier tried and left interpreted, with why ('' when none). */
export function uncompiled(loaded: Loaded): string {
  const parts: string[] = [];
  for (const [name, inst] of loaded.instances) for (const [f, why] of tierReasons(inst.funcs)) parts.push(`${name}.${f} (${why})`);
  return parts.join(', ');
}
