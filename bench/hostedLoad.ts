// Loading a benchmark's modules on an engine with the WebAssembly JavaScript API: V8's own, or the
// webassemblyjs interpreter from npm. Each module imports the exports of those before it.

import * as fs from 'fs';
import * as path from 'path';
import { Benchmark, PROGRAMS_DIR } from './benchmarks';

export type Exports = Record<string, unknown>;
export interface WebAssemblyLike {
  instantiate(bytes: Uint8Array, imports: Record<string, Exports>): Promise<{ instance: { exports: Exports } }>;
}

export function engineApi(engine: 'v8' | 'peer'): WebAssemblyLike {
  if (engine === 'v8') return (globalThis as unknown as { WebAssembly: WebAssemblyLike }).WebAssembly;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('webassemblyjs') as WebAssemblyLike;
}

export async function loadHosted(api: WebAssemblyLike, b: Benchmark): Promise<Map<string, Exports>> {
  const instances = new Map<string, Exports>();
  for (const m of b.modules) {
    const bytes = fs.readFileSync(path.join(PROGRAMS_DIR, m.file));
    const imports: Record<string, Exports> = {};
    for (const [name, exports] of instances) imports[name] = exports;
    const { instance } = await api.instantiate(bytes, imports);
    instances.set(m.name, instance.exports);
  }
  return instances;
}

export function entryOf(instances: Map<string, Exports>, b: Benchmark): (...args: number[]) => unknown {
  const f = instances.get(b.entryModule)?.[b.entry];
  if (typeof f !== 'function') throw new Error(`${b.name}: ${b.entryModule} has no exported function "${b.entry}"`);
  return f as (...args: number[]) => unknown;
}

