// A request the user got wrong (an unknown frame, a bad argument, no program yet): answered with
// its message, never logged as a bug. Its own small file, so the DAP session's thread loads no more
// than it needs.

export class RequestError extends Error {}
