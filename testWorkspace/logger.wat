;; Formats labelled numbers as text and prints them through the console host module.
;; It owns the memory that app.wat imports: app.wat puts its labels at 256 and above,
;; the first 256 bytes are this module's line buffer.
(module $logger
  (import "console" "log_str" (func $log_str (param $ptr i32) (param $len i32)))
  (memory (export "memory") 1)

  (global $lines (mut i32) (i32.const 0))
  (global $buffer i32 (i32.const 0))

  ;; Writes the decimal digits of $value at $at; returns the number of bytes written.
  (func $format_i32 (param $value i32) (param $at i32) (result i32)
    (local $digits i32)
    (local $magnitude i32)
    (local $length i32)
    (local $i i32)
    (local.set $magnitude (local.get $value))
    (if (i32.lt_s (local.get $value) (i32.const 0))
      (then
        (i32.store8 (local.get $at) (i32.const 45)) ;; '-'
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (local.set $length (i32.const 1))
        (local.set $magnitude (i32.sub (i32.const 0) (local.get $value)))))
    ;; count the digits first so they can be written from the last one backwards
    (local.set $digits (i32.const 1))
    (local.set $i (local.get $magnitude))
    (block $counted
      (loop $count
        (br_if $counted (i32.lt_u (local.get $i) (i32.const 10)))
        (local.set $i (i32.div_u (local.get $i) (i32.const 10)))
        (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
        (br $count)))
    (local.set $i (local.get $digits))
    (loop $write
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (i32.store8
        (i32.add (local.get $at) (local.get $i))
        (i32.add (i32.const 48) (i32.rem_u (local.get $magnitude) (i32.const 10))))
      (local.set $magnitude (i32.div_u (local.get $magnitude) (i32.const 10)))
      (br_if $write (i32.gt_u (local.get $i) (i32.const 0))))
    (i32.add (local.get $length) (local.get $digits)))

  ;; Prints "<label> = <value>", the label being $len bytes at $label in this memory.
  (func $report (export "report") (param $label i32) (param $len i32) (param $value i32)
    (local $end i32)
    (memory.copy (global.get $buffer) (local.get $label) (local.get $len))
    (local.set $end (i32.add (global.get $buffer) (local.get $len)))
    (i32.store8 (local.get $end) (i32.const 32))                       ;; ' '
    (i32.store8 (i32.add (local.get $end) (i32.const 1)) (i32.const 61)) ;; '='
    (i32.store8 (i32.add (local.get $end) (i32.const 2)) (i32.const 32)) ;; ' '
    (local.set $end (i32.add (local.get $end) (i32.const 3)))
    (local.set $end
      (i32.add (local.get $end) (call $format_i32 (local.get $value) (local.get $end))))
    (call $log_str (global.get $buffer) (i32.sub (local.get $end) (global.get $buffer)))
    (global.set $lines (i32.add (global.get $lines) (i32.const 1))))

  ;; How many lines have been printed so far.
  (func $lines (export "lines") (result i32)
    (global.get $lines))
)
