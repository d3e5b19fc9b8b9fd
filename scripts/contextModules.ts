// Loads compiled CommonJS modules of this project into a `vm` context, so that everything they make
// (errors, promises, arrays, ArrayBuffers, functions) belongs to that context's realm, as it would if
// the code ran in the realm itself (a worker thread does). Node's built-in modules come from the
// main realm.

import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { builtinModules } from 'module';

const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** `require(file)` inside `context`: `file` and the relative modules it requires are evaluated there. */
export function requireInContext(context: vm.Context, file: string): unknown {
  const cache = new Map<string, { exports: unknown }>();
  const load = (filename: string): unknown => {
    const cached = cache.get(filename);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    cache.set(filename, module);
    const fn = vm.compileFunction(fs.readFileSync(filename, 'utf8'), WRAPPER_PARAMS, { parsingContext: context, filename });
    const dir = path.dirname(filename);
    const localRequire = (spec: string): unknown => {
      if (spec.startsWith('.') || path.isAbsolute(spec)) return load(resolveFile(path.resolve(dir, spec)));
      const name = spec.startsWith('node:') ? spec.slice(5) : spec;
      if (builtinModules.includes(name)) return require(spec);
      throw new Error(`${filename}: cannot load "${spec}" into a vm context (only relative modules and Node built-ins)`);
    };
    fn.call(module.exports, module.exports, localRequire, module, filename, dir);
    return module.exports;
  };
  return load(resolveFile(path.resolve(file)));
}

function resolveFile(p: string): string {
  for (const candidate of [p, `${p}.js`, path.join(p, 'index.js')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`cannot find module ${p}`);
}
