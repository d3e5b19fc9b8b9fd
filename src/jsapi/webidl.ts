// The Web IDL rules the JS API's objects follow: property attributes of interfaces, operations and
// attributes, and the argument conversions ([EnforceRange] integers, BufferSource, dictionaries).

const byteLengthOf = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;

/**
 * Gives a class the shape of a Web IDL interface: enumerable operations and attributes on the
 * prototype (and static operations on the constructor), and `[Symbol.toStringTag]`.
 */
export function webIdlInterface(cls: Function, tag: string | null): void {
  const proto = cls.prototype as object;
  for (const key of Reflect.ownKeys(proto)) {
    if (key === 'constructor') continue;
    Object.defineProperty(proto, key, { enumerable: true });
  }
  for (const key of Reflect.ownKeys(cls)) {
    if (key === 'prototype' || key === 'length' || key === 'name') continue;
    Object.defineProperty(cls, key, { enumerable: true });
  }
  if (tag !== null) Object.defineProperty(proto, Symbol.toStringTag, { value: tag, writable: false, enumerable: false, configurable: true });
}

/** ECMAScript's ToNumber (a BigInt is a TypeError, unlike `Number(x)`). */
export function toNumber(v: unknown): number {
  if (typeof v === 'bigint') throw new TypeError('Cannot convert a BigInt value to a number');
  return Number(v);
}

/** Web IDL's [EnforceRange] conversion to an integer of at most `max`. */
export function enforceRange(v: unknown, max: number, what: string): number {
  const x = toNumber(v);
  if (!Number.isFinite(x)) throw new TypeError(`${what} must be a finite number, got ${String(x)}`);
  const t = Math.trunc(x);
  if (t < 0 || t > max) throw new TypeError(`${what} must be between 0 and ${max}, got ${t}`);
  return t === 0 ? 0 : t;
}

export const U32_MAX = 0xffff_ffff;

/** [EnforceRange] unsigned long. */
export function toU32(v: unknown, what: string): number {
  return enforceRange(v, U32_MAX, what);
}

/** [EnforceRange] unsigned long long given as a BigInt (a 64-bit address value). */
export function toU64(v: unknown, what: string): number {
  const big = BigInt.asIntN(2 ** 53 - 1, v as bigint); // ECMAScript's ToBigInt, exact (a Number throws)
  if (big < 0n || big > 0xffff_ffff_ffff_ffffn) throw new TypeError(`${what} must be between 0 and 2^64-1, got ${big}`);
  return Number(big);
}

/** An address value of a 32-bit (Number) or 64-bit (BigInt) memory or table. */
export function toAddress(v: unknown, address64: boolean, what: string): number {
  return address64 ? toU64(v, what) : toU32(v, what);
}

/** The JS API's `address` descriptor member: "i32" (the default) or "i64". */
export function addressType(v: unknown, what: string): boolean {
  if (v === undefined) return false;
  const s = `${v as string}`;
  if (s !== 'i32' && s !== 'i64') throw new TypeError(`${what}: address must be "i32" or "i64", got "${s}"`);
  return s === 'i64';
}

/** A copy of the bytes of a BufferSource (an ArrayBuffer, a typed array or a DataView). */
export function bufferSourceBytes(v: unknown, what: string): Uint8Array {
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  let length: number;
  try {
    length = byteLengthOf.call(v) as number; // throws for anything but an ArrayBuffer (of any realm)
  } catch {
    throw new TypeError(`${what} must be an ArrayBuffer or a typed array view`);
  }
  return new Uint8Array((v as ArrayBuffer).slice(0, length));
}

/** A dictionary argument: undefined and null are the empty dictionary, any other non-object a TypeError. */
export function dictionary(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' && typeof v !== 'function') throw new TypeError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

/** A required dictionary member. */
export function required(dict: Record<string, unknown>, key: string, what: string): unknown {
  const v = dict[key];
  if (v === undefined) throw new TypeError(`${what}: member "${key}" is required`);
  return v;
}

export function isObject(v: unknown): v is object {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}
