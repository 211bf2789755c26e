/** Input for the commands that take one argument or, without it, read standard input. */
import type { CliIo } from './command.js';

/** CliIo may carry stdin (tests pass a stream); otherwise the process's own is used. */
export type CliIoWithStdin = CliIo & { readonly stdin?: NodeJS.ReadableStream };

export async function argumentOrStdin(args: readonly string[], io: CliIoWithStdin): Promise<string> {
  const positional = args.filter((arg) => arg !== '-');
  if (positional.length > 0) return positional.join(' ');
  const stdin = io.stdin ?? process.stdin;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
