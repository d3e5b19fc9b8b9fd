// The WebAssembly JavaScript API on wat-debugger's engine: `installWebAssembly(globalThis)` gives a
// realm a `WebAssembly` whose modules are compiled, instantiated and run by our interpreter.

export { createWebAssembly, installWebAssembly } from './namespace';
export { useJsApiEngine, jsApiEngine, moduleNames, JS_TAG, type JsApiEngine } from './realm';
export { CompileError, LinkError, RuntimeError } from './errors';
export { importedJsFunction, funcOfWrapper as wasmFunctionOf } from './functions';
export { moduleOrigin, noteBytesOrigin, bytesOrigin } from './bytesOrigin';
export { watchFileReads } from './fileReads';
export { installWasmErrorStacks } from './errorStacks';
export { runJsProgram } from './runProgram';
