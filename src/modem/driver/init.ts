/**
 * The init sequence, per profile: get the modem's attention, run the profile's init commands (echo off,
 * verbose errors…), unlock the SIM, wait until SMS is usable, then PDU mode (text mode as fallback),
 * storage, new-message indications and registration URCs. A SIM problem ends init with a clear phase
 * instead of an exception, so callers do not loop on it.
 */
import { AgentError, ErrorCode, isAgentError } from '../../errors.js';
import { sleep } from '../../clock.js';
import type { DriverContext } from './context.js';
import { parseCpms, type SimState, type StorageUsage } from './parsers.js';
import { unlockSim } from './sim.js';
import type { ModemPhase } from './types.js';

export interface InitOutcome {
  readonly phase: ModemPhase;
  readonly sim: SimState;
  readonly storage: readonly StorageUsage[];
  readonly detail?: string;
}

/** Sends `AT` until the modem answers OK (autobauding modems need a few; a rebooting one needs time). */
export async function synchronise(ctx: DriverContext, attempts = 3, signal?: AbortSignal): Promise<void> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      await ctx.send('AT', { timeoutMs: 1000, ...(signal ? { signal } : {}) });
      return;
    } catch (error) {
      lastError = error;
      if (isAgentError(error) && error.code === ErrorCode.Modem_PortClosed) throw error;
      await sleep(ctx.clock, 500, signal);
    }
  }
  throw new AgentError(`modem does not answer AT (${attempts} tries)`, ErrorCode.Modem_Timeout, { attempts }, { cause: lastError });
}

export async function initialise(ctx: DriverContext, pin: string | undefined, signal?: AbortSignal): Promise<InitOutcome> {
  await synchronise(ctx, 3, signal);
  for (const command of ctx.profile.init) {
    // Echo and error verbosity are what the rest relies on; other init lines are best effort.
    if (/^ATE0$|^AT\+CMEE=/i.test(command)) await ctx.send(command);
    else await ctx.trySend(command);
  }
  const sim = await unlockSim(ctx, pin, signal);
  if (sim.state !== 'ready') return { phase: simPhase(sim.state), sim: sim.state, storage: [], detail: sim.wrongPin ? 'the configured SIM PIN was refused; not retrying' : `SIM ${sim.state}` };

  await selectSmsMode(ctx, signal);
  if (ctx.smsMode === 'text') await ctx.trySend('AT+CSCS="GSM"');
  const [read, write, receive] = ctx.profile.sms.storage;
  let storage: StorageUsage[] = [];
  const cpms = await ctx.trySend(`AT+CPMS="${read}","${write}","${receive}"`);
  if (cpms) {
    storage = parseCpms(cpms.lines, ctx.profile.sms.storage);
    ctx.readMemory = read;
  }
  ctx.ackRequired = false;
  if (ctx.profile.sms.service === 1) ctx.ackRequired = (await ctx.trySend('AT+CSMS=1')) !== undefined;
  await configureIndications(ctx);
  for (const kind of ctx.profile.registration.commands) await ctx.trySend(`AT+${kind}=${ctx.profile.registration.urcMode}`);
  return { phase: 'ready', sim: 'ready', storage };
}

/**
 * AT+CMGF=0, retried until the family's SMS subsystem is up (commands answer ERROR before `SMS Ready` /
 * `SMS DONE`, G2). When PDU mode keeps failing but text mode is accepted, PDU mode is really unsupported
 * and text mode is used if the profile allows it.
 */
async function selectSmsMode(ctx: DriverContext, signal?: AbortSignal): Promise<void> {
  const deadline = ctx.clock.now() + ctx.profile.sms.readyTimeoutMs;
  const preferred = ctx.profile.sms.mode;
  for (;;) {
    try {
      await ctx.send(preferred === 'pdu' ? 'AT+CMGF=0' : 'AT+CMGF=1');
      ctx.smsMode = preferred;
      return;
    } catch (error) {
      if (!isAgentError(error) || error.code === ErrorCode.Modem_PortClosed || error.code === ErrorCode.Modem_Rebooted) throw error;
      if (preferred === 'pdu' && ctx.profile.sms.textFallback && (await ctx.trySend('AT+CMGF=1')) !== undefined) {
        ctx.logger.warn('PDU mode refused while text mode is accepted: using text mode');
        ctx.smsMode = 'text';
        return;
      }
      if (ctx.clock.now() >= deadline) {
        throw new AgentError(`SMS not ready: ${error.message}`, ErrorCode.Modem_Busy, { command: 'AT+CMGF', readyTimeoutMs: ctx.profile.sms.readyTimeoutMs }, { cause: error });
      }
      await sleep(ctx.clock, 2000, signal);
    }
  }
}

/** The first AT+CNMI combination the modem accepts; ds=2 (stored reports) skipped where SR storage is broken. */
async function configureIndications(ctx: DriverContext): Promise<void> {
  const candidates = ctx.profile.sms.cnmi.filter((c) => !(ctx.profile.quirks.noStatusReportStorage && c.split(',')[3] === '2'));
  for (const candidate of candidates) {
    if ((await ctx.trySend(`AT+CNMI=${candidate}`)) !== undefined) return;
  }
  ctx.logger.warn({ candidates }, 'no AT+CNMI setting accepted: new messages are found by polling AT+CMGL only');
}

export function simPhase(state: SimState): ModemPhase {
  switch (state) {
    case 'ready':
      return 'ready';
    case 'not-inserted':
      return 'sim-missing';
    case 'pin-required':
    case 'pin2-required':
    case 'phone-lock':
      return 'sim-pin-required';
    case 'puk-required':
    case 'puk2-required':
      return 'sim-puk-required';
    case 'failure':
    case 'busy':
    case 'not-ready':
    case 'unknown':
      return 'sim-failure';
  }
}
