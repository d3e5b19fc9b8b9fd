// A module implemented by the host (console, WASI, spectest): programs import from it by name.
// It resolves imports one at a time, seeing the importing module, so it can give a function of
// exactly the type the importer declared (WASI's not-implemented calls) and name it in errors.

import type { ExternVal, Import, Module } from '../engine/index';

export interface HostModule {
  /** The import-module name programs use for it, e.g. "console". */
  readonly name: string;
  /** The value for `imp` (whose `module` is this module's name), or undefined when there is no such export. */
  resolve(imp: Import, importer: Module): ExternVal | undefined;
  /** The names it exports, listed in "unknown import" errors. */
  exportNames(): string[];
}

/** A host module with a fixed set of exports. */
export function fixedHostModule(name: string, exports: Map<string, ExternVal>): HostModule {
  return {
    name,
    resolve: (imp) => exports.get(imp.name),
    exportNames: () => [...exports.keys()],
  };
}

/** Where a program's output goes: the CLI writes it to the terminal, the debugger forwards it as output events. */
export interface OutputSink {
  stdout(text: string): void;
  stderr(text: string): void;
}
