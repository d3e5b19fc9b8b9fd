// The WebAssembly JS API on our engine (src/jsapi): what a JavaScript program sees of memories,
// values, callbacks, traps, exceptions, tables and globals, with exact values and messages.

import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { runTestFile } from '../scripts/jsApiTests';
import { createWebAssembly, importedJsFunction, jsApiEngine, bytesOrigin, moduleOrigin, noteBytesOrigin, useJsApiEngine, watchFileReads } from '../src/jsapi/index';
import { moduleOf } from '../src/jsapi/module';
import type { FuncInst } from '../src/engine/index';
import { assembleText } from '../src/text/wat/index';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const WA: Any = createWebAssembly();

function wasm(text: string): Uint8Array {
  return assembleText(text, 'test.wat').bytes;
}

function instance(text: string, imports: object = {}): Any {
  return new WA.Instance(new WA.Module(wasm(text)), imports).exports;
}

/** The function names on the engine's call stack, outermost first. */
function stackNames(): string[] {
  const cs = jsApiEngine().store.callStack;
  return cs.funcs.slice(0, cs.height).map((f) => f.name);
}

describe('WebAssembly JS API on our engine', () => {
  describe('Memory', () => {
    const MEM = `(module
      (memory (export "mem") 1 4)
      (func (export "load") (param i32) (result i32) local.get 0 i32.load)
      (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store)
      (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))`;

    it('its buffer aliases the bytes wasm reads and writes', () => {
      const e = instance(MEM);
      const buffer: ArrayBuffer = e.mem.buffer;
      assert.strictEqual(buffer, e.mem.buffer);
      assert.strictEqual(buffer.byteLength, 65536);
      new DataView(buffer).setInt32(8, 0x12345678, true);
      assert.strictEqual(e.load(8), 0x12345678);
      e.store(100, -2);
      assert.strictEqual(new Int32Array(buffer)[25], -2);
    });

    it('grow from JavaScript detaches the old buffer and keeps the bytes', () => {
      const e = instance(MEM);
      const old: ArrayBuffer = e.mem.buffer;
      new Uint8Array(old)[65535] = 0xab;
      assert.strictEqual(e.mem.grow(1), 1);
      assert.strictEqual(old.byteLength, 0);
      const now: ArrayBuffer = e.mem.buffer;
      assert.notStrictEqual(now, old);
      assert.strictEqual(now.byteLength, 2 * 65536);
      assert.strictEqual(new Uint8Array(now)[65535], 0xab);
      assert.strictEqual(e.load(65532) >>> 24, 0xab);
    });

    it('memory.grow run by wasm detaches too, also by 0 pages; a failed grow does not', () => {
      const e = instance(MEM);
      const first: ArrayBuffer = e.mem.buffer;
      assert.strictEqual(e.grow(2), 1);
      assert.strictEqual(first.byteLength, 0);
      const second: ArrayBuffer = e.mem.buffer;
      assert.strictEqual(second.byteLength, 3 * 65536);
      assert.strictEqual(e.grow(0), 3);
      assert.strictEqual(second.byteLength, 0);
      const third: ArrayBuffer = e.mem.buffer;
      assert.strictEqual(third.byteLength, 3 * 65536);
      assert.strictEqual(e.grow(5), -1);
      assert.strictEqual(e.mem.buffer, third);
      assert.strictEqual(third.byteLength, 3 * 65536);
      assert.throws(() => e.mem.grow(2), { name: 'RangeError', message: 'WebAssembly.Memory.grow: cannot grow 3 pages by 2 (maximum 4)' });
    });
  });

  describe('values', () => {
    const VALUES = `(module
      (func (export "i64") (param i64) (result i64) local.get 0)
      (func (export "add64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add)
      (func (export "f32") (param f32) (result f32) local.get 0)
      (func (export "isNull") (param externref) (result i32) local.get 0 ref.is_null)
      (func (export "ext") (param externref) (result externref) local.get 0)
      (func (export "pair") (param i32) (result i32 i64) local.get 0 local.get 0 i64.extend_i32_s))`;

    it('i64 goes both ways as a BigInt, wrapped to 64 bits; a Number is a TypeError', () => {
      const e = instance(VALUES);
      assert.strictEqual(e.i64(2n ** 63n - 1n), 2n ** 63n - 1n);
      assert.strictEqual(e.i64(-5n), -5n);
      assert.strictEqual(e.i64(2n ** 64n + 7n), 7n);
      assert.strictEqual(e.add64(2n ** 63n - 1n, 1n), -(2n ** 63n));
      assert.strictEqual(e.i64('12'), 12n);
      assert.throws(() => e.i64(5), { name: 'TypeError', message: 'Cannot convert 5 to a BigInt' });
    });

    it('f32 rounds, NaN stays NaN, externref keeps undefined apart from null', () => {
      const e = instance(VALUES);
      assert.strictEqual(e.f32(0.1), Math.fround(0.1));
      assert.ok(Number.isNaN(e.f32(NaN)));
      assert.strictEqual(e.isNull(null), 1);
      assert.strictEqual(e.isNull(undefined), 0);
      assert.strictEqual(e.isNull(0), 0);
      const o = { x: 1 };
      assert.strictEqual(e.ext(o), o);
      assert.strictEqual(e.ext(undefined), undefined);
      assert.deepStrictEqual(e.pair(-3), [-3, -3n]);
    });

    it('exported functions are named by function index, with the parameter count as length, one object each', () => {
      const e = instance(VALUES);
      assert.strictEqual(e.add64.name, '1');
      assert.strictEqual(e.add64.length, 2);
      assert.strictEqual(Object.getPrototypeOf(e), null);
      assert.ok(Object.isFrozen(e));
      const t = new WA.Table({ element: 'anyfunc', initial: 1 });
      t.set(0, e.add64);
      assert.strictEqual(t.get(0), e.add64);
    });
  });

  describe('calls between JavaScript and wasm', () => {
    const NEST = `(module
      (import "js" "cb" (func $cb (param i32) (result i32)))
      (func $down (export "down") (param i32) (result i32)
        local.get 0
        i32.eqz
        if (result i32)
          i32.const 0
        else
          local.get 0
          call $cb
          i32.const 1
          i32.add
        end))`;

    it('a JavaScript import calls back into wasm three levels deep, on one call stack', () => {
      let deepest: string[] = [];
      const exportsBox: Any = {};
      const cb = (n: number): number => {
        if (n === 1) deepest = stackNames();
        return exportsBox.e.down(n - 1) * 10;
      };
      exportsBox.e = instance(NEST, { js: { cb } });
      assert.strictEqual(exportsBox.e.down(3), 111);
      assert.deepStrictEqual(deepest, ['down', 'js.cb', 'down', 'js.cb', 'down', 'js.cb']);
      assert.strictEqual(jsApiEngine().store.callStack.height, 0);
    });

    it('an exported function imported again is that wasm function, not a new host function', () => {
      const a = instance(`(module (func (export "seven") (result i32) i32.const 7))`);
      const b = instance(`(module (import "a" "seven" (func $s (result i32))) (export "again" (func $s))
        (func (export "call") (result i32) call $s))`, { a: { seven: a.seven } });
      assert.strictEqual(b.again, a.seven);
      assert.strictEqual(b.call(), 7);
      let inner: string[] = [];
      let hostFrame: unknown;
      const f = () => {
        inner = stackNames();
        hostFrame = jsApiEngine().store.callStack.funcs[1];
        return 1;
      };
      const c = instance(`(module (import "a" "f" (func $f (result i32))) (func (export "call") (result i32) call $f))`, { a: { f } });
      c.call();
      assert.deepStrictEqual(inner, ['call', 'a.f']);
      assert.strictEqual(importedJsFunction(hostFrame as FuncInst), f);
    });

    const CATCHER = `(module
      (import "js" "cb" (func $cb (param i32) (result i32)))
      (func (export "guarded") (param i32) (result i32)
        (block $h
          (try_table (catch_all $h)
            local.get 0
            call $cb
            return))
        i32.const -1)
      (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))`;

    it('a trap in wasm called from a callback arrives as the same RuntimeError, which catch_all does not catch', () => {
      const box: Any = {};
      let seen: unknown;
      box.e = instance(CATCHER, { js: { cb: (n: number) => { try { return box.e.div(1, n); } catch (err) { seen = err; throw err; } } } });
      let thrown: unknown;
      try {
        box.e.guarded(0);
      } catch (err) {
        thrown = err;
      }
      assert.ok(thrown instanceof WA.RuntimeError);
      assert.strictEqual(thrown, seen);
      assert.strictEqual((thrown as Error).message, 'integer divide by zero');
      assert.strictEqual(box.e.guarded(1), 1);
      assert.strictEqual(jsApiEngine().store.callStack.height, 0);
    });

    it('a JavaScript exception crosses wasm unchanged, and catch_all catches it', () => {
      const boom = new Error('boom');
      const through = instance(`(module (import "js" "cb" (func $cb (param i32) (result i32)))
        (func (export "run") (param i32) (result i32) local.get 0 call $cb))`, { js: { cb: () => { throw boom; } } });
      assert.throws(() => through.run(1), (err: unknown) => err === boom);
      const caught = instance(CATCHER, { js: { cb: () => { throw 42; } } });
      assert.strictEqual(caught.guarded(5), -1);
      const uncaught = instance(`(module (import "js" "cb" (func $cb (param i32) (result i32)))
        (func (export "run") (param i32) (result i32) local.get 0 call $cb))`, { js: { cb: () => { throw 42; } } });
      assert.throws(() => uncaught.run(1), (err: unknown) => err === 42);
    });

    it('a wasm exception reaches JavaScript as a WebAssembly.Exception with its tag and payload', () => {
      const e = instance(`(module (tag $t (export "t") (param i32 i64))
        (func (export "raise") i32.const 7 i64.const -1 throw $t))`);
      let thrown: Any;
      try { e.raise(); } catch (err) { thrown = err; }
      assert.ok(thrown instanceof WA.Exception);
      assert.ok(thrown.is(e.t));
      assert.strictEqual(thrown.getArg(e.t, 0), 7);
      assert.strictEqual(thrown.getArg(e.t, 1), -1n);
      assert.throws(() => thrown.getArg(e.t, 2), { name: 'RangeError', message: "WebAssembly.Exception.getArg: index 2 is beyond the payload's 2 values" });
    });
  });

  describe('Table', () => {
    const TABLE = `(module
      (table (export "tab") 1 3 funcref)
      (type $r (func (result i32)))
      (func (export "one") (result i32) i32.const 1)
      (func (export "two") (result i32) i32.const 2)
      (func (export "callAt") (param i32) (result i32) local.get 0 call_indirect (type $r)))`;

    it('gets, sets and grows with exported functions', () => {
      const e = instance(TABLE);
      assert.strictEqual(e.tab.length, 1);
      assert.strictEqual(e.tab.get(0), null);
      e.tab.set(0, e.two);
      assert.strictEqual(e.tab.get(0), e.two);
      assert.strictEqual(e.callAt(0), 2);
      assert.strictEqual(e.tab.grow(2, e.one), 1);
      assert.strictEqual(e.tab.length, 3);
      assert.strictEqual(e.tab.get(2), e.one);
      assert.strictEqual(e.callAt(2), 1);
      assert.throws(() => e.tab.grow(1), { name: 'RangeError', message: 'WebAssembly.Table.grow: cannot grow 3 elements by 1 (maximum 3)' });
      assert.throws(() => e.tab.get(3), { name: 'RangeError', message: "WebAssembly.Table.get: index 3 is beyond the table's 3 elements" });
      assert.throws(() => e.tab.set(0, () => 1), { name: 'TypeError', message: 'a value of type funcref must be null or an exported WebAssembly function' });
      assert.throws(() => e.callAt(5), { name: 'RuntimeError', message: 'undefined element 5' });
    });
  });

  describe('Global', () => {
    it('an immutable global cannot be set; a mutable one is shared with wasm both ways', () => {
      const g = new WA.Global({ value: 'i32', mutable: true }, 5);
      const c = new WA.Global({ value: 'i64' }, 9n);
      const e = instance(`(module (import "g" "m" (global $m (mut i32))) (import "g" "c" (global $c i64))
        (global $own (export "own") (mut f32) (f32.const 1.5))
        (func (export "bump") global.get $m i32.const 1 i32.add global.set $m)
        (func (export "c") (result i64) global.get $c))`, { g: { m: g, c } });
      e.bump();
      assert.strictEqual(g.value, 6);
      g.value = 41;
      e.bump();
      assert.strictEqual(g.valueOf(), 42);
      assert.strictEqual(e.c(), 9n);
      assert.throws(() => { c.value = 1n; }, { name: 'TypeError', message: 'WebAssembly.Global: cannot set the value of an immutable global' });
      e.own.value = 0.1;
      assert.strictEqual(e.own.value, Math.fround(0.1));
      assert.strictEqual(new WA.Global({ value: 'externref' }).value, undefined);
      assert.strictEqual(new WA.Global({ value: 'anyfunc' }).value, null);
    });

    it('a mutable global import must be a Global; a number is a LinkError', () => {
      const module = new WA.Module(wasm(`(module (import "g" "m" (global (mut i32))))`));
      assert.throws(() => new WA.Instance(module, { g: { m: 1 } }), { name: 'LinkError', message: 'import "g"."m" is mutable, so it must be a WebAssembly.Global' });
      const wrongType = new WA.Global({ value: 'i64', mutable: true }, 0n);
      assert.throws(() => new WA.Instance(module, { g: { m: wrongType } }), (err: Any) => err instanceof WA.LinkError && /incompatible import type: expected \(global \(mut i32\)\), got \(global \(mut i64\)\)$/.test(err.message));
    });
  });

  describe('errors', () => {
    it('decoding and validation failures are CompileErrors with our messages; validate says false', async () => {
      const badVersion = new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]);
      assert.throws(() => new WA.Module(badVersion), { name: 'CompileError', message: 'malformed module at byte 0x4: unknown binary version (expected version 1 (01 00 00 00))' });
      assert.strictEqual(WA.validate(badVersion), false);
      await assert.rejects(WA.compile(badVersion), { name: 'CompileError' });
      assert.throws(() => WA.validate('bytes'), { name: 'TypeError', message: 'WebAssembly.validate: the argument must be an ArrayBuffer or a typed array view' });
    });

    it('instantiate takes bytes or a Module; a missing import module is a TypeError, a wrong import a LinkError', async () => {
      const bytes = wasm(`(module (import "m" "f" (func)) (func (export "g") (result i32) i32.const 3))`);
      const { module, instance: inst } = await WA.instantiate(bytes, { m: { f() {} } });
      assert.ok(module instanceof WA.Module);
      assert.strictEqual(inst.exports.g(), 3);
      const again = await WA.instantiate(module, { m: { f() {} } });
      assert.ok(again instanceof WA.Instance);
      await assert.rejects(WA.instantiate(module, {}), { name: 'TypeError', message: 'import module "m" must be an object' });
      await assert.rejects(WA.instantiate(module, { m: { f: 1 } }), { name: 'LinkError', message: 'import "m"."f" must be a function' });
      assert.deepStrictEqual(WA.Module.imports(module), [{ module: 'm', name: 'f', kind: 'function' }]);
      assert.deepStrictEqual(WA.Module.exports(module), [{ name: 'g', kind: 'function' }]);
    });
  });

  describe('a trap seen from JavaScript', () => {
    it("a RuntimeError's stack starts at the wasm function that trapped, then the JavaScript callers, without the engine's frames", () => {
      const e = instance(`(module (func $divide (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))`);
      function callerInJs(): Error {
        try {
          e.div(1, 0);
        } catch (err) {
          return err as Error;
        }
        throw new Error('no trap');
      }
      const err = callerInJs();
      assert.strictEqual(err.message, 'integer divide by zero');
      const lines = err.stack!.split('\n');
      assert.strictEqual(lines[0], 'RuntimeError: integer divide by zero');
      assert.strictEqual(lines[1], '    at divide (wasm:0x27)'); // the i32.div_s, at the byte offset V8 gives too
      assert.match(lines[2], /^ {4}at callerInJs \(.*jsapi\.test\.js:\d+:\d+\)$/);
      assert.deepStrictEqual(lines.filter((l) => /[\\/]src[\\/](jsapi|engine)[\\/]/.test(l)), []);
    });
  });

  describe('streaming', () => {
    it('compileStreaming and instantiateStreaming take a Response or a promise of one', async () => {
      const bytes = wasm(`(module (func (export "five") (result i32) i32.const 5))`);
      const wasmResponse = () => new Response(bytes, { headers: { 'content-type': 'application/wasm' } });
      const module = await WA.compileStreaming(wasmResponse());
      assert.deepStrictEqual(WA.Module.exports(module), [{ name: 'five', kind: 'function' }]);
      const { instance: inst } = await WA.instantiateStreaming(Promise.resolve(wasmResponse()));
      assert.strictEqual(inst.exports.five(), 5);
      await assert.rejects(WA.compileStreaming(new Response(bytes, { headers: { 'content-type': 'text/plain' } })),
        { name: 'TypeError', message: 'WebAssembly.compileStreaming: the response\'s Content-Type must be application/wasm, got "text/plain"' });
      await assert.rejects(WA.instantiateStreaming(bytes), { name: 'TypeError', message: 'WebAssembly.instantiateStreaming: the argument must be a Response or a promise of one' });
    });
  });

  describe('where the bytes of a module came from', () => {
    let dir: string;
    let names: string[];
    const engine = jsApiEngine();
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsapi-origin-'));
      fs.writeFileSync(path.join(dir, 'origin-adder.wasm'), wasm(`(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))`));
      fs.writeFileSync(path.join(dir, 'origin-named.wasm'), wasm(`(module $calc (func (export "one") (result i32) i32.const 1))`));
      fs.writeFileSync(path.join(dir, 'origin-later.wasm'), wasm(`(module (func (export "two") (result i32) i32.const 2))`));
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not wasm');
    });
    beforeEach(() => {
      names = [];
      useJsApiEngine({ ...engine, instantiated: (_module, inst) => names.push(inst.name) });
    });
    afterEach(() => useJsApiEngine(engine));
    after(() => fs.rmSync(dir, { recursive: true }));

    it('a wasm file read with fs names the module and its instances after the file, also from a copy of its bytes', async () => {
      const file = path.join(dir, 'origin-adder.wasm');
      const restore = watchFileReads();
      let fromPromise: Buffer, fromCallback: Buffer;
      try {
        fromPromise = await fs.promises.readFile(file);
        fromCallback = await new Promise<Buffer>((resolve, reject) => fs.readFile(file, (err, b) => (err ? reject(err) : resolve(b))));
        assert.strictEqual(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8'), 'not wasm');
      } finally {
        restore();
      }
      const module = new WA.Module(fs.readFileSync(file)); // read after restore: known by its content
      assert.strictEqual(moduleOrigin(moduleOf(module, 'm')), file);
      const { module: copied, instance } = await WA.instantiate(new Uint8Array(fromPromise).buffer);
      assert.strictEqual(moduleOrigin(moduleOf(copied, 'm')), file);
      assert.strictEqual(instance.exports.add(2, 3), 5);
      new WA.Instance(module, {});
      await WA.instantiate(fromCallback);
      assert.deepStrictEqual(names, ['origin-adder', 'origin-adder#2', 'origin-adder#3']);
    });

    it("the name section's module name wins over the file's; bytes of no known file keep module#N", () => {
      const named = path.join(dir, 'origin-named.wasm');
      const restore = watchFileReads();
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(named);
      } finally {
        restore();
      }
      const m = new WA.Module(bytes);
      new WA.Instance(m, {});
      assert.strictEqual(moduleOrigin(moduleOf(m, 'm')), named);
      const later = new WA.Module(fs.readFileSync(path.join(dir, 'origin-later.wasm'))); // read while nothing watched
      new WA.Instance(later, {});
      assert.strictEqual(moduleOrigin(moduleOf(later, 'm')), undefined);
      assert.strictEqual(names[0], 'calc');
      assert.match(names[1], /^module#\d+$/);
    });

    it('instantiateStreaming names the module after the last segment of the Response\'s URL', async () => {
      const bytes = wasm(`(module (func (export "seven") (result i32) i32.const 7))`);
      const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/lib/stream-seven.wasm`;
        const { module, instance } = await WA.instantiateStreaming(fetch(url));
        assert.strictEqual(instance.exports.seven(), 7);
        assert.strictEqual(moduleOrigin(moduleOf(module, 'm')), url);
        assert.deepStrictEqual(names, ['stream-seven']);
      } finally {
        server.close();
      }
    });

    it('only wasm binaries are noted, each by its content', () => {
      const text = new TextEncoder().encode('hello');
      noteBytesOrigin(text, '/data/hello.txt');
      assert.strictEqual(bytesOrigin(text), undefined);
      const one = wasm(`(module (func (export "f") (result i32) i32.const 1))`);
      const two = wasm(`(module (func (export "f") (result i32) i32.const 2))`);
      assert.strictEqual(one.length, two.length);
      noteBytesOrigin(one, '/data/one.wasm');
      assert.strictEqual(bytesOrigin(one.slice()), '/data/one.wasm');
      assert.strictEqual(bytesOrigin(two), undefined);
    });
  });

  describe('the official JS API tests (../shared/wasm-js-api)', () => {
    const suite = process.env.WASM_JS_API ?? path.resolve(__dirname, '../../../shared/wasm-js-api');
    for (const file of ['interface.any.js', 'instance/constructor.any.js', 'memory/grow.any.js', 'table/get-set.any.js']) {
      it(`${file} passes on our WebAssembly in a vm context of its own`, async function () {
        const full = path.join(suite, 'js-api', file);
        if (!fs.existsSync(full)) this.skip(); // the suite is not on this machine: npm run test:jsapi says where it looks
        const failures = (await runTestFile(suite, full, 'ours')).filter((r) => !r.passed).map((r) => `${r.name}: ${r.message}`);
        assert.deepStrictEqual(failures, []);
      });
    }
  });
});
