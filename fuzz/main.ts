// `npm run fuzz -- [count] [--start S] [--seed N] [--out DIR] [--no-simd] [--jobs N]`: differential fuzzing of our engine
// against V8 on modules binaryen's translate-to-fuzz makes (SIMD included). Seeds S..S+count-1
// (default 1..100) or the one seed N; every divergence is written to DIR (default fuzz-out/) as
// seed-N.wasm and seed-N.txt (both traces), and `--seed N` replays it. `--jobs N` (default 2)
// child processes share the seeds.

import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import { runBoth, type Outcome } from './compare';
import { FUZZ_FEATURES, SCALAR_FEATURES, generateModule } from './generate';

interface Options {
  seeds: number[];
  out: string;
  verbose: boolean;
  features: string[];
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
  let features = FUZZ_FEATURES;
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
    else if (a === '--no-simd') features = SCALAR_FEATURES;
    else if (a === '--jobs') jobs = Math.max(1, number(a, argv[++i]));
    else if (a === '--shard') {
      const m = /^(\d+)\/(\d+)$/.exec(argv[++i] ?? '');
      if (!m) throw new Error('--shard needs INDEX/COUNT');
      shard = { index: Number(m[1]), of: Number(m[2]) };
    }
    else if (/^\d+$/.test(a)) count = Number(a);
    else throw new Error(`unknown argument ${a} (usage: npm run fuzz -- [count] [--start S] [--seed N] [--out DIR] [--verbose] [--no-simd] [--jobs N])`);
  }
  const seeds = single !== null ? [single] : Array.from({ length: count }, (_, i) => start + i);
  return { seeds, out, verbose: verbose || single !== null, features, jobs, shard };
}

/** What one seed gave, as a shard reports it to the main process (one JSON line each). */
interface SeedReport {
  seed: number;
  kind: Outcome['kind'];
  message: string;
}

/** Runs `seeds` one after the other, writing each divergence out; `report` hears of every seed. */
async function runSeeds(options: Options, seeds: number[], report: (r: SeedReport) => void): Promise<void> {
  // Generating (a wasm-opt process) is slow: keep the next modules coming while one runs.
  const ahead = 2;
  const pending = new Map<number, Promise<Uint8Array>>();
  const request = (k: number) => {
    if (k < seeds.length && !pending.has(k)) pending.set(k, generateModule(seeds[k], options.features));
  };
  for (let k = 0; k < seeds.length; k++) {
    for (let j = k; j <= k + ahead; j++) request(j);
    const seed = seeds[k];
    const bytes = await pending.get(k)!;
    pending.delete(k);
    const outcome = await runBoth(bytes);
    if (outcome.kind === 'same') {
      report({ seed, kind: 'same', message: options.verbose ? `seed ${seed}: same\n  ${outcome.trace.join('\n  ')}` : '' });
    } else if (outcome.kind === 'invalid') {
      report({ seed, kind: 'invalid', message: `seed ${seed}: skipped, ${outcome.reason}` });
    } else {
      fs.mkdirSync(options.out, { recursive: true });
      const base = path.join(options.out, `seed-${seed}`);
      fs.writeFileSync(`${base}.wasm`, bytes);
      const text = [`seed ${seed}: ${outcome.reason}`, '', 'ours:', ...outcome.ours.map((l) => '  ' + l), '', 'V8:', ...outcome.v8.map((l) => '  ' + l), ''].join('\n');
      fs.writeFileSync(`${base}.txt`, text);
      const line = `seed ${seed}: DIVERGENCE ${outcome.reason} (written to ${base}.wasm and .txt; replay: npm run fuzz -- --seed ${seed})`;
      report({ seed, kind: 'divergence', message: options.verbose ? `${line}\n${text}` : line });
    }
  }
}

/** Runs the seeds in `jobs` child processes (shards), each taking every jobs-th seed. */
function runSharded(options: Options, jobs: number, report: (r: SeedReport) => void): Promise<void> {
  const runs = Array.from({ length: jobs }, (_, shard) => new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, ...process.argv.slice(2), '--shard', `${shard}/${jobs}`], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  let invalid = 0;
  const divergent: number[] = [];
  const started = Date.now();
  const report = (r: SeedReport) => {
    done++;
    if (r.kind === 'same') same++;
    else if (r.kind === 'invalid') invalid++;
    else divergent.push(r.seed);
    if (r.message) console.log(r.message);
    if (done % 50 === 0) console.log(`... ${done}/${options.seeds.length} modules, ${divergent.length} divergences, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  };
  const jobs = Math.min(options.jobs, options.seeds.length);
  if (jobs > 1) await runSharded(options, jobs, report);
  else await runSeeds(options, options.seeds, report);
  divergent.sort((x, y) => x - y);
  console.log(`${options.seeds.length} modules: ${same} same, ${divergent.length} divergences, ${invalid} skipped (V8 rejects them)`);
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
