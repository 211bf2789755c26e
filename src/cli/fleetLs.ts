import type { CliCommand } from './command.js';
import { FleetProgress, writeOrWait } from './fleetProgress.js';
import { brokerFlags, brokerOptions, brokerUsage, msFlag } from './fleetOptions.js';
import { parseOptions } from './options.js';
import { listFleet, streamFleet, type FleetDevice } from '../mqtt/index.js';

function ageOf(iso: string | null, now: number): string {
  if (iso === null) return '-';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}

const header = ['ID', 'ONLINE', 'LINK', 'SIGNAL', 'QUEUE', 'LAST SEEN'];
/** Column widths fixed up front, because rows are printed as they arrive; a longer id widens its own row only. */
const widths = [20, 7, 12, 8, 6, 0];

function cells(device: FleetDevice, now: number): string[] {
  return [
    device.id,
    device.online === null ? '?' : device.online ? 'online' : 'offline',
    device.link ?? '-',
    device.signalDbm === null ? '-' : `${device.signalDbm} dBm`,
    device.queueDepth === null ? '-' : String(device.queueDepth),
    ageOf(device.lastSeen, now),
  ];
}

function row(values: readonly string[]): string {
  return `${values.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()}\n`;
}

/** The table for a list already in hand (header included). */
export function formatFleetTable(devices: readonly FleetDevice[], now: number): string {
  return [header, ...devices.map((device) => cells(device, now))].map(row).join('');
}

export const command: CliCommand = {
  path: ['fleet', 'ls'],
  summary: 'list devices from their retained MQTT status and state',
  usage: `edge-sms-agent fleet ls --mqtt URL [--prefix P] [--json] [--sort] [--settle MS] [--timeout MS]

One line per device seen under the prefix: id, online, SMPP link, signal, queue depth, last seen.
Lines are printed as the broker delivers the devices (in its order), so a large fleet streams and
is never held in memory. On stderr: a live count when it is a terminal, and a final count.
${brokerUsage}
  --json            one JSON object per line per device (with its full state)
  --sort            sort by id (holds the whole list in memory first: for small fleets)
  --settle MS       the list is complete after this long without a new retained message (default 500)
  --timeout MS      stop collecting after this long in any case (default 10000)`,
  async run(args, io) {
    const { values } = parseOptions(args, { ...brokerOptions, settle: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' }, sort: { type: 'boolean' } });
    const options = { ...brokerFlags(values), settleMs: msFlag(values.settle, 'settle', 500), timeoutMs: msFlag(values.timeout, 'timeout', 10_000) };
    const json = values.json === true;
    let headerDone = false;
    const print = (device: FleetDevice): Promise<void> | undefined => {
      if (json) return writeOrWait(io.stdout, `${JSON.stringify(device)}\n`);
      if (!headerDone) io.stdout.write(row(header));
      headerDone = true;
      return writeOrWait(io.stdout, row(cells(device, Date.now())));
    };
    const progress = new FleetProgress(io.stderr, 'devices');
    try {
      let counts = { devices: 0, online: 0, offline: 0, unknown: 0 };
      if (values.sort === true) {
        const devices = await listFleet(options);
        for (const device of devices) await print(device);
        counts = { devices: devices.length, online: devices.filter((d) => d.online === true).length, offline: devices.filter((d) => d.online === false).length, unknown: devices.filter((d) => d.online === null).length };
      } else {
        counts = await streamFleet(options, (device) => {
          progress.tick();
          return print(device);
        });
      }
      if (counts.devices === 0 && !json) io.stdout.write('no devices found\n');
      progress.finish(`${counts.devices} devices (${counts.online} online, ${counts.offline} offline, ${counts.unknown} unknown)`);
      return 0;
    } finally {
      progress.stop();
    }
  },
};
