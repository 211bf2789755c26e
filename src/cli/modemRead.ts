import type { CliCommand } from './command.js';
import { openModem, optionalString, parseModemOptions, required } from './modemOptions.js';
import type { DecodedDeliver, DecodedStatusReport } from '../modem/index.js';

const usage = `edge-sms-agent modem read --port PATH --profile NAME [--delete] [--pin PIN] [--json]

Reads every SMS stored on the modem, in every storage the profile names (sms.readStorages), decodes and
reassembles concatenated messages, and prints them: sender, time with zone, text (or hex for data), and
status reports. With --delete each message is removed from the modem after it has been printed.`;

interface Location {
  readonly memory: string;
  readonly index: number;
}

interface Listed {
  readonly kind: 'message';
  sender: string;
  timestamp: string;
  text: string | undefined;
  dataHex: string | undefined;
  parts: number;
  complete: boolean;
  readonly stored: Location[];
}

interface ListedReport {
  readonly kind: 'status-report';
  readonly reference: number;
  readonly recipient: string;
  readonly status: number;
  readonly dischargeTime: string;
  readonly stored: Location[];
}

interface Undecodable {
  readonly kind: 'undecodable';
  readonly hex: string;
  readonly error: string;
  readonly stored: Location[];
}

type Entry = Listed | ListedReport | Undecodable;

export const command: CliCommand = {
  path: ['modem', 'read'],
  summary: 'read (and with --delete remove) every SMS stored on a modem',
  usage,
  async run(args, io) {
    const values = parseModemOptions(args, { port: { type: 'string' }, profile: { type: 'string' }, pin: { type: 'string' }, delete: { type: 'boolean' }, json: { type: 'boolean' } }, usage);
    const modem = await openModem(required(values['port'], 'port', usage), required(values['profile'], 'profile', usage), optionalString(values['pin']));
    try {
      const entries: Entry[] = [];
      const groups = new Map<string, Array<{ sms: DecodedDeliver; location: Location }>>();
      for (const memory of modem.profile.sms.readStorages) {
        let records;
        try {
          records = await modem.driver.listStored(memory);
        } catch (error) {
          io.stderr.write(`storage ${memory}: ${(error as Error).message}\n`);
          continue;
        }
        for (const record of records) {
          if (record.index === undefined) continue;
          const location = { memory, index: record.index };
          if (record.mode === 'text') {
            entries.push({ kind: 'message', sender: record.sender, timestamp: record.timestamp, text: record.text, dataHex: undefined, parts: 1, complete: true, stored: [location] });
            continue;
          }
          const decoded = record.decoded;
          if (decoded === undefined) entries.push({ kind: 'undecodable', hex: record.hex, error: record.error ?? 'undecodable', stored: [location] });
          else if (decoded.kind === 'status-report') entries.push(report(decoded, location));
          else if (decoded.kind === 'deliver') {
            const key = decoded.concat ? `${decoded.sender}\u0000${decoded.concat.reference}\u0000${decoded.concat.total}` : `single\u0000${memory}\u0000${record.index}`;
            groups.set(key, [...(groups.get(key) ?? []), { sms: decoded, location }]);
          }
        }
      }
      for (const parts of groups.values()) entries.push(reassemble(parts));
      if (values['json'] === true) io.stdout.write(`${JSON.stringify(entries)}\n`);
      else io.stdout.write(entries.length === 0 ? 'no stored messages\n' : entries.map(render).join('\n'));
      if (values['delete'] === true) {
        for (const entry of entries) for (const location of entry.stored) await modem.driver.deleteStored(location.memory, location.index);
        if (values['json'] !== true) io.stdout.write(`deleted ${entries.reduce((n, e) => n + e.stored.length, 0)} stored message(s)\n`);
      }
      return 0;
    } finally {
      await modem.close();
    }
  },
};

function report(decoded: DecodedStatusReport, location: Location): ListedReport {
  return { kind: 'status-report', reference: decoded.reference, recipient: decoded.recipient, status: decoded.status, dischargeTime: decoded.dischargeTime, stored: [location] };
}

function reassemble(parts: Array<{ sms: DecodedDeliver; location: Location }>): Listed {
  const sorted = [...parts].sort((a, b) => (a.sms.concat?.sequence ?? 0) - (b.sms.concat?.sequence ?? 0));
  const first = sorted[0]?.sms;
  const total = first?.concat?.total ?? 1;
  const texts = sorted.map((p) => p.sms.text);
  const isText = texts.every((t) => t !== undefined);
  return {
    kind: 'message',
    sender: first?.sender ?? '',
    timestamp: first?.timestamp ?? '',
    text: isText ? texts.join('') : undefined,
    dataHex: isText ? undefined : sorted.map((p) => p.sms.dataHex ?? '').join(''),
    parts: total,
    complete: new Set(sorted.map((p) => p.sms.concat?.sequence ?? 1)).size === total,
    stored: sorted.map((p) => p.location),
  };
}

function render(entry: Entry): string {
  const where = entry.stored.map((l) => `${l.memory}:${l.index}`).join(',');
  switch (entry.kind) {
    case 'message':
      return `from ${entry.sender} at ${entry.timestamp} [${where}]${entry.parts > 1 ? ` (${entry.parts} parts${entry.complete ? '' : ', incomplete'})` : ''}\n  ${entry.text ?? `hex ${entry.dataHex ?? ''}`}\n`;
    case 'status-report':
      return `status report for message reference ${entry.reference} to ${entry.recipient}: TP-ST 0x${entry.status.toString(16).padStart(2, '0')} (${entry.status < 0x20 ? 'delivered' : entry.status < 0x40 ? 'pending' : 'failed'}) at ${entry.dischargeTime} [${where}]\n`;
    case 'undecodable':
      return `undecodable PDU [${where}]: ${entry.error}\n  ${entry.hex}\n`;
  }
}
