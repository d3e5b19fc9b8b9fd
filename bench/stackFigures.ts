// Memory and stack-trace figures for the `deep` recursion: what a call frame costs with
// the sparse-instance call stack against the naive model (every frame holds its
// instance), what the whole million-deep recursion costs in our engine, and how long a
// 20-frame stack-trace page takes from the middle of that stack against a 100-deep one.

import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { CallStack, Execution, NaiveCallStack, funcCode, importCount } from '../src/engine';
import { PROGRAMS_DIR, benchmarkNamed } from './benchmarks';
import { stoppedAt } from './dapSession';
import { median, now } from './measure';
import { Loaded, i32Args, loadOurs } from './ours';

const DEPTH = 1_000_000;
const PAGE = 20;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Heap plus typed-array backing stores (the call stack keeps frames in typed arrays). */
function memoryNow(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

interface ModelFigures {
  sparseBytesPerFrame: number;
  naiveBytesPerFrame: number;
  sparseEntries: number;
}

/** Pushes DEPTH frames of one instance onto each call-stack model and weighs them. */
function modelFigures(): ModelFigures {
  const func = { name: 'deep' };
  const instance = { name: 'deep' };
  const before = memoryNow();
  const sparse = new CallStack<object, object>();
  sparse.push(func, 0, instance);
  for (let i = 1; i < DEPTH; i++) sparse.push(func, i * 2);
  const sparseBytes = memoryNow() - before;
  const sparseEntries = sparse.instanceEntryCount;
  const before2 = memoryNow();
  const naive = new NaiveCallStack<object, object>();
  naive.push(func, 0, instance);
  for (let i = 1; i < DEPTH; i++) naive.push(func, i * 2);
  const naiveBytes = memoryNow() - before2;
  // Keep both alive until weighed.
  if (sparse.height !== DEPTH || naive.height !== DEPTH) throw new Error('call stack models lost frames');
  return { sparseBytesPerFrame: sparseBytes / DEPTH, naiveBytesPerFrame: naiveBytes / DEPTH, sparseEntries };
}

/** Runs deep(n) in our engine until it stops at the breakpoint on its base case. */
async function pausedAtBottom(n: number): Promise<{ loaded: Loaded; execution: Execution }> {
  const b = benchmarkNamed('deep');
  const loaded = await loadOurs({ ...b, depth: n + 1 });
  const instance = loaded.instances.get('deep')!;
  const module = instance.module;
  const index = (loaded.entry as { index: number }).index;
  const body = funcCode(module, index - importCount(module, 'func')).body;
  const base = body.find((i) => i.op === 0x41 && i.value === 0); // `i32.const 0` of deep(0)
  if (!base) throw new Error('deep.wasm: no `i32.const 0` base case to stop at');
  loaded.store.setBreakpoints(module, index, [base.offset]);
  const execution = loaded.store.begin(loaded.entry, i32Args([n]));
  let r = execution.run(10_000_000);
  while (r.status === 'paused' && r.reason === 'budget') r = execution.run(10_000_000);
  if (r.status !== 'paused' || r.reason !== 'breakpoint') throw new Error(`deep(${n}) did not stop at its base case: ${JSON.stringify(r.status)}`);
  return { loaded, execution };
}

/** One stack-trace page as the debugger builds it: frames counted from the top, each named with its instance. */
function page(execution: Execution, startFrame: number, levels: number): string[] {
  const stack = execution.callStack;
  const out: string[] = [];
  for (let k = 0; k < levels; k++) {
    const h = stack.height - 1 - startFrame - k;
    if (h < 0) break;
    const frame = execution.frame(h);
    const instance = stack.instanceAt(h) as { name: string } | null;
    out.push(`${instance ? instance.name : 'host'}.${frame.func.name} @0x${frame.offset.toString(16)}`);
  }
  return out;
}

/** Median microseconds per page over `reps` requests (after as many unmeasured ones, for the JIT). */
function timePage(execution: Execution, startFrame: number, reps: number): number {
  for (let i = 0; i < reps; i++) page(execution, startFrame, PAGE);
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    const frames = page(execution, startFrame, PAGE);
    samples.push((now() - t0) * 1000);
    if (frames.length !== PAGE) throw new Error(`stack page at ${startFrame} has ${frames.length} frames`);
  }
  return median(samples);
}

/**
 * Median microseconds of the debug adapter's `stackTrace` request for `levels` frames from
 * `startFrame` (0 = innermost), with deep(n) stopped at its base case.
 */
async function timeDapPage(n: number, startFrame: number, reps: number): Promise<{ us: number; names: string[] }> {
  const program = path.join(PROGRAMS_DIR, 'deep.wat');
  const line = fs.readFileSync(program, 'utf8').split('\n').findIndex((l) => /\(then \(i32\.const 0\)\)/.test(l)) + 1;
  if (line === 0) throw new Error('deep.wat: no `(then (i32.const 0))` line to stop at');
  const { client, close } = await stoppedAt(program, 'deep', [n], n + 16, line);
  try {
    for (let i = 0; i < reps; i++) await client.send('stackTrace', { threadId: 1, startFrame, levels: PAGE });
    const samples: number[] = [];
    let names: string[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = now();
      const r = (await client.send('stackTrace', { threadId: 1, startFrame, levels: PAGE })) as DebugProtocol.StackTraceResponse;
      samples.push((now() - t0) * 1000);
      names = r.body.stackFrames.map((f) => `${f.name} (line ${f.line})`);
      if (names.length !== PAGE) throw new Error(`stackTrace from frame ${startFrame} of deep(${n}) gave ${names.length} frames`);
    }
    return { us: median(samples), names };
  } finally {
    await close();
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export async function stackFigures(quick: boolean): Promise<string> {
  const model = modelFigures();
  const reps = quick ? 200 : 2000;

  const shallow = await pausedAtBottom(100);
  const shallowUs = timePage(shallow.execution, 40, reps);

  const before = memoryNow();
  const deep = await pausedAtBottom(DEPTH);
  const growth = memoryNow() - before;
  const stack = deep.execution.callStack;
  const height = stack.height;
  const entries = stack.instances.length;
  const deepUs = timePage(deep.execution, DEPTH / 2, reps);
  const finish = deep.execution.run(Number.MAX_SAFE_INTEGER);
  if (finish.status !== 'done') throw new Error(`deep(${DEPTH}) did not finish after its breakpoint: ${finish.status}`);

  const dapShallow = await timeDapPage(100, 40, reps);
  const dapDeep = await timeDapPage(DEPTH, DEPTH / 2, reps);

  return [
    '| figure | value |',
    '| --- | ---: |',
    `| call-stack model, bytes per frame: sparse instance list | ${model.sparseBytesPerFrame.toFixed(1)} |`,
    `| call-stack model, bytes per frame: naive (instance in every frame) | ${model.naiveBytesPerFrame.toFixed(1)} |`,
    `| call-stack model, sparse list entries after ${DEPTH.toLocaleString('en')} pushes | ${model.sparseEntries} |`,
    `| our engine, deep(${DEPTH.toLocaleString('en')}) stopped at its base case: frames | ${height.toLocaleString('en')} |`,
    `| our engine, memory growth (heap + typed arrays) at that point | ${mib(growth)} (${(growth / height).toFixed(1)} bytes per frame) |`,
    `| our engine, sparse list entries at that point | ${entries} |`,
    `| engine: ${PAGE} frames (function, instance, offset) from frame 40 of a 100-deep stack | ${shallowUs.toFixed(1)} µs |`,
    `| engine: the same from frame ${(DEPTH / 2).toLocaleString('en')} of the ${DEPTH.toLocaleString('en')}-deep stack | ${deepUs.toFixed(1)} µs (${(deepUs / shallowUs).toFixed(2)}x) |`,
    `| debug adapter: \`stackTrace\` of ${PAGE} frames from frame 40, 100-deep stack | ${dapShallow.us.toFixed(1)} µs |`,
    `| debug adapter: \`stackTrace\` of ${PAGE} frames from frame ${(DEPTH / 2).toLocaleString('en')}, ${DEPTH.toLocaleString('en')}-deep stack | ${dapDeep.us.toFixed(1)} µs (${(dapDeep.us / dapShallow.us).toFixed(2)}x) |`,
    '',
    `(the first frame of that page, as the debugger shows it: \`${dapDeep.names[0]}\`)`,
  ].join('\n');
}
