;; Exceptions across modules: checked.wat throws $overflow, this module catches it.
;; Run: watdbg run tally.wat --import checked=checked.wat --invoke main 3 1000000000
(module $tally
  (import "checked" "overflow" (tag $overflow (param i32 i32)))
  (import "checked" "repeat" (func $repeat (param i32 i32) (result i32)))

  ;; $step times $n, or -1 when that does not fit in an i32.
  (func $times (param $n i32) (param $step i32) (result i32)
    (block $overflowed (result i32 i32)
      (return
        (try_table (result i32) (catch $overflow $overflowed)
          (call $repeat (local.get $n) (local.get $step)))))
    ;; Caught: the two operands that overflowed are on the stack.
    (drop)
    (drop)
    (i32.const -1))

  (func $main (export "main") (param $n i32) (param $step i32) (result i32)
    (call $times (local.get $n) (local.get $step)))

  ;; The same without a handler: an overflow ends the program.
  (func $unchecked (export "unchecked") (param $n i32) (param $step i32) (result i32)
    (call $repeat (local.get $n) (local.get $step)))
)
