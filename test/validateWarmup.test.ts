import * as assert from 'assert';
import { decodeModule, funcCode } from '../src/engine/decode';
import { moduleProblems } from '../src/engine/validate/module';
import { warmupBytes } from '../src/engine/validate/warmup';

describe("the validator's warm-up module", () => {
  it('is valid, and its main function runs the scalar numeric and memory instructions and the control ones', () => {
    const module = decodeModule(warmupBytes());
    assert.deepStrictEqual(moduleProblems(module), []);
    const ops = new Set(funcCode(module, 0).body.map((i) => i.op));
    const scalar = Array.from({ length: 0xc4 - 0x45 + 1 }, (_, i) => 0x45 + i);
    const memory = Array.from({ length: 0x3e - 0x28 + 1 }, (_, i) => 0x28 + i);
    const control = [0x01, 0x02, 0x03, 0x04, 0x05, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x1a, 0x1b, 0x20, 0x21, 0x22, 0x23, 0x24];
    const saturating = Array.from({ length: 8 }, (_, i) => 0xfc00 | i);
    const missing = [...scalar, ...memory, ...control, ...saturating].filter((op) => !ops.has(op));
    assert.deepStrictEqual(missing.map((op) => op.toString(16)), []);
  });
});
