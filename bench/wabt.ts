// wabt's native interpreter as a peer. Debian's wabt (1.0.32) `wasm-interp` can only run
// every export with zero arguments and cannot link two modules, so the benchmark is
// handed to its sibling `spectest-interp` (the same interpreter) as a command script:
// load the modules, register those that others import, and assert the entry's result.
// Its call time is the median CPU time of the full script minus the median of the
// same script calling the probe arguments (process start, load and a trivial call);
// bash's `times` reports the CPU time of the child process.
// spectest-interp's call stack is fixed (its -C option is not applied to scripts) and
// holds fewer than 10,000 frames, so `deep` is reported as skipped with that reason.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Benchmark, PROGRAMS_DIR } from './benchmarks';
import { Clock, Measurement, clock, median, since, skipped } from './measure';

const TOOL = process.env.SPECTEST_INTERP || 'spectest-interp';

/** Why wabt cannot run, or null when it can. */
export function wabtMissing(): string | null {
  const r = spawnSync(TOOL, ['--version'], { encoding: 'utf8' });
  if (r.error) return `${TOOL} not found (Debian package "wabt"; set SPECTEST_INTERP to another path)`;
  return null;
}

/** The version wabt reports, or '' when it is absent. */
export function wabtVersion(): string {
  return (spawnSync(TOOL, ['--version'], { encoding: 'utf8' }).stdout ?? '').trim();
}

function script(b: Benchmark, args: number[], expected: number): object {
  const commands: object[] = [];
  let line = 1;
  for (const m of b.modules) {
    commands.push({ type: 'module', line: line++, name: `$${m.name}`, filename: m.file });
    commands.push({ type: 'register', line: line++, name: `$${m.name}`, as: m.name });
  }
  commands.push({
    type: 'assert_return',
    line,
    action: { type: 'invoke', module: `$${b.entryModule}`, field: b.entry, args: args.map((a) => ({ type: 'i32', value: String(a >>> 0) })) },
    expected: [{ type: 'i32', value: String(expected >>> 0) }],
  });
  return { source_filename: `${b.name}.wast`, commands };
}

class WabtFailed extends Error {}

/** Runs `command` under bash; `times` then prints the CPU time of that child last. */
const WITH_TIMES = 'out=$("$@" 2>&1); status=$?; printf "%s\\n" "$out"; times; exit $status';

/** bash's `times` line for children, e.g. `0m3.210s 0m0.012s`: user and system. */
function childCpuMs(output: string): number {
  const lines = output.trim().split('\n');
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(lines[lines.length - 1]);
  if (!m) throw new Error(`cannot read the CPU time of ${TOOL} from: ${lines[lines.length - 1]}`);
  return (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

/** Runs the script once; returns its times (CPU time: the child's, from bash). */
function runScript(b: Benchmark, file: string, args: number[]): Clock {
  const t0 = clock();
  const r = spawnSync('bash', ['-c', WITH_TIMES, 'bash', TOOL, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wall = since(t0).wall;
  const out = `${r.stdout}${r.stderr}`;
  const passed = /(\d+)\/(\d+) tests passed/.exec(out);
  if (r.status !== 0 || !passed || passed[1] !== passed[2]) {
    // The last two lines are bash's `times`.
    const why = out.trim().split('\n').slice(0, -2).filter((l) => !/tests passed/.test(l)).slice(-2).join(' / ');
    throw new WabtFailed(`${b.entry}(${args.join(', ')}) failed: ${why.replace(/^\S+\.wast:\d+: /, '')}`);
  }
  return { wall, cpu: childCpuMs(r.stdout) };
}

export function measureWabt(b: Benchmark, runs: number, probeExpected: number): Measurement {
  const missing = wabtMissing();
  if (missing) return skipped(b.name, 'wabt', missing);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wat-debugger-bench-${b.name}-`));
  try {
    for (const m of b.modules) fs.copyFileSync(path.join(PROGRAMS_DIR, m.file), path.join(dir, m.file));
    const full = path.join(dir, 'full.json');
    const probe = path.join(dir, 'probe.json');
    fs.writeFileSync(full, JSON.stringify(script(b, b.args, b.expected)));
    fs.writeFileSync(probe, JSON.stringify(script(b, b.probeArgs, probeExpected)));
    const probeMs: Clock[] = [];
    const fullMs: Clock[] = [];
    try {
      for (let i = 0; i < runs; i++) {
        probeMs.push(runScript(b, probe, b.probeArgs));
        fullMs.push(runScript(b, full, b.args));
      }
    } catch (err) {
      if (!(err instanceof WabtFailed)) throw err;
      const fixedStack = /call stack exhausted/.test(err.message) ? " (spectest-interp's call stack is fixed at a few thousand frames)" : '';
      return skipped(b.name, 'wabt', err.message + fixedStack);
      throw err;
    }
    const base = median(probeMs.map((t) => t.cpu));
    const baseWall = median(probeMs.map((t) => t.wall));
    return {
      benchmark: b.name,
      engine: 'wabt',
      status: 'ok',
      loadMs: probeMs.map((t) => t.cpu),
      callMs: fullMs.map((t) => Math.max(0, t.cpu - base)),
      callWallMs: fullMs.map((t) => Math.max(0, t.wall - baseWall)),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
