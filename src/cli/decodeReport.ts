import { parseArgs } from 'node:util';
import { AgentError, ErrorCode } from '../errors.js';
import { decodeReport, type ReportMessage } from '../report/index.js';
import type { CliCommand } from './command.js';

const usage = `edge-sms-agent decode-report (--text TEXT | --hex HEX) [--json]

Decodes one report message (docs/wire-format.md) as the centre receives it: the text of a text
report, or the octets of a binary one (after reassembly, without UDH) as hex.

  --text TEXT   a text report, e.g. 'ESA1 d=42 s=1 t=1732212345;t T21.5'
  --hex HEX     a binary report's octets
  --json        print the decoded message as JSON`;

export const command: CliCommand = {
  path: ['decode-report'],
  summary: 'decode a report message (text or binary) as the centre would',
  usage,
  run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { text: { type: 'string' }, hex: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
    if ((values.text === undefined) === (values.hex === undefined)) {
      throw new AgentError('give exactly one of --text or --hex', ErrorCode.Cli_Usage);
    }
    const input = values.text ?? parseHex(values.hex ?? '');
    const message = decodeReport(input);
    io.stdout.write(values.json === true ? `${JSON.stringify(message)}\n` : describe(message));
    return Promise.resolve(0);
  },
};

function parseHex(text: string): Buffer {
  const clean = text.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) throw new AgentError('--hex must be an even number of hex digits', ErrorCode.Cli_Usage);
  return Buffer.from(clean, 'hex');
}

function describe(message: ReportMessage): string {
  const lines = [`device ${message.device}  seq ${message.seq}  base ${new Date(message.baseTime * 1000).toISOString()}`];
  for (const reading of message.readings) {
    const fields = Object.entries(reading.fields).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
    lines.push(`  ${new Date(reading.time * 1000).toISOString()}  ${reading.kind.padEnd(10)} ${fields.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}
