// Errors of the launch model. `kind` lets the debugger and tests tell them apart; `message` says
// what went wrong and names both sides (importer and exporter, module and field) where there are two.

export type ProgramErrorKind =
  | 'missing-file'
  | 'invalid-module'
  | 'not-a-module'
  | 'import-cycle'
  | 'unbound-import'
  | 'missing-export'
  | 'type-mismatch'
  | 'no-entry'
  | 'bad-args';

export class ProgramError extends Error {
  constructor(
    readonly kind: ProgramErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ProgramError';
  }
}
