// The "console" host module: printing for hand-written .wat programs. Every call prints one line
// on the program's standard output: log_i32/log_i64/log_f32/log_f64 print a number, log_str(ptr, len)
// prints `len` bytes of UTF-8 from the calling module's memory.

import {
  Trap,
  formatF32,
  formatF64,
  hostFunction,
  type ExternVal,
  type FuncType,
  type HostContext,
  type Value,
} from '../engine/index';
import { fixedHostModule, type HostModule, type OutputSink } from './hostModule';

export const CONSOLE_MODULE = 'console';

/** Creates the console module printing to `output.stdout`. */
export function createConsole(output: OutputSink): HostModule {
  const fields = new Map<string, ExternVal>();
  const define = (field: string, type: FuncType, print: (args: Value[], ctx: HostContext) => string) => {
    const func = hostFunction(type, `${CONSOLE_MODULE}.${field}`, (args, ctx) => {
      output.stdout(print(args, ctx) + '\n');
      return [];
    });
    fields.set(field, { kind: 'func', func });
  };
  define('log_i32', { params: ['i32'], results: [] }, ([v]) => String((v as { value: number }).value));
  define('log_i64', { params: ['i64'], results: [] }, ([v]) => String((v as { value: bigint }).value));
  define('log_f32', { params: ['f32'], results: [] }, ([v]) => formatF32((v as { bits: number }).bits));
  define('log_f64', { params: ['f64'], results: [] }, ([v]) => formatF64((v as { bits: bigint }).bits));
  define('log_str', { params: ['i32', 'i32'], results: [] }, ([ptr, len], ctx) =>
    readUtf8(ctx, `${CONSOLE_MODULE}.log_str`, (ptr as { value: number }).value, (len as { value: number }).value),
  );
  return fixedHostModule(CONSOLE_MODULE, fields);
}

/**
 * Decodes `len` bytes at `ptr` of the caller's memory 0 (both taken as unsigned); traps when the
 * caller has no memory or the range does not lie inside it. Invalid UTF-8 becomes U+FFFD.
 */
export function readUtf8(ctx: HostContext, what: string, ptr: number, len: number): string {
  const memory = ctx.memory();
  const caller = ctx.callerInstance?.name ?? 'the host';
  if (!memory) throw new Trap(`${what}: the calling module ${caller} has no memory`);
  const start = ptr >>> 0;
  const length = len >>> 0;
  const size = memory.buffer.byteLength;
  if (start + length > size) {
    throw new Trap(
      `${what}: string of ${length} bytes at address ${start} is out of bounds of ${caller}'s memory (${size} bytes)`,
    );
  }
  return utf8.decode(new Uint8Array(memory.buffer, start, length));
}

const utf8 = new TextDecoder('utf-8');
