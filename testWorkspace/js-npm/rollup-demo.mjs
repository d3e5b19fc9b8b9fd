// @rollup/wasm-node (Rollup with its Rust parser and hasher built with wasm-bindgen, --target
// nodejs): bundle three modules kept in memory, tree-shaking what is not used, in two formats.
// The glue reads bindings_wasm_bg.wasm with fs.readFileSync and fills an externref table from JS.
import { rollup } from '@rollup/wasm-node';

const files = {
  'main.js': "import { area, unusedShape } from './shapes.js';\nimport { format } from './format.js';\nexport default function report(r) { return format('circle', area(r)); }\n",
  'shapes.js': 'export const PI = 3.14159;\nexport function area(r) { return PI * r ** 2; }\nexport function unusedShape() { return { kind: "square" }; }\n',
  'format.js': 'export const format = (name, value) => `${name}: ${value.toFixed(2)}`;\nexport const neverUsed = 42;\n',
};
const memory = { name: 'memory', resolveId: (id) => id.replace(/^\.\//, ''), load: (id) => files[id] };

const bundle = await rollup({ input: 'main.js', plugins: [memory] });
for (const format of ['es', 'cjs']) {
  const { output } = await bundle.generate({ format, entryFileNames: `[name]-[hash].${format}.js` });
  console.log(`// ${output[0].fileName}`);
  console.log(output[0].code);
}
await bundle.close();
try {
  await rollup({ input: 'main.js', plugins: [{ ...memory, load: () => 'export default (' }] });
} catch (e) {
  console.log(`${e.code}: ${e.message}`);
}
