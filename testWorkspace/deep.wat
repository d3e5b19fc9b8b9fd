;; Deep recursion: sum(n) = n + sum(n - 1) keeps n frames on the call stack at its deepest,
;; all in one module instance. sum(100000) = 5000050000.
;; Run: watdbg run deep.wat --invoke sum 100000
(module $deep
  (func $sum (export "sum") (param $n i64) (result i64)
    (if (result i64) (i64.le_s (local.get $n) (i64.const 1))
      (then (local.get $n))
      (else
        (i64.add (local.get $n) (call $sum (i64.sub (local.get $n) (i64.const 1)))))))
)
