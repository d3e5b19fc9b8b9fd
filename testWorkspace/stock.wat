;; A stock list of GC structs: stock.wat builds and searches it, shelf.wat (the program) walks it.
;; find throws $missing, which shelf.wat catches.
(module $stock
  (rec (type $item (struct (field $code i32) (field $count (mut i32)) (field $next (ref null $item)))))
  (tag $missing (export "missing") (param i32))

  ;; Items with codes 100, 101, ... and counts $count, $count + 1, ...; the last one made comes first.
  (func $build (export "build") (param $items i32) (param $count i32) (result (ref null $item))
    (local $list (ref null $item))
    (local $k i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $items)))
        (local.set $list
          (struct.new $item
            (i32.add (i32.const 100) (local.get $k))
            (i32.add (local.get $count) (local.get $k))
            (local.get $list)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (local.get $list))

  ;; The item with this code, or the exception $missing carrying the code.
  (func $find (export "find") (param $list (ref null $item)) (param $code i32) (result (ref $item))
    (local $at (ref $item))
    (block $end
      (loop $next
        (local.set $at (br_on_null $end (local.get $list)))
        (if (i32.eq (struct.get $item $code (local.get $at)) (local.get $code))
          (then (return (local.get $at))))
        (local.set $list (struct.get $item $next (local.get $at)))
        (br $next)))
    (throw $missing (local.get $code)))
)
