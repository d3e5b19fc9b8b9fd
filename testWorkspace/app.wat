;; The main module of a three-module program: it computes with math.wat and prints with
;; logger.wat (which prints through the console host module).
;; Run: watdbg run app.wat --import math=math.wat --import logger=logger.wat --invoke main 10
(module $app
  (import "math" "fib" (func $fib (param i32) (result i32)))
  (import "math" "gcd" (func $gcd (param i32 i32) (result i32)))
  (import "math" "factorial" (func $factorial (param i32) (result i64)))
  (import "logger" "report" (func $report (param $label i32) (param $len i32) (param $value i32)))
  (import "logger" "lines" (func $lines (result i32)))
  ;; the logger's memory: labels live above its 256-byte line buffer
  (import "logger" "memory" (memory 1))

  (data (i32.const 256) "fib(n)")         ;; 6 bytes at 256
  (data (i32.const 262) "gcd(fib(n), 60)") ;; 15 bytes at 262
  (data (i32.const 277) "n! mod 1000")     ;; 11 bytes at 277

  ;; Prints fib(n), gcd(fib(n), 60) and n! mod 1000, and returns their sum.
  (func $main (export "main") (param $n i32) (result i32)
    (local $f i32)
    (local $g i32)
    (local $fact i32)
    (local.set $f (call $fib (local.get $n)))
    (call $report (i32.const 256) (i32.const 6) (local.get $f))
    (local.set $g (call $gcd (local.get $f) (i32.const 60)))
    (call $report (i32.const 262) (i32.const 15) (local.get $g))
    (local.set $fact
      (i32.wrap_i64 (i64.rem_u (call $factorial (local.get $n)) (i64.const 1000))))
    (call $report (i32.const 277) (i32.const 11) (local.get $fact))
    (i32.add (local.get $f) (i32.add (local.get $g) (local.get $fact))))

  ;; How many lines the logger printed (3 after one call of main).
  (func $printed (export "printed") (result i32)
    (call $lines))
)
