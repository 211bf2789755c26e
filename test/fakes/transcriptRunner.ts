/**
 * Replays a transcript against the driver: each host line the transcript expects is produced by the driver
 * method that issues it (AT+CSQ → readSignal, AT+CMGR=n → readStoredAt, AT+CMGS=<n> + PDU → sendEncoded, …),
 * or by a plain channel send for setup commands. Results and URCs are collected for the test to check.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AtChannel, ModemDriver, loadProfile, smsPduCodec, type Urc, type RegistrationKind, type ReceivedSms, type StatusReportEvent } from '../../src/modem/index.js';
import { parseCpms } from '../../src/modem/driver/parsers.js';
import { errorCodeName, isAgentError } from '../../src/errors.js';
import { parseTranscript, TranscriptPort, type HostStep } from './transcript.js';

export interface StepResult {
  readonly command: string;
  readonly value: Record<string, unknown>;
}

export interface ReplayOutcome {
  readonly results: StepResult[];
  readonly urcs: Urc[];
  readonly messages: ReceivedSms[];
  readonly reports: StatusReportEvent[];
}

/** The profile a transcript's family maps to (file name prefix). */
export function profileForTranscript(file: string): string {
  const name = basename(file);
  if (/^sim80[08]/.test(name)) return 'simcom-sim800';
  if (/^sim70[0-9]0/.test(name) && !name.startsWith('sim7600')) return 'simcom-sim7000';
  if (name.startsWith('sim7600') || name.startsWith('a76')) return 'simcom-sim7600';
  if (name.startsWith('quectel')) return /bg9/.test(name) ? 'quectel-bg96' : 'quectel-ec25';
  if (name.startsWith('ublox')) return 'ublox-sara-r4';
  return 'generic-3gpp';
}

export async function replayTranscript(file: string): Promise<ReplayOutcome> {
  const transcript = parseTranscript(basename(file), readFileSync(file, 'utf8'));
  const port = new TranscriptPort(transcript);
  const channel = new AtChannel(port, { timeoutMs: 2000 });
  const urcs: Urc[] = [];
  channel.onUrc((urc) => urcs.push(urc));
  const messages: ReceivedSms[] = [];
  const reports: StatusReportEvent[] = [];
  const driver = new ModemDriver({
    channel,
    profile: loadProfile(profileForTranscript(file)),
    codec: smsPduCodec,
    sweepOnStart: false,
    onMessage: (sms) => void messages.push(sms),
    onStatusReport: (report) => void reports.push(report),
  });
  const stopListening = driver.listen({ followStored: false });
  const results: StepResult[] = [];
  port.start();
  await settle();
  let cursor = 0;
  try {
    while (port.remaining > 0) {
      const next = port.nextCommand;
      const index = transcript.steps.findIndex((s, i) => i >= cursor && s.command === next);
      const step = transcript.steps[index];
      if (step === undefined) throw new Error(`${transcript.name}: cannot find the step for ${JSON.stringify(next)}`);
      cursor = index + 1;
      const value = await raceMismatch(port, execute(driver, channel, step));
      results.push({ command: step.command, value });
    }
    await settle();
    await driver.idle();
    if (port.mismatch !== undefined) throw new Error(`${transcript.name}: ${port.mismatch}`);
    // Parts still waiting for their siblings are handed out as partial, as the reassembly timeout would.
    await driver.stop();
  } finally {
    stopListening();
    channel.close();
    port.destroy();
  }
  return { results, urcs, messages, reports };
}

async function execute(driver: ModemDriver, channel: AtChannel, step: HostStep): Promise<Record<string, unknown>> {
  const command = step.command;
  const upper = command.toUpperCase();
  try {
    if (upper === 'AT+CPIN?') return { sim: await driver.readSim() };
    if (upper === 'AT+CSQ') return { signal: await driver.readSignal() };
    const reg = /^AT\+(CREG|CGREG|CEREG)\?$/.exec(upper);
    if (reg) return { registration: await driver.readRegistrationOf(reg[1] as RegistrationKind) };
    if (upper === 'AT+COPS?') return { operator: await driver.readOperator() };
    if (/^AT\+CMGS=\d+$/.test(upper) && step.terminator === '\x1a') {
      const tpduLength = Number(upper.slice(8));
      return { references: await driver.sendEncoded([{ hex: step.data ?? '', tpduLength }]) };
    }
    const textSend = /^AT\+CMGS="([^"]*)"$/i.exec(command);
    if (textSend && step.terminator === '\x1a') return { reference: await driver.submitText(textSend[1] ?? '', step.data ?? '') };
    const read = /^AT\+(CMGR|CMGRD)=(\d+)$/.exec(upper);
    if (read) return { record: (await driver.readStoredAt(Number(read[2]), { command: read[1] === 'CMGRD' ? 'AT+CMGRD' : 'AT+CMGR' })) ?? 'empty' };
    if (/^AT\+CMGL/.test(upper)) return { records: await driver.listStored(undefined, { command }) };
    if (/^AT\+(CGNSINF|CGPSINFO|CGNSSINFO|QGPSLOC.*|ULOC=.*)$/.test(upper)) return { gnss: await driver.readGnss({ query: command, powerOn: false }) };
    if (/^AT\+(CLBS|CIPGSMLOC)=/.test(upper)) return { cell: await driver.readCellLocation(command) };
    const cmgf = /^AT\+CMGF=([01])$/.exec(upper);
    const response = await channel.send(command, step.data === undefined ? { timeoutMs: 2000 } : { data: step.data, ...(step.terminator === '\x1b' ? { terminator: '\x1b' } : {}), timeoutMs: 2000 });
    if (cmgf) driver.setSmsMode(cmgf[1] === '0' ? 'pdu' : 'text');
    if (/^AT\+CPMS=/.test(upper)) return { ok: true, storage: parseCpms(response.lines, [...command.matchAll(/"([A-Z]+)"/g)].map((m) => m[1] ?? '')) };
    return { ok: true, lines: response.lines };
  } catch (error) {
    if (!isAgentError(error)) throw error;
    return { error: errorCodeName(error.code), ...pick(error.context, ['cme', 'cms', 'name', 'result']) };
  }
}

function pick(context: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => context[k] !== undefined).map((k) => [k, context[k]]));
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

async function raceMismatch<T>(port: TranscriptPort, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setInterval> | undefined;
  const watch = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (port.mismatch !== undefined) reject(new Error(port.mismatch));
    }, 5);
  });
  try {
    return await Promise.race([work, watch]);
  } finally {
    clearInterval(timer);
  }
}
