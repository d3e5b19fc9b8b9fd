// The compiled tier's modes, in a file of their own: the launch arguments check them in the DAP
// session's thread, which loads no engine code.

/** off: interpret everything; hot: compile functions that ran enough; always: compile every function on its first run. */
export type TierMode = 'off' | 'hot' | 'always';

export const TIER_MODES: readonly TierMode[] = ['off', 'hot', 'always'];
