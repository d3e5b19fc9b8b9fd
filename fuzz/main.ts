// `npm run fuzz -- [count] [--start S] [--seed N] [--out DIR] [--no-simd]`: differential fuzzing of our engine
// against V8 on modules binaryen's translate-to-fuzz makes (SIMD included). Seeds S..S+count-1
// (default 1..100) or the one seed N; every divergence is written to DIR (default fuzz-out/) as
// seed-N.wasm and seed-N.txt (both traces), and `--seed N` replays it.

import * as fs from 'fs';
import * as path from 'path';
import { runBoth } from './compare';
import { FUZZ_FEATURES, SCALAR_FEATURES, generateModule } from './generate';

interface Options {
  seeds: number[];
  out: string;
  verbose: boolean;
  features: string[];
}

function parseArgs(argv: string[]): Options {
  let count = 100;
  let start = 1;
  let single: number | null = null;
  let out = 'fuzz-out';
  let verbose = false;
  let features = FUZZ_FEATURES;
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
    else if (/^\d+$/.test(a)) count = Number(a);
    else throw new Error(`unknown argument ${a} (usage: npm run fuzz -- [count] [--start S] [--seed N] [--out DIR] [--verbose] [--no-simd])`);
  }
  const seeds = single !== null ? [single] : Array.from({ length: count }, (_, i) => start + i);
  return { seeds, out, verbose: verbose || single !== null, features };
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  let same = 0;
  let invalid = 0;
  const divergent: number[] = [];
  // Generating (a wasm-opt process) is the slow part: keep the next module coming while one runs.
  const ahead = 2;
  const pending = new Map<number, Promise<Uint8Array>>();
  const request = (k: number) => {
    if (k < options.seeds.length && !pending.has(k)) pending.set(k, generateModule(options.seeds[k], options.features));
  };
  const started = Date.now();
  for (let k = 0; k < options.seeds.length; k++) {
    for (let j = k; j <= k + ahead; j++) request(j);
    const seed = options.seeds[k];
    const bytes = await pending.get(k)!;
    pending.delete(k);
    const outcome = await runBoth(bytes);
    if (outcome.kind === 'same') {
      same++;
      if (options.verbose) console.log(`seed ${seed}: same\n  ${outcome.trace.join('\n  ')}`);
    } else if (outcome.kind === 'invalid') {
      invalid++;
      console.log(`seed ${seed}: skipped, ${outcome.reason}`);
    } else {
      divergent.push(seed);
      fs.mkdirSync(options.out, { recursive: true });
      const base = path.join(options.out, `seed-${seed}`);
      fs.writeFileSync(`${base}.wasm`, bytes);
      const text = [`seed ${seed}: ${outcome.reason}`, '', 'ours:', ...outcome.ours.map((l) => '  ' + l), '', 'V8:', ...outcome.v8.map((l) => '  ' + l), ''].join('\n');
      fs.writeFileSync(`${base}.txt`, text);
      console.log(`seed ${seed}: DIVERGENCE ${outcome.reason} (written to ${base}.wasm and .txt; replay: npm run fuzz -- --seed ${seed})`);
      if (options.verbose) console.log(text);
    }
    if ((k + 1) % 50 === 0) console.log(`... ${k + 1}/${options.seeds.length} modules, ${divergent.length} divergences, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
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
