// The debugger's side of WebAssembly exceptions: the exception filters, which throws the engine stops
// at before unwinding, and what a stop at a throw tells the user (the tag as instance!tag, the payload).

import type { ExceptionInfoView } from './views';
import type { Exception, ThrowStops, ThrownException } from '../engine/index';

export interface ExceptionFilterInfo {
  filter: string;
  label: string;
  description: string;
  default: boolean;
}

/** The exception filters `initialize` advertises (traps, then thrown exceptions). */
export const EXCEPTION_FILTERS: ExceptionFilterInfo[] = [
  { filter: 'trap', label: 'Traps', description: 'Stop when the program traps (divide by zero, out of bounds, unreachable...)', default: true },
  { filter: 'expectedTrap', label: 'Expected traps in .wast scripts', description: 'Also stop at traps and exceptions that an assert_trap, assert_exhaustion or assert_exception expects', default: false },
  { filter: 'uncaughtException', label: 'Uncaught exceptions', description: 'Stop at a throw no handler catches, before the stack unwinds', default: true },
  { filter: 'allException', label: 'All thrown exceptions', description: 'Stop at every throw, caught or not, before the stack unwinds', default: false },
];

export interface ExceptionFilters {
  trap: boolean;
  expectedTrap: boolean;
  uncaughtException: boolean;
  allException: boolean;
}

export function defaultFilters(): ExceptionFilters {
  return { trap: true, expectedTrap: false, uncaughtException: true, allException: false };
}

/** The filters of a `setExceptionBreakpoints` request; an unknown name is an error naming it. */
export function filtersFrom(names: string[]): ExceptionFilters {
  const known = EXCEPTION_FILTERS.map((f) => f.filter);
  const unknown = names.find((f) => !known.includes(f));
  if (unknown !== undefined) throw new Error(`unknown exception filter "${unknown}" (known: ${known.join(', ')})`);
  return {
    trap: names.includes('trap'),
    expectedTrap: names.includes('expectedTrap'),
    uncaughtException: names.includes('uncaughtException'),
    allException: names.includes('allException'),
  };
}

/**
 * Which throws the engine stops at for an invocation: none without debugging, nor for an exception
 * a script expects (assert_exception) unless "Expected traps" is on.
 */
export function throwStops(filters: ExceptionFilters, noDebug: boolean, expected: boolean): ThrowStops {
  if (noDebug || (expected && !filters.expectedTrap)) return 'none';
  return filters.allException ? 'all' : filters.uncaughtException ? 'uncaught' : 'none';
}

/** `Uncaught exception math!overflow(i32 7)` or `Exception math!overflow(i32 7), caught`. */
export function describeThrow(thrown: ThrownException): string {
  const exn = thrown.exception.describe();
  return thrown.caught ? `Exception ${exn}, caught` : `Uncaught exception ${exn}`;
}

/** The `exceptionInfo` answer at a stop at a throw. */
export function exceptionInfo(thrown: ThrownException, stackTrace: string): ExceptionInfoView {
  const exn: Exception = thrown.exception;
  return {
    exceptionId: exn.tag.name,
    description: describeThrow(thrown),
    breakMode: thrown.caught ? 'always' : 'unhandled',
    details: {
      message: exn.describe(),
      typeName: exn.tag.name,
      stackTrace,
    },
  };
}
