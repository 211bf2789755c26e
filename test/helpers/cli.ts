/** Runs the CLI in-process with captured output, for command tests. */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CapturedIo {
  readonly io: { stdout: PassThrough; stderr: PassThrough; stdin?: PassThrough };
  /** What the command has written so far. */
  out(): string;
  err(): string;
}

/** Streams for `main(args, io)` that collect what a command writes; stdin (ended) only when text is given. */
export function captureIo(stdinText?: string): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (chunk: Buffer) => (chunks.out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (chunks.err += chunk.toString()));
  let stdin: PassThrough | undefined;
  if (stdinText !== undefined) {
    stdin = new PassThrough();
    stdin.end(stdinText);
  }
  return { io: { stdout, stderr, ...(stdin === undefined ? {} : { stdin }) }, out: () => chunks.out, err: () => chunks.err };
}

export async function runCli(args: readonly string[], stdinText?: string): Promise<CliResult> {
  const captured = captureIo(stdinText);
  const code = await main(args, captured.io);
  return { code, stdout: captured.out(), stderr: captured.err() };
}
