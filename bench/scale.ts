// `npm run bench -- --scale`: real modules from npm packages, a few MB and tens of MB, loaded
// and debugged the way a user would: V8's compile time for the same bytes (the floor), our load
// (decode + validate), and under the debug adapter (WatDebugSession in process, as VS Code drives
// it) launch to the first stop, the first `source` of the stopped function (until its response is
// JSON, as the adapter sends it over stdio; its size is that message's), a function breakpoint
// reached later and `continue` to it, and the resident memory before the launch, at the first stop
// and at the end; then once more to the first stop without the recording (launch option
// `record: false`), for its time and resident memory.
//
// The modules are fetched with `npm pack NAME@VERSION` (pinned) into .cache/scale/ (git-ignored,
// never committed); without the registry a module is skipped with the reason. Each module's
// measurements run in a child process (one for loading, one for each debug session, so each
// resident size is its own), and a measurement that runs past its time limit is given up with a
// note, so a run always ends.

import { fork, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { loadModule } from '../src/engine/index';
import { WatDebugSession } from '../src/debug/session';
import { prepareThread } from '../src/debug/coreClient';
import { InProcessClient } from './dapSession';
import { clock, median, since, type Clock } from './measure';

/** A module of the benchmark: where it comes from and how it is run under the debugger. */
export interface ScaleModule {
  name: string;
  /** What it is, for the table's notes. */
  what: string;
  /** The npm package and its pinned version. */
  pkg: string;
  version: string;
  /** The .wasm inside the package's tarball. */
  member: string;
  /** The export the debugger invokes, and how. */
  invoke: string;
  programArgs?: string[];
  unresolvedImports?: 'trap';
  /** The function breakpoint set at the first stop, on a function the run reaches later (a name-section or export name). */
  later: string;
}

export const SCALE_MODULES: ScaleModule[] = [
  {
    name: 'dprint-typescript',
    what: "dprint's TypeScript formatter plugin, Rust built to wasm32 (no imports)",
    pkg: '@dprint/typescript',
    version: '0.96.1',
    member: 'package/plugin.wasm',
    invoke: 'get_plugin_info',
    later: '_ZN11dprint_core7plugins11plugin_info1_102_$LT$impl$u20$serde_core..ser..Serialize$u20$for$u20$dprint_core..plugins..plugin_info..PluginInfo$GT$9serialize17h489b783c2dc8851aE',
  },
  {
    name: 'ruby',
    what: 'CRuby 3.3 with its standard library, built for WASI (a reactor: _initialize runs first; imports JavaScript host functions it does not call here)',
    pkg: '@ruby/3.3-wasm-wasi',
    version: '2.10.1',
    member: 'package/dist/ruby+stdlib.wasm',
    invoke: 'ruby-show-version: func() -> ()',
    unresolvedImports: 'trap',
    later: 'ruby-show-version: func() -> ()',
  },
];

/** How long one measurement may run before it is given up (the run goes on with the next module). */
const MEASUREMENT_LIMIT_MS = 15 * 60_000;
const CACHE = path.resolve(__dirname, '..', '..', '.cache', 'scale');

// ---------------------------------------------------------------------------------------------
// Fetching

/** Named after the module, so the debugger names its instance so (`ruby!...`). */
function cachedWasm(m: ScaleModule): string {
  return path.join(CACHE, `${m.pkg.replace('/', '+')}@${m.version}`, `${m.name}.wasm`);
}

/** The module's .wasm in the cache, fetched from the registry when absent; or why it cannot be had. */
export function fetchModule(m: ScaleModule): { file: string } | { skipped: string } {
  const file = cachedWasm(m);
  if (fs.existsSync(file)) return { file };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const spec = `${m.pkg}@${m.version}`;
  const dir = path.dirname(file);
  const pack = spawnSync('npm', ['pack', spec, '--pack-destination', dir, '--loglevel', 'error'], { encoding: 'utf8', timeout: 600_000 });
  const tarball = pack.stdout?.trim().split('\n').pop();
  if (pack.status !== 0 || !tarball) {
    fs.rmSync(dir, { recursive: true, force: true });
    const reason = (pack.stderr || pack.error?.message || '').trim().split('\n').slice(0, 3).join(' ') || `npm pack exited with ${pack.status}`;
    return { skipped: `could not fetch ${spec} from the npm registry (${reason})` };
  }
  const tgz = path.join(dir, tarball);
  const tar = spawnSync('tar', ['-xzOf', tgz, m.member], { maxBuffer: 1 << 30, timeout: 300_000 });
  fs.rmSync(tgz, { force: true });
  if (tar.status !== 0 || !tar.stdout?.length) return { skipped: `${spec} has no ${m.member} (tar: ${tar.stderr?.toString().trim()})` };
  fs.writeFileSync(`${file}.part`, tar.stdout);
  fs.renameSync(`${file}.part`, file);
  return { file };
}

// ---------------------------------------------------------------------------------------------
// What is measured (in the children)

/** One figure a child reports as soon as it has it. */
interface Figure {
  key: FigureKey;
  ms?: number;
  cpuMs?: number;
  value?: number;
  note?: string;
}

type FigureKey =
  | 'functions' | 'v8' | 'load' | 'loadRss' | 'baseRss' | 'firstStop' | 'stopRss' | 'source' | 'sourceBytes' | 'breakpoint' | 'rss' | 'peakRss'
  | 'firstStopNoRecord' | 'stopRssNoRecord';

/** The parts of a module's measurement, each in a child process of its own. */
type Part = 'load' | 'debug' | 'noRecord';

type Report = (f: Figure) => void;

/** Node's own WebAssembly (the lib settings declare no types for it). */
const V8Wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly;

/** V8's compile (median of 3) and our load of the same bytes, and the resident size after it. */
async function measureLoad(file: string, report: Report): Promise<void> {
  const bytes = fs.readFileSync(file);
  const v8: Clock[] = [];
  for (let i = 0; i < 3; i++) {
    const t = clock();
    new V8Wasm.Module(bytes);
    v8.push(since(t));
  }
  report({ key: 'v8', ms: median(v8.map((c) => c.wall)), cpuMs: median(v8.map((c) => c.cpu)) });
  const t = clock();
  const module = await loadModule(new Uint8Array(bytes));
  const took = since(t);
  report({ key: 'load', ms: took.wall, cpuMs: took.cpu });
  report({ key: 'functions', value: module.codes.length });
  report({ key: 'loadRss', value: process.memoryUsage().rss });
}

/** A debug session on the module to its first stop (launched with `record`); resolves with its client at the stop. */
async function launchToFirstStop(m: ScaleModule, file: string, record: boolean, report: Report): Promise<InProcessClient> {
  // The program's thread started ahead, as the extension and the adapter start it (see prepareThread).
  await prepareThread();
  const session = new WatDebugSession();
  const client = new InProcessClient(session);
  await client.send('initialize', { adapterID: 'wat', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  if (record) report({ key: 'baseRss', value: process.memoryUsage().rss });
  try {
    await toFirstStop(client, m, file, record, report);
  } catch (e) {
    await client.send('disconnect', {}).catch(() => undefined);
    throw e;
  }
  return client;
}

async function toFirstStop(client: InProcessClient, m: ScaleModule, file: string, record: boolean, report: Report): Promise<void> {
  const initialized = client.next('initialized');
  const stopped = client.next('stopped');
  const terminated = client.next('terminated');
  const t0 = clock();
  const launched = client.send('launch', {
    program: file,
    invoke: m.invoke,
    programArgs: m.programArgs,
    unresolvedImports: m.unresolvedImports,
    stopOnEntry: true,
    record,
  });
  // A failed launch answers at once; a good one after configurationDone.
  await Promise.race([initialized, launched.then(() => Promise.reject(new Error('the launch ended before the program loaded')))]);
  await client.send('configurationDone');
  const first = await Promise.race([stopped, terminated]);
  if (first.event !== 'stopped') throw new Error(`the program ended before its first stop (output: ${client.output.join('').slice(-500)})`);
  const firstStop = since(t0);
  report({ key: record ? 'firstStop' : 'firstStopNoRecord', ms: firstStop.wall, cpuMs: firstStop.cpu });
  report({ key: record ? 'stopRss' : 'stopRssNoRecord', value: process.memoryUsage().rss });
  void launched.catch(() => undefined);
}

/** A debug session on the module: first stop, its source, a function breakpoint and continue, memory. */
async function measureDebug(m: ScaleModule, file: string, report: Report): Promise<void> {
  const client = await launchToFirstStop(m, file, true, report);
  try {
    const top = await topFrame(client);
    if (!top.source) throw new Error(`the first stop (${top.name}) has no source to show`);
    // Until the response is on the wire: the adapter over stdio writes it as JSON, and its size is the message's.
    const t1 = clock();
    const source = (await client.send('source', { source: top.source, sourceReference: top.source.sourceReference ?? 0 })) as DebugProtocol.SourceResponse;
    const message = Buffer.byteLength(JSON.stringify(source), 'utf8');
    const sourceTime = since(t1);
    if (!source.body.content) throw new Error(`the source of ${top.name} is empty`);
    report({ key: 'source', ms: sourceTime.wall, cpuMs: sourceTime.cpu });
    report({ key: 'sourceBytes', value: message });

    const t2 = clock();
    const r = (await client.send('setFunctionBreakpoints', { breakpoints: [{ name: m.later }] })) as DebugProtocol.SetFunctionBreakpointsResponse;
    const bp = r.body.breakpoints[0];
    if (!bp?.verified || bp.id === undefined) throw new Error(`the function breakpoint on ${m.later} is not verified (${bp?.message ?? 'no answer'})`);
    const again = client.next('stopped');
    const ended = client.next('terminated');
    await client.send('continue', { threadId: 1 });
    const next = await Promise.race([again, ended]);
    const breakpoint = since(t2);
    if (next.event !== 'stopped') throw new Error(`the program ended without reaching ${m.later}`);
    const hit = (next as DebugProtocol.StoppedEvent).body;
    if (hit.reason !== 'breakpoint' || !hit.hitBreakpointIds?.includes(bp.id)) throw new Error(`stopped for ${hit.reason} (${hit.text ?? ''}), not at the breakpoint on ${m.later}`);
    report({ key: 'breakpoint', ms: breakpoint.wall, cpuMs: breakpoint.cpu, note: (await topFrame(client)).name });
    report({ key: 'rss', value: process.memoryUsage().rss });
  } finally {
    await client.send('disconnect', {}).catch(() => undefined);
  }
}

/** The same launch without the recording, to the first stop only. */
async function measureNoRecord(m: ScaleModule, file: string, report: Report): Promise<void> {
  const client = await launchToFirstStop(m, file, false, report);
  await client.send('disconnect', {}).catch(() => undefined);
}

async function topFrame(client: InProcessClient): Promise<DebugProtocol.StackFrame> {
  const r = (await client.send('stackTrace', { threadId: 1, startFrame: 0, levels: 1 })) as DebugProtocol.StackTraceResponse;
  return r.body.stackFrames[0];
}

/** The child's side: run one part for one module, reporting each figure to the parent. */
async function child(moduleName: string, part: Part, file: string): Promise<void> {
  const m = SCALE_MODULES.find((s) => s.name === moduleName)!;
  const report: Report = (f) => process.send!({ figure: f });
  try {
    if (part === 'load') await measureLoad(file, report);
    else if (part === 'debug') await measureDebug(m, file, report);
    else await measureNoRecord(m, file, report);
    report({ key: 'peakRss', value: process.resourceUsage().maxRSS * 1024, note: part });
    process.send!({ done: true });
  } catch (e) {
    process.send!({ error: (e as Error).message });
  }
}

// ---------------------------------------------------------------------------------------------
// The parent: children, time limits, the table

/** One module's figures: times in CPU milliseconds (user + system of the measuring process), and wall. */
export interface ScaleRow {
  module: string;
  package: string;
  bytes: number;
  functions: number | null;
  v8_compile_ms: number | null;
  v8_compile_wall_ms: number | null;
  load_ms: number | null;
  load_wall_ms: number | null;
  load_rss_bytes: number | null;
  /** The debug session's process before the launch: Node, the adapter's code. */
  rss_before_launch_bytes: number | null;
  first_stop_ms: number | null;
  first_stop_wall_ms: number | null;
  first_stop_rss_bytes: number | null;
  /** Launched with `record: false`. */
  first_stop_no_record_ms: number | null;
  first_stop_no_record_wall_ms: number | null;
  first_stop_no_record_rss_bytes: number | null;
  source_ms: number | null;
  source_wall_ms: number | null;
  /** The size of the `source` response as the adapter sends it (JSON). */
  source_bytes: number | null;
  breakpoint_continue_ms: number | null;
  breakpoint_continue_wall_ms: number | null;
  rss_bytes: number | null;
  peak_rss_bytes: number | null;
  /** What failed, was given up or skipped. */
  notes: string[];
}

function emptyRow(m: ScaleModule, bytes: number): ScaleRow {
  return {
    module: m.name, package: `${m.pkg}@${m.version}`, bytes, functions: null,
    v8_compile_ms: null, v8_compile_wall_ms: null, load_ms: null, load_wall_ms: null, load_rss_bytes: null, rss_before_launch_bytes: null,
    first_stop_ms: null, first_stop_wall_ms: null, first_stop_rss_bytes: null,
    first_stop_no_record_ms: null, first_stop_no_record_wall_ms: null, first_stop_no_record_rss_bytes: null, source_ms: null, source_wall_ms: null, source_bytes: null,
    breakpoint_continue_ms: null, breakpoint_continue_wall_ms: null, rss_bytes: null, peak_rss_bytes: null, notes: [],
  };
}

/** The row's fields for a timed figure: CPU and wall milliseconds. */
const TIMES: Partial<Record<FigureKey, [keyof ScaleRow, keyof ScaleRow]>> = {
  v8: ['v8_compile_ms', 'v8_compile_wall_ms'],
  load: ['load_ms', 'load_wall_ms'],
  firstStop: ['first_stop_ms', 'first_stop_wall_ms'],
  firstStopNoRecord: ['first_stop_no_record_ms', 'first_stop_no_record_wall_ms'],
  source: ['source_ms', 'source_wall_ms'],
  breakpoint: ['breakpoint_continue_ms', 'breakpoint_continue_wall_ms'],
};

function record(row: ScaleRow, f: Figure): void {
  const times = TIMES[f.key];
  if (times) {
    (row[times[0]] as number) = f.cpuMs!;
    (row[times[1]] as number) = f.ms!;
    return;
  }
  switch (f.key) {
    case 'functions': row.functions = f.value!; break;
    case 'loadRss': row.load_rss_bytes = f.value!; break;
    case 'baseRss': row.rss_before_launch_bytes = f.value!; break;
    case 'stopRss': row.first_stop_rss_bytes = f.value!; break;
    case 'stopRssNoRecord': row.first_stop_no_record_rss_bytes = f.value!; break;
    case 'sourceBytes': row.source_bytes = f.value!; break;
    case 'rss': row.rss_bytes = f.value!; break;
    case 'peakRss': if (f.note === 'debug') row.peak_rss_bytes = f.value!; break;
  }
}

/** The figures each part reports, in order. */
const PART_FIGURES: Record<Part, FigureKey[]> = {
  load: ['v8', 'load', 'functions', 'loadRss', 'peakRss'],
  debug: ['baseRss', 'firstStop', 'stopRss', 'source', 'sourceBytes', 'breakpoint', 'rss', 'peakRss'],
  noRecord: ['firstStopNoRecord', 'stopRssNoRecord', 'peakRss'],
};

/** Runs one part in a child process; each figure must come within the limit of the one before. */
function runPart(m: ScaleModule, part: Part, file: string, row: ScaleRow, log: (s: string) => void): Promise<void> {
  return new Promise((resolve) => {
    // Node's default heap limits, as in the editor's extension host that runs the adapter.
    const proc: ChildProcess = fork(__filename, ['--scale-child', m.name, part, file], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    let finished = false;
    const finish = (note?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (note) {
        row.notes.push(`${part}: ${note}`);
        log(`${m.name} ${part}: ${note}`);
      }
      if (proc.exitCode === null) proc.kill('SIGKILL');
      resolve();
    };
    let timer = setTimeout(() => {}, 0);
    const arm = (waitingFor: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(`gave up after ${MEASUREMENT_LIMIT_MS / 60_000} minutes waiting for ${waitingFor}`), MEASUREMENT_LIMIT_MS);
    };
    const order = PART_FIGURES[part];
    let expected = 0;
    arm(order[0]);
    proc.on('message', (msg: { figure?: Figure; done?: boolean; error?: string }) => {
      if (msg.figure) {
        record(row, msg.figure);
        const f = msg.figure;
        const shown = f.ms !== undefined ? `${f.cpuMs!.toFixed(1)} ms CPU, ${f.ms.toFixed(1)} ms wall` : /rss|bytes/i.test(f.key) ? mb(f.value!) : String(f.value);
        log(`${m.name} ${f.key}: ${shown}${f.note ? ` (${f.note})` : ''}`);
        expected = order.indexOf(msg.figure.key) + 1;
        if (expected < order.length) arm(order[expected]);
      } else if (msg.error) finish(`failed: ${msg.error}`);
      else if (msg.done) finish();
    });
    proc.on('exit', (code, signal) => finish(`the child process ended (${signal ?? `exit ${code}`}) before it was done${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`));
  });
}

export async function runScale(json: string | null, log: (s: string) => void): Promise<void> {
  const rows: ScaleRow[] = [];
  for (const m of SCALE_MODULES) {
    const fetched = fetchModule(m);
    if ('skipped' in fetched) {
      log(`${m.name}: skipped: ${fetched.skipped}`);
      rows.push({ ...emptyRow(m, 0), notes: [`skipped: ${fetched.skipped}`] });
      continue;
    }
    const row = emptyRow(m, fs.statSync(fetched.file).size);
    log(`${m.name}: ${m.pkg}@${m.version} ${m.member}, ${mb(row.bytes)}`);
    await runPart(m, 'load', fetched.file, row, log);
    await runPart(m, 'debug', fetched.file, row, log);
    await runPart(m, 'noRecord', fetched.file, row, log);
    rows.push(row);
  }
  process.stdout.write(`${scaleTable(rows)}\n`);
  if (json) {
    fs.writeFileSync(json, `${JSON.stringify(rows, null, 2)}\n`);
    log(`wrote ${json}`);
  }
}

function mb(bytes: number | null): string {
  if (bytes === null) return '–';
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}

function ms(x: number | null): string {
  if (x === null) return '–';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** The markdown table: one row per module, times in CPU milliseconds (wall times are in the JSON). */
export function scaleTable(rows: ScaleRow[]): string {
  const header = [
    'module', 'size', 'functions', 'V8 compile ms', 'ours load ms', 'RSS after load', 'RSS before launch', 'launch to first stop ms', 'RSS at first stop',
    'first `source` ms', '`source` message', 'function breakpoint + continue ms', 'RSS at end', 'peak RSS', 'no recording: launch to first stop ms', 'no recording: RSS at first stop',
  ];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [line(header), line(header.map((_, i) => (i < 1 ? '---' : '---:')))];
  for (const r of rows) {
    out.push(line([
      r.module, mb(r.bytes), r.functions === null ? '–' : r.functions.toLocaleString('en-US'), ms(r.v8_compile_ms), ms(r.load_ms), mb(r.load_rss_bytes),
      mb(r.rss_before_launch_bytes), ms(r.first_stop_ms), mb(r.first_stop_rss_bytes), ms(r.source_ms), mb(r.source_bytes), ms(r.breakpoint_continue_ms),
      mb(r.rss_bytes), mb(r.peak_rss_bytes), ms(r.first_stop_no_record_ms), mb(r.first_stop_no_record_rss_bytes),
    ]));
  }
  const notes = rows.flatMap((r) => {
    const what = SCALE_MODULES.find((m) => m.name === r.module)?.what;
    return [`- ${r.module}: ${r.package}${what ? `, ${what}` : ''}`, ...r.notes.map((n) => `  - ${n}`)];
  });
  return [...out, '', ...notes].join('\n');
}

if (process.argv[2] === '--scale-child') {
  void child(process.argv[3], process.argv[4] as Part, process.argv[5]);
}
