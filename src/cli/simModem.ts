import { createInterface } from 'node:readline';
import type { CliCommand } from './command.js';
import { parseModemOptions, required } from './modemOptions.js';
import { AgentError, ErrorCode } from '../errors.js';
import { emulatorFaults, startModemEmulator, type EmulatorFault } from '../sim/index.js';

const usage = `edge-sms-agent sim modem --link PATH --profile NAME [--fault FAULT ...] [--pin PIN] [--fix LAT,LON]

Starts the modem emulator on a pseudo-terminal (needs socat), linked at PATH, speaking AT like the profile's
modem; prints the tty path and serves until stopped (Ctrl-C / SIGTERM). Faults: ${emulatorFaults.join(', ')}.
Commands on standard input while it runs:
  sms FROM TEXT…        deliver an SMS from FROM
  fault NAME on|off     switch a fault
  reboot                restart the modem (boot URCs, settings lost)
  nofix | fix LAT,LON   GNSS state`;

export const command: CliCommand = {
  path: ['sim', 'modem'],
  summary: 'serve an emulated GSM modem on a pseudo-terminal',
  usage,
  async run(args, io) {
    const values = parseModemOptions(args, { link: { type: 'string' }, profile: { type: 'string' }, fault: { type: 'string', multiple: true }, pin: { type: 'string' }, fix: { type: 'string' } }, usage);
    const faults = ((values['fault'] as string[] | undefined) ?? []).map((f) => checkFault(f, usage));
    const fix = typeof values['fix'] === 'string' ? parseFix(values['fix'], usage) : undefined;
    const running = await startModemEmulator({
      link: required(values['link'], 'link', usage),
      profile: required(values['profile'], 'profile', usage),
      faults,
      ...(typeof values['pin'] === 'string' ? { pin: values['pin'] } : {}),
      ...(fix ? { fix } : {}),
    });
    io.stdout.write(`${running.path}\n`);
    const emulator = running.emulator;
    const input = createInterface({ input: process.stdin, terminal: false });
    input.on('line', (line) => {
      const [verb, ...rest] = line.trim().split(/\s+/);
      try {
        if (verb === 'sms' && rest.length >= 2) emulator.receive({ from: rest[0] ?? '', text: rest.slice(1).join(' ') });
        else if (verb === 'fault' && rest.length === 2) emulator.setFault(checkFault(rest[0] ?? '', usage), rest[1] === 'on');
        else if (verb === 'reboot') emulator.reboot();
        else if (verb === 'nofix') emulator.fix = undefined;
        else if (verb === 'fix' && rest[0]) emulator.fix = parseFix(rest[0], usage);
        else if (verb !== undefined && verb !== '') io.stderr.write(`unknown control command: ${line}\n`);
      } catch (error) {
        io.stderr.write(`${(error as Error).message}\n`);
      }
    });
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    input.close();
    await running.stop();
    return 0;
  },
};

function checkFault(name: string, usage: string): EmulatorFault {
  if (!(emulatorFaults as readonly string[]).includes(name)) throw new AgentError(`unknown fault '${name}'\n\n${usage}`, ErrorCode.Cli_Usage, { fault: name });
  return name as EmulatorFault;
}

function parseFix(value: string, usage: string): { lat: number; lon: number; altM: number; speedKmh: number; courseDeg: number; time: Date; satellites: number } {
  const [lat, lon] = value.split(',').map(Number);
  if (lat === undefined || lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    throw new AgentError(`--fix must be LAT,LON in decimal degrees, got '${value}'\n\n${usage}`, ErrorCode.Cli_Usage, { fix: value });
  }
  return { lat, lon, altM: 50, speedKmh: 0, courseDeg: 0, time: new Date(), satellites: 8 };
}
