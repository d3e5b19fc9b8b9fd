;; pingpong, second instance: imports the first instance's `tick`, `run` and table,
;; puts its own `pong` into that table, and re-exports `run` so that a launch of this
;; module (with the first one as its import "ping") can call it.
(module $pong
  (import "ping" "tick" (func $tick (param i32) (result i32)))
  (import "ping" "run" (func $run (param i32) (result i32)))
  (import "ping" "table" (table 1 funcref))
  (memory 1)
  (elem (i32.const 0) $pong)
  (export "run" (func $run))

  (func $pong (param $x i32) (result i32)
    (i32.store (i32.const 8) (i32.mul (local.get $x) (i32.const 7)))
    (i32.add (call $tick (local.get $x)) (i32.load (i32.const 8)))))
