// WebAssembly.Memory. Its `buffer` is the engine memory's own ArrayBuffer, so JavaScript reads and
// writes the very bytes wasm does. Every successful grow (from JavaScript or by wasm's memory.grow,
// also by 0 pages) detaches the buffer JavaScript had and hands out a new one, as the JS API says.
// A shared memory's buffer is a frozen SharedArrayBuffer; a grow leaves the old one as it was (still
// over the same bytes, at the old length) and hands out a new, longer one.

import { MAX_PAGES, MemoryInst, createMemory } from '../engine/index';
import { WrapperCache } from './realm';
import { addressType, dictionary, required, toAddress, webIdlInterface } from './webidl';

const memories = new WrapperCache<MemoryInst, object>();

export function memoryEntity(x: unknown): MemoryInst | undefined {
  return memories.entity(x);
}

export function memoryObject(mem: MemoryInst): object {
  return memories.get(mem, () => {
    watchGrowth(mem);
    return Object.create(Memory.prototype);
  });
}

function watchGrowth(mem: MemoryInst): void {
  mem.onGrow = (old) => {
    if (mem.isShared()) return; // the engine gave it a new SharedArrayBuffer object; none is detached
    if (mem.buffer === old) mem.replaceBuffer(old.slice(0)); // grown by 0 pages: still a new buffer
    detach(old as ArrayBuffer);
  };
}

function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

function memoryOf(x: unknown): MemoryInst {
  return memories.require(x, 'the receiver is not a WebAssembly.Memory');
}

export class Memory {
  constructor(descriptor: unknown) {
    const d = dictionary(descriptor, 'WebAssembly.Memory: the descriptor');
    // Members in Web IDL's (alphabetical) order, each converted as it is read.
    const address64 = addressType(d.address, 'WebAssembly.Memory');
    const initial = toAddress(required(d, 'initial', 'WebAssembly.Memory'), address64, 'WebAssembly.Memory: initial');
    const maxValue = d.maximum;
    const maximum = maxValue === undefined ? null : toAddress(maxValue, address64, 'WebAssembly.Memory: maximum');
    const shared = Boolean(d.shared);
    if (maximum !== null && maximum < initial) throw new RangeError(`WebAssembly.Memory: maximum ${maximum} is below initial ${initial}`);
    if (initial > MAX_PAGES) throw new RangeError(`WebAssembly.Memory: initial ${initial} is beyond ${MAX_PAGES} pages`);
    if (maximum !== null && maximum > MAX_PAGES) throw new RangeError(`WebAssembly.Memory: maximum ${maximum} is beyond ${MAX_PAGES} pages`);
    if (shared && maximum === null) throw new TypeError('WebAssembly.Memory: a shared memory needs a maximum');
    let mem: MemoryInst;
    try {
      mem = createMemory({ limits: { min: initial, max: maximum, address64 }, ...(shared ? { shared } : {}) });
    } catch {
      throw new RangeError(`WebAssembly.Memory: cannot allocate ${initial} pages`);
    }
    memories.add(mem, this);
    watchGrowth(mem);
  }

  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return memoryOf(this).buffer;
  }

  grow(delta: unknown): number | bigint {
    const mem = memoryOf(this);
    const address64 = mem.type.limits.address64 === true;
    const pages = toAddress(delta, address64, 'WebAssembly.Memory.grow: delta');
    const old = mem.grow(pages);
    if (old < 0) throw new RangeError(`WebAssembly.Memory.grow: cannot grow ${mem.pages()} pages by ${pages} (maximum ${mem.max})`);
    return address64 ? BigInt(old) : old;
  }
}
webIdlInterface(Memory, 'WebAssembly.Memory');
