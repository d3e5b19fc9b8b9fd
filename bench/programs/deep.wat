;; deep: non-tail recursion n levels deep (stack memory). Each level combines the
;; result of the level below with its own argument, so the recursion cannot be
;; turned into a loop: deep(0) = 0, deep(n) = deep(n - 1) * 3 + n (mod 2^32).
(module $deep
  (func $deep (export "deep") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else
        (i32.add
          (i32.mul (call $deep (i32.sub (local.get $n) (i32.const 1))) (i32.const 3))
          (local.get $n)))))

  ;; Never called: the debugger benchmark sets its breakpoints on these lines, so a
  ;; run with breakpoints that are never hit can be compared with a plain run.
  (func $never_called (param $x i32) (result i32)
    (local $y i32)
    (local.set $y (i32.mul (local.get $x) (i32.const 3)))
    (local.set $y (i32.add (local.get $y) (i32.const 1)))
    (local.set $y (i32.xor (local.get $y) (local.get $x)))
    (local.set $y (i32.shl (local.get $y) (i32.const 2)))
    (local.set $y (i32.sub (local.get $y) (local.get $x)))
    (local.set $y (i32.rotl (local.get $y) (i32.const 5)))
    (local.set $y (i32.or (local.get $y) (i32.const 16)))
    (local.set $y (i32.and (local.get $y) (i32.const 0xffff)))
    (local.set $y (i32.shr_u (local.get $y) (i32.const 1)))
    (local.set $y (i32.add (local.get $y) (local.get $x)))
    (local.get $y)))
