// Validation (type checking) of a decoded module by our own validator (module.ts, body.ts), and
// loading: decode first (a malformed binary is reported as such), then validate.

import { decodeModule } from '../decode';
import type { Edition } from '../features';
import type { Module } from '../types';
import { moduleProblems } from './module';
import { warmUpValidator } from './warmup';

/**
 * An invalid module: well-formed bytes that break a typing rule. `offset` is the byte of the
 * instruction (or constant expression) the first problem concerns, or null when the decoded module
 * keeps no position for it (an export, a limit); `reason` is the specification's wording (what the
 * spec tests' `assert_invalid` expect, as a prefix) with what was found, and for a function body the
 * function it is in.
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

/**
 * Checks that a decoded module is valid. Throws ValidationError naming every problem found (the
 * first function body problem of each function), or DecodeError when a function body turns out
 * malformed.
 */
export function validateModule(module: Module): void {
  warmUpValidator();
  const problems = moduleProblems(module);
  if (problems.length === 0) return;
  const [first, ...rest] = problems;
  throw new ValidationError(first.offset, first.reason, rest);
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

/**
 * Decodes then validates `bytes` by the rules of `edition` (3.0 by default): a malformed binary
 * throws DecodeError, an invalid one ValidationError.
 */
export async function loadModule(bytes: Uint8Array, edition?: Edition): Promise<Module> {
  return loadModuleSync(bytes, undefined, edition);
}

/**
 * `loadModule` for callers that must answer at once (the JS API's `new WebAssembly.Module`);
 * `check` sees the decoded module before validation (an embedder's own limits).
 */
export function loadModuleSync(bytes: Uint8Array, check?: (module: Module) => void, edition?: Edition): Module {
  const module = decodeModule(bytes, edition);
  check?.(module);
  validateModule(module);
  validated.add(module);
  return module;
}
