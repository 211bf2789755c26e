import type { CliCommand } from './command.js';
import { openModem, optionalString, parseModemOptions, required } from './modemOptions.js';
import { describeHolders, portHolders } from './portHolders.js';
import type { ModemInfo } from '../modem/index.js';

const usage = `edge-sms-agent modem info --port PATH --profile NAME [--pin PIN] [--json]

Initialises the modem with the profile and prints SIM state, registration, operator, signal, IMEI, IMSI,
ICCID, model, firmware and the GNSS fix, once. Stored messages are left alone.`;

export const command: CliCommand = {
  path: ['modem', 'info'],
  summary: 'print SIM, registration, operator, signal, identity and GNSS of a modem',
  usage,
  async run(args, io) {
    const values = parseModemOptions(args, { port: { type: 'string' }, profile: { type: 'string' }, pin: { type: 'string' }, json: { type: 'boolean' } }, usage);
    const portPath = required(values['port'], 'port', usage);
    const modem = await openModem(portPath, required(values['profile'], 'profile', usage), optionalString(values['pin']));
    try {
      // Opened, but someone else may hold it too (ModemManager opens without locking): say who.
      const holders = portHolders(portPath);
      if (holders.length > 0) io.stderr.write(`warning: ${describeHolders(portPath, holders)}\n`);
      const status = modem.driver.status;
      const info = await modem.driver.readInfo();
      if (values['json'] === true) io.stdout.write(`${JSON.stringify({ profile: modem.profile.name, phase: status.phase, smsMode: status.smsMode, storage: status.storage, ...info })}\n`);
      else {
        io.stdout.write(render(modem.profile.name, status.phase, info));
        if (status.storage.length > 0) io.stdout.write(`storage      ${status.storage.map((u) => `${u.memory} ${u.used}/${u.total}`).join(', ')} (${status.smsMode} mode)\n`);
      }
      return 0;
    } finally {
      await modem.close();
    }
  },
};

const statNames: Record<number, string> = {
  0: 'not registered',
  1: 'registered, home',
  2: 'searching',
  3: 'denied',
  4: 'unknown',
  5: 'registered, roaming',
  6: 'SMS only, home',
  7: 'SMS only, roaming',
  8: 'emergency only',
  9: 'CSFB not preferred, home',
  10: 'CSFB not preferred, roaming',
  11: 'attached for RLOS',
};

function render(profile: string, phase: string, info: ModemInfo): string {
  const lines = [`profile      ${profile} (${phase})`, `sim          ${info.sim}`];
  for (const [kind, state] of Object.entries(info.registration)) {
    lines.push(`${kind.padEnd(12)} ${state.stat} ${statNames[state.stat] ?? ''}${state.lac ? ` lac ${state.lac}` : ''}${state.cellId ? ` ci ${state.cellId}` : ''}${state.act !== undefined ? ` act ${state.act}` : ''}`);
  }
  lines.push(`operator     ${info.operator?.name ?? '-'}${info.operator?.act !== undefined ? ` (AcT ${info.operator.act})` : ''}`);
  lines.push(`signal       ${info.signal ? `${info.signal.rssiDbm ?? 'unknown'} dBm (rssi ${info.signal.rssi}), ber ${info.signal.ber ?? 'unknown'}` : '-'}`);
  if (info.extendedSignal) lines.push(`signal+      ${JSON.stringify(info.extendedSignal)}`);
  lines.push(`imei         ${info.imei ?? '-'}`, `imsi         ${info.imsi ?? '-'}`, `iccid        ${info.iccid ?? '-'}`, `model        ${info.model ?? '-'}`, `firmware     ${info.firmware ?? '-'}`);
  const gnss = info.gnss;
  if (gnss?.state === 'fix') lines.push(`gnss         ${gnss.fix.lat}, ${gnss.fix.lon} alt ${gnss.fix.altM ?? '-'} m, ${gnss.fix.speedKmh ?? '-'} km/h, ${gnss.fix.courseDeg ?? '-'}°, ${gnss.fix.satellites ?? '-'} sats, ${gnss.fix.fixTime ?? 'no time'}`);
  else lines.push(`gnss         ${gnss?.state ?? '-'}`);
  return `${lines.join('\n')}\n`;
}
