// WebAssembly 3.0 GC and typed function references in the engine: modules assembled by binaryen's
// wasm-as (the devDependency `binaryen`; our own assembler does not read GC text yet), run with
// exact expected values and the spec's trap messages. (wasm-as folds a literal null operand into
// `unreachable`, so the null traps read their null from a local.)

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Instance, Store, Trap, Value, instantiate, loadModule, type ExternVal } from '../src/engine';

const WASM_AS = path.join(__dirname, '..', '..', 'node_modules', 'binaryen', 'bin', 'wasm-as');

function assemble(text: string): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gc-test-'));
  try {
    fs.writeFileSync(path.join(dir, 'm.wat'), text);
    execFileSync(WASM_AS, ['-all', path.join(dir, 'm.wat'), '-o', path.join(dir, 'm.wasm')], { stdio: 'pipe' });
    return new Uint8Array(fs.readFileSync(path.join(dir, 'm.wasm')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const i32 = (value: number): Value => ({ type: 'i32', value });

const GC_MODULE = `(module
  (type $point (sub (struct (field $x (mut i32)) (field $y i8))))
  (type $point3 (sub final $point (struct (field $x (mut i32)) (field $y i8) (field $z i64))))
  (type $bytes (array (mut i8)))
  (type $shorts (array (mut i16)))
  (type $fn (func (param i32) (result i32)))
  (data $d "\\01\\02\\ff\\04")
  (elem declare func $double)
  (func $double (type $fn) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "struct_get_s") (param i32) (result i32)
    (struct.get_s $point $y (struct.new $point (local.get 0) (i32.const 200))))
  (func (export "struct_get_u") (result i32)
    (struct.get_u $point $y (struct.new $point (i32.const 0) (i32.const 200))))
  (func (export "struct_set") (param i32) (result i32)
    (local $p (ref $point))
    (local.set $p (struct.new_default $point))
    (struct.set $point $x (local.get $p) (local.get 0))
    (struct.get $point $x (local.get $p)))
  (func (export "struct_null") (result i32)
    (local $p (ref null $point))
    (struct.get $point $x (local.get $p)))
  (func (export "array_sum") (result i32)
    (local $a (ref $shorts)) (local $i i32) (local $s i32)
    (local.set $a (array.new $shorts (i32.const -1) (i32.const 4)))
    (array.fill $shorts (local.get $a) (i32.const 1) (i32.const 7) (i32.const 2))
    (array.copy $shorts $shorts (local.get $a) (i32.const 0) (local.get $a) (i32.const 1) (i32.const 2))
    (loop $l
      (local.set $s (i32.add (local.get $s) (array.get_u $shorts (local.get $a) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (array.len (local.get $a)))))
    (local.get $s))
  (func (export "array_data") (param i32) (result i32)
    (array.get_s $bytes (array.new_data $bytes $d (i32.const 0) (i32.const 4)) (local.get 0)))
  (func (export "array_oob") (result i32)
    (array.get_u $bytes (array.new_default $bytes (i32.const 3)) (i32.const 3)))
  (func (export "array_fixed_len") (result i32)
    (array.len (array.new_fixed $bytes 5 (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5))))
  (func (export "i31") (param i32) (result i32 i32)
    (i31.get_s (ref.i31 (local.get 0)))
    (i31.get_u (ref.i31 (local.get 0))))
  (func (export "test_point") (param i32) (result i32)
    (local $r anyref)
    (local.set $r (if (result anyref) (local.get 0)
      (then (struct.new $point3 (i32.const 1) (i32.const 2) (i64.const 3)))
      (else (struct.new $point (i32.const 1) (i32.const 2)))))
    (i32.add
      (i32.mul (ref.test (ref $point) (local.get $r)) (i32.const 10))
      (ref.test (ref $point3) (local.get $r))))
  (func (export "cast_fail") (result i32)
    (struct.get $point3 $x (ref.cast (ref $point3) (struct.new $point (i32.const 1) (i32.const 2)))))
  (func (export "br_on_cast") (param i32) (result i32)
    (block $is_i31 (result (ref i31))
      (br_on_cast $is_i31 anyref (ref i31)
        (if (result anyref) (local.get 0) (then (ref.i31 (i32.const 42))) (else (struct.new_default $point))))
      (drop)
      (return (i32.const -1)))
    (i31.get_u))
  (func (export "call_ref") (param i32) (result i32)
    (call_ref $fn (local.get 0) (ref.func $double)))
  (func (export "call_null") (result i32)
    (local $f (ref null $fn))
    (call_ref $fn (i32.const 1) (local.get $f)))
  (func (export "ref_eq") (result i32 i32)
    (local $p (ref $point))
    (local.set $p (struct.new_default $point))
    (ref.eq (local.get $p) (local.get $p))
    (ref.eq (local.get $p) (struct.new_default $point)))
  (func (export "as_non_null") (result i32)
    (local $p (ref null $point))
    (ref.is_null (ref.as_non_null (local.get $p))))
  (func (export "extern_roundtrip") (param externref) (result externref)
    (extern.convert_any (any.convert_extern (local.get 0))))
)`;

describe('GC and typed function references (WebAssembly 3.0)', function () {
  this.timeout(60000);
  let store: Store;
  let inst: Instance;
  const call = (name: string, ...args: Value[]) => store.invoke(inst.exportedFunc(name), args);
  const traps = (name: string, message: string) =>
    assert.throws(() => call(name), (e: unknown) => e instanceof Trap && e.message.startsWith(message));

  before(async function () {
    if (!fs.existsSync(WASM_AS)) this.skip(); // binaryen is a devDependency: `npm ci` installs it
    store = new Store();
    inst = instantiate(store, await loadModule(assemble(GC_MODULE)), () => undefined, 'gc');
  });

  it('structs: new, get with sign or zero extension of packed fields, set, the null trap', () => {
    assert.deepStrictEqual(call('struct_get_s', i32(5)), [i32(-56)]);
    assert.deepStrictEqual(call('struct_get_u'), [i32(200)]);
    assert.deepStrictEqual(call('struct_set', i32(1234)), [i32(1234)]);
    traps('struct_null', 'null structure reference');
  });

  it('arrays: new, fill, copy, len, get_u, new_data, new_fixed, the bounds trap', () => {
    // [0xffff x4] -> fill 1..2 with 7 -> [ffff 7 7 ffff] -> copy [1..2] to 0 -> [7 7 7 ffff]
    assert.deepStrictEqual(call('array_sum'), [i32(7 * 3 + 0xffff)]);
    assert.deepStrictEqual(call('array_data', i32(2)), [i32(-1)]);
    assert.deepStrictEqual(call('array_data', i32(3)), [i32(4)]);
    assert.deepStrictEqual(call('array_fixed_len'), [i32(5)]);
    traps('array_oob', 'out of bounds array access');
  });

  it('i31: 31-bit values with sign and zero extension', () => {
    assert.deepStrictEqual(call('i31', i32(-1)), [i32(-1), i32(0x7fffffff)]);
    assert.deepStrictEqual(call('i31', i32(0x40000000)), [i32(-0x40000000), i32(0x40000000)]);
  });

  it('ref.test, ref.cast and br_on_cast follow declared subtyping', () => {
    assert.deepStrictEqual(call('test_point', i32(1)), [i32(11)]); // a $point3 is a $point too
    assert.deepStrictEqual(call('test_point', i32(0)), [i32(10)]);
    traps('cast_fail', 'cast failure');
    assert.deepStrictEqual(call('br_on_cast', i32(1)), [i32(42)]);
    assert.deepStrictEqual(call('br_on_cast', i32(0)), [i32(-1)]);
  });

  it('call_ref, ref.eq, ref.as_non_null and the extern conversions', () => {
    assert.deepStrictEqual(call('call_ref', i32(21)), [i32(42)]);
    traps('call_null', 'null function reference');
    assert.deepStrictEqual(call('ref_eq'), [i32(1), i32(0)]);
    traps('as_non_null', 'null reference');
    const host = { name: 'host value' };
    assert.deepStrictEqual(call('extern_roundtrip', { type: 'externref', value: host }), [{ type: 'externref', value: host }]);
  });

  it('canonicalises recursive types across modules: an import matches an equivalent rec group, not a different one', async () => {
    const exporter = `(module
      (rec (type $node (struct (field (ref null $node)))) (type $mk (func (result (ref $node)))))
      (func (export "mk") (type $mk) (struct.new $node (ref.null $node))))`;
    const same = `(module
      (rec (type $n (struct (field (ref null $n)))) (type $f (func (result (ref $n)))))
      (import "a" "mk" (func $mk (type $f)))
      (func (export "has_null_next") (result i32) (ref.is_null (struct.get $n 0 (call $mk)))))`;
    const other = `(module
      (rec (type $n (struct (field (ref null $n)) (field i32))) (type $f (func (result (ref $n)))))
      (import "a" "mk" (func (type $f))))`;
    const a = instantiate(store, await loadModule(assemble(exporter)), () => undefined, 'a');
    const resolve = (imp: { name: string }): ExternVal | undefined => a.exports.get(imp.name);
    const b = instantiate(store, await loadModule(assemble(same)), resolve, 'b');
    assert.deepStrictEqual(store.invoke(b.exportedFunc('has_null_next'), []), [i32(1)]);
    const otherModule = await loadModule(assemble(other));
    assert.throws(() => instantiate(store, otherModule, resolve, 'c'), /incompatible import type/);
  });

  it('rejects invalid GC code with the spec\'s wording', async () => {
    // struct.set on an immutable field: wasm-as checks types too, so build the binary by hand.
    // (type (struct (field i32))) (func (param (ref 0)) local.get 0 i32.const 1 struct.set 0 0)
    const bytes = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x0a, 0x02, 0x5f, 0x01, 0x7f, 0x00, 0x60, 0x01, 0x64, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x01,
      0x0a, 0x0c, 0x01, 0x0a, 0x00, 0x20, 0x00, 0x41, 0x01, 0xfb, 0x05, 0x00, 0x00, 0x0b,
    ]);
    await assert.rejects(loadModule(bytes), /immutable field 0 of type 0/);
  });
});

/** An unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];

/** A module from its type section entries (as bytes), one function of type `funcType` and its body (locals and code, no end). */
function binary(types: number[][], funcType: number, body: number[]): Uint8Array {
  const code = [...body, 0x0b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(3, vec([leb(funcType)])),
    ...section(10, vec([[...leb(code.length), ...code]])),
  ]);
}

describe('GC validation', () => {
  const FUNC = [0x60, 0x00, 0x00]; // (func)
  const rejects = (bytes: Uint8Array, reason: RegExp) => assert.rejects(loadModule(bytes), reason);

  it('subtyping: a final supertype and a supertype whose fields do not match are "sub type" errors', async () => {
    const EMPTY_STRUCT = [0x5f, 0x00];
    await rejects(binary([EMPTY_STRUCT, [0x50, 0x01, 0x00, ...EMPTY_STRUCT], FUNC], 2, [0x00]), /sub type 1 has a final supertype 0/);
    const openI32 = [0x50, 0x00, 0x5f, 0x01, 0x7f, 0x00];
    const subI64 = [0x50, 0x01, 0x00, 0x5f, 0x01, 0x7e, 0x00];
    await rejects(binary([openI32, subI64, FUNC], 2, [0x00]), /sub type 1 does not match its supertype 0/);
    // Adding a field to a non-final supertype is fine.
    const subMore = [0x4f, 0x01, 0x00, 0x5f, 0x02, 0x7f, 0x00, 0x7e, 0x00];
    await loadModule(binary([openI32, subMore, FUNC], 2, [0x00]));
  });

  it('arrays: writing an immutable array, copying between unlike element types', async () => {
    const constI32 = [0x5e, 0x7f, 0x00];
    // ref.null 0, i32.const 0, i32.const 1, array.set 0
    await rejects(binary([constI32, FUNC], 1, [0x00, 0xd0, 0x00, 0x41, 0x00, 0x41, 0x01, 0xfb, 0x0e, 0x00]), /immutable array: array.set writes to array type 0/);
    const mutI8 = [0x5e, 0x78, 0x01];
    const mutI32 = [0x5e, 0x7f, 0x01];
    // array.copy 0 1 with (ref.null 0) 0 (ref.null 1) 0 0
    const copy = [0x00, 0xd0, 0x00, 0x41, 0x00, 0xd0, 0x01, 0x41, 0x00, 0x41, 0x00, 0xfb, 0x11, 0x00, 0x01];
    await rejects(binary([mutI8, mutI32, FUNC], 2, copy), /array types do not match: array.copy from type 1 \(i32\) into type 0 \(i8\)/);
  });

  it('a block type or call_indirect must name a function type', async () => {
    // block (type 0) end, where type 0 is a struct type
    await rejects(binary([[0x5f, 0x00], FUNC], 1, [0x00, 0x02, 0x00, 0x0b]), /type mismatch: block needs a function type, type 0 is not one/);
  });

  it('a non-nullable local must be set before it is read', async () => {
    const EMPTY_STRUCT = [0x5f, 0x00];
    // (local (ref 0)) local.get 0 drop
    await rejects(binary([EMPTY_STRUCT, FUNC], 1, [0x01, 0x01, 0x64, 0x00, 0x20, 0x00, 0x1a]), /uninitialized local 0/);
    // (local (ref 0)) struct.new 0 local.set 0 local.get 0 drop
    await loadModule(binary([EMPTY_STRUCT, FUNC], 1, [0x01, 0x01, 0x64, 0x00, 0xfb, 0x00, 0x00, 0x21, 0x00, 0x20, 0x00, 0x1a]));
  });

  it('equivalent types of one module are one type: a value of one is accepted as the other', async () => {
    const point = [0x5f, 0x01, 0x7f, 0x00];
    // (func (param (ref 0))) called with struct.new 1: types 0 and 1 are the same struct type.
    const takes0 = [0x60, 0x01, 0x64, 0x00, 0x00];
    const bytes = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      ...section(1, vec([point, point, takes0, FUNC])),
      ...section(3, vec([[2], [3]])),
      ...section(10, vec([[0x02, 0x00, 0x0b], [0x09, 0x00, 0x41, 0x07, 0xfb, 0x00, 0x01, 0x10, 0x00, 0x0b]])),
    ]);
    await loadModule(bytes);
  });
});
