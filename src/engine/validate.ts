// Validation (type checking) of a module binary, done by wabt with our feature set, and loading:
// decode first (a malformed binary is reported as such), then validate.

import { decodeModule } from './decode';
import type { Module } from './types';
import { WABT_FEATURES, freshBytes, loadWabt } from './wabt';

/**
 * An invalid module: well-formed bytes that break a typing rule. `offset` is the byte wabt points
 * at (or null when it names none); `reason` is wabt's wording, without its log framing.
 */
export class ValidationError extends Error {
  readonly offset: number | null;
  readonly reason: string;
  /** Further errors in the same module, one per following line of the message. */
  readonly others: ValidationProblem[];

  constructor(offset: number | null, reason: string, others: ValidationProblem[] = []) {
    const where = offset === null ? 'invalid module' : `invalid module at byte 0x${offset.toString(16)}`;
    super([`${where}: ${reason}`, ...others.map(describeProblem)].join('\n'));
    this.name = 'ValidationError';
    this.offset = offset;
    this.reason = reason;
    this.others = others;
  }
}

/** A further error's line in a message: its byte offset (when known) and reason. */
export function describeProblem(p: ValidationProblem): string {
  return p.offset === null ? p.reason : `at byte 0x${p.offset.toString(16)}: ${p.reason}`;
}

/** One validation error: the byte offset it concerns (when known) and what is wrong. */
export interface ValidationProblem {
  offset: number | null;
  reason: string;
}

/** wabt's wording -> the specification's (as the spec tests' `assert_invalid` expect it, matched as a prefix). */
const SPEC_WORDING: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^(function type|function|global|table|memory|elem_segment|data_segment) variable out of range: (\d+)/, (m) => `unknown ${KIND_NAMES[m[1]]} ${m[2]}`],
  [/^local variable out of range/, () => 'unknown local'],
  [/^invalid depth: (\d+)/, (m) => `unknown label ${m[1]}`],
  [/^duplicate export (".*")$/, (m) => `duplicate export name ${m[1]}`],
  [/^invalid initializer: instruction not valid in initializer expression: (.*)$/, (m) => `constant expression required: ${m[1]} is not allowed in a constant expression`],
  [/^initializer expression cannot reference a mutable global/, () => 'constant expression required: a constant expression cannot read a mutable global'],
  [/^initializer expression can only reference an imported global/, () => 'unknown global: a constant expression can only read imported globals'],
  [/^lane index must be less than (\d+) \(got (\d+)\)/, (m) => `invalid lane index ${m[2]}: must be less than ${m[1]}`],
  [/^can't global.set on immutable global at index (\d+)/, (m) => `global is immutable: global ${m[1]}`],
  [/^only one memory block allowed/, () => 'multiple memories'],
  [/^(?:max|initial) pages \((\d+)\) must be <=/, (m) => `memory size must be at most 65536 pages (4GiB), got ${m[1]}`],
  [/^function (\d+) is not declared in any elem sections/, (m) => `undeclared function reference ${m[1]}`],
  [/^max (?:elems|pages) \((\d+)\) must be >= initial (?:elems|pages) \((\d+)\)/, (m) => `size minimum must not be greater than maximum (${m[2]} > ${m[1]})`],
  [/^start function must (?:not return anything|be nullary)/, () => 'start function must have type [] -> []'],
  [/^(?:br_table labels|return signatures) have inconsistent types/, (m) => `type mismatch: ${m.input}`],
  [/^invalid arity in select instruction/, () => 'invalid result arity in select'],
];

const KIND_NAMES: Record<string, string> = {
  'function type': 'type', function: 'function', global: 'global', table: 'table', memory: 'memory',
  elem_segment: 'elem segment', data_segment: 'data segment',
};

/** The specification's wording for one of wabt's validation messages (unchanged when it already matches). */
export function specWording(wabtMessage: string): string {
  const text = wabtMessage.replace(/\.$/, '');
  for (const [pattern, replace] of SPEC_WORDING) {
    const m = pattern.exec(text);
    if (m) return replace(m);
  }
  return text;
}

/** One "0000024: error: message" line of wabt's error log. */
const ERROR_LINE = /^\s*(?:<[^>]*>:)?(?:([0-9a-fA-F]+):\s*)?error:\s*(.*)$/;

/** Turns wabt's exception text ("validate failed:\n0000024: error: ...") into a ValidationError. */
export function validationErrorFromWabt(text: string): ValidationError {
  const errors: ValidationProblem[] = [];
  for (const line of text.split('\n')) {
    const m = ERROR_LINE.exec(line);
    if (m) errors.push({ offset: m[1] === undefined ? null : parseInt(m[1], 16), reason: specWording(m[2].trim()) });
  }
  if (errors.length === 0) {
    const message = text.replace(/^(readWasm|validate) failed:\s*/, '').trim() || 'the module does not validate';
    return new ValidationError(null, message);
  }
  const [first, ...rest] = errors;
  return new ValidationError(first.offset, first.reason, rest);
}

/** Checks that `bytes` is a valid module. Throws ValidationError. Assumes the bytes decode. */
export async function validateModule(bytes: Uint8Array): Promise<void> {
  const wabt = await loadWabt();
  let wasm: ReturnType<typeof wabt.readWasm> | undefined;
  try {
    wasm = wabt.readWasm(freshBytes(bytes), { readDebugNames: false, ...WABT_FEATURES });
    // `validate` takes features too (not in wabt's typings); without them it uses wabt's defaults.
    (wasm.validate as (features: typeof WABT_FEATURES) => void)({ ...WABT_FEATURES });
  } catch (e) {
    throw validationErrorFromWabt(e instanceof Error ? e.message : String(e));
  } finally {
    wasm?.destroy();
  }
}

// Modules that passed validation. `instantiate` refuses any other, so a module that fails
// validation (or was never validated) can never reach execution.
const validated = new WeakSet<Module>();

/** Whether `module` came from `loadModule`, i.e. was decoded and validated. */
export function isValidated(module: Module): boolean {
  return validated.has(module);
}

/** For modules the engine builds itself, valid by construction (never re-exported from index.ts). */
export function markValidated(module: Module): Module {
  validated.add(module);
  return module;
}

/** Decodes then validates `bytes`: a malformed binary throws DecodeError, an invalid one ValidationError. */
export async function loadModule(bytes: Uint8Array): Promise<Module> {
  const module = decodeModule(bytes);
  await validateModule(bytes);
  validated.add(module);
  return module;
}
