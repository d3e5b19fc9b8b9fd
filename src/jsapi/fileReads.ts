// Notes the origin of every wasm binary a JavaScript program reads through `fs` (readFileSync,
// readFile, fs.promises.readFile, also when imported from ESM as `node:fs` or `fs/promises`), so
// the modules compiled from those bytes are known by their file (bytesOrigin.ts). Meant for the
// thread that runs the program (a worker has its own `fs` module objects, so nothing else is touched).

import fs = require('fs'); // the module object itself, whose functions are replaced
import * as path from 'path';
import { syncBuiltinESMExports } from 'module';
import { fileURLToPath } from 'url';
import { noteBytesOrigin } from './bytesOrigin';

/** The absolute path `fs` reads for this argument, or undefined for a file descriptor or handle. */
function readPath(file: unknown): string | undefined {
  if (typeof file === 'string') return path.resolve(file);
  if (file instanceof URL) return file.protocol === 'file:' ? fileURLToPath(file) : undefined;
  if (Buffer.isBuffer(file)) return path.resolve(file.toString());
  return undefined;
}

function note(file: unknown, contents: unknown): void {
  if (!(contents instanceof Uint8Array)) return; // text (as node reads the program's own modules)
  const p = readPath(file);
  if (p !== undefined) noteBytesOrigin(contents, p);
}

/** Starts noting wasm files read through `fs`; the returned function puts `fs` back as it was. */
export function watchFileReads(): () => void {
  const { readFileSync, readFile } = fs;
  const promisesReadFile = fs.promises.readFile;

  fs.readFileSync = function (this: unknown, file: unknown, ...rest: unknown[]) {
    const contents = Reflect.apply(readFileSync, this, [file, ...rest]) as unknown;
    note(file, contents);
    return contents;
  } as typeof fs.readFileSync;

  fs.readFile = function (this: unknown, file: unknown, ...rest: unknown[]) {
    const callback = rest.pop();
    if (typeof callback !== 'function') return Reflect.apply(readFile, this, [file, ...rest, callback]) as unknown; // fs's own error
    return Reflect.apply(readFile, this, [file, ...rest, (err: unknown, contents: unknown) => {
      if (!err) note(file, contents);
      Reflect.apply(callback, undefined, [err, contents]);
    }]) as unknown;
  } as typeof fs.readFile;

  fs.promises.readFile = async function (this: unknown, file: unknown, ...rest: unknown[]) {
    const contents = await (Reflect.apply(promisesReadFile, this, [file, ...rest]) as Promise<unknown>);
    note(file, contents);
    return contents;
  } as typeof fs.promises.readFile;

  syncBuiltinESMExports();
  return () => {
    Object.assign(fs, { readFileSync, readFile });
    fs.promises.readFile = promisesReadFile;
    syncBuiltinESMExports();
  };
}
