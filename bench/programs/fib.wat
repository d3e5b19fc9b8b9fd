;; fib: recursive Fibonacci, the call-heavy benchmark. fib(30) = 832040.
(module $fib
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

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
