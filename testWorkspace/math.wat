;; Integer helpers used by app.wat and trap.wat.
(module $math
  ;; The n-th Fibonacci number, computed iteratively.
  (func $fib (export "fib") (param $n i32) (result i32)
    (local $previous i32)
    (local $current i32)
    (local $next i32)
    (local.set $current (i32.const 1))
    (if (i32.eqz (local.get $n))
      (then (return (i32.const 0))))
    (block $done
      (loop $step
        (br_if $done (i32.le_u (local.get $n) (i32.const 1)))
        (local.set $next (i32.add (local.get $previous) (local.get $current)))
        (local.set $previous (local.get $current))
        (local.set $current (local.get $next))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $step)))
    (local.get $current))

  ;; Greatest common divisor by Euclid's algorithm, recursively.
  (func $gcd (export "gcd") (param $a i32) (param $b i32) (result i32)
    (if (result i32) (i32.eqz (local.get $b))
      (then (local.get $a))
      (else (call $gcd (local.get $b) (i32.rem_u (local.get $a) (local.get $b))))))

  ;; n! as a 64-bit integer.
  (func $factorial (export "factorial") (param $n i32) (result i64)
    (local $product i64)
    (local.set $product (i64.const 1))
    (block $done
      (loop $multiply
        (br_if $done (i32.le_s (local.get $n) (i32.const 1)))
        (local.set $product
          (i64.mul (local.get $product) (i64.extend_i32_u (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $multiply)))
    (local.get $product))

  ;; Signed division; traps with "integer divide by zero" when $divisor is 0.
  (func $divide (export "divide") (param $dividend i32) (param $divisor i32) (result i32)
    (i32.div_s (local.get $dividend) (local.get $divisor)))
)
