#!/bin/sh
# Builds hello.wasm from hello.c with Debian's toolchain for wasm32-wasi:
#   apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32
# The function names stay in the binary's name section, so the debugger shows them;
# DWARF debug info is stripped (wat-debugger shows the wasm code, not the C source).
set -eu
cd "$(dirname "$0")"
CC="${CC:-clang}"
"$CC" --target=wasm32-wasi --sysroot=/usr -O1 -Wall -Wextra \
  -Wl,--strip-debug \
  -o hello.wasm hello.c
echo "built $(pwd)/hello.wasm ($(wc -c < hello.wasm) bytes)"
