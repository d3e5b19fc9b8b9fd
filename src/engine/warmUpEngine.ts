// The warm-up a thread can do before a program is given to it: the decoder and validator's, so
// loading a module starts with their loops optimised. The run loop has no warm-up: running every
// instruction first made V8 compile all of that large loop (0.4-0.7 s of CPU on a background
// thread), which a short run then paid for, and the code it got was slower than the code compiled
// from the instructions a program really runs (cold runs 2-9x, warm runs up to 1.4x).

import { warmUpValidator } from './validate/warmup';

export function warmUpEngine(): void {
  warmUpValidator();
}
