import * as assert from 'assert';
import { Store, Trap, instantiate, invoke, loadModule, type Instance, type Value } from '../src/engine/index';
import { Errno, ProcExit, createWasi, type WasiOptions } from '../src/host/wasi';
import { assembleWat } from '../src/text/assemble';

// Each test module imports the WASI functions it needs and exports thin wrappers returning the errno,
// with a memory the test reads back.

interface Harness {
  instance: Instance;
  store: Store;
  out: string[];
  err: string[];
  call(name: string, ...args: (number | bigint)[]): number;
  bytes(address: number, length: number): Uint8Array;
  u32(address: number): number;
  u64(address: number): bigint;
  write(address: number, bytes: Uint8Array | number[]): void;
}

async function harness(funcs: WasiFunc[], options: Partial<WasiOptions> = {}): Promise<Harness> {
  const text = wasiModule(funcs);
  const module = await loadModule(await assembleWat(text, 'wasi-test.wat'));
  const out: string[] = [];
  const err: string[] = [];
  const wasi = createWasi({ args: ['prog'], output: { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, ...options });
  const store = new Store();
  const instance = instantiate(store, module, (imp) => wasi.resolve(imp, module), 'test');
  const memory = () => instance.memories[0].buffer;
  return {
    instance,
    store,
    out,
    err,
    call(name, ...args) {
      const func = instance.exportedFunc(name);
      const values: Value[] = args.map((a, i) =>
        func.type.params[i] === 'i64' ? { type: 'i64', value: BigInt(a) } : { type: 'i32', value: Number(a) },
      );
      const [result] = invoke(store, func, values);
      return (result as { value: number }).value;
    },
    bytes: (address, length) => new Uint8Array(memory(), address, length).slice(),
    u32: (address) => new DataView(memory()).getUint32(address, true),
    u64: (address) => new DataView(memory()).getBigUint64(address, true),
    write: (address, bytes) => new Uint8Array(memory()).set(bytes, address),
  };
}

/** A WASI function to import, with its parameter types, e.g. ['fd_write', 'i32 i32 i32 i32']. */
type WasiFunc = [name: string, params: string];

/** Imports the WASI functions and exports, for each, a wasm function of the same name calling it (WASI sees a wasm caller). */
function wasiModule(funcs: WasiFunc[], memory = '(memory (export "memory") 1)'): string {
  const imports = funcs.map(([name, params]) => `(import "wasi_snapshot_preview1" "${name}" (func $${name} (param ${params}) (result i32)))`);
  const wrappers = funcs.map(([name, params]) => {
    const forwarded = params.split(' ').filter(Boolean).map((_, i) => `(local.get ${i})`).join(' ');
    return `(func (export "${name}") (param ${params}) (result i32) (call $${name} ${forwarded}))`;
  });
  return `(module\n${[...imports, memory, ...wrappers].join('\n')})`;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('WASI host (wasi_snapshot_preview1)', () => {
  it('args_sizes_get / args_get give the command line as NUL-terminated strings', async () => {
    const h = await harness([['args_sizes_get', 'i32 i32'], ['args_get', 'i32 i32']], { args: ['hello.wasm', '7', 'héllo'] });
    assert.strictEqual(h.call('args_sizes_get', 0, 4), Errno.SUCCESS);
    assert.strictEqual(h.u32(0), 3);
    assert.strictEqual(h.u32(4), 'hello.wasm\0'.length + '7\0'.length + 'héllo\0'.length + 1); // é is 2 bytes
    assert.strictEqual(h.call('args_get', 100, 200), Errno.SUCCESS);
    const pointers = [h.u32(100), h.u32(104), h.u32(108)];
    assert.deepStrictEqual(pointers, [200, 211, 213]);
    assert.strictEqual(text(h.bytes(200, 20)), 'hello.wasm\x007\x00héllo\x00');
  });

  it('environ_sizes_get / environ_get give NAME=VALUE strings', async () => {
    const h = await harness([['environ_sizes_get', 'i32 i32'], ['environ_get', 'i32 i32']], { env: { HOME: '/home/me', LANG: 'C' } });
    assert.strictEqual(h.call('environ_sizes_get', 0, 4), Errno.SUCCESS);
    assert.deepStrictEqual([h.u32(0), h.u32(4)], [2, 'HOME=/home/me\0LANG=C\0'.length]);
    assert.strictEqual(h.call('environ_get', 100, 200), Errno.SUCCESS);
    assert.strictEqual(text(h.bytes(h.u32(104), 7)), 'LANG=C\0');
  });

  it('fd_write sends stdout and stderr to the sink, UTF-8 split across writes included', async () => {
    const h = await harness([['fd_write', 'i32 i32 i32 i32']]);
    const euro = [0xe2, 0x82, 0xac]; // '€'
    h.write(300, [...Buffer.from('price: '), euro[0]]);
    h.write(400, [euro[1], euro[2], 0x0a]);
    // two iovecs in one call, then a second call
    h.write(0, [44, 1, 0, 0, 8, 0, 0, 0, 144, 1, 0, 0, 2, 0, 0, 0]);
    assert.strictEqual(h.call('fd_write', 1, 0, 2, 50), Errno.SUCCESS);
    assert.strictEqual(h.u32(50), 10);
    h.write(0, [146, 1, 0, 0, 1, 0, 0, 0]);
    assert.strictEqual(h.call('fd_write', 1, 0, 1, 50), Errno.SUCCESS);
    assert.strictEqual(h.out.join(''), 'price: €\n');
    h.write(300, [...Buffer.from('oops\n')]);
    h.write(0, [44, 1, 0, 0, 5, 0, 0, 0]);
    assert.strictEqual(h.call('fd_write', 2, 0, 1, 50), Errno.SUCCESS);
    assert.deepStrictEqual(h.err, ['oops\n']);
  });

  it('fd_write: EBADF for an unknown descriptor, ENOTCAPABLE for stdin, EFAULT for a buffer outside memory', async () => {
    const h = await harness([['fd_write', 'i32 i32 i32 i32']]);
    h.write(0, [0, 0, 1, 0, 4, 0, 0, 0]); // 4 bytes at 65536: just past the end
    assert.strictEqual(h.call('fd_write', 7, 0, 1, 50), Errno.BADF);
    assert.strictEqual(h.call('fd_write', 0, 0, 1, 50), Errno.NOTCAPABLE);
    assert.strictEqual(h.call('fd_write', 1, 0, 1, 50), Errno.FAULT);
    assert.strictEqual(h.call('fd_write', 1, 65532, 1, 50), Errno.FAULT); // the iovec itself is cut off
    assert.deepStrictEqual(h.out, []);
  });

  it('fd_read reads the provided stdin, then 0 bytes at its end', async () => {
    const h = await harness([['fd_read', 'i32 i32 i32 i32']], { stdin: 'abcdef' });
    h.write(0, [0, 1, 0, 0, 4, 0, 0, 0]); // 4 bytes at 256
    assert.strictEqual(h.call('fd_read', 0, 0, 1, 50), Errno.SUCCESS);
    assert.deepStrictEqual([h.u32(50), text(h.bytes(256, 4))], [4, 'abcd']);
    assert.strictEqual(h.call('fd_read', 0, 0, 1, 50), Errno.SUCCESS);
    assert.deepStrictEqual([h.u32(50), text(h.bytes(256, 2))], [2, 'ef']);
    assert.strictEqual(h.call('fd_read', 0, 0, 1, 50), Errno.SUCCESS);
    assert.strictEqual(h.u32(50), 0);
    assert.strictEqual(h.call('fd_read', 1, 0, 1, 50), Errno.NOTCAPABLE);
    assert.strictEqual(h.call('fd_read', 5, 0, 1, 50), Errno.BADF);
  });

  it('fd_fdstat_get describes stdio as character devices without seek rights', async () => {
    const h = await harness([['fd_fdstat_get', 'i32 i32']]);
    assert.strictEqual(h.call('fd_fdstat_get', 1, 8), Errno.SUCCESS);
    assert.strictEqual(h.bytes(8, 1)[0], 2); // filetype character_device
    assert.strictEqual(h.u64(16), (1n << 6n) | (1n << 27n)); // fd_write | poll_fd_readwrite
    assert.strictEqual(h.call('fd_fdstat_get', 0, 8), Errno.SUCCESS);
    assert.strictEqual(h.u64(16), (1n << 1n) | (1n << 27n)); // fd_read | poll_fd_readwrite
    assert.strictEqual(h.call('fd_fdstat_get', 3, 8), Errno.BADF);
  });

  it('no preopened directories: fd_prestat_get and fd_prestat_dir_name give EBADF', async () => {
    const h = await harness([['fd_prestat_get', 'i32 i32'], ['fd_prestat_dir_name', 'i32 i32 i32']]);
    assert.strictEqual(h.call('fd_prestat_get', 3, 0), Errno.BADF);
    assert.strictEqual(h.call('fd_prestat_dir_name', 3, 0, 10), Errno.BADF);
    assert.strictEqual(Errno.BADF, 8);
  });

  it('fd_seek and fd_tell: ESPIPE (70) on stdio, EBADF (8) on unknown descriptors', async () => {
    const h = await harness([['fd_seek', 'i32 i64 i32 i32'], ['fd_tell', 'i32 i32']]);
    assert.strictEqual(h.call('fd_seek', 1, 0n, 0, 0), 70);
    assert.strictEqual(h.call('fd_seek', 0, 5n, 1, 0), 70);
    assert.strictEqual(h.call('fd_seek', 9, 0n, 0, 0), 8);
    assert.strictEqual(h.call('fd_tell', 2, 0), 70);
    assert.strictEqual(h.call('fd_tell', 9, 0), 8);
  });

  it('fd_close closes a descriptor once: later use gives EBADF', async () => {
    const h = await harness([['fd_close', 'i32'], ['fd_write', 'i32 i32 i32 i32']]);
    assert.strictEqual(h.call('fd_close', 42), Errno.BADF);
    assert.strictEqual(h.call('fd_close', 1), Errno.SUCCESS);
    assert.strictEqual(h.call('fd_close', 1), Errno.BADF);
    assert.strictEqual(h.call('fd_write', 1, 0, 0, 50), Errno.BADF);
  });

  it('clock_time_get / clock_res_get: the clocks in nanoseconds, EINVAL (28) for an unknown clock', async () => {
    const h = await harness([['clock_time_get', 'i32 i64 i32'], ['clock_res_get', 'i32 i32']], {
      realtimeNs: () => 1_700_000_000_123_456_789n,
      monotonicNs: () => 42n,
    });
    assert.strictEqual(h.call('clock_time_get', 0, 1000n, 8), Errno.SUCCESS);
    assert.strictEqual(h.u64(8), 1_700_000_000_123_456_789n);
    assert.strictEqual(h.call('clock_time_get', 1, 1n, 8), Errno.SUCCESS);
    assert.strictEqual(h.u64(8), 42n);
    assert.strictEqual(h.call('clock_time_get', 2, 1n, 8), Errno.SUCCESS);
    assert.ok(h.u64(8) > 0n);
    assert.strictEqual(h.call('clock_time_get', 4, 1n, 8), 28);
    assert.strictEqual(h.call('clock_res_get', 1, 8), Errno.SUCCESS);
    assert.strictEqual(h.u64(8), 1n);
    assert.strictEqual(h.call('clock_res_get', 0, 8), Errno.SUCCESS);
    assert.strictEqual(h.u64(8), 1_000_000n);
    assert.strictEqual(h.call('clock_res_get', 99, 8), 28);
    assert.strictEqual(h.call('clock_time_get', 0, 0n, 65535), Errno.FAULT);
  });

  it('random_get fills the buffer from the random source in chunks of at most 64 KiB, EFAULT outside memory', async () => {
    let calls = 0;
    const h = await harness([['random_get', 'i32 i32']], {
      randomFill: (bytes) => {
        calls++;
        bytes.fill(0xab);
      },
    });
    assert.strictEqual(h.call('random_get', 16, 4), Errno.SUCCESS);
    assert.deepStrictEqual([...h.bytes(14, 8)], [0, 0, 0xab, 0xab, 0xab, 0xab, 0, 0]);
    assert.strictEqual(h.call('random_get', 0, 65536), Errno.SUCCESS);
    assert.strictEqual(calls, 2);
    assert.strictEqual(h.call('random_get', 65530, 7), Errno.FAULT);
  });

  it('unsupported calls link and return ENOSYS (52), or EBADF (8) for a descriptor that is not open', async () => {
    const h = await harness([
      ['poll_oneoff', 'i32 i32 i32 i32'],
      ['proc_raise', 'i32'],
      ['path_open', 'i32 i32 i32 i32 i32 i64 i64 i32 i32'],
      ['fd_filestat_get', 'i32 i32'],
      ['sock_accept', 'i32 i32 i32'],
    ]);
    assert.strictEqual(h.call('poll_oneoff', 0, 0, 1, 0), 52);
    assert.strictEqual(h.call('proc_raise', 9), 52);
    assert.strictEqual(h.call('path_open', 3, 0, 0, 1, 0, 0n, 0n, 0, 0), 8);
    assert.strictEqual(h.call('fd_filestat_get', 1, 0), 52);
    assert.strictEqual(h.call('fd_filestat_get', 3, 0), 8);
    assert.strictEqual(h.call('sock_accept', 1, 0, 0), 52);
  });

  it('sched_yield succeeds', async () => {
    const h = await harness([['sched_yield', '']]);
    assert.strictEqual(h.call('sched_yield'), Errno.SUCCESS);
  });

  it('proc_exit ends the program with a ProcExit carrying the code, and records it', async () => {
    const text = `(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory 1) (func (export "run") (call $exit (i32.const 3)) unreachable))`;
    const module = await loadModule(await assembleWat(text, 'exit.wat'));
    const wasi = createWasi({ args: ['x'], output: { stdout: () => {}, stderr: () => {} } });
    const store = new Store();
    const instance = instantiate(store, module, (imp) => wasi.resolve(imp, module), 'exit');
    assert.throws(
      () => invoke(store, instance.exportedFunc('run'), []),
      (e: unknown) => e instanceof Trap && e instanceof ProcExit && e.code === 3 && e.message === 'program exited with code 3',
    );
    assert.strictEqual(wasi.exitCode, 3);
  });

  it('a WASI call from a module without memory traps, naming the function and the module', async () => {
    const text = wasiModule([['args_sizes_get', 'i32 i32']], '');
    const module = await loadModule(await assembleWat(text, 'nomem.wat'));
    const wasi = createWasi({ args: ['x'], output: { stdout: () => {}, stderr: () => {} } });
    const store = new Store();
    const instance = instantiate(store, module, (imp) => wasi.resolve(imp, module), 'nomem');
    assert.throws(
      () => invoke(store, instance.exportedFunc('args_sizes_get'), [{ type: 'i32', value: 0 }, { type: 'i32', value: 4 }]),
      (e: unknown) => e instanceof Trap && e.message === 'wasi_snapshot_preview1.args_sizes_get: the calling module nomem has no memory',
    );
  });

  it('names outside preview 1 are not provided (the launch reports them as missing exports)', async () => {
    const wasi = createWasi({ args: ['x'], output: { stdout: () => {}, stderr: () => {} } });
    const module = await loadModule(await assembleWat('(module)', 'empty.wat'));
    assert.strictEqual(wasi.resolve({ module: 'wasi_snapshot_preview1', name: 'fd_frobnicate', desc: { kind: 'func', typeIndex: 0 } }, module), undefined);
    assert.ok(wasi.exportNames().includes('fd_write'));
    assert.strictEqual(wasi.exportNames().length, 46);
  });
});
