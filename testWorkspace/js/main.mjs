// A JavaScript program that puts two wasm modules together: a.wasm's `caller` calls the `relay`
// function below, which calls b.wasm's `callback_target`. Run it with Node (`node main.mjs`) or
// under wat-debugger (the "JavaScript: two modules and a callback" launch configuration).
import { readFileSync } from 'node:fs';

const wasm = (name) => readFileSync(new URL(`./${name}.wasm`, import.meta.url));

const b = await WebAssembly.instantiate(wasm('b'), {
  env: { log: (x) => console.log(`b got ${x}`) },
});

function relay(x) {
  console.log(`relay ${x}`);
  return b.instance.exports.callback_target(x);
}

const { instance: a } = await WebAssembly.instantiate(wasm('a'), { host: { relay } });

for (const n of [1, 2, 3]) console.log(`caller(${n}) = ${a.exports.caller(n)}`);

const mode = process.argv[2];
if (mode === 'spin') console.log(`spin = ${a.exports.spin(2_000_000_000)}`);
if (mode === 'divide') {
  try {
    a.exports.divide(1, 0);
  } catch (e) {
    console.log(`divide failed: ${e.constructor.name}: ${e.message}`);
  }
}
