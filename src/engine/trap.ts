// A trap: WebAssembly's run-time error. `message` is the specification's wording
// ("integer divide by zero", "call stack exhausted", ...), so scripts and users see the same text.

export class Trap extends Error {
  /** Where it happened, filled in by the executor: the function's name and the instruction's byte offset. */
  funcName: string | null = null;
  offset: number | null = null;

  constructor(message: string) {
    super(message);
    this.name = 'Trap';
  }
}
