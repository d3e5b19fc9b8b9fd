// The `disassemble` request's window walks the module's functions in binary order, decoding only the
// bodies it shows; checked against a flat list of every instruction of the module.

import * as assert from 'assert';
import { decodeModule, funcCode, importCount, type Module } from '../src/engine';
import { disassemble } from '../src/debug/disassembly';
import { instructionAddress, type CodeUnit } from '../src/debug/units';
import { assembleWat } from '../src/text/assemble';
import { formatInstr } from '../src/text/print/instr';
import { ModuleNames } from '../src/text/print/names';

async function unitOf(text: string): Promise<CodeUnit> {
  const module = decodeModule(await assembleWat(text, 'walk.wat'));
  return { id: 1, module, names: ModuleNames.of(module), label: 'walk.wasm', origin: 'walk.wasm', file: null, sourceMap: null, instanceNames: ['walk'] };
}

/** Every instruction of the module as the window shows it, decoded here from a second copy. */
function everyInstruction(module: Module): { address: string; instruction: string; symbol: string }[] {
  const copy = decodeModule(module.bytes);
  const names = ModuleNames.of(copy);
  const imported = importCount(copy, 'func');
  return copy.codes.flatMap((_, i) => funcCode(copy, i).body.map((instr) => ({
    address: instructionAddress(1, instr.offset),
    instruction: formatInstr(instr, names, imported + i),
    symbol: `walk!${['one', 'two', 'three', 'four'][i]}`,
  })));
}

const PROGRAM = `(module
  (func $one (result i32) (i32.const 1))
  (func $two (param i32) (result i32) (i32.add (local.get 0) (i32.const 2)))
  (func $three (drop (call $two (i32.const 3))))
  (func $four (nop)))`;

describe('disassembly window', () => {
  it('crosses function boundaries both ways and fills the window outside the code with ascending invalid entries', async () => {
    const unit = await unitOf(PROGRAM);
    const flat = everyInstruction(unit.module);
    for (let at = 0; at < flat.length; at++) {
      for (const instructionOffset of [-6, -1, 0, 3]) {
        const rows = disassemble([unit], { memoryReference: flat[at].address, instructionOffset, instructionCount: 9 });
        rows.forEach((row, k) => {
          const i = at + instructionOffset + k;
          if (i >= 0 && i < flat.length) {
            assert.deepStrictEqual({ address: row.address, instruction: row.instruction, symbol: row.symbol }, flat[i]);
          } else {
            assert.strictEqual(row.presentationHint, 'invalid', `row ${i} is outside the code`);
          }
          if (k > 0) assert.ok(BigInt(row.address) > BigInt(rows[k - 1].address), 'addresses ascend');
        });
      }
    }
  });

  it('decodes only the bodies the window shows', async () => {
    const unit = await unitOf(PROGRAM);
    const start = unit.module.codes[1].endOffset - 1; // the `end` of $two
    const rows = disassemble([unit], { memoryReference: instructionAddress(1, start), instructionOffset: 0, instructionCount: 2 });
    assert.deepStrictEqual(rows.map((r) => `${r.symbol} ${r.instruction}`), ['walk!two end', 'walk!three i32.const 3']);
    assert.deepStrictEqual(unit.module.codes.map((c) => c.code !== undefined), [false, true, true, false]);
  });
});
