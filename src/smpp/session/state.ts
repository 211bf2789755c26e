/**
 * The session's life as a small typed state machine with a pure transition function (the
 * zwave-js habit): every change goes through `transition`, so an impossible move — sending a
 * bind on a closed link, unbinding twice — is caught where it happens, not three callbacks later.
 *
 *   closed ─connect→ connecting ─connected→ binding ─bound→ bound ─unbind→ unbinding
 *      ▲                 │ (outbind: connecting ─outbind→ binding)            │
 *      └──────────── closed (from any state: drop, refusal, end of unbind) ◄──┘
 */
export type SessionState = 'closed' | 'connecting' | 'binding' | 'bound' | 'unbinding';

export type SessionEvent = 'connect' | 'connected' | 'outbind' | 'bound' | 'unbind' | 'closed';

const table: Readonly<Record<SessionState, Partial<Record<SessionEvent, SessionState>>>> = {
  closed: { connect: 'connecting', closed: 'closed' },
  connecting: { connected: 'binding', outbind: 'binding', closed: 'closed' },
  binding: { bound: 'bound', unbind: 'unbinding', closed: 'closed' },
  bound: { unbind: 'unbinding', closed: 'closed' },
  unbinding: { closed: 'closed' },
};

/** The state after `event`, or undefined when the event is not allowed in `state`. */
export function transition(state: SessionState, event: SessionEvent): SessionState | undefined {
  return table[state][event];
}

/** True in the states where a request other than bind may be sent. */
export function canSubmit(state: SessionState): boolean {
  return state === 'bound';
}
