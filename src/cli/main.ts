/**
 * `edge-sms-agent` entry point: finds the command named by the leading words and runs it.
 * Commands load lazily so that `smpp decode` does not pay for SQLite or serialport.
 */
import { isAgentError } from '../errors.js';
import type { CliCommand, CliIo } from './command.js';
import { agentVersion } from '../version.js';

type CommandLoader = () => Promise<CliCommand>;

/** Every command, by the words that select it. One file per command. */
const commands: ReadonlyArray<readonly [string, CommandLoader]> = [
  ['version', async () => (await import('./version.js')).command],
  ['modem info', async () => (await import('./modem-info.js')).command],
  ['modem send', async () => (await import('./modem-send.js')).command],
  ['modem read', async () => (await import('./modem-read.js')).command],
  ['modem at', async () => (await import('./modem-at.js')).command],
  ['sim modem', async () => (await import('./sim-modem.js')).command],
];

export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(await overview());
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-V') {
    io.stdout.write(`${agentVersion}\n`);
    return 0;
  }
  const match = findCommand(argv);
  if (match === undefined) {
    io.stderr.write(`edge-sms-agent: unknown command '${argv.join(' ')}'. Run 'edge-sms-agent --help' for the list.\n`);
    return 2;
  }
  const command = await match.load();
  const rest = argv.slice(match.words);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage.trimEnd()}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.stderr.write(`edge-sms-agent ${command.path.join(' ')}: ${describeError(error)}\n`);
    return 1;
  }
}

function findCommand(argv: readonly string[]): { load: CommandLoader; words: number } | undefined {
  let best: { load: CommandLoader; words: number } | undefined;
  for (const [name, load] of commands) {
    const words = name.split(' ');
    const matches = words.every((word, i) => argv[i] === word);
    if (matches && (best === undefined || words.length > best.words)) best = { load, words: words.length };
  }
  return best;
}

async function overview(): Promise<string> {
  const lines = ['edge-sms-agent: SMPP, GSM modem, store-and-forward and MQTT on edge devices', '', 'Commands:'];
  for (const [, load] of commands) {
    const command = await load();
    lines.push(`  ${command.path.join(' ').padEnd(22)} ${command.summary}`);
  }
  lines.push('', "Run 'edge-sms-agent COMMAND --help' for a command's options.", '');
  return lines.join('\n');
}

export function describeError(error: unknown): string {
  if (isAgentError(error)) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2));
}
