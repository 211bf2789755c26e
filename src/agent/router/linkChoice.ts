/**
 * Which link carries the next message: SMPP whenever it is bound; the modem only for reports whose
 * kind allows it, and only once SMPP has been down longer than the configured time (a short SMSC
 * blip should not cost operator SMS from the device's own SIM); otherwise the outbox waits.
 */
export type LinkName = 'smpp' | 'modem';

export interface LinkStates {
  readonly smppBound: boolean;
  /** When SMPP was last bound or, if never, when the agent started (ms since epoch). */
  readonly smppDownSince: number;
  readonly modemReady: boolean;
}

export type LinkChoice =
  | { readonly link: 'smpp' }
  | { readonly link: 'modem'; readonly fallbackOnly: true }
  | { readonly link: 'none'; readonly retryAt?: number };

export function chooseLink(states: LinkStates, now: number, fallbackAfterMs: number, modemEnabled: boolean): LinkChoice {
  if (states.smppBound) return { link: 'smpp' };
  if (!modemEnabled) return { link: 'none' };
  const fallbackFrom = states.smppDownSince + fallbackAfterMs;
  if (now < fallbackFrom) return { link: 'none', retryAt: fallbackFrom };
  return states.modemReady ? { link: 'modem', fallbackOnly: true } : { link: 'none' };
}
