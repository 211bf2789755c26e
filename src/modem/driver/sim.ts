/**
 * SIM state and PIN entry. The PIN is sent only when the SIM asks for it (REFERENCE G14), at most once per
 * init (a wrong PIN is never retried: three tries lock the SIM behind the PUK). "SIM busy" and "not ready"
 * after power-on or PIN entry are waited out with polling (G2, python-gsmmodem#10).
 */
import { AgentError, ErrorCode, isAgentError } from '../../errors.js';
import { sleep } from '../../clock.js';
import type { DriverContext } from './context.js';
import { parseCpin, simStateFromCme, type SimState } from './parsers.js';

export interface SimOutcome {
  readonly state: SimState;
  /** Set when the configured PIN was refused (+CME ERROR: 16). */
  readonly wrongPin: boolean;
}

/** AT+CPIN? as a state; errors that describe the SIM (CME 10/13/14…) become states, others propagate. */
export async function readSimState(ctx: DriverContext): Promise<SimState> {
  try {
    return parseCpin((await ctx.send('AT+CPIN?')).lines);
  } catch (error) {
    if (isAgentError(error) && error.code === ErrorCode.Modem_CmeError) return simStateFromCme(error.context['cme'] as number | undefined);
    if (isAgentError(error) && error.code === ErrorCode.Modem_CommandError) return 'unknown';
    throw error;
  }
}

export async function unlockSim(ctx: DriverContext, pin: string | undefined, signal?: AbortSignal): Promise<SimOutcome> {
  let deadline = ctx.clock.now() + ctx.profile.quirks.simBusyAfterPinMs + ctx.profile.timeouts.commandMs;
  let pinSent = false;
  for (;;) {
    const state = await readSimState(ctx);
    switch (state) {
      case 'ready':
      case 'not-inserted':
      case 'failure':
      case 'puk-required':
      case 'puk2-required':
      case 'phone-lock':
        return { state, wrongPin: false };
      case 'pin-required':
      case 'pin2-required': {
        if (pin === undefined || pinSent || state === 'pin2-required') return { state, wrongPin: false };
        if (!/^\d{4,8}$/.test(pin)) throw new AgentError('SIM PIN must be 4 to 8 digits', ErrorCode.Config_Invalid, { key: 'pin' });
        pinSent = true;
        try {
          await ctx.send(`AT+CPIN="${pin}"`);
        } catch (error) {
          if (isAgentError(error) && (error.context['cme'] === 16 || error.context['cme'] === 12)) return { state: error.context['cme'] === 12 ? 'puk-required' : 'pin-required', wrongPin: true };
          throw error;
        }
        deadline = ctx.clock.now() + ctx.profile.quirks.simBusyAfterPinMs + ctx.profile.timeouts.commandMs;
        break;
      }
      case 'busy':
      case 'not-ready':
      case 'unknown':
        if (ctx.clock.now() >= deadline) return { state, wrongPin: false };
        break;
    }
    await sleep(ctx.clock, 1000, signal);
  }
}
