// Bounds on how much of a log tail the classifiers read.
/** Lines longer than this are classified on their head only, keeping every regex cheap. */
export const MAX_LINE = 2000;
/** Only the newest lines of a tail are read. */
export const MAX_LINES_READ = 500;
