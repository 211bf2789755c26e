/** What every CLI command file exports: one command, its help text, and a handler returning the exit code. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Standard input for commands that read it; the process's own when absent. */
  readonly stdin?: NodeJS.ReadableStream;
}

export interface CliCommand {
  /** Words that select it, e.g. `['smpp', 'decode']`. */
  readonly path: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** Full usage text for `--help`. */
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}
