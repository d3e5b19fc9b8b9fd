// Where a module's bytes came from. Glue code reads a .wasm file and hands its bytes (the same
// Buffer, a copy, or its ArrayBuffer) to WebAssembly.compile/instantiate/Module; a launcher notes
// each wasm file read (fileReads.ts) and the module compiled from the same bytes is then known by
// its file: its instances are named after it (`sql-wasm`, `sql-wasm#2`) and a debugger can show
// the path. Bytes are matched by content (length and a hash), not by object identity, so copies
// made by glue or by the JS API's own BufferSource conversion still match.

import * as path from 'path';
import type { Module as EngineModule } from '../engine/index';
import { moduleNames } from './realm';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Origins of noted bytes by `length:hash`; the lengths alone, so most lookups need no hashing. */
const originsByContent = new Map<string, string>();
const notedLengths = new Set<number>();
const moduleOrigins = new WeakMap<EngineModule, string>();

function isWasmBinary(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && WASM_MAGIC.every((b, i) => bytes[i] === b);
}

/** FNV-1a over all the bytes: cheap, and two different binaries of one length practically never collide. */
function contentKey(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return `${bytes.length}:${(h >>> 0).toString(16)}`;
}

/** Notes that `bytes` were read from `origin` (a path or URL); anything but a wasm binary is ignored. */
export function noteBytesOrigin(bytes: Uint8Array, origin: string): void {
  if (!isWasmBinary(bytes)) return;
  notedLengths.add(bytes.length);
  originsByContent.set(contentKey(bytes), origin);
}

/** The origin last noted for bytes equal to `bytes`, if any. */
export function bytesOrigin(bytes: Uint8Array): string | undefined {
  if (!notedLengths.has(bytes.length)) return undefined;
  return originsByContent.get(contentKey(bytes));
}

/**
 * Records that `module` was compiled from `bytes`: when their origin is known the module keeps it,
 * and (unless its loader named it already) its instances are named after the file, less `.wasm`.
 */
export function recordModuleOrigin(module: EngineModule, bytes: Uint8Array): void {
  const origin = bytesOrigin(bytes);
  if (origin === undefined) return;
  moduleOrigins.set(module, origin);
  if (!moduleNames.has(module)) moduleNames.set(module, originStem(origin));
}

/** The file (or URL) the module's bytes were read from, when a file read or a Response said so. */
export function moduleOrigin(module: EngineModule): string | undefined {
  return moduleOrigins.get(module);
}

function originStem(origin: string): string {
  const base = /^[a-z][a-z0-9+.-]*:\/\//i.test(origin) ? decodeURIComponent(new URL(origin).pathname.split('/').pop() || origin) : path.basename(origin);
  return base.replace(/\.wasm$/i, '');
}
