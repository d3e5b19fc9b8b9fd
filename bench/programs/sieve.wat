;; sieve: Eratosthenes up to $limit, repeated $rounds times over one byte per number
;; in linear memory (loops and byte loads/stores).
(module $sieve
  (memory 16) ;; 1 MiB: room for 1,000,001 flags

  ;; One round: clear the flags, strike out multiples, count what is left.
  (func $round (param $limit i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32)
    ;; Clear the flags word by word (plain MVP code, so every peer can run it).
    (loop $clear
      (i32.store (local.get $i) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $clear (i32.le_u (local.get $i) (local.get $limit))))
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.gt_u (i32.mul (local.get $i) (local.get $i)) (local.get $limit)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (loop $strike
              (i32.store8 (local.get $j) (i32.const 1))
              (local.set $j (i32.add (local.get $j) (local.get $i)))
              (br_if $strike (i32.le_u (local.get $j) (local.get $limit))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.set $i (i32.const 2))
    (loop $count_loop
      (local.set $count
        (i32.add (local.get $count) (i32.eqz (i32.load8_u (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $count_loop (i32.le_u (local.get $i) (local.get $limit))))
    (local.get $count))

  ;; sieve(limit, rounds): the sum of every round's prime count, so a round that
  ;; went wrong or was skipped shows in the result.
  (func (export "sieve") (param $limit i32) (param $rounds i32) (result i32)
    (local $total i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $rounds)))
        (local.set $total (i32.add (local.get $total) (call $round (local.get $limit))))
        (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
        (br $again)))
    (local.get $total))

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
