// Going backwards, measured the way a user meets it: each benchmark program runs under the adapter
// with its run recorded, to instruction breakpoints where the entry function leaves (the end of
// the run); from there, how long Reverse Continue takes to the start (no breakpoint before) and
// Step Back to the previous line, and how much the recording's checkpoints hold.

import * as fs from 'fs';
import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { decodeModule, funcCode, importCount, opcodeName } from '../src/engine/index';
import { instructionAddress, parseInstructionAddress } from '../src/debug/units';
import { Benchmark, PROGRAMS_DIR } from './benchmarks';
import { launchArgs, launchStopped } from './dapSession';
import { clock, since } from './measure';

export interface TimeTravelFigures {
  benchmark: string;
  /** Why it was not measured (the figures are then 0). */
  skipped?: string;
  /** Wall ms of Reverse Continue from the end of the run back to its start, no breakpoint set. */
  reverseToStartMs: number;
  /** The same with the breakpoint at the end still set: every stretch of the recording is replayed to look for an earlier hit. */
  reverseSearchMs: number;
  /** Wall ms of one Step Back (by line) from the end of the run. */
  stepBackMs: number;
  checkpoints: number;
  recordingBytes: number;
}

/**
 * The module offsets where the benchmark's entry function leaves (its `return`s and its final `end`);
 * null when the entry is an import it re-exports.
 */
function entryExits(b: Benchmark): number[] | null {
  const file = b.modules.find((m) => m.name === b.entryModule)!.file;
  const module = decodeModule(new Uint8Array(fs.readFileSync(path.join(PROGRAMS_DIR, file))));
  const exp = module.exports.find((e) => e.kind === 'func' && e.name === b.entry);
  if (!exp) throw new Error(`${b.name}: no export ${b.entry}`);
  if (exp.index < importCount(module, 'func')) return null;
  const body = funcCode(module, exp.index - importCount(module, 'func')).body;
  return body.filter((i, k) => k === body.length - 1 || opcodeName(i.op) === 'return').map((i) => i.offset);
}

class Ended extends Error {}

export async function measureTimeTravel(b: Benchmark): Promise<TimeTravelFigures> {
  const skip = (skipped: string): TimeTravelFigures => ({ benchmark: b.name, skipped, reverseToStartMs: 0, reverseSearchMs: 0, stepBackMs: 0, checkpoints: 0, recordingBytes: 0 });
  const exits = entryExits(b);
  if (exits === null) return skip(`its entry ${b.entry} is a function it imports`);
  try {
    return await measureFromEnd(b, exits);
  } catch (e) {
    if (e instanceof Ended) return skip(`the run ended without reaching the end of ${b.entry}`);
    throw e;
  }
}

async function measureFromEnd(b: Benchmark, exits: number[]): Promise<TimeTravelFigures> {
  const { session, client, close } = await launchStopped({ ...launchArgs(b, true), stopOnEntry: true }, b.name);
  // A run that ends instead of stopping (a C program leaving through proc_exit never reaches the end of its entry) fails the measurement.
  const ended = client.next('terminated').then(() => {
    throw new Ended();
  });
  ended.catch(() => undefined);
  /** Sends a request that runs the program, forwards or backwards; the stop it ends with and its wall time. */
  const run = async (command: string): Promise<{ stop: DebugProtocol.StoppedEvent; ms: number }> => {
    const stopped = Promise.race([client.next('stopped') as Promise<DebugProtocol.StoppedEvent>, ended]);
    const t = clock();
    await client.send(command, { threadId: 1 });
    const stop = await stopped;
    return { stop, ms: since(t).wall };
  };
  try {
    // The entry frame names its unit in its instruction address; the breakpoints go where the entry leaves.
    const trace = (await client.send('stackTrace', { threadId: 1 })) as DebugProtocol.StackTraceResponse;
    const unit = parseInstructionAddress(trace.body.stackFrames[0].instructionPointerReference!)!.unitId;
    const bp = (await client.send('setInstructionBreakpoints', { breakpoints: exits.map((offset) => ({ instructionReference: instructionAddress(unit, offset) })) })) as DebugProtocol.SetInstructionBreakpointsResponse;
    if (!bp.body.breakpoints.every((x) => x.verified)) throw new Error(`${b.name}: the breakpoints where ${b.entry} leaves are not all verified`);
    if ((await run('continue')).stop.body.reason !== 'breakpoint') throw new Error(`${b.name}: did not stop at the end of ${b.entry}`);

    const reverseSearchMs = (await run('reverseContinue')).ms;
    await run('continue'); // forward again, to the end
    const stepBackMs = (await run('stepBack')).ms;
    await run('continue');
    await client.send('setInstructionBreakpoints', { breakpoints: [] });
    const reverseToStartMs = (await run('reverseContinue')).ms;
    const stats = await session.recordingStats();
    return { benchmark: b.name, reverseToStartMs, reverseSearchMs, stepBackMs, checkpoints: stats?.checkpoints ?? 0, recordingBytes: stats?.bytes ?? 0 };
  } finally {
    await close();
  }
}

export function timeTravelTable(rows: TimeTravelFigures[]): string {
  const lines = [
    '| benchmark | Step Back from the end (ms) | Reverse Continue to the start (ms) | the same, searching past a breakpoint (ms) | checkpoints | recording (MB) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    if (r.skipped) lines.push(`| ${r.benchmark} | skipped: ${r.skipped} | | | | |`);
    else lines.push(`| ${r.benchmark} | ${r.stepBackMs.toFixed(0)} | ${r.reverseToStartMs.toFixed(0)} | ${r.reverseSearchMs.toFixed(0)} | ${r.checkpoints} | ${(r.recordingBytes / 2 ** 20).toFixed(1)} |`);
  }
  return lines.join('\n');
}
