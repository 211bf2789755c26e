/** The typed errors a session hands its callers, built in one place so their context is uniform. */
import { AgentError, ErrorCode } from '../../errors.js';
import { commandStatusDescription, commandStatusName, type Pdu } from '../codec/index.js';

/** Why a request left without an answer. */
export type UnansweredReason = 'linkDropped' | 'closing' | 'timeout' | 'notBound';

/**
 * A request that was not acknowledged. `sent` tells whether it reached the wire: when true the
 * SMSC may have accepted it anyway (a duplicate is possible on retry), when false it certainly did not.
 * Either way the caller must treat it as not submitted and re-queue it.
 */
export function notAcknowledged(reason: UnansweredReason, pdu: Pdu, sent: boolean, cause?: unknown): AgentError {
  const code = reason === 'timeout' ? ErrorCode.Smpp_ResponseTimeout
    : reason === 'closing' ? ErrorCode.Smpp_Closing
      : reason === 'notBound' ? ErrorCode.Smpp_NotBound
        : ErrorCode.Smpp_ConnectionClosed;
  const what = reason === 'timeout' ? 'no response in time'
    : reason === 'closing' ? 'the session is closing'
      : reason === 'notBound' ? 'the session is not bound'
        : 'the link dropped';
  return new AgentError(`${pdu.command} (sequence ${pdu.sequence_number}) not acknowledged: ${what}`, code,
    { acknowledged: false, sent, reason, command: pdu.command, sequenceNumber: pdu.sequence_number }, { cause });
}

/** The SMSC answered with a non-zero command_status. */
export function commandFailed(request: Pdu, response: Pdu): AgentError {
  const status = response.command_status;
  return new AgentError(`${request.command} refused: ${commandStatusName(status)} (${commandStatusDescription(status)})`,
    ErrorCode.Smpp_CommandFailed, { acknowledged: true, commandStatus: status, statusName: commandStatusName(status), command: request.command });
}

/** True for an error that says the request was never acknowledged, so it must be re-queued. */
export function isNotAcknowledged(error: unknown): error is AgentError {
  return error instanceof AgentError && error.context['acknowledged'] === false;
}
