/** The ESME session's public face. */
export { SmppSession } from './session.js';
export type { BindInfo, InboundHandler, InboundMessage, SessionEvents, SmppSessionOptions } from './session.js';
export { SmppClient } from './client.js';
export type { ClientEvents, SmppClientOptions } from './client.js';
export { sessionOptionsFromUrl, resolveSessionOptions } from './options.js';
export type { SessionOptions } from './options.js';
export { parseSmppUrl, redactUrl } from './url.js';
export type { BindMode, SmppEndpoint, SmppUrlSettings } from './url.js';
export { systemClock, Timer } from './clock.js';
export type { Clock, TimerHandle } from './clock.js';
export { Backoff } from './backoff.js';
export type { BackoffOptions, RetryReason } from './backoff.js';
export { RateController, windowForCongestion } from './rate.js';
export { RequestWindow } from './window.js';
export { SequenceAllocator, maxSequenceNumber } from './sequence.js';
export { transition, canSubmit } from './state.js';
export type { SessionState, SessionEvent } from './state.js';
export { isNotAcknowledged, notAcknowledged, commandFailed } from './errors.js';
export type { UnansweredReason } from './errors.js';
export { isV5OnlyTag, withoutV5Tlvs } from './versions.js';
// Building blocks the SMSC simulator shares with the session (same framing, same window discipline).
export { PduLink } from './link.js';
export type { LinkHandlers, SocketEnds } from './link.js';
export { Outbound } from './outbound.js';
export type { OutboundOptions } from './outbound.js';
export { listenForOutbind } from './outbind.js';
export type { OutbindListener } from './outbind.js';
