// The warm-up a thread can do before a program is given to it: the decoder and validator's, so
// loading a module starts with their loops optimised. The run loop's warm-up is not done ahead: it
// makes V8 compile that large loop on background threads for seconds, which would compete with the
// launch it was meant to speed up; it happens on the first run that can go on for long.

import { warmUpValidator } from './validate/warmup';

export function warmUpEngine(): void {
  warmUpValidator();
}
