// Stand-ins for function imports nothing provides (launch option unresolvedImports "trap", CLI
// --unresolved-imports=trap): real modules import host functions a given run never calls, so the
// run goes on, and a call to one traps naming it. Wasmtime's --trap-unknown-imports is the precedent.

import { Trap, hostFunction, type FuncInst, type FuncType, type Import } from '../engine/index';

/** A trap raised inside a host function; the engine has unwound the host's frame, the trap keeps it for stacks. */
export class HostTrap extends Trap {
  constructor(
    message: string,
    /** The host function that trapped. */
    readonly func: FuncInst,
  ) {
    super(message);
  }
}

/** A host function of `type`, named `module.name`, that traps with `called unresolved import module.name` when called. */
export function unresolvedImportStub(imp: Import, type: FuncType): FuncInst {
  const name = `${imp.module}.${imp.name}`;
  const stub: FuncInst = hostFunction(type, name, () => {
    throw new HostTrap(`called unresolved import ${name}`, stub);
  });
  return stub;
}
