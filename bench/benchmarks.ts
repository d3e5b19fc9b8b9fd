// The benchmark programs: which modules each one links, what it calls and the answer it
// must give. A run that gets another answer fails. `probeArgs` is a small input for the
// same export: it measures load time for engines that cannot separate it (wabt's
// interpreter runs a whole script), and checks a peer before it gets the full job.

import * as path from 'path';

export interface BenchModule {
  /** Instance name; later modules import this one's exports under this name. */
  name: string;
  /** The built binary, relative to bench/programs. */
  file: string;
}

export interface Benchmark {
  name: string;
  /** Instantiated in this order; each may import the exports of those before it. */
  modules: BenchModule[];
  /** The instance and export called. */
  entryModule: string;
  entry: string;
  args: number[];
  /** The i32 result, read as unsigned. */
  expected: number;
  probeArgs: number[];
  /** Calls nest this deep: engines need a call stack of at least this many frames. */
  depth: number;
  /** A SIMD build: the name of the scalar build of the same source, to compare ratios with. */
  scalarOf?: string;
}

/** bench/programs, from the source tree or from its compiled copy in out/bench. */
export const PROGRAMS_DIR = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../bench' : '.', 'programs');

export const BENCHMARKS: Benchmark[] = [
  {
    name: 'fib',
    modules: [{ name: 'fib', file: 'fib.wasm' }],
    entryModule: 'fib', entry: 'fib', args: [30], expected: 832040, probeArgs: [10], depth: 31,
  },
  {
    name: 'sieve',
    modules: [{ name: 'sieve', file: 'sieve.wasm' }],
    entryModule: 'sieve', entry: 'sieve', args: [1_000_000, 10], expected: 784980, probeArgs: [10, 1], depth: 2,
  },
  {
    name: 'matmul',
    modules: [{ name: 'matmul', file: 'matmul.wasm' }],
    entryModule: 'matmul', entry: 'matmul', args: [400, 1], expected: 3320445701, probeArgs: [2, 1], depth: 2,
  },
  {
    name: 'nbody-i64',
    modules: [{ name: 'nbody', file: 'nbody-i64.wasm' }],
    entryModule: 'nbody', entry: 'nbody', args: [20_000], expected: 3503047402, probeArgs: [0], depth: 4,
  },
  {
    name: 'sha256',
    modules: [{ name: 'sha256', file: 'sha256.wasm' }],
    entryModule: 'sha256', entry: 'sha256', args: [1 << 20, 8], expected: 94457026, probeArgs: [64, 1], depth: 4,
  },
  {
    name: 'blur',
    modules: [{ name: 'blur', file: 'blur.wasm' }],
    entryModule: 'blur', entry: 'blur', args: [20, 1], expected: 3339856978, probeArgs: [1, 1], depth: 2,
  },
  {
    // blur.c again, built with -msimd128: the same answer through auto-vectorised SIMD loops.
    name: 'blur-simd',
    modules: [{ name: 'blur', file: 'blur-simd.wasm' }],
    entryModule: 'blur', entry: 'blur', args: [20, 1], expected: 3339856978, probeArgs: [1, 1], depth: 2,
    scalarOf: 'blur',
  },
  {
    name: 'pingpong',
    modules: [{ name: 'ping', file: 'ping.wasm' }, { name: 'pong', file: 'pong.wasm' }],
    entryModule: 'pong', entry: 'run', args: [1_000_000], expected: 920050144, probeArgs: [3], depth: 3,
  },
  {
    name: 'deep',
    modules: [{ name: 'deep', file: 'deep.wasm' }],
    entryModule: 'deep', entry: 'deep', args: [1_000_000], expected: 2896796320, probeArgs: [3], depth: 1_000_001,
  },
];

export function benchmarkNamed(name: string): Benchmark {
  const b = BENCHMARKS.find((x) => x.name === name);
  if (!b) throw new Error(`unknown benchmark "${name}" (known: ${BENCHMARKS.map((x) => x.name).join(', ')})`);
  return b;
}
