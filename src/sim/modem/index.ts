/**
 * The modem emulator's public face: `startModemEmulator` opens a pseudo-terminal at `link` and serves AT on it
 * as the named profile's modem until `stop()`.
 */
import type { Logger } from '../../logger.js';
import { silentLogger } from '../../logger.js';
import { loadProfile } from '../../modem/index.js';
import { ModemEmulator, type EmulatorFault, type EmulatorOptions } from './emulator.js';
import { openPtyPair } from './pty.js';

export { ModemEmulator, emulatorFaults, textTimestamp, type EmulatorFault, type EmulatorOptions, type IncomingSms } from './emulator.js';
export type { EmulatedFix } from './gnssAnswers.js';
export { openPtyPair, type PtyPair } from './pty.js';

export interface RunningModemEmulator {
  /** The tty path the host opens. */
  readonly path: string;
  readonly emulator: ModemEmulator;
  stop(): Promise<void>;
}

export interface StartModemEmulatorOptions extends Omit<EmulatorOptions, 'profile'> {
  readonly link: string;
  readonly profile: string;
  readonly logger?: Logger;
  /** Print the boot URCs right away (default true). */
  readonly boot?: boolean;
}

export async function startModemEmulator(options: StartModemEmulatorOptions): Promise<RunningModemEmulator> {
  const profile = loadProfile(options.profile);
  const logger = options.logger ?? silentLogger();
  const pair = await openPtyPair(options.link, profile.baudRate);
  const emulator = new ModemEmulator({ ...options, profile, faults: options.faults ?? ([] as EmulatorFault[]) }, (bytes) => {
    logger.trace({ dir: 'out', hex: bytes.toString('hex') }, 'emulator write');
    pair.port.write(bytes);
  });
  pair.port.on('data', (chunk: Buffer) => {
    logger.trace({ dir: 'in', hex: chunk.toString('hex') }, 'emulator read');
    emulator.input(chunk);
  });
  if (options.boot !== false) emulator.boot();
  return {
    path: pair.link,
    emulator,
    async stop() {
      emulator.close();
      await pair.close();
    },
  };
}
