/** What the `modem …` commands share: option parsing and opening the modem on a serial port. */
import { SerialPort } from 'serialport';
import { AgentError, ErrorCode } from '../errors.js';
import { AtChannel, ModemDriver, loadProfile, smsPduCodec, type ModemProfile } from '../modem/index.js';
import { parseOptions, pinValue } from './options.js';
import { describeHolders, portHolders } from './portHolders.js';

export interface OpenedModem {
  readonly port: SerialPort;
  readonly channel: AtChannel;
  readonly driver: ModemDriver;
  readonly profile: ModemProfile;
  close(): Promise<void>;
}

/** Option values as the modem commands read them, through `optionalString` and `required`. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** The modem commands' parsing: node's wording for option errors, followed by the command's usage. */
export function parseModemOptions(args: readonly string[], options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>, usage: string): OptionValues {
  return parseOptions(args, options, { usage, wording: 'node' }).values as OptionValues;
}

export function optionalString(value: OptionValues[string]): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function required(value: OptionValues[string], name: string, usage: string): string {
  if (typeof value !== 'string' || value === '') throw new AgentError(`--${name} is required\n\n${usage}`, ErrorCode.Cli_Usage, { option: name });
  return value;
}

export async function openPort(path: string, baudRate: number): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  try {
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  } catch (cause) {
    const holders = portHolders(path);
    const held = holders.length === 0 ? '' : ` ${describeHolders(path, holders)}`;
    const denied = (cause as NodeJS.ErrnoException).message.includes('Permission denied')
      ? ' Your user is not allowed to open it: add yourself to the dialout group (sudo usermod -a -G dialout $USER, then log in again) or use sudo.'
      : '';
    throw new AgentError(`cannot open ${path}: ${(cause as Error).message}.${held}${denied}`, ErrorCode.Modem_PortOpenFailed, { path }, { cause });
  }
  return port;
}

/**
 * Opens the port, runs the profile's init, and leaves stored messages alone (one-shot commands must not
 * consume what the agent would deliver): no sweep, +CMTI not followed.
 */
export async function openModem(portPath: string, profileName: string, pinOption: string | undefined): Promise<OpenedModem> {
  const pin = pinValue(pinOption);
  const profile = loadProfile(profileName);
  const port = await openPort(portPath, profile.baudRate);
  const channel = new AtChannel(port, { timeoutMs: profile.timeouts.commandMs });
  const driver = new ModemDriver({ channel, profile, codec: smsPduCodec, sweepOnStart: false, followStored: false, ...(pin !== undefined ? { pin } : {}) });
  const close = async (): Promise<void> => {
    await driver.stop();
    channel.close();
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  };
  try {
    await driver.start({ recover: false, health: false });
    const phase = driver.status.phase;
    // A PIN we gave that the SIM did not take is the operator's to know now, not a later "SIM not ready".
    if (pin !== undefined && (phase === 'sim-pin-required' || phase === 'sim-puk-required' || phase === 'sim-failure')) {
      throw new AgentError(
        `the SIM refused the PIN (${phase}${driver.status.lastError === undefined ? '' : `: ${driver.status.lastError}`}); check it before trying again: after 3 wrong PINs the SIM wants its PUK (unlock it in a phone)`,
        ErrorCode.Modem_SimNotReady,
        { phase },
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { port, channel, driver, profile, close };
}
