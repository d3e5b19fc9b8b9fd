;; Takes items out of the stock list that stock.wat builds; a missing item is caught here.
;; Run: watdbg run shelf.wat --import stock=stock.wat --invoke main 4 101
(module $shelf
  ;; The same type as stock.wat's: recursive types are equal across modules when their definitions are.
  (rec (type $item (struct (field $code i32) (field $count (mut i32)) (field $next (ref null $item)))))
  (type $counts (array (mut i32)))
  (import "stock" "build" (func $build (param i32 i32) (result (ref null $item))))
  (import "stock" "find" (func $find (param (ref null $item) i32) (result (ref $item))))
  (import "stock" "missing" (tag $missing (param i32)))

  ;; Takes one of item $code: its new count, or -1 when the list has no such item.
  (func $take (param $list (ref null $item)) (param $code i32) (result i32)
    (local $item (ref null $item))
    (block $absent (result i32)
      (local.set $item
        (try_table (result (ref $item)) (catch $missing $absent)
          (call $find (local.get $list) (local.get $code))))
      (struct.set $item $count (local.get $item)
        (i32.sub (struct.get $item $count (local.get $item)) (i32.const 1)))
      (return (struct.get $item $count (local.get $item))))
    ;; Caught: the missing code is on the stack.
    (drop)
    (i32.const -1))

  ;; The counts of the list, in list order.
  (func $counts (param $list (ref null $item)) (param $items i32) (result (ref $counts))
    (local $all (ref $counts))
    (local $k i32)
    (local.set $all (array.new_default $counts (local.get $items)))
    (block $done
      (loop $next
        (br_if $done (ref.is_null (local.get $list)))
        (array.set $counts (local.get $all) (local.get $k) (struct.get $item $count (local.get $list)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $list (struct.get $item $next (local.get $list)))
        (br $next)))
    (local.get $all))

  ;; $items items, each in stock 5 + its position; take $code twice and code 999 once.
  ;; Returns the sum of the counts left.
  (func $main (export "main") (param $items i32) (param $code i32) (result i32)
    (local $list (ref null $item))
    (local $left (ref null $counts))
    (local $sum i32)
    (local $k i32)
    (local.set $list (call $build (local.get $items) (i32.const 5)))
    (drop (call $take (local.get $list) (local.get $code)))
    (drop (call $take (local.get $list) (local.get $code)))
    (drop (call $take (local.get $list) (i32.const 999)))
    (local.set $left (call $counts (local.get $list) (local.get $items)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (array.len (local.get $left))))
        (local.set $sum (i32.add (local.get $sum) (array.get $counts (local.get $left) (local.get $k))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  ;; The same take without a handler: a missing item ends the program with the exception.
  (func $unchecked (export "unchecked") (param $code i32) (result i32)
    (struct.get $item $count (call $find (call $build (i32.const 3) (i32.const 5)) (local.get $code))))
)
