#!/usr/bin/env node
// Bundles the extension and the standalone debug adapter with esbuild into dist/, each one file
// with every dependency inside, so the packaged
// .vsix needs no node_modules and works offline. Only `vscode` stays external: the editor provides it.
//
// Usage: node scripts/build-extension.js [--watch] [--minify]
'use strict';
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

/** Source entry point -> bundle, relative to the project root. package.json's `main` and the
 *  debugger's `program` point at these bundles (test/extensionManifest.test.ts checks it). */
const bundles = {
  'src/extension.ts': 'dist/extension.js',
  'src/debugAdapter.ts': 'dist/debugAdapter.js',
  // The thread the program and its debugger core run in: the session starts it from beside itself.
  'src/debug/coreWorker.ts': 'dist/coreWorker.js',
};

/** Options shared by every bundle: Node 20 (the runtime of VS Code's extension host), CommonJS. */
function buildOptions({ minify = false } = {}) {
  return Object.entries(bundles).map(([entry, outfile]) => ({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    sourcemap: true,
    minify,
    logLevel: 'warning',
  }));
}

async function main(argv) {
  const watch = argv.includes('--watch');
  const minify = argv.includes('--minify');
  const all = buildOptions({ minify });
  if (watch) {
    for (const options of all) await (await esbuild.context(options)).watch();
    console.log(`watching ${Object.keys(bundles).join(', ')}`);
    return;
  }
  const started = Date.now();
  await Promise.all(all.map((options) => esbuild.build(options)));
  console.log(`built ${Object.values(bundles).join(', ')} in ${Date.now() - started} ms`);
}

module.exports = { bundles, buildOptions };

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    // esbuild has already printed the located errors; say which step failed.
    console.error(`build-extension: ${error.message.split('\n')[0]}`);
    process.exit(1);
  });
}
