// Our engine with a debugger attached: 10 breakpoints set on code the run never
// reaches (the `never_called` function every benchmark program carries), and the
// program run the resumable way a debugger runs it, in budgeted slices.

import { Module, importCount } from '../src/engine';
import { Benchmark } from './benchmarks';
import { Clock, Measurement, WrongResult, asU32, clock, since } from './measure';
import { Loaded, callOurs, i32Args, timedLoads } from './ours';

/** Instructions per `run` slice: what lets a debugger answer `pause` while the program runs. */
export const SLICE_BUDGET = 1_000_000;

/** The function index (imports counted) of `never_called` in a benchmark module, by its name-section name. */
export function neverCalledIndex(module: Module): number | null {
  for (const [index, name] of module.names?.functions ?? []) if (name === 'never_called') return index;
  const exp = module.exports.find((e) => e.kind === 'func' && e.name === 'never_called');
  return exp ? exp.index : null;
}

/** Sets 10 breakpoints on the first instructions of `never_called`, in the first module that has it. */
export function setUnreachedBreakpoints(b: Benchmark, loaded: Loaded): number {
  for (const instance of loaded.instances.values()) {
    const index = neverCalledIndex(instance.module);
    if (index === null) continue;
    const body = instance.module.codes[index - importCount(instance.module, 'func')].body;
    const offsets = body.slice(0, 10).map((i) => i.offset);
    loaded.store.setBreakpoints(instance.module, index, offsets);
    return offsets.length;
  }
  throw new Error(`${b.name}: no module has a function named never_called for the breakpoints`);
}

export function callDebugAttached(b: Benchmark, loaded: Loaded): Clock {
  const t0 = clock();
  const execution = loaded.store.begin(loaded.entry, i32Args(b.args));
  let r = execution.run(SLICE_BUDGET);
  while (r.status === 'paused' && r.reason === 'budget') r = execution.run(SLICE_BUDGET);
  const t = since(t0);
  if (r.status === 'trapped') throw new WrongResult(b, 'ours + debugger', b.args, `a trap (${r.trap.message})`, b.expected);
  if (r.status === 'paused') throw new WrongResult(b, 'ours + debugger', b.args, `a pause (${r.reason}) at a breakpoint that is never reached`, b.expected);
  const got = r.results.length === 1 && r.results[0].type === 'i32' ? asU32(r.results[0].value) : JSON.stringify(r.results);
  if (got !== b.expected) throw new WrongResult(b, 'ours + debugger', b.args, got, b.expected);
  return t;
}

/**
 * Our engine alone and with the debugger attached, their runs interleaved so that both
 * see the same machine (a warmer JIT, other load) on average.
 */
export async function measureOursAndDebug(b: Benchmark, runs: number): Promise<[Measurement, Measurement]> {
  const plain = await timedLoads(b, runs);
  const debug = await timedLoads(b, runs);
  const set = setUnreachedBreakpoints(b, debug.loaded);
  if (set !== 10) throw new Error(`${b.name}: never_called has only ${set} instructions for the 10 breakpoints`);
  const ours: Measurement = { benchmark: b.name, engine: 'ours', status: 'ok', loadMs: plain.loadMs, callMs: [], callWallMs: [] };
  const attached: Measurement = { benchmark: b.name, engine: 'debug', status: 'ok', loadMs: debug.loadMs, callMs: [], callWallMs: [] };
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always runs on the JIT state the other left.
    const order: [Measurement, () => Clock][] = [[ours, () => callOurs(b, plain.loaded)], [attached, () => callDebugAttached(b, debug.loaded)]];
    if (i % 2) order.reverse();
    for (const [m, call] of order) {
      const t = call();
      m.callMs.push(t.cpu);
      m.callWallMs.push(t.wall);
    }
  }
  return [ours, attached];
}
