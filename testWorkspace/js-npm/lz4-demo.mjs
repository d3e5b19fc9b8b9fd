// lz4-wasm-nodejs (Rust built with wasm-bindgen, --target nodejs): compress and decompress text.
// The glue reads lz4_wasm_nodejs_bg.wasm with fs.readFileSync and instantiates it synchronously.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';

const require = createRequire(import.meta.url);
const lz4 = require('lz4-wasm-nodejs');

const text = Array.from({ length: 200 }, (_, i) => `line ${i}: the quick brown fox jumps over the lazy dog ${i % 7}`).join('\n');
const input = new TextEncoder().encode(text);
const packed = lz4.compress(input);
const unpacked = lz4.decompress(packed);
const sha = (b) => createHash('sha256').update(b).digest('hex').slice(0, 16);
console.log('input', input.length, 'bytes, sha256', sha(input));
console.log('compressed', packed.length, 'bytes, sha256', sha(packed));
console.log('round trip', unpacked.length, 'bytes, equal:', Buffer.compare(Buffer.from(unpacked), Buffer.from(input)) === 0);
console.log('first bytes', Buffer.from(packed.subarray(0, 12)).toString('hex'));
const empty = lz4.compress(new Uint8Array(0));
console.log('empty', empty.length, 'bytes', Buffer.from(empty).toString('hex'), '->', lz4.decompress(empty).length);
