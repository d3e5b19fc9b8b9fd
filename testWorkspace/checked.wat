;; Checked arithmetic: add throws $overflow (with both operands) instead of wrapping around.
;; tally.wat imports the tag and catches it.
(module $checked
  (tag $overflow (export "overflow") (param i32 i32))

  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (local $sum i32)
    (local.set $sum (i32.add (local.get $a) (local.get $b)))
    ;; Signed overflow: the sum's sign differs from the signs of both operands.
    (if (i32.lt_s
          (i32.and (i32.xor (local.get $a) (local.get $sum)) (i32.xor (local.get $b) (local.get $sum)))
          (i32.const 0))
      (then (throw $overflow (local.get $a) (local.get $b))))
    (local.get $sum))

  ;; $step added $n times, with add's check each time.
  (func $repeat (export "repeat") (param $n i32) (param $step i32) (result i32)
    (local $total i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $total (call $add (local.get $total) (local.get $step)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $total))
)
