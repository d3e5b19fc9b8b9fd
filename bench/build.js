#!/usr/bin/env node
// Builds the benchmark programs in bench/programs: .wat with our own assembler (build the project first)
// (names kept, so stack traces read well), .c with clang for freestanding wasm32.
// The built .wasm files are committed, so running the benchmarks needs no compiler;
// run this after changing a source: `node bench/build.js [--wat-only]`.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const dir = path.join(__dirname, 'programs');

// Each C program names its exports with __attribute__((export_name)); --export repeats
// them so the link fails loudly if a name goes missing. A build with `flags` ['-msimd128']
// is the same source with clang's auto-vectorisation to WebAssembly SIMD.
const C_BUILDS = [
  { source: 'matmul.c', out: 'matmul.wasm', exports: ['matmul', 'never_called'] },
  { source: 'nbody-i64.c', out: 'nbody-i64.wasm', exports: ['nbody', 'never_called'] },
  { source: 'sha256.c', out: 'sha256.wasm', exports: ['sha256', 'never_called'] },
  { source: 'blur.c', out: 'blur.wasm', exports: ['blur', 'never_called'] },
  { source: 'blur.c', out: 'blur-simd.wasm', exports: ['blur', 'never_called'], flags: ['-msimd128'] },
];

/** The engine's decoder and validator, from the compiled project (`npx tsc -p .` first). */
function engine() {
  try {
    return require('../out/src/engine/index.js');
  } catch (e) {
    throw new Error(`bench/build.js checks the programs with the engine's validator: build the project first (npx tsc -p .): ${e.message}`);
  }
}

function buildWat(file) {
  const source = fs.readFileSync(path.join(dir, file), 'utf8');
  const { assembleText } = require('../out/src/text/wat/index.js');
  const buffer = assembleText(source, file).bytes;
  const { decodeModule, validateModule } = engine();
  validateModule(decodeModule(buffer));
  const out = file.replace(/\.wat$/, '.wasm');
  fs.writeFileSync(path.join(dir, out), buffer);
  console.log(`built bench/programs/${out} (${buffer.length} bytes)`);
}

function buildC({ source, out, exports, flags = [] }) {
  const args = [
    '--target=wasm32', '-nostdlib', '-O2', ...flags, '-Wl,--no-entry',
    ...exports.map((name) => `-Wl,--export=${name}`),
    '-o', path.join(dir, out), path.join(dir, source),
  ];
  execFileSync(process.env.CLANG || 'clang', args, { stdio: 'inherit' });
  console.log(`built bench/programs/${out} (${fs.statSync(path.join(dir, out)).size} bytes)`);
}

function hasClang() {
  try {
    execFileSync(process.env.CLANG || 'clang', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const watOnly = process.argv.includes('--wat-only');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.wat')).sort()) buildWat(file);
  if (watOnly) return;
  if (!hasClang()) {
    console.log('clang not found: the C programs keep their committed .wasm (install clang and lld to rebuild them)');
    return;
  }
  for (const build of C_BUILDS) buildC(build);
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
