// Rebuilds a function's nesting from its internal code's branches, so that the compiled tier can
// write JavaScript loops and labelled blocks (which V8 optimises as loops) instead of a `switch` on
// the code index. Every branch of wasm code leaves to the end of an enclosing block or goes back to
// the head of an enclosing loop, so its code is laid out as nested regions: a block per forward
// target, from its first branch to the target, and a loop per backward target, from the head to
// its last branch back. Regions that cross are widened until they nest (a block starts earlier, a
// loop ends later); the wasm blocks and loops they stand for nest, so this ends.

/** A block (ends at `end`, the target of its branches) or loop (starts at its head, `start`). */
export interface Region {
  kind: 'block' | 'loop' | 'root';
  start: number;
  end: number;
  /** The instructions (code indices) and regions inside, in code order. */
  items: (number | Region)[];
}

/**
 * The regions of a function whose instructions start at `starts` (ascending) and end at `length`:
 * `forward` maps each forward branch target to its branches' code indices, `back` each loop head
 * to the code indices of the branches back to it. Returns the root, the whole function.
 */
export function regions(starts: number[], length: number, forward: Map<number, number[]>, back: Map<number, number[]>): Region {
  const next = new Map<number, number>();
  for (let i = 0; i < starts.length; i++) next.set(starts[i], i + 1 < starts.length ? starts[i + 1] : length);
  const all: Region[] = [];
  for (const [target, from] of forward) all.push({ kind: 'block', start: Math.min(...from), end: target, items: [] });
  for (const [head, from] of back) all.push({ kind: 'loop', start: head, end: next.get(Math.max(...from))!, items: [] });
  // Outer first: by start, then the longer, then a block around a loop of the same extent.
  const order = (a: Region, b: Region) => a.start - b.start || b.end - a.end || (a.kind === b.kind ? 0 : a.kind === 'block' ? -1 : 1);
  for (let changed = true; changed;) {
    changed = false;
    all.sort(order);
    const open: Region[] = [];
    for (const r of all) {
      while (open.length > 0 && open[open.length - 1].end <= r.start) open.pop();
      const outer = open.length > 0 ? open[open.length - 1] : null;
      if (outer !== null && r.end > outer.end) {
        // They cross: the block starts with the region it overlaps, or the earlier loop takes the later one in.
        if (r.kind === 'block') r.start = outer.start;
        else if (outer.kind === 'loop') outer.end = r.end;
        else throw new Error(`compiled tier: a branch into the loop at code index ${r.start}`);
        changed = true;
        continue;
      }
      open.push(r);
    }
  }
  all.sort(order);
  const root: Region = { kind: 'root', start: 0, end: length, items: [] };
  const open: Region[] = [root];
  let k = 0;
  for (const pc of starts) {
    while (open.length > 1 && open[open.length - 1].end <= pc) open.pop();
    while (k < all.length && all[k].start <= pc) {
      const r = all[k++];
      open[open.length - 1].items.push(r);
      open.push(r);
    }
    open[open.length - 1].items.push(pc);
  }
  return root;
}
