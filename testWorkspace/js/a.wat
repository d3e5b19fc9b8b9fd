;; `caller` doubles its argument and asks the JavaScript host to relay it; the host hands it to
;; b.wat's `callback_target`, so one call crosses wasm -> JavaScript -> wasm. Built into a.wasm by
;; `watdbg assemble a.wat`; main.mjs loads the .wasm, the debugger shows this text.
(module $a
  (import "host" "relay" (func $relay (param i32) (result i32)))
  (func $caller (export "caller") (param $n i32) (result i32)
    (local $doubled i32)
    (local.set $doubled (i32.mul (local.get $n) (i32.const 2)))
    (call $relay (local.get $doubled))
    (i32.add (i32.const 1)))
  ;; Counts down from $n: a loop to pause in.
  (func $spin (export "spin") (param $n i32) (result i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (local.get $n))
  ;; Traps when $d is zero.
  (func $divide (export "divide") (param $n i32) (param $d i32) (result i32)
    (i32.div_s (local.get $n) (local.get $d))))
