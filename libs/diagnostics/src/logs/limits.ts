// Bounds on what the log model reads and keeps, so one hostile or huge log costs a bounded amount.
/** Newest lines read per log; older ones are counted in `gaps.droppedLines`. */
export const MAX_LINES = 5_000;
/** Characters of one line parsed; the rest is counted in `gaps.clipped` (a 1 MB line costs 8 KB). */
export const MAX_LINE_CHARS = 8_192;
/** Raw lines folded into one event (a Java trace with 300 frames keeps its head and tail). */
export const MAX_EVENT_LINES = 60;
/** Templates mined per log; further distinct events count in `gaps.untemplated`. */
export const MAX_TEMPLATES = 300;
/** Characters of a template or example kept. */
export const MAX_TEMPLATE_CHARS = 400;
/** Entities of each kind kept per template. */
export const MAX_ENTITIES = 8;
/** Endpoints tracked per log. */
export const MAX_ENDPOINTS = 100;
/** A request slower than this is slow (the SLO most HTTP services are held to). */
export const SLOW_REQUEST_MS = 1_000;
