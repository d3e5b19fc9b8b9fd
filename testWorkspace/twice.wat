;; One module, two instances: "left" and "right" are both bound to counter.wat.
;; Run: watdbg run twice.wat --import left=counter.wat --import right=counter.wat --invoke main
(module $twice
  (import "left" "add" (func $left_add (param i32) (result i32)))
  (import "left" "get" (func $left_get (result i32)))
  (import "right" "add" (func $right_add (param i32) (result i32)))
  (import "right" "get" (func $right_get (result i32)))
  (import "right" "calls" (func $right_calls (result i32)))

  ;; left counts 1, 2, 3; right counts by 10 twice. Returns left * 1000 + right * 10 + right's calls.
  (func $main (export "main") (result i32)
    (local $i i32)
    (loop $again
      (drop (call $left_add (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 3))))
    (drop (call $right_add (i32.const 10)))
    (drop (call $right_add (i32.const 10)))
    (i32.add
      (i32.add
        (i32.mul (call $left_get) (i32.const 1000))
        (i32.mul (call $right_get) (i32.const 10)))
      (call $right_calls)))
)
