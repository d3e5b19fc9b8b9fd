;; A module importing a host function that nothing here provides ("rb-host"."eval"), called only
;; for a negative argument. Run it with unresolvedImports "trap" (watdbg run --unresolved-imports=trap):
;; main(21) prints and returns 42 without calling it; main(-3) traps with
;; "called unresolved import rb-host.eval".
(module $host
  (import "rb-host" "eval" (func $eval (param i32) (result i32)))
  (import "console" "log_i32" (func $log (param i32)))
  (func $compute (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 0))
      (then (call $eval (local.get $n)))
      (else (i32.mul (local.get $n) (i32.const 2)))))
  (func (export "main") (param $n i32) (result i32)
    (call $log (call $compute (local.get $n)))
    (call $compute (local.get $n))))
