// The engine's check of a reference stored from outside validated code (the debugger's assignments):
// by static subtyping, or within one hierarchy by the value as ref.cast would test it.

import * as assert from 'assert';
import { hierarchyOf, refValueFits } from '../src/engine/index';

describe('refCheck: references stored from outside validated code', () => {
  it('finds the hierarchy of abstract reference types', () => {
    assert.deepStrictEqual(
      ['i31ref', 'nullref', '(ref struct)', 'nullfuncref', '(ref func)', 'nullexternref', 'exnref', '(ref noexn)'].map((t) => hierarchyOf(t as never, null)),
      ['anyref', 'anyref', 'anyref', 'funcref', 'funcref', 'externref', 'exnref', 'exnref'],
    );
  });

  it('admits subtypes statically, and downcasts by the value within one hierarchy', () => {
    assert.strictEqual(refValueFits(null, 'nullref', null, 'anyref', null), true);
    assert.strictEqual(refValueFits(7, '(ref i31)', null, 'eqref', null), true);
    // An anyref holding an i31 fits an i31ref, not a structref.
    assert.strictEqual(refValueFits(7, 'anyref', null, 'i31ref', null), true);
    assert.strictEqual(refValueFits(7, 'anyref', null, 'structref', null), false);
    // A null fits a nullable type of its hierarchy only.
    assert.strictEqual(refValueFits(null, 'anyref', null, 'i31ref', null), true);
    assert.strictEqual(refValueFits(null, 'anyref', null, '(ref i31)', null), false);
    assert.strictEqual(refValueFits(null, 'funcref', null, 'anyref', null), false);
    // Another hierarchy never fits, whatever the value.
    assert.strictEqual(refValueFits({ host: 1 }, 'externref', null, 'anyref', null), false);
    assert.strictEqual(refValueFits(7, 'externref', null, 'i31ref', null), false);
  });
});
