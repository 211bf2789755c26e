/**
 * Progress of a long fleet listing or command on stderr: a counter rewritten in place, at most
 * four times a second, when stderr is a terminal; nothing while running otherwise (a pipe or a log
 * gets only the final count). stdout stays clean for the results.
 */
export class FleetProgress {
  private count = 0;
  private readonly timer: NodeJS.Timeout | undefined;
  private drawn = false;

  constructor(
    private readonly stderr: NodeJS.WritableStream,
    private readonly noun: string,
  ) {
    const tty = (stderr as { isTTY?: boolean }).isTTY === true;
    this.timer = tty ? setInterval(() => this.draw(), 250) : undefined;
  }

  tick(): void {
    this.count++;
  }

  /** Clears the counter line (if any) and writes the final summary line. */
  finish(summary: string): void {
    this.stop();
    this.stderr.write(`${summary}\n`);
  }

  /** Stops redrawing and clears the counter line; safe to call more than once (e.g. on an error). */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.drawn) this.stderr.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(): void {
    this.drawn = true;
    this.stderr.write(`\r\x1b[K${this.count} ${this.noun}…`);
  }
}

/**
 * Writes a line; when the stream's buffer is full, returns a promise of its 'drain', which the
 * fleet client turns into a paused socket (the broker waits, this process does not buffer).
 */
export function writeOrWait(stream: NodeJS.WritableStream, text: string): Promise<void> | undefined {
  if (stream.write(text)) return undefined;
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}
