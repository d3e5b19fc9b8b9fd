// Our engine alone and under the debug adapter, in two passes: interpreted (alone, debugged, and
// debugged with the recording that lets a session go backwards) and with the compiled tier (alone
// and debugged). Each pass runs in a child process of its own, as a user's process runs one mode:
// run together, the modes shape each other's JIT state (V8's feedback and optimised code for the
// run loop), which moved their figures by up to 2x. Within a pass the runs are interleaved
// (rotating which goes first) so that all see the same machine on average, and each gets two
// warm-up calls that are not counted, as V8 does.

import { fork } from 'child_process';
import { Benchmark, benchmarkNamed } from './benchmarks';
import { measureDapSession } from './dapSession';
import { EngineId, Measurement, addTimes, emptyMeasurement } from './measure';
import { callOurs, timedLoad, uncompiled } from './ours';

const WARMUPS = 2;
/** Processes the compiled tier's pass runs in, its calls pooled (see measureOursAndDebug). */
const COMPILED_PROCESSES = 6;
/**
 * Calls per process in the compiled tier's pass, per call of the interpreted pass. Its calls are a
 * tenth as long, and the machine's own noise moves one call by up to 2x (a plain JavaScript loop's
 * calls range over 25-50 ms in one process): 15 calls gave debug / ours anywhere from 0.9 to 1.5
 * for the same build, 60 keep it within about 0.1.
 */
const COMPILED_RUNS_FACTOR = 2;
/** The child that runs a pass; its argument after this flag: the benchmark, the mode, the runs. */
const PASS_FLAG = '--ours-and-debug-pass';

interface PassResult {
  measured: Measurement[];
  /** The functions the compiled tier left interpreted, with why ('' when none). */
  stayed: string;
}

/** One pass in this process: the engine alone and under the adapter, in one compiled tier mode. */
async function runPass(b: Benchmark, mode: 'off' | 'hot', runs: number): Promise<PassResult> {
  let stayed = '';
  // Every call gets a freshly loaded program, as every debug session does: a call then pays
  // for growing its store's stacks (a million frames for `deep`), as it would for a user.
  const alone = (into: Measurement) => async (): Promise<void> => {
    const { loaded, loadMs } = await timedLoad(b, mode);
    into.loadMs.push(loadMs);
    const t = callOurs(b, loaded);
    into.callMs.push(t.cpu);
    into.callWallMs.push(t.wall);
    if (mode === 'hot') stayed = uncompiled(loaded);
  };
  // The session's program thread makes its store with the launch's compiled tier.
  const underAdapter = (into: Measurement, record: boolean) => async (): Promise<void> => {
    addTimes(into, await measureDapSession(b, 1, record ? 'recording' : 'debug', mode));
  };
  const runners: (() => Promise<void>)[] = [];
  const add = (engine: EngineId, run: (into: Measurement) => () => Promise<void>) => {
    const m = emptyMeasurement(b.name, engine);
    runners.push(run(m));
    return m;
  };
  const measured =
    mode === 'off'
      ? [add('ours', alone), add('debug', (m) => underAdapter(m, false)), add('recording', (m) => underAdapter(m, true))]
      : [add('tier', alone), add('debugTier', (m) => underAdapter(m, false))];
  for (let i = -WARMUPS; i < runs; i++) {
    const first = (i + WARMUPS * runners.length) % runners.length;
    for (let k = 0; k < runners.length; k++) await runners[(first + k) % runners.length]();
    if (i === -1) for (const m of measured) for (const xs of [m.callMs, m.callWallMs, m.loadMs]) xs.length = 0;
  }
  return { measured, stayed };
}

/** Runs a pass in a child process of its own. */
function passInChild(b: Benchmark, mode: 'off' | 'hot', runs: number): Promise<PassResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [PASS_FLAG, b.name, mode, String(runs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: PassResult | null = null;
    let error: string | null = null;
    child.on('message', (m: { ok?: PassResult; error?: string }) => {
      if (m.ok) result = m.ok;
      else error = m.error ?? 'no result';
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result) resolve(result);
      else reject(new Error(`${b.name}, ${mode === 'off' ? 'interpreted' : 'compiled tier'} pass: ${error ?? `the child process ended (${signal ?? `exit code ${code}`}) without a result`}`));
    });
  });
}

/** Ours, ours (compiled tier), ours + debugger in both modes, and ours + debugger recording, in that order. */
export async function measureOursAndDebug(b: Benchmark, runs: number, log: (line: string) => void): Promise<Measurement[]> {
  const interpreted = await passInChild(b, 'off', runs);
  // Where V8 settles with the generated code (which calls it inlines, say) differs from one process
  // to the next and stays for the process's life, so more calls in one process do not even it out:
  // the compiled tier's calls, a tenth as long, are measured in several processes and pooled.
  const compiledRuns = runs * COMPILED_RUNS_FACTOR;
  const compiled = await passInChild(b, 'hot', compiledRuns);
  for (let i = 1; i < COMPILED_PROCESSES; i++) {
    const more = await passInChild(b, 'hot', compiledRuns);
    compiled.measured.forEach((m, k) => addTimes(m, more.measured[k]));
  }
  log(`${b.name} on the compiled tier: ${compiled.stayed === '' ? 'every function that ran hot was compiled' : `interpreted: ${compiled.stayed}`}`);
  const [ours, debug, recording] = interpreted.measured;
  const [tier, debugTier] = compiled.measured;
  return [ours, tier, debug, debugTier, recording];
}

if (process.argv[2] === PASS_FLAG) {
  const [name, mode, runs] = process.argv.slice(3);
  runPass(benchmarkNamed(name), mode as 'off' | 'hot', Number(runs)).then(
    (ok) => process.send!({ ok }, () => process.exit(0)),
    (e: Error) => process.send!({ error: e.stack ?? e.message }, () => process.exit(1)),
  );
}
