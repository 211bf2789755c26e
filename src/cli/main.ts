#!/usr/bin/env node
/**
 * `edge-sms-agent` entry point: finds the command named by the leading words and runs it.
 * Commands load lazily so that `smpp decode` does not pay for SQLite or serialport.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAgentError } from '../errors.js';
import type { CliCommand, CliIo } from './command.js';
import { agentVersion } from '../version.js';

type CommandLoader = () => Promise<CliCommand>;

/** Every command, by the words that select it. One file per command. */
const commands: ReadonlyArray<readonly [string, CommandLoader]> = [
  ['run', async () => (await import('./run.js')).command],
  ['status', async () => (await import('./status.js')).command],
  ['trace', async () => (await import('./trace.js')).command],
  ['demo', async () => (await import('./demo.js')).command],
  ['decode-report', async () => (await import('./decodeReport.js')).command],
  ['version', async () => (await import('./version.js')).command],
  ['smpp decode', async () => (await import('./smppDecode.js')).command],
  ['smpp encode', async () => (await import('./smppEncode.js')).command],
  ['smpp proxy', async () => (await import('./smppProxy.js')).command],
  ['report', async () => (await import('./report.js')).command],
  ['queue list', async () => (await import('./queueList.js')).command],
  ['queue retry', async () => (await import('./queueRetry.js')).command],
  ['queue purge', async () => (await import('./queuePurge.js')).command],
  ['fleet ls', async () => (await import('./fleetLs.js')).command],
  ['fleet cmd', async () => (await import('./fleetCmd.js')).command],
  ['fleet collect', async () => (await import('./fleetCollect.js')).command],
  ['send', async () => (await import('./send.js')).command],
  ['loadtest', async () => (await import('./loadtest.js')).command],
  ['sim smsc', async () => (await import('./simSmsc.js')).command],
  ['modem info', async () => (await import('./modemInfo.js')).command],
  ['modem send', async () => (await import('./modemSend.js')).command],
  ['modem read', async () => (await import('./modemRead.js')).command],
  ['modem at', async () => (await import('./modemAt.js')).command],
  ['sim modem', async () => (await import('./simModem.js')).command],
  ['sign-command', async () => (await import('./signCommand.js')).command],
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
    // Exit 2 for options the command does not know or that lack a value (as getopt tools do);
    // 1 for everything else, bad input values included.
    return isOptionError(error) ? 2 : 1;
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

/** node:util parseArgs's ERR_PARSE_ARGS_* errors: an unknown option, a missing value, a stray argument. */
function isOptionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

export function describeError(error: unknown): string {
  if (isAgentError(error)) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}

/** True when this file is the program (`node dist/cli/main.js`, the npm bin link, or tsx), not an import. */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = await main(process.argv.slice(2));
}
