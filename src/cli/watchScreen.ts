/**
 * A live one-screen view (`status --watch`): on a terminal, the alternate screen with the cursor
 * hidden, redrawn in place (home, each line cleared to its end, the rest of the screen cleared)
 * whenever the text changes, looked at once per interval; Ctrl-C (or `count` refreshes) ends it and
 * gives the terminal back as it was. Not on a terminal (a pipe, a log file), each new text is
 * printed as a plain block after a time stamp, only when it changed.
 */
import type { CliIo } from './command.js';
import { describeError } from './errorText.js';

export interface WatchOptions {
  readonly intervalMs: number;
  /** Stop after this many looks (tests, scripts); default: until SIGINT/SIGTERM. */
  readonly count?: number;
}

const enter = '\x1b[?1049h\x1b[?25l';
const leave = '\x1b[?25h\x1b[?1049l';

export async function watchScreen(io: CliIo, render: () => Promise<string>, options: WatchOptions): Promise<void> {
  const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = (): void => {
    stopped = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (tty) io.stdout.write(enter);
  try {
    let previous: string | undefined;
    for (let looks = 0; !stopped && (options.count === undefined || looks < options.count); looks++) {
      const text = await render().catch((error: unknown) => `cannot read the agent's state: ${describeError(error)}\n`);
      if (stopped) break;
      if (text !== previous) {
        previous = text;
        if (tty) io.stdout.write(`\x1b[H${text.split('\n').join('\x1b[K\n')}\x1b[J`);
        else io.stdout.write(`--- ${new Date().toISOString()}\n${text}`);
      }
      if (options.count !== undefined && looks + 1 >= options.count) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    if (tty) io.stdout.write(leave);
  }
}
