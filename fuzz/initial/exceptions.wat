;; Initial contents for `npm run fuzz -- --oracle binaryen --features exceptions`: binaryen's
;; translate-to-fuzz writes try_table, legacy try/catch and throw, but no delegate, rethrow or
;; catch_ref, and throw_ref seldom. It keeps these functions, exports them and calls them with
;; random arguments: $k picks what $throw does, so every handler meets every kind of exception.
(module
  (tag $e (param i32))
  (tag $f (param i64 f64))
  (tag $empty)
  (global $exn (mut exnref) (ref.null exn))

  ;; k mod 5: throw $e x, throw $f, throw $empty, trap, or return.
  (func $throw (export "throw") (param $k i32) (param $x i32)
    (block $return
      (block $trap
        (block $empty
          (block $f
            (block $e
              (br_table $e $f $empty $trap $return (i32.rem_u (local.get $k) (i32.const 5))))
            (throw $e (local.get $x)))
          (throw $f (i64.extend_i32_s (local.get $x)) (f64.convert_i32_s (local.get $x))))
        (throw $empty))
      (unreachable)))

  ;; delegate 1 skips the middle handler for the outer one.
  (func (export "delegates") (param $k i32) (param $x i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do
            (try (result i32)
              (do (call $throw (local.get $k) (local.get $x)) (i32.const -1))
              (delegate 1)))
          (catch $e (i32.add (i32.const 100)))))
      (catch $e (i32.add (i32.const 200)))
      (catch_all (i32.const 300))))

  ;; delegate 0 to a try whose own handlers then apply, and a delegate to the caller (depth past every try).
  (func (export "delegates-out") (param $k i32) (param $x i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw (local.get $k) (local.get $x)) (i32.const -1))
          (delegate 0)))
      (catch $f (drop) (i32.wrap_i64))
      (catch $empty
        (try (result i32)
          (do (call $throw (i32.const 0) (local.get $x)) (i32.const -2))
          (delegate 1)))))

  ;; rethrow from a catch, and from a try nested in a catch_all (rethrow 1 names the outer catch).
  (func (export "rethrows") (param $k i32) (param $x i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw (local.get $k) (local.get $x)) (i32.const -1))
          (catch $e (drop) (rethrow 0))
          (catch_all
            (try (do (rethrow 1)) (catch $f (drop) (drop)))
            (i32.const 7))))
      (catch $e (i32.mul (i32.const 3)))
      (catch $empty (i32.const 11))))

  ;; catch_ref and catch_all_ref, the exception kept in a global and thrown again with throw_ref.
  (func (export "catch-refs") (param $k i32) (param $x i32) (result i32)
    (local $v i32)
    block $all (result exnref)
      block $caught (result i32 exnref)
        (try_table (catch_ref $e $caught) (catch_all_ref $all)
          (call $throw (local.get $k) (local.get $x)))
        (return (i32.const -1))
      end
      global.set $exn
      local.set $v
      block $again (result i32)
        (try_table (catch $e $again) (throw_ref (global.get $exn)))
        unreachable
      end
      local.get $v
      i32.add
      return
    end
    global.set $exn
    (block $other
      (try_table (catch_all $other) (throw_ref (global.get $exn))))
    (i32.const 77))

  ;; The exception kept by catch-refs, thrown again: whatever it was (null traps).
  (func (export "throw-kept") (param $k i32) (result i32)
    (block $h (result i64 f64)
      (try_table (catch $f $h)
        (if (i32.and (local.get $k) (i32.const 1))
          (then (global.set $exn (ref.null exn))))
        (throw_ref (global.get $exn)))
      (unreachable))
    (drop)
    (i32.wrap_i64))

  ;; An exception unwinding a frame a return_call replaced, caught by a legacy try around try_table
  ;; (binaryen has call_ref only with GC).
  (func $tail (param $k i32) (param $x i32)
    (return_call $throw (local.get $k) (local.get $x)))
  (func (export "through-calls") (param $k i32) (param $x i32) (result i32)
    (try (result i32)
      (do
        (block $h (result i32)
          (try_table (catch $e $h)
            (call $tail (local.get $k) (local.get $x))
            (call $tail (i32.add (local.get $k) (i32.const 1)) (local.get $x)))
          (i32.const -3)))
      (catch $f (drop) (drop) (i32.const 5))
      (catch_all (i32.const 9))))

  ;; A handler inside a loop: each round throws and catches, until one leaves the function.
  (func (export "loop-catches") (param $k i32) (param $x i32) (result i32)
    (local $sum i32)
    (loop $next
      (block $h (result i32)
        (try_table (catch $e $h)
          (call $throw (local.get $k) (local.get $sum)))
        (return (local.get $sum)))
      (local.set $sum (i32.add (i32.const 1)))
      (local.set $k (i32.add (local.get $k) (local.get $x)))
      (br_if $next (i32.lt_u (local.get $sum) (i32.const 20))))
    (local.get $sum))
)
