;; A counter with its own state. twice.wat binds this one file to two import names,
;; so the program has two instances of this module, each counting on its own.
(module $counter
  (import "console" "log_i32" (func $log_i32 (param i32)))
  (global $count (mut i32) (i32.const 0))
  (global $calls (mut i32) (i32.const 0))

  ;; Adds $step to the count, logs the new count and returns it.
  (func $add (export "add") (param $step i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (global.set $count (i32.add (global.get $count) (local.get $step)))
    (call $log_i32 (global.get $count))
    (global.get $count))

  (func $get (export "get") (result i32)
    (global.get $count))

  (func $calls (export "calls") (result i32)
    (global.get $calls))
)
