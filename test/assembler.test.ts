// The text assembler (src/text/wat): exact bytes for each part of the format, the names it writes,
// the positions it records for every instruction, and its `file:line:column` errors.

import * as assert from 'assert';
import { decodeModule } from '../src/engine';
import { assembleText } from '../src/text/wat';
import { TextSyntaxError } from '../src/text/sexpr';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Section id -> payload in hex ('name' for the name section). */
function sections(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i++];
    let size = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[i++];
      size |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    out[id === 0 ? 'name' : String(id)] = hex(bytes.subarray(i, i + size));
    i += size;
  }
  return out;
}

function rejects(text: string, message: string): void {
  assert.throws(
    () => assembleText(text, 'x.wat', { offset: 0, line: 3, column: 5 }),
    (e: unknown) => e instanceof TextSyntaxError && e.message === message,
  );
}

describe('text assembler', () => {
  describe('bytes', () => {
    it('encodes a function with inline export, named parameters and a flat body', () => {
      const s = sections(assembleText('(module (func $add (export "add") (param $a i32) (param $b i32) (result i32) local.get $a local.get $b i32.add))', 'x.wat').bytes);
      assert.strictEqual(s['1'], '016002' + '7f7f' + '017f');
      assert.strictEqual(s['3'], '0100');
      assert.strictEqual(s['7'], '0103616464' + '0000');
      assert.strictEqual(s['10'], '01' + '07' + '00' + '2000' + '2001' + '6a' + '0b');
    });

    it('appends implicit function types in text order after the defined ones, reusing a defined one that matches', () => {
      const s = sections(assembleText('(module (func (result f64) f64.const 0) (func (param i32)) (type $t (func (param i32))) (func (result f64) f64.const 1))', 'x.wat').bytes);
      // Type 0 is $t (defined), type 1 the implicit () -> f64; (param i32) reuses $t.
      assert.strictEqual(s['1'], '02' + '60017f00' + '6000017c');
      assert.strictEqual(s['3'], '03010001');
    });

    it('encodes rec groups, open and final subtypes, struct fields with mutability and packed arrays', () => {
      const s = sections(
        assembleText(
          `(module
            (rec
              (type $node (sub (struct (field $val i32) (field $next (mut (ref null $node))))))
              (type $bytes (array (mut i8))))
            (type $leaf (sub final $node (struct (field i32) (field (mut (ref null $node)))))))`,
          'x.wat',
        ).bytes,
      );
      assert.strictEqual(s['1'], '02' + '4e02' + '5000' + '5f02' + '7f00' + '630001' + '5e7801' + '4f0100' + '5f02' + '7f00' + '630001');
    });

    it('encodes tags, throw, try_table with catch clauses and br_on_cast with its nullability flags', () => {
      const s = sections(
        assembleText(
          `(module (tag $e (param i32))
            (func (result i32) (try_table (result i32) (catch $e 0) (throw $e (i32.const 7))))
            (func (param anyref) (block $l (result (ref $s)) (br_on_cast $l anyref (ref $s) (local.get 0)) unreachable) drop)
            (type $s (struct)))`,
          'x.wat',
        ).bytes,
      );
      assert.strictEqual(s['1'], '04' + '5f00' + '60017f00' + '6000017f' + '60016e00');
      assert.strictEqual(s['13'], '010001');
      assert.strictEqual(s['10'], '02' + '0d00' + '1f7f' + '01000000' + '4107' + '0800' + '0b0b' + '1000' + '026400' + '2000' + 'fb1801006e00' + '00' + '0b1a0b');
    });

    it('encodes i64 memories and tables, memory indices in memargs and table initialisers', () => {
      const s = sections(
        assembleText(
          `(module (memory 1) (memory $m i64 1 2) (table $t i64 3 funcref (ref.null func))
            (func (result i32) (i32.load $m offset=0x1_0000_0000 (i64.const 0))))`,
          'x.wat',
        ).bytes,
      );
      assert.strictEqual(s['5'], '02' + '0001' + '050102');
      assert.strictEqual(s['4'], '01' + '4000' + '700403' + 'd0700b');
      assert.strictEqual(s['10'], '01' + '0c00' + '4200' + '2842' + '01' + '8080808010' + '0b');
    });

    it('expands inline elements and data into sized tables, memories and active segments', () => {
      const s = sections(assembleText('(module (table funcref (elem $f $f)) (memory (data "hi")) (func $f))', 'x.wat').bytes);
      assert.strictEqual(s['4'], '01' + '70' + '010202');
      assert.strictEqual(s['5'], '01' + '010101');
      assert.strictEqual(s['9'], '01' + '00' + '41000b' + '020000');
      assert.strictEqual(s['11'], '01' + '00' + '41000b' + '026869');
    });
  });

  describe('segments', () => {
    it('writes function indices of a non-null element type as ref.func expressions with that type', () => {
      const s = sections(assembleText('(module (table (ref func) (elem $f)) (func $f))', 'x.wat').bytes);
      assert.strictEqual(s['9'], '01' + '06' + '00' + '41000b' + '6470' + '01' + 'd2000b');
    });

    it('writes the data count section when code names a data segment (memory.init, data.drop, array.new_data)', () => {
      const s = sections(assembleText('(module (type $a (array i8)) (data $d "ab") (func (drop (array.new_data $a $d (i32.const 0) (i32.const 2)))))', 'x.wat').bytes);
      assert.strictEqual(s['12'], '01');
      assert.strictEqual(sections(assembleText('(module (memory 1) (data "ab"))', 'x.wat').bytes)['12'], undefined);
    });
  });

  describe('names', () => {
    it('writes function, local, type, global, memory, table, data, element, field and tag names', () => {
      const bytes = assembleText(
        `(module $mod (type $pt (func))
          (global $g i32 (i32.const 0)) (memory $mem 1) (table $tab 1 funcref)
          (data $d "") (elem $el func)
          (func $f (param $a i32) (local $b i64)))`,
        'x.wat',
      ).bytes;
      const names = decodeModule(bytes).names!;
      assert.strictEqual(names.module, 'mod');
      assert.deepStrictEqual([...names.functions], [[0, 'f']]);
      assert.deepStrictEqual([...names.locals.get(0)!], [[0, 'a'], [1, 'b']]);
      assert.deepStrictEqual([...names.types!], [[0, 'pt']]);
      assert.deepStrictEqual([...names.globals!], [[0, 'g']]);
      assert.deepStrictEqual([...names.memories!], [[0, 'mem']]);
      assert.deepStrictEqual([...names.tables!], [[0, 'tab']]);
      assert.deepStrictEqual([...names.datas!], [[0, 'd']]);
      assert.deepStrictEqual([...names.elems!], [[0, 'el']]);
    });

    it('writes struct field names by type (subsection 10) and tag names (11)', () => {
      const s = sections(assembleText('(module (type $pt (struct (field $x i32) (field $y i32))) (tag $oops))', 'x.wat').bytes);
      assert.strictEqual(s.name, '046e616d65' + '0405' + '0100' + '027074' + '0a09' + '0100' + '02' + '000178' + '010179' + '0b07' + '0100' + '046f6f7073');
    });

    it('takes (@name "...") for the module, functions and tags, and reads $"..." identifiers', () => {
      const names = decodeModule(assembleText('(module (@name "Modül") (func $"a b" (@name "λ")) (func $"\\41B" (call $AB)))', 'x.wat').bytes).names!;
      assert.strictEqual(names.module, 'Modül');
      assert.deepStrictEqual([...names.functions], [[0, 'λ'], [1, 'AB']]);
    });
  });

  describe('custom sections', () => {
    it('places (@custom ...) sections before or after the section they name, else after the last', () => {
      const b = assembleText('(module (type $t (func)) (@custom "a" "x") (@custom "b" (before type) "y") (@custom "c" (after func) "z") (func))', 'x.wat').bytes;
      const order: string[] = [];
      for (let i = 8; i < b.length; ) {
        const id = b[i++];
        const size = b[i++];
        order.push(id === 0 ? `custom ${Buffer.from(b.subarray(i + 1, i + 1 + b[i])).toString()}` : String(id));
        i += size;
      }
      assert.deepStrictEqual(order, ['custom b', '1', '3', 'custom c', '10', 'custom a', 'custom name']);
    });

    it('rejects a malformed or misplaced @custom annotation', () => {
      rejects('(@custom)', 'x.wat:3:5: @custom annotation: missing section name');
      rejects('(@custom "bla" (before types))', 'x.wat:3:28: @custom annotation: malformed section kind');
      rejects('(@custom "bla" (aft type))', 'x.wat:3:20: @custom annotation: malformed placement');
      rejects('(module (func (nop (@custom "bla"))))', 'x.wat:3:24: misplaced @custom annotation');
    });
  });

  describe('positions', () => {
    it('records every emitted instruction: folded operands first, a folded block ending at its parenthesis', () => {
      const text = ['(module', '  (func (result i32)', '    (block (result i32)', '      (i32.add (i32.const 1) (i32.const 2)))))'].join('\n');
      const { bytes, functions } = assembleText(text, 'x.wat');
      const body = decodeModule(bytes).codes[0];
      assert.deepStrictEqual(
        functions[0].instrs.map((i) => `${i.name} ${i.line}:${i.column}`),
        ['block 3:6', 'i32.const 4:17', 'i32.const 4:31', 'i32.add 4:8', 'end 4:44', 'end 4:45'],
      );
      assert.strictEqual(functions[0].instrs[0].offset, body.offset + 2);
    });

    it('gives the positions of a module inside a script in the script, columns in UTF-16 units', () => {
      const { functions } = assembleText('(module (func (export "ö") nop))', 's.wast', { offset: 0, line: 7, column: 3 });
      assert.deepStrictEqual(functions[0].instrs.map((i) => `${i.name} ${i.line}:${i.column}`), ['nop 7:30', 'end 7:33']);
    });
  });

  describe('errors', () => {
    it('names file:line:column and the reason in the spec wording', () => {
      rejects('(module (func block $a end $b))', 'x.wat:3:32: mismatching label');
      rejects('(module (func (call $nowhere)))', 'x.wat:3:25: unknown function $nowhere');
      rejects('(module (func $f) (func $f))', 'x.wat:3:29: duplicate function $f');
      rejects('(module (type $t (func)) (func (type $t) (param i32)))', 'x.wat:3:36: inline function type does not match the type definition');
      rejects('(module (func (i32.const 0x1_0000_0000) drop))', 'x.wat:3:30: constant out of range');
      rejects('(module (func) (@name "M"))', 'x.wat:3:20: misplaced @name annotation');
      rejects('(module\n  (func (i32.add (i32.const 1) (i32.const ∞))))', 'x.wat:4:43: illegal character "∞"');
      rejects('(module (memory 1) (import "m" "f" (func)))', 'x.wat:3:24: import after memory');
      rejects('(module (func (struct.get $t $nofield (local.get 0))) (type $t (struct (field $x i32))))', 'x.wat:3:34: unknown field $nofield');
      rejects('(module (func (i32.frob)))', 'x.wat:3:20: unknown operator i32.frob');
    });

    it('skips annotations anywhere, but not a parenthesis followed by a space', () => {
      assert.ok(assembleText('((@a) module (@a x (y)) (func (@b) nop (@c)))', 'x.wat').bytes.length > 8);
      assert.throws(() => assembleText('(module ( @a))', 'x.wat'), TextSyntaxError);
      assert.throws(() => assembleText('(module (@))', 'x.wat'), /empty annotation id/);
    });
  });
});
