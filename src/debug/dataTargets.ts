// What a data breakpoint watches, found from what the user asked for in dataBreakpointInfo: a local
// or global from the Variables view, bytes at an address from the memory view, or the memory an
// expression such as `i32[$p]` reads. Each answer is a target, or a sentence saying why there is none.

import type { FrameView } from '../engine/index';
import type { DataTarget } from './dataBreakpoints';
import { loadPlace, type DebugInstance, type Invoker } from './inspect';
import { parseMemoryReference } from './memoryRefs';
import type { Variables } from './variables';

/** What finding a target needs from the stopped program. */
export interface TargetContext {
  instances: readonly DebugInstance[];
  values: Variables;
  invoker: Invoker;
  /** The instance of frame `frameId` (the top frame's when absent) and its height (null: no wasm frame). */
  resolveFrame(frameId: number | undefined): { inst: DebugInstance; height: number | null };
  frame(height: number): FrameView;
  /** The frame pointer of the frame at `height`. */
  framePointer(height: number): number;
}

export interface DataTargetRequest {
  name: string;
  variablesReference?: number;
  frameId?: number;
  asAddress: boolean;
  bytes?: number;
}

export function dataTargetOf(request: DataTargetRequest, ctx: TargetContext): DataTarget | string {
  if (request.asAddress) return watchedAddress(request.name, request.bytes ?? 1, request.frameId, ctx);
  if (request.variablesReference !== undefined) return watchedVariable(request.variablesReference, request.name, ctx);
  return watchedMemory(request.name, request.frameId, ctx);
}

/** A local of a frame or a global, from the Variables view. */
function watchedVariable(reference: number, name: string, ctx: TargetContext): DataTarget | string {
  const v = ctx.values.watchable(reference, name);
  if (!v) return `${name} cannot be watched: only locals, globals and memory (an expression such as i32[$p]) can`;
  if (v.kind === 'global') {
    const global = v.inst.instance.globals[v.index];
    return { kind: 'global', global, label: `${v.inst.name}!${name}` };
  }
  const frame = ctx.frame(v.height);
  return {
    kind: 'local',
    height: v.height,
    fp: ctx.framePointer(v.height),
    funcIndex: frame.func.index,
    module: v.inst.unit.module,
    index: v.index,
    label: `${name} of ${v.inst.name}!${frame.func.name}`,
  };
}

/**
 * Bytes at an address, from the memory view (`asAddress`): `name` is one of our memory references
 * (`memory/<instance>/<memory>/0x<address>`), or an address, decimal or 0x-hex, in memory 0 of the
 * frame's instance.
 */
function watchedAddress(name: string, bytes: number, frameId: number | undefined, ctx: TargetContext): DataTarget | string {
  if (bytes < 1) return `dataBreakpointInfo: argument 'bytes' must be at least 1, got ${bytes}`;
  let place = parseMemoryReference(name);
  if (!place) {
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(name.trim())) return `${name} is neither a memory reference nor an address (decimal, or hex after 0x)`;
    const { inst } = ctx.resolveFrame(frameId);
    place = { instanceId: inst.id, index: 0, address: BigInt(name.trim()) };
  }
  const target = ctx.instances.find((i) => i.id === place!.instanceId);
  const memory = target?.instance.memories[place.index];
  if (!target || !memory) return `${name}: no such memory`;
  return { kind: 'memory', memory, address: place.address, size: bytes, label: `${bytes} bytes at 0x${place.address.toString(16)} (${target.name} memory ${place.index})` };
}

/** A range of memory, from an expression that reads it (`i32[$p]`, `u8[16]`, `$heap.i64[$q]`). */
function watchedMemory(expression: string, frameId: number | undefined, ctx: TargetContext): DataTarget | string {
  const { inst, height } = ctx.resolveFrame(frameId);
  const place = loadPlace(expression, inst, height === null ? null : ctx.frame(height), ctx.invoker);
  if (!place) return `${expression} cannot be watched: it is not a read of memory such as i32[$p]`;
  const target = ctx.instances.find((i) => i.id === place.instanceId)!;
  const memory = target.instance.memories[place.index];
  return { kind: 'memory', memory, address: place.address, size: place.size, label: `${expression} (${target.name} memory ${place.index}, ${place.size} bytes at 0x${place.address.toString(16)})` };
}
