;; pingpong, first instance: `run(n)` calls the other instance's `pong` n times
;; through a shared table, and each `pong` calls back into this instance's `tick`.
;; So every iteration switches instance four times (there and back, twice), and
;; each instance touches its own memory.
(module $ping
  (type $pong_type (func (param i32) (result i32)))
  (memory 1)
  ;; Slot 0 is filled by the pong instance's element segment when it is instantiated.
  (table (export "table") 1 funcref)

  (func (export "tick") (param $x i32) (result i32)
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (local.get $x)))
    (i32.load (i32.const 0)))

  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (i32.store (i32.const 0) (i32.const 0))
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc
          (i32.add
            (i32.mul (local.get $acc) (i32.const 31))
            (call_indirect (type $pong_type) (local.get $i) (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (local.get $acc))

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
