;; `callback_target` tells the host its argument, then gives back its square.
(module $b
  (import "env" "log" (func $log (param i32)))
  (func $callback_target (export "callback_target") (param $x i32) (result i32)
    (call $log (local.get $x))
    (i32.mul (local.get $x) (local.get $x))))
