// What a function import that nothing provides becomes: a launch error, or a stub that traps when
// called (the `unresolvedImports` launch option, `--unresolved-imports` on the command line).

export type UnresolvedImports = 'error' | 'trap';
export const UNRESOLVED_IMPORTS: readonly UnresolvedImports[] = ['error', 'trap'];
