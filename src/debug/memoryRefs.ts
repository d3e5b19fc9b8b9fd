// Memory references of the memory view (readMemory, writeMemory): every memory of every instance
// has its own, `memory/<instance id>/<memory index>`, and a place in it adds the address in hex,
// `memory/<instance id>/<memory index>/0x<address>` (what a variable holding an address gives).
// Addresses are BigInts throughout, so a memory64's addresses are exact up to 2^64-1; a request's
// `offset` (a JSON number) is added to the reference's address and must be an exact integer.

import type { MemoryInst } from '../engine/index';
import { RequestError } from './requestError';

const U64_LIMIT = 1n << 64n;

export interface MemoryPlace {
  instanceId: number;
  index: number;
  /** The address the reference points at (0 for a whole memory). */
  address: bigint;
}

/** The reference of memory `index` of the instance numbered `instanceId`, at `address` when given. */
export function memoryReference(instanceId: number, index: number, address?: bigint): string {
  const base = `memory/${instanceId}/${index}`;
  return address === undefined ? base : `${base}/0x${address.toString(16)}`;
}

export function parseMemoryReference(ref: string): MemoryPlace | undefined {
  const m = /^memory\/(\d+)\/(\d+)(?:\/0x([0-9a-f]{1,16}))?$/.exec(ref);
  return m ? { instanceId: Number(m[1]), index: Number(m[2]), address: m[3] ? BigInt('0x' + m[3]) : 0n } : undefined;
}

/**
 * The first address a request names: the reference's address plus `offset`. `command` and the
 * argument name the problem: an offset that is not exact (beyond 2^53) or leads below 0 or past 2^64.
 */
function exactStart(command: string, place: MemoryPlace, offset: number): bigint {
  if (!Number.isSafeInteger(offset)) {
    throw new RequestError(`${command}: argument 'offset' must be an exact integer (at most 2^53 in size), got ${offset}; put larger addresses in the memoryReference (memory/<instance>/<memory>/0x<address>)`);
  }
  return place.address + BigInt(offset);
}

function startAddress(command: string, place: MemoryPlace, offset: number): bigint {
  const start = exactStart(command, place, offset);
  if (start < 0n || start >= U64_LIMIT) {
    throw new RequestError(`${command}: argument 'offset' ${offset} from address 0x${place.address.toString(16)} leads to ${start < 0n ? 'a negative address' : 'an address beyond 2^64-1'}`);
  }
  return start;
}

/**
 * readMemory: the bytes of [start, start + count) that the memory has, from the first address at
 * or above 0, and how many of the `count` it has not (before 0, or past its end: unreadable).
 */
export function readMemoryBytes(memory: MemoryInst, place: MemoryPlace, offset: number, count: number): { address: string; data: string; unreadableBytes: number } {
  const start = exactStart('readMemory', place, offset);
  const size = BigInt(memory.buffer.byteLength);
  const clamp = (a: bigint) => Number(a < 0n ? 0n : a > size ? size : a);
  const from = clamp(start);
  const to = clamp(start + BigInt(count));
  const bytes = new Uint8Array(memory.buffer, from, Math.max(0, to - from));
  return { address: '0x' + (start < 0n ? 0n : start).toString(16), data: Buffer.from(bytes).toString('base64'), unreadableBytes: count - bytes.length };
}

/** writeMemory: writes `data` at the start address; with `allowPartial`, as much as fits. Returns what was written. */
export function writeMemoryBytes(memory: MemoryInst, place: MemoryPlace, offset: number, data: Uint8Array, allowPartial: boolean): number {
  const start = startAddress('writeMemory', place, offset);
  const size = memory.buffer.byteLength;
  if (start > BigInt(size)) {
    throw new RequestError(`writeMemory: address 0x${start.toString(16)} (argument 'offset' ${offset}) is outside the memory (${size} bytes)`);
  }
  const at = Number(start);
  const count = allowPartial ? Math.min(data.length, size - at) : data.length;
  if (at + count > size) {
    throw new RequestError(`writeMemory: writing ${data.length} bytes at 0x${start.toString(16)} goes past the end of the memory (${size} bytes); set 'allowPartial' to write what fits`);
  }
  new Uint8Array(memory.buffer, at, count).set(data.subarray(0, count));
  return count;
}
