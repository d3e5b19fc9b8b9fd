// `npm run fuzz -- [count] [--start S] [--seed N] [--out DIR] [--no-simd] [--jobs N]
//                  [--oracle v8|binaryen] [--features a,b|all]`: differential fuzzing of our engine on
// modules binaryen's translate-to-fuzz makes (SIMD included), each run interpreted and with the
// compiled tier. Seeds S..S+count-1 (default 1..100)
// or the one seed N; every divergence is written to DIR (default fuzz-out/) as seed-N.wasm and
// seed-N.txt (both traces), and `--seed N` with the same options replays it. `--jobs N` (default 2)
// child processes share the seeds.
//
// The oracle is V8 (Node's WebAssembly, the default) or binaryen's own interpreter (`--oracle
// binaryen`: `wasm-opt --fuzz-exec-before`, run in the process that generates the module). Each
// has its import semantics and trace format (trace.ts). Only binaryen runs the WebAssembly 3.0
// features `--features` adds (generate.ts's EXTRA_FEATURES: multi-memory, relaxed-simd,
// exceptions, gc (with typed function references), memory64; `all` for every one). A module made
// with a feature our engine does not run yet and rejected by it counts as unsupported, its reason
// printed; the summary counts passed, divergences, unsupported and invalid (the oracle rejects it).

import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import { compareWithBinaryen, runBoth, type Outcome } from './compare';
import { EXTRA_FEATURES, FUZZ_FEATURES, SCALAR_FEATURES, featureFlags, generateModule } from './generate';
import { generateAndRun } from './runBinaryen';

type Oracle = 'v8' | 'binaryen';

interface Options {
  seeds: number[];
  out: string;
  verbose: boolean;
  oracle: Oracle;
  /** binaryen's flags for the modules' features. */
  features: string[];
  /** The extra features (`--features`) our engine does not run yet. */
  unsupported: string[];
  /** The options a replay of one seed needs besides `--seed N`. */
  replayArgs: string[];
  /** Child processes that share the seeds (`--jobs N`, default 2). */
  jobs: number;
  /** Set in a child: which share of the seeds it runs. */
  shard: { index: number; of: number } | null;
}

function parseArgs(argv: string[]): Options {
  let count = 100;
  let start = 1;
  let single: number | null = null;
  let out = 'fuzz-out';
  let verbose = false;
  let base = FUZZ_FEATURES;
  let oracle: Oracle = 'v8';
  let extra: string[] = [];
  let jobs = 2;
  let shard: Options['shard'] = null;
  const number = (flag: string, text: string | undefined) => {
    if (text === undefined || !/^\d+$/.test(text)) throw new Error(`${flag} needs a non-negative integer, got ${text ?? 'nothing'}`);
    return Number(text);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') single = number(a, argv[++i]);
    else if (a === '--start') start = number(a, argv[++i]);
    else if (a === '--out') out = argv[++i] ?? out;
    else if (a === '--verbose') verbose = true;
    else if (a === '--no-simd') base = SCALAR_FEATURES;
    else if (a === '--oracle') {
      const name = argv[++i];
      if (name !== 'v8' && name !== 'binaryen') throw new Error(`--oracle needs v8 or binaryen, got ${name ?? 'nothing'}`);
      oracle = name;
    }
    else if (a === '--features') {
      const list = argv[++i] ?? '';
      extra = list === 'all' ? Object.keys(EXTRA_FEATURES) : list.split(',').filter(Boolean);
      if (!extra.length) throw new Error('--features needs a comma-separated list of features, or all');
    }
    else if (a === '--jobs') jobs = Math.max(1, number(a, argv[++i]));
    else if (a === '--shard') {
      const m = /^(\d+)\/(\d+)$/.exec(argv[++i] ?? '');
      if (!m) throw new Error('--shard needs INDEX/COUNT');
      shard = { index: Number(m[1]), of: Number(m[2]) };
    }
    else if (/^\d+$/.test(a)) count = Number(a);
    else throw new Error(`unknown argument ${a} (usage: npm run fuzz -- [count] [--start S] [--seed N] [--out DIR] [--verbose] [--no-simd] [--jobs N] [--oracle v8|binaryen] [--features a,b|all])`);
  }
  if (extra.length && oracle === 'v8') throw new Error(`--features ${extra.join(',')}: Node's V8 does not run them; add --oracle binaryen`);
  const features = featureFlags(extra, base);
  const unsupported = extra.filter((name) => !EXTRA_FEATURES[name].ours);
  const replayArgs = [
    ...(oracle === 'v8' ? [] : ['--oracle', oracle]),
    ...(extra.length ? ['--features', extra.join(',')] : []),
    ...(base === SCALAR_FEATURES ? ['--no-simd'] : []),
    ...(out === 'fuzz-out' ? [] : ['--out', out]),
  ];
  const seeds = single !== null ? [single] : Array.from({ length: count }, (_, i) => start + i);
  return { seeds, out, verbose: verbose || single !== null, oracle, features, unsupported, replayArgs, jobs, shard };
}

/** The module of `seed` run in our engine and in the oracle. */
async function fuzzOne(options: Options, made: Uint8Array | { bytes: Uint8Array; output: string | Error }): Promise<Outcome> {
  if (made instanceof Uint8Array) return runBoth(made);
  if (made.output instanceof Error) return { kind: 'invalid', reason: `binaryen's interpreter failed: ${made.output.message}` };
  return compareWithBinaryen(made.bytes, made.output, options.unsupported);
}

/** What one seed gave, as a shard reports it to the main process (one JSON line each). */
interface SeedReport {
  seed: number;
  kind: Outcome['kind'];
  /** Passed, but compared only up to where binaryen stopped. */
  partial?: boolean;
  message: string;
}

/** Runs `seeds` one after the other, writing each divergence out; `report` hears of every seed. */
async function runSeeds(options: Options, seeds: number[], report: (r: SeedReport) => void): Promise<void> {
  // Generating (a wasm-opt process) is slow: keep the next modules coming while one runs.
  const ahead = 2;
  const pending = new Map<number, Promise<Uint8Array | { bytes: Uint8Array; output: string | Error }>>();
  const request = (k: number) => {
    if (k >= seeds.length || pending.has(k)) return;
    const made = options.oracle === 'v8' ? generateModule(seeds[k], options.features) : generateAndRun(seeds[k], options.features);
    made.catch(() => {}); // awaited in its turn, which reports a failure
    pending.set(k, made);
  };
  const oracleName = options.oracle === 'v8' ? 'V8' : 'binaryen';
  for (let k = 0; k < seeds.length; k++) {
    for (let j = k; j <= k + ahead; j++) request(j);
    const seed = seeds[k];
    const made = await pending.get(k)!;
    pending.delete(k);
    const bytes = made instanceof Uint8Array ? made : made.bytes;
    const outcome = await fuzzOne(options, made);
    if (outcome.kind === 'same') {
      const line = `seed ${seed}: same${outcome.note ? ` (${outcome.note})` : ''}`;
      report({ seed, kind: 'same', partial: !!outcome.note, message: options.verbose ? `${line}\n  ${outcome.trace.join('\n  ')}` : outcome.note ? line : '' });
    } else if (outcome.kind === 'invalid') {
      report({ seed, kind: 'invalid', message: `seed ${seed}: skipped, ${outcome.reason}` });
    } else if (outcome.kind === 'unsupported') {
      report({ seed, kind: 'unsupported', message: `seed ${seed}: unsupported by our engine, ${outcome.reason}` });
    } else {
      fs.mkdirSync(options.out, { recursive: true });
      const base = path.join(options.out, `seed-${seed}`);
      fs.writeFileSync(`${base}.wasm`, bytes);
      const text = [`seed ${seed}: ${outcome.reason}`, '', 'ours:', ...outcome.ours.map((l) => '  ' + l), '', `${outcome.against ?? oracleName}:`, ...outcome.oracle.map((l) => '  ' + l), ''].join('\n');
      fs.writeFileSync(`${base}.txt`, text);
      const line = `seed ${seed}: DIVERGENCE ${outcome.reason} (written to ${base}.wasm and .txt; replay: npm run fuzz -- --seed ${seed}${options.replayArgs.map((a) => ' ' + a).join('')})`;
      report({ seed, kind: 'divergence', message: options.verbose ? `${line}\n${text}` : line });
    }
  }
}

/**
 * binaryen's interpreter recurses on the JavaScript stack and overflows Node's default one (about
 * 1 MB) on some modules: its shards get 4 MB, well inside the 8 MB of a Linux main thread.
 */
function stackSize(options: Options): string[] {
  return options.oracle === 'binaryen' ? ['--stack-size=4000'] : [];
}

/** Runs the seeds in `jobs` child processes (shards), each taking every jobs-th seed. */
function runSharded(options: Options, jobs: number, report: (r: SeedReport) => void): Promise<void> {
  const runs = Array.from({ length: jobs }, (_, shard) => new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [...stackSize(options), __filename, ...process.argv.slice(2), '--shard', `${shard}/${jobs}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line) report(JSON.parse(line) as SeedReport);
      }
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`fuzzing shard ${shard}/${jobs} failed (exit code ${code})`))));
  }));
  return Promise.all(runs).then(() => undefined);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (options.shard) {
    const { index, of } = options.shard;
    await runSeeds(options, options.seeds.filter((_, k) => k % of === index), (r) => process.stdout.write(`${JSON.stringify(r)}\n`));
    return 0;
  }
  let done = 0;
  let same = 0;
  let partial = 0;
  let invalid = 0;
  const divergent: number[] = [];
  /** Unsupported modules by reason (byte offsets left out, so one missing feature is one reason). */
  const unsupported = new Map<string, number>();
  const started = Date.now();
  const report = (r: SeedReport) => {
    done++;
    if (r.partial) partial++;
    if (r.kind === 'same') same++;
    else if (r.kind === 'invalid') invalid++;
    else if (r.kind === 'unsupported') {
      const reason = r.message.replace(/^seed \d+: unsupported by our engine, /, '').replace(/ at byte 0x[0-9a-f]+/, '');
      unsupported.set(reason, (unsupported.get(reason) ?? 0) + 1);
    } else divergent.push(r.seed);
    if (r.message && (r.kind !== 'unsupported' || options.verbose)) console.log(r.message);
    if (done % 50 === 0) console.log(`... ${done}/${options.seeds.length} modules, ${divergent.length} divergences, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  };
  const jobs = Math.min(options.jobs, options.seeds.length);
  if (jobs > 1 || stackSize(options).length) await runSharded(options, jobs, report);
  else await runSeeds(options, options.seeds, report);
  divergent.sort((x, y) => x - y);
  const unsupportedCount = [...unsupported.values()].reduce((a, b) => a + b, 0);
  const oracle = options.oracle === 'v8' ? 'V8' : 'binaryen';
  const seconds = (Date.now() - started) / 1000;
  const partly = partial ? ` (${partial} compared up to binaryen's host limit)` : '';
  console.log(`${options.seeds.length} modules against ${oracle}: ${same} passed${partly}, ${divergent.length} divergences, ${unsupportedCount} unsupported by our engine, ${invalid} invalid (${oracle} rejects or cannot run them)`);
  console.log(`${seconds.toFixed(1)} s, ${((seconds * 1000 * jobs) / options.seeds.length).toFixed(0)} ms per module in each of ${jobs} process${jobs > 1 ? 'es' : ''}`);
  for (const [reason, n] of [...unsupported].sort((a, b) => b[1] - a[1])) console.log(`  unsupported (${n}): ${reason}`);
  if (divergent.length) console.log(`divergent seeds: ${divergent.join(' ')}`);
  return divergent.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
