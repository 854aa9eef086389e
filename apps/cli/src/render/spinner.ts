// A one-line spinner on stderr while nothing is printed ("waiting for the sandbox ..."), only when
// stderr is a TTY: in a pipe or a log file it would be noise. Printing a line clears it first.
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Spinner {
  /** Shows (or updates) the spinner's text. */
  set(text: string): void;
  /** Clears the spinner's line so a normal line can be printed. */
  clear(): void;
  stop(): void;
}

export function createSpinner(stream: NodeJS.WriteStream, enabled: boolean): Spinner {
  if (!enabled || !stream.isTTY) return { set: () => undefined, clear: () => undefined, stop: () => undefined };
  let text = '';
  let frame = 0;
  let shown = false;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${text}`);
    shown = true;
  };
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  return {
    set(next) {
      text = next;
      if (!timer) {
        timer = setInterval(draw, 80);
        timer.unref();
      }
      draw();
    },
    clear,
    stop() {
      clearInterval(timer);
      timer = undefined;
      clear();
    },
  };
}
