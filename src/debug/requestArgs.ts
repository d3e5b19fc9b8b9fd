// The arguments of a DAP request, checked where a handler reads them: a missing or mistyped one
// gets an error response naming the request and the argument (`scopes: missing argument
// 'frameId'`), never a JavaScript error from deep inside the handler.

import { describeValue } from './launchArgs';
import { RequestError } from './requestError';

export class RequestArgs {
  private readonly values: Record<string, unknown>;

  /** `prefix` names where nested arguments sit: `breakpoints[2].`. */
  constructor(
    readonly command: string,
    args: unknown,
    private readonly prefix = '',
  ) {
    // A request without arguments reads as one with none given; a nested null is a mistake.
    const absent = args === undefined || (args === null && !prefix);
    if (!absent && (typeof args !== 'object' || args === null || Array.isArray(args))) {
      throw new RequestError(prefix ? this.wrong(prefix.slice(0, -1), 'an object', args) : `${command}: arguments must be an object, got ${describeValue(args)}`);
    }
    this.values = (args ?? {}) as Record<string, unknown>;
  }

  private wrong(name: string, what: string, value: unknown): string {
    return `${this.command}: argument '${name}' must be ${what}, got ${describeValue(value)}`;
  }

  private value(name: string, required: boolean): unknown {
    const v = this.values[name];
    if (v === undefined && required) throw new RequestError(`${this.command}: missing argument '${this.prefix}${name}'`);
    return v;
  }

  /** The raw value, unchecked (for arguments whose problems the handler reports itself). */
  raw(name: string): unknown {
    return this.values[name];
  }

  integer(name: string): number {
    return this.optionalInteger(name, true)!;
  }

  optionalInteger(name: string, required = false): number | undefined {
    const v = this.value(name, required);
    if (v === undefined) return undefined;
    if (typeof v !== 'number') throw new RequestError(this.wrong(this.prefix + name, 'a number', v));
    if (!Number.isInteger(v)) throw new RequestError(this.wrong(this.prefix + name, 'a whole number', v));
    return v;
  }

  string(name: string): string {
    return this.optionalString(name, true)!;
  }

  optionalString(name: string, required = false): string | undefined {
    const v = this.value(name, required);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new RequestError(this.wrong(this.prefix + name, 'a string', v));
    return v;
  }

  optionalBoolean(name: string): boolean | undefined {
    const v = this.value(name, false);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw new RequestError(this.wrong(this.prefix + name, 'true or false', v));
    return v;
  }

  /** One of a few words (`granularity`: `statement`, `line`, `instruction`). */
  optionalChoice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const v = this.value(name, false);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) throw new RequestError(this.wrong(this.prefix + name, `one of ${choices.join(', ')}`, v));
    return v as T;
  }

  object(name: string): RequestArgs {
    return this.optionalObject(name, true)!;
  }

  optionalObject(name: string, required = false): RequestArgs | undefined {
    const v = this.value(name, required);
    if (v === undefined) return undefined;
    return new RequestArgs(this.command, v, `${this.prefix}${name}.`);
  }

  /** An array of objects (`breakpoints`), each checked as arguments of its own. */
  objects(name: string): RequestArgs[] {
    return this.optionalObjects(name, true)!;
  }

  optionalObjects(name: string, required = false): RequestArgs[] | undefined {
    const items = this.optionalArray(name, required);
    return items?.map((item, i) => new RequestArgs(this.command, item, `${this.prefix}${name}[${i}].`));
  }

  strings(name: string): string[] {
    const items = this.optionalArray(name, true)!;
    items.forEach((item, i) => {
      if (typeof item !== 'string') throw new RequestError(this.wrong(`${this.prefix}${name}[${i}]`, 'a string', item));
    });
    return items as string[];
  }

  optionalArray(name: string, required = false): unknown[] | undefined {
    const v = this.value(name, required);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw new RequestError(this.wrong(this.prefix + name, 'an array', v));
    return v;
  }
}
