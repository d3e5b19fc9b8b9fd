// The "wasi_snapshot_preview1" host module: the subset of WASI preview 1 that C programs built
// with clang for wasm32-wasi need to run in the debugger — arguments, environment, clocks,
// randomness, standard input/output/error, and exit. There is no file system: no directory is
// preopened, so a C program's fopen fails cleanly. Every other preview-1 function still links and
// returns ENOSYS (or EBADF for a file descriptor that is not open), so a program importing it runs.

import { randomFillSync } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';
import {
  Trap,
  hostFunction,
  type ExternVal,
  type FuncInst,
  type HostContext,
  type Import,
  type Module,
  type ValType,
  type Value,
} from '../engine/index';
import type { HostModule, OutputSink } from './hostModule';

export const WASI_MODULE = 'wasi_snapshot_preview1';

/** WASI errno values used here (preview 1 numbering). */
export const Errno = {
  SUCCESS: 0,
  BADF: 8,
  FAULT: 21,
  INVAL: 28,
  NOSYS: 52,
  SPIPE: 70,
  NOTCAPABLE: 76,
} as const;

/** Thrown by proc_exit to end the program; the launch layer reports it as an exit, not a trap. */
export class ProcExit extends Trap {
  constructor(readonly code: number) {
    super(`program exited with code ${code}`);
    this.name = 'ProcExit';
  }
}

export interface WasiOptions {
  /** The command line, program name first (argv[0]). */
  args: string[];
  env?: Record<string, string>;
  /** What the program reads from fd 0; empty when absent. */
  stdin?: Uint8Array | string;
  output: OutputSink;
  /** Clocks in nanoseconds and the random source, replaceable for reproducible runs. */
  realtimeNs?: () => bigint;
  monotonicNs?: () => bigint;
  randomFill?: (bytes: Uint8Array) => void;
}

// Parameter types of every preview-1 function (all return an errno i32, except proc_exit).
const I = 'i32';
const L = 'i64';
const SIGNATURES: Record<string, ValType[]> = {
  args_get: [I, I],
  args_sizes_get: [I, I],
  environ_get: [I, I],
  environ_sizes_get: [I, I],
  clock_res_get: [I, I],
  clock_time_get: [I, L, I],
  fd_advise: [I, L, L, I],
  fd_allocate: [I, L, L],
  fd_close: [I],
  fd_datasync: [I],
  fd_fdstat_get: [I, I],
  fd_fdstat_set_flags: [I, I],
  fd_fdstat_set_rights: [I, L, L],
  fd_filestat_get: [I, I],
  fd_filestat_set_size: [I, L],
  fd_filestat_set_times: [I, L, L, I],
  fd_pread: [I, I, I, L, I],
  fd_prestat_get: [I, I],
  fd_prestat_dir_name: [I, I, I],
  fd_pwrite: [I, I, I, L, I],
  fd_read: [I, I, I, I],
  fd_readdir: [I, I, I, L, I],
  fd_renumber: [I, I],
  fd_seek: [I, L, I, I],
  fd_sync: [I],
  fd_tell: [I, I],
  fd_write: [I, I, I, I],
  path_create_directory: [I, I, I],
  path_filestat_get: [I, I, I, I, I],
  path_filestat_set_times: [I, I, I, I, L, L, I],
  path_link: [I, I, I, I, I, I, I],
  path_open: [I, I, I, I, I, L, L, I, I],
  path_readlink: [I, I, I, I, I, I],
  path_remove_directory: [I, I, I],
  path_rename: [I, I, I, I, I, I],
  path_symlink: [I, I, I, I, I],
  path_unlink_file: [I, I, I],
  poll_oneoff: [I, I, I, I],
  proc_exit: [I],
  proc_raise: [I],
  sched_yield: [],
  random_get: [I, I],
  sock_accept: [I, I, I],
  sock_recv: [I, I, I, I, I, I],
  sock_send: [I, I, I, I, I],
  sock_shutdown: [I, I],
};

const FILETYPE_CHARACTER_DEVICE = 2;
const RIGHT_FD_READ = 1n << 1n;
const RIGHT_FD_WRITE = 1n << 6n;
const RIGHT_POLL_FD_READWRITE = 1n << 27n;

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_PROCESS_CPUTIME = 2;
const CLOCK_THREAD_CPUTIME = 3;

/** A pointer argument outside the caller's memory: the call returns EFAULT. */
class Fault extends Error {}

/**
 * The caller's memory for the duration of one call, with bounds-checked access. Every write is
 * reported to `wrote` (a recorded run replays those bytes instead of calling WASI again).
 */
class Memory {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(
    buffer: ArrayBuffer | SharedArrayBuffer,
    private readonly wrote: (address: number, length: number) => void,
  ) {
    this.bytes = new Uint8Array(buffer);
    this.view = new DataView(buffer);
  }
  check(address: number, length: number): number {
    const start = address >>> 0;
    if (start + length > this.bytes.length) throw new Fault();
    return start;
  }
  u32(address: number): number {
    return this.view.getUint32(this.check(address, 4), true);
  }
  setU8(address: number, v: number) {
    this.view.setUint8(this.written(address, 1), v);
  }
  setU16(address: number, v: number) {
    this.view.setUint16(this.written(address, 2), v, true);
  }
  setU32(address: number, v: number) {
    this.view.setUint32(this.written(address, 4), v >>> 0, true);
  }
  setU64(address: number, v: bigint) {
    this.view.setBigUint64(this.written(address, 8), BigInt.asUintN(64, v), true);
  }
  /** Bytes to read. */
  slice(address: number, length: number): Uint8Array {
    const start = this.check(address, length >>> 0);
    return this.bytes.subarray(start, start + (length >>> 0));
  }
  /** Bytes the call will write. */
  writable(address: number, length: number): Uint8Array {
    const start = this.written(address, length >>> 0);
    return this.bytes.subarray(start, start + (length >>> 0));
  }
  private written(address: number, length: number): number {
    const start = this.check(address, length);
    this.wrote(start, length);
    return start;
  }
  /** The buffers of an iovec array: `count` (pointer, length) pairs at `iovs`. */
  iovecs(iovs: number, count: number, forWriting = false): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i < count >>> 0; i++) {
      const address = this.u32(iovs + 8 * i);
      const length = this.u32(iovs + 8 * i + 4);
      out.push(forWriting ? this.writable(address, length) : this.slice(address, length));
    }
    return out;
  }
}

type Impl = (mem: () => Memory, a: Value[]) => number;

interface StdioFd {
  readable: boolean;
  /** Decodes this stream's UTF-8 across write boundaries. */
  decoder: TextDecoder | null;
  write: ((text: string) => void) | null;
}

export class Wasi implements HostModule {
  readonly name = WASI_MODULE;
  /** The code passed to proc_exit, once the program has called it. */
  exitCode: number | null = null;
  private readonly args: Uint8Array[];
  private readonly env: Uint8Array[];
  private readonly stdin: Uint8Array;
  private stdinPosition = 0;
  private readonly fds = new Map<number, StdioFd>();
  private readonly funcs = new Map<string, FuncInst>();
  private readonly realtimeNs: () => bigint;
  private readonly monotonicNs: () => bigint;
  private readonly randomFill: (bytes: Uint8Array) => void;
  private readonly implemented: Record<string, Impl> = this.implementations();

  constructor(options: WasiOptions) {
    const encode = (s: string) => new TextEncoder().encode(s + '\0');
    this.args = options.args.map(encode);
    this.env = Object.entries(options.env ?? {}).map(([k, v]) => encode(`${k}=${v}`));
    this.stdin = typeof options.stdin === 'string' ? new TextEncoder().encode(options.stdin) : (options.stdin ?? new Uint8Array());
    this.realtimeNs = options.realtimeNs ?? (() => BigInt(Date.now()) * 1_000_000n);
    this.monotonicNs = options.monotonicNs ?? (() => process.hrtime.bigint());
    this.randomFill = options.randomFill ?? ((bytes) => randomFillSync(bytes));
    this.fds.set(0, { readable: true, decoder: null, write: null });
    this.fds.set(1, { readable: false, decoder: new TextDecoder(), write: (t) => options.output.stdout(t) });
    this.fds.set(2, { readable: false, decoder: new TextDecoder(), write: (t) => options.output.stderr(t) });
  }

  exportNames(): string[] {
    return Object.keys(SIGNATURES);
  }

  /** Every preview-1 name resolves (with its canonical type); other names do not. */
  resolve(imp: Import, _importer?: Module): ExternVal | undefined {
    const params = SIGNATURES[imp.name];
    if (!params) return undefined;
    let func = this.funcs.get(imp.name);
    if (!func) {
      func = this.makeFunction(imp.name, params);
      this.funcs.set(imp.name, func);
    }
    return { kind: 'func', func };
  }

  private makeFunction(field: string, params: ValType[]): FuncInst {
    const qualified = `${WASI_MODULE}.${field}`;
    if (field === 'proc_exit') {
      return hostFunction({ params, results: [] }, qualified, ([code]) => {
        this.exitCode = i32(code) >>> 0;
        throw new ProcExit(this.exitCode);
      });
    }
    const impl = this.implemented[field] ?? this.notImplemented(field);
    return hostFunction({ params, results: ['i32'] }, qualified, (args, ctx) => {
      let memory: Memory | null = null;
      const mem = () => (memory ??= callerMemory(ctx, qualified));
      try {
        return [{ type: 'i32', value: impl(mem, args) }];
      } catch (e) {
        if (e instanceof Fault) return [{ type: 'i32', value: Errno.FAULT }];
        throw e;
      }
    });
  }

  /** A preview-1 function without an implementation: EBADF for a closed descriptor, else ENOSYS. */
  private notImplemented(field: string): Impl {
    const takesFd = /^(fd|path|sock)_/.test(field);
    return (_mem, a) => (takesFd && !this.fds.has(i32(a[0])) ? Errno.BADF : Errno.NOSYS);
  }

  private implementations(): Record<string, Impl> {
    return {
      args_sizes_get: (mem, a) => this.sizes(mem(), this.args, i32(a[0]), i32(a[1])),
      args_get: (mem, a) => this.strings(mem(), this.args, i32(a[0]), i32(a[1])),
      environ_sizes_get: (mem, a) => this.sizes(mem(), this.env, i32(a[0]), i32(a[1])),
      environ_get: (mem, a) => this.strings(mem(), this.env, i32(a[0]), i32(a[1])),
      clock_res_get: (mem, a) => {
        const resolution = clockResolution(i32(a[0]));
        if (resolution === null) return Errno.INVAL;
        mem().setU64(i32(a[1]), resolution);
        return Errno.SUCCESS;
      },
      clock_time_get: (mem, a) => {
        const time = this.clockTime(i32(a[0]));
        if (time === null) return Errno.INVAL;
        mem().setU64(i32(a[2]), time);
        return Errno.SUCCESS;
      },
      random_get: (mem, a) => {
        const buffer = mem().writable(i32(a[0]), i32(a[1]));
        // randomFillSync fills at most 2^31-1 bytes per call; crypto sources have smaller limits too.
        for (let at = 0; at < buffer.length; at += 65536) this.randomFill(buffer.subarray(at, at + 65536));
        return Errno.SUCCESS;
      },
      fd_write: (mem, a) => {
        const fd = this.fds.get(i32(a[0]));
        if (!fd) return Errno.BADF;
        if (!fd.write) return Errno.NOTCAPABLE;
        const m = mem();
        let written = 0;
        for (const chunk of m.iovecs(i32(a[1]), i32(a[2]))) {
          fd.write(fd.decoder!.decode(chunk, { stream: true }));
          written += chunk.length;
        }
        m.setU32(i32(a[3]), written);
        return Errno.SUCCESS;
      },
      fd_read: (mem, a) => {
        const fd = this.fds.get(i32(a[0]));
        if (!fd) return Errno.BADF;
        if (!fd.readable) return Errno.NOTCAPABLE;
        const m = mem();
        let read = 0;
        for (const buffer of m.iovecs(i32(a[1]), i32(a[2]), true)) {
          const take = Math.min(buffer.length, this.stdin.length - this.stdinPosition);
          buffer.set(this.stdin.subarray(this.stdinPosition, this.stdinPosition + take));
          this.stdinPosition += take;
          read += take;
          if (take < buffer.length) break;
        }
        m.setU32(i32(a[3]), read);
        return Errno.SUCCESS;
      },
      fd_fdstat_get: (mem, a) => {
        const fd = this.fds.get(i32(a[0]));
        if (!fd) return Errno.BADF;
        const m = mem();
        const at = m.check(i32(a[1]), 24);
        m.setU8(at, FILETYPE_CHARACTER_DEVICE);
        m.setU16(at + 2, 0); // no fdflags
        // No seek/tell rights: wasi-libc then treats the stream as a terminal and line-buffers stdout.
        m.setU64(at + 8, (fd.readable ? RIGHT_FD_READ : RIGHT_FD_WRITE) | RIGHT_POLL_FD_READWRITE);
        m.setU64(at + 16, 0n);
        return Errno.SUCCESS;
      },
      // Nothing is preopened: libc probes descriptors from 3 upwards until EBADF.
      fd_prestat_get: () => Errno.BADF,
      fd_prestat_dir_name: () => Errno.BADF,
      fd_close: (_mem, a) => (this.fds.delete(i32(a[0])) ? Errno.SUCCESS : Errno.BADF),
      fd_seek: (_mem, a) => (this.fds.has(i32(a[0])) ? Errno.SPIPE : Errno.BADF),
      fd_tell: (_mem, a) => (this.fds.has(i32(a[0])) ? Errno.SPIPE : Errno.BADF),
      sched_yield: () => Errno.SUCCESS,
    };
  }

  private sizes(m: Memory, strings: Uint8Array[], countPtr: number, sizePtr: number): number {
    m.setU32(countPtr, strings.length);
    m.setU32(sizePtr, strings.reduce((n, s) => n + s.length, 0));
    return Errno.SUCCESS;
  }

  /** Writes the pointer array at `pointers` and the NUL-terminated strings at `buffer`. */
  private strings(m: Memory, strings: Uint8Array[], pointers: number, buffer: number): number {
    let at = buffer >>> 0;
    strings.forEach((s, i) => {
      m.setU32(pointers + 4 * i, at);
      m.writable(at, s.length).set(s);
      at += s.length;
    });
    return Errno.SUCCESS;
  }

  private clockTime(id: number): bigint | null {
    switch (id) {
      case CLOCK_REALTIME:
        return this.realtimeNs();
      case CLOCK_MONOTONIC:
        return this.monotonicNs();
      case CLOCK_PROCESS_CPUTIME:
      case CLOCK_THREAD_CPUTIME: {
        const usage = process.cpuUsage();
        return BigInt(usage.user + usage.system) * 1000n;
      }
      default:
        return null;
    }
  }
}

function clockResolution(id: number): bigint | null {
  switch (id) {
    case CLOCK_REALTIME:
      return 1_000_000n; // Date.now(): milliseconds
    case CLOCK_MONOTONIC:
      return 1n;
    case CLOCK_PROCESS_CPUTIME:
    case CLOCK_THREAD_CPUTIME:
      return 1000n; // process.cpuUsage(): microseconds
    default:
      return null;
  }
}

function i32(v: Value): number {
  return (v as { value: number }).value;
}

function callerMemory(ctx: HostContext, what: string): Memory {
  const memory = ctx.memory();
  if (!memory) throw new Trap(`${what}: the calling module ${ctx.callerInstance?.name ?? ''} has no memory`);
  return new Memory(memory.buffer, (address, length) => ctx.wrote(memory, address, length));
}

export function createWasi(options: WasiOptions): Wasi {
  return new Wasi(options);
}
