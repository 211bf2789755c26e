import type { CliCommand } from './command.js';
import { brokerFlags, brokerOptions, brokerUsage, msFlag } from './fleetOptions.js';
import { parseOptions } from './options.js';
import { listFleet, type FleetDevice } from '../mqtt/index.js';

function ageOf(iso: string | null, now: number): string {
  if (iso === null) return '-';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}

export function formatFleetTable(devices: readonly FleetDevice[], now: number): string {
  const rows = [
    ['ID', 'ONLINE', 'LINK', 'SIGNAL', 'QUEUE', 'LAST SEEN'],
    ...devices.map((d) => [
      d.id,
      d.online === null ? '?' : d.online ? 'online' : 'offline',
      d.link ?? '-',
      d.signalDbm === null ? '-' : `${d.signalDbm} dBm`,
      d.queueDepth === null ? '-' : String(d.queueDepth),
      ageOf(d.lastSeen, now),
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return `${rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}

export const command: CliCommand = {
  path: ['fleet', 'ls'],
  summary: 'list devices from their retained MQTT status and state',
  usage: `edge-sms-agent fleet ls --mqtt URL [--prefix P] [--json] [--settle MS] [--timeout MS]

One line per device seen under the prefix: id, online, SMPP link, signal, queue depth, last seen.
${brokerUsage}
  --json            print one JSON array of devices (with their full state)
  --settle MS       the list is complete after this long without a new retained message (default 500)
  --timeout MS      stop collecting after this long in any case (default 10000)`,
  async run(args, io) {
    const { values } = parseOptions(args, { ...brokerOptions, settle: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' } });
    const devices = await listFleet({ ...brokerFlags(values), settleMs: msFlag(values.settle, 'settle', 500), timeoutMs: msFlag(values.timeout, 'timeout', 10_000) });
    if (values.json === true) io.stdout.write(`${JSON.stringify(devices)}\n`);
    else io.stdout.write(devices.length === 0 ? 'no devices found\n' : formatFleetTable(devices, Date.now()));
    return 0;
  },
};
