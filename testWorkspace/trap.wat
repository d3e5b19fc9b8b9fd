;; A program that traps a few calls deep, in another module: average() divides by the count
;; through math.wat's divide, and an empty range makes that count zero.
;; Run: watdbg run trap.wat --import math=math.wat --invoke main 5 5
(module $trap
  (import "math" "divide" (func $divide (param i32 i32) (result i32)))
  (memory 1)

  ;; Stores from, from+1, ..., to-1 at address 0 onwards; returns how many.
  (func $fill (param $from i32) (param $to i32) (result i32)
    (local $count i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $from) (local.get $to)))
        (i32.store (i32.shl (local.get $count) (i32.const 2)) (local.get $from))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (br $next)))
    (local.get $count))

  ;; The average of the first $count numbers stored at address 0.
  (func $average (param $count i32) (result i32)
    (local $total i32)
    (local $i i32)
    (block $done
      (loop $add
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $total
          (i32.add (local.get $total) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $add)))
    (call $divide (local.get $total) (local.get $count)))

  ;; The average of the integers in [from, to): traps when the range is empty.
  (func $main (export "main") (param $from i32) (param $to i32) (result i32)
    (call $average (call $fill (local.get $from) (local.get $to))))
)
