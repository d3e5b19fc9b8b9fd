// Exception entities: tags and the exceptions thrown with them. A tag is compared by identity, so two
// instances of one module define two different tags, and an imported tag is the exporter's object.

import type { FuncType, Module, Value } from './types';
import { Trap } from './trap';
import { formatValue } from './format';
import { CanonType, canonOfHostFuncType } from './typeCanon';

/** A tag instance: the type of its payload, and the instance and index that define it. */
export class TagInst {
  constructor(
    readonly type: FuncType,
    /** The name the debugger and messages show: `instance!tag` (`math!overflow`). */
    readonly name: string,
    /** The canonical type (typeCanon.ts): tag imports match it exactly. */
    readonly canon: CanonType = canonOfHostFuncType(type),
  ) {}
}

/** An exception (what an `exnref` refers to): its tag and its payload values. */
export class Exception {
  constructor(
    readonly tag: TagInst,
    readonly payload: Value[],
  ) {}

  /** `math!overflow(i32 7)`: the tag and the payload, for messages and the debugger. */
  describe(): string {
    return `${this.tag.name}(${this.payload.map(describePayloadValue).join(', ')})`;
  }
}

function describePayloadValue(v: Value): string {
  const text = formatValue(v);
  return v.type === 'funcref' || v.type === 'externref' || v.type === 'exnref' ? text : `${v.type} ${text}`;
}

/** The name of tag `index` of a module: from the name section, else its first export, else `tag<index>`. */
export function tagName(module: Module, index: number): string {
  const named = module.names?.tags?.get(index);
  if (named !== undefined) return named;
  const exported = module.exports.find((e) => e.kind === 'tag' && e.index === index);
  return exported ? exported.name : `tag${index}`;
}

/**
 * The end of a run by an exception no handler caught: a trap whose message names the tag, carrying
 * the exception (so a script's `assert_exception`, or a host function's caller, can tell it apart).
 */
export class UncaughtException extends Trap {
  constructor(readonly exception: Exception) {
    super(`uncaught exception ${exception.describe()}`);
  }
}
