;; A WebAssembly script: modules, a registered module imported by a later one, invocations
;; and assertions, run in order.
;; Run: watdbg run example.wast

;; A module with state, registered under the name "store" so later modules can import it.
(module $Store
  (global $total (export "total") (mut i32) (i32.const 0))
  (memory (export "memory") 1)
  (func (export "add") (param $x i32) (result i32)
    (global.set $total (i32.add (global.get $total) (local.get $x)))
    (global.get $total))
  (func (export "load") (param $address i32) (result i32)
    (i32.load (local.get $address)))
)
(register "store" $Store)

(assert_return (invoke $Store "add" (i32.const 5)) (i32.const 5))
(assert_return (invoke $Store "add" (i32.const 7)) (i32.const 12))
(assert_return (get $Store "total") (i32.const 12))
(assert_trap (invoke $Store "load" (i32.const 65536)) "out of bounds memory access")

;; A module importing from the registered one, and from the spectest host module.
(module $User
  (import "store" "add" (func $add (param i32) (result i32)))
  (import "store" "total" (global $total (mut i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (func $twice (export "add_twice") (param $x i32) (result i32)
    (drop (call $add (local.get $x)))
    (call $print (global.get $total))
    (call $add (local.get $x)))
  (func (export "quotient") (param $a i32) (param $b i32) (result i32)
    (i32.div_u (local.get $a) (local.get $b)))
  (func $fact (export "fact") (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fact (i64.sub (local.get $n) (i64.const 1)))))))
)

(assert_return (invoke "add_twice" (i32.const 1)) (i32.const 14))
(assert_return (invoke $Store "add" (i32.const 0)) (i32.const 14))
(assert_return (invoke "fact" (i64.const 20)) (i64.const 2432902008176640000))
(assert_trap (invoke "quotient" (i32.const 1) (i32.const 0)) "integer divide by zero")
(invoke "add_twice" (i32.const 100))
(assert_return (get $Store "total") (i32.const 214))

;; An unnamed module: the debugger names it by its place in the script.
(module
  (func (export "f32_half") (param f32) (result f32)
    (f32.mul (local.get 0) (f32.const 0.5)))
)
(assert_return (invoke "f32_half" (f32.const 3)) (f32.const 1.5))
(assert_return (invoke "f32_half" (f32.const nan)) (f32.const nan:canonical))

(assert_invalid
  (module (func (result i32) (i64.const 1)))
  "type mismatch")
