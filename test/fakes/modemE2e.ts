/** Helpers for end-to-end tests: an emulator on a real pty, a driver on the other end through serialport. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { AtChannel, ModemDriver, loadProfile, smsPduCodec, type ModemProfile, type ReceivedSms, type StatusReportEvent } from '../../src/modem/index.js';
import { startModemEmulator, type RunningModemEmulator, type StartModemEmulatorOptions } from '../../src/sim/modem/index.js';

/** The profile with test-sized timings (polls, back-off, boot wait), everything else as shipped. */
export function fastProfile(name: string, overrides: { cnmi?: readonly string[]; service?: 0 | 1 } = {}): ModemProfile {
  const profile = loadProfile(name);
  return {
    ...profile,
    sms: { ...profile.sms, readyTimeoutMs: 3000, reassemblyTimeoutMs: 5000, ...(overrides.cnmi ? { cnmi: overrides.cnmi } : {}), ...(overrides.service !== undefined ? { service: overrides.service } : {}) },
    timeouts: { ...profile.timeouts, commandMs: 1000, promptMs: 1000, smsSendMs: 3000 },
    health: { ...profile.health, pollIntervalMs: 1500, failuresBeforeReinit: 1, reinitsBeforeReset: 0, backoffInitialMs: 200, backoffMaxMs: 800 },
    reset: { ...profile.reset, bootWaitMs: 1000 },
    quirks: { ...profile.quirks, simBusyAfterPinMs: 2000 },
    gnss: { ...profile.gnss, queryTimeoutMs: 2000 },
  };
}

export interface Rig {
  readonly modem: RunningModemEmulator;
  readonly host: SerialPort;
  readonly channel: AtChannel;
  readonly driver: ModemDriver;
  readonly messages: ReceivedSms[];
  readonly reports: StatusReportEvent[];
  close(): Promise<void>;
}

export async function openRig(profileName: string, options: Partial<Omit<StartModemEmulatorOptions, 'link' | 'profile'>> & { pin?: string; cnmi?: readonly string[]; service?: 0 | 1 } = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'modem-e2e-'));
  const link = join(dir, 'ttyEDGE0');
  const modem = await startModemEmulator({ ...options, link, profile: profileName });
  // Let the boot banner pass first, as a modem powered up before the agent starts would have.
  await new Promise((resolve) => setTimeout(resolve, 80));
  const profile = fastProfile(profileName, { ...(options.cnmi ? { cnmi: options.cnmi } : {}), ...(options.service !== undefined ? { service: options.service } : {}) });
  const host = new SerialPort({ path: link, baudRate: profile.baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => host.open((error) => (error ? reject(error) : resolve())));
  const channel = new AtChannel(host, { timeoutMs: 1000 });
  const messages: ReceivedSms[] = [];
  const reports: StatusReportEvent[] = [];
  const driver = new ModemDriver({
    channel,
    profile,
    codec: smsPduCodec,
    ...(options.pin !== undefined ? { pin: options.pin } : {}),
    onMessage: (sms) => void messages.push(sms),
    onStatusReport: (report) => void reports.push(report),
  });
  return {
    modem,
    host,
    channel,
    driver,
    messages,
    reports,
    async close() {
      await driver.stop();
      channel.close();
      if (host.isOpen) await new Promise<void>((resolve) => host.close(() => resolve()));
      await modem.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `condition` every 20 ms until true or `timeoutMs` passes (real time: the pty is real). */
export async function eventually(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
