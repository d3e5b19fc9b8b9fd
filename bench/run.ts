// `npm run bench`: every benchmark program on V8, our engine, our engine under the
// debugger, wabt's interpreter and a JavaScript-hosted peer, side by side in one run.
// Prints markdown tables (call times, ratios, load times), the stack and memory figures
// of the `deep` recursion, and with --json FILE writes the rows as JSON.
//
//   node out/bench/run.js [--quick] [--json FILE] [--only fib,sieve] [--skip-peers] [--no-stack]
//   node out/bench/run.js --scale [--json FILE]   real modules of several MB instead (bench/scale.ts)

import * as fs from 'fs';
import * as os from 'os';
import { BENCHMARKS, Benchmark, benchmarkNamed } from './benchmarks';
import { measureOursAndDebug } from './oursAndDebug';
import { measureCold } from './cold';
import { measureTimeTravel, timeTravelTable, type TimeTravelFigures } from './timeTravel';
import { ENGINE_LABELS, Measurement, median, skipped } from './measure';
import { stackFigures } from './stackFigures';
import { callTable, coldTable, jsonRows, loadTable, simdTable, skipNotes } from './table';
import { measureWabt, wabtVersion } from './wabt';
import { runScale } from './scale';
import { runInWorker } from './workers';

interface Options {
  quick: boolean;
  json: string | null;
  only: Benchmark[];
  peers: boolean;
  stack: boolean;
  scale: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { quick: false, json: null, only: BENCHMARKS, peers: true, stack: true, scale: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--json') {
      if (!argv[i + 1]) throw new Error('--json needs a file name');
      o.json = argv[++i];
    } else if (a === '--only') {
      if (!argv[i + 1]) throw new Error('--only needs benchmark names, e.g. --only fib,deep');
      o.only = argv[++i].split(',').map(benchmarkNamed);
    } else if (a === '--skip-peers') o.peers = false;
    else if (a === '--no-stack') o.stack = false;
    else if (a === '--scale') o.scale = true;
    else throw new Error(`unknown option "${a}" (options: --quick, --json FILE, --only NAMES, --skip-peers, --no-stack, --scale)`);
  }
  return o;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function describe(m: Measurement): string {
  return m.status === 'ok'
    ? `${median(m.callMs).toFixed(1)} ms CPU, ${median(m.callWallMs).toFixed(1)} ms wall (medians of ${m.callMs.length})${m.loadMs.length ? `, load ${median(m.loadMs).toFixed(2)} ms` : ''}`
    : `skipped: ${m.reason}`;
}

/** One machine line for the README. */
function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.scale) {
    log(`machine: ${machine()}`);
    return runScale(o.json, log);
  }
  // Interpreters run seconds per call, V8 milliseconds: V8 gets more runs and a warm-up.
  const runs = o.quick ? 1 : 5;
  const v8Runs = o.quick ? 5 : 15;
  const peerTimeoutMs = o.quick ? 60_000 : 300_000;
  const results: Measurement[] = [];
  const travels: TimeTravelFigures[] = [];
  log(`machine: ${machine()}`);

  for (const b of o.only) {
    const v8 = await runInWorker({ engine: 'v8', benchmark: b.name, runs: v8Runs, warmups: 2 }, 600_000);
    results.push(v8);
    log(`${b.name} on V8: ${describe(v8)}`);
    const probeExpected = v8.probeResult!;

    const measured = await measureOursAndDebug(b, runs, log);
    results.push(...measured);
    const [ours, tier, debug, debugTier, recording] = measured;
    log(`${b.name} on ours: ${describe(ours)}`);
    log(`${b.name} on ours (compiled tier): ${describe(tier)}`);
    log(`${b.name} on ours + debugger: ${describe(debug)}`);
    log(`${b.name} on ours + debugger (compiled tier): ${describe(debugTier)}`);
    log(`${b.name} on ours + debugger, recording: ${describe(recording)}`);
    const cold = await measureCold(b, o.quick ? 1 : 3);
    results.push(...cold);
    for (const m of cold) log(`${b.name} on ${ENGINE_LABELS[m.engine]}: ${describe(m)}`);
    const travel = await measureTimeTravel(b);
    travels.push(travel);
    log(
      travel.skipped
        ? `${b.name} going backwards: skipped, ${travel.skipped}`
        : `${b.name} going backwards: Step Back ${travel.stepBackMs.toFixed(0)} ms, Reverse Continue to the start ${travel.reverseToStartMs.toFixed(0)} ms (${travel.reverseSearchMs.toFixed(0)} ms searching past a breakpoint), ${travel.checkpoints} checkpoints, ${(travel.recordingBytes / 2 ** 20).toFixed(1)} MB`,
    );

    const wabt = o.peers ? measureWabt(b, o.quick ? 1 : 3, probeExpected) : skipped(b.name, 'wabt', '--skip-peers');
    results.push(wabt);
    log(`${b.name} on wabt: ${describe(wabt)}`);

    const peer = o.peers
      ? await runInWorker({ engine: 'peer', benchmark: b.name, runs: 1, warmups: 0, probeExpected }, peerTimeoutMs)
      : skipped(b.name, 'peer', '--skip-peers');
    results.push(peer);
    log(`${b.name} on webassemblyjs: ${describe(peer)}`);
  }

  const out: string[] = [];
  out.push(`Machine: ${machine()}.`);
  if (o.peers) out.push(`wabt: ${wabtVersion() || 'absent'}; webassemblyjs ${peerVersion()}.`);
  out.push('', '### Call time (median CPU ms) and ratios', '', callTable(results), '');
  out.push('### Cold single run: load and one call in a fresh thread, as a debug session runs a program (median CPU ms)', '', coldTable(results), '');
  const simd = simdTable(results);
  if (simd) out.push('### SIMD builds beside their scalar builds (same C source, clang -O2 with and without -msimd128)', '', simd, '');
  out.push('### Load time: decode, validate or compile, instantiate (median CPU ms)', '', loadTable(results), '');
  out.push('### Going backwards: from the end of a recorded run (wall ms), and what the recording holds', '', timeTravelTable(travels), '');
  const notes = skipNotes(results);
  if (notes.length) out.push('Skipped:', '', ...notes, '');
  if (o.stack) out.push('### Call stack memory and stack traces (`deep`)', '', await stackFigures(o.quick), '');
  process.stdout.write(`${out.join('\n')}\n`);

  if (o.json) {
    fs.writeFileSync(o.json, `${JSON.stringify(jsonRows(results), null, 2)}\n`);
    log(`wrote ${o.json}`);
  }
}

function peerVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require('webassemblyjs/package.json') as { version: string }).version;
  } catch {
    return 'absent';
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.name === 'Error' ? '' : `${err.name}: `}${err.message}\n`);
  process.exit(1);
});
