/**
 * The one error decodePdu and the framer report: an AgentError in the Codec_ range that also
 * carries the command_status the peer should be answered with (in a generic_nack or the
 * request's response) and the command id and sequence number when the header was readable.
 */
import { AgentError } from '../../errors.js';
import type { ErrorCode } from '../../errors.js';
import { describeCommandId } from './commands.js';
import { commandStatusName } from './status.js';

export interface DecodeErrorPlace {
  readonly commandId?: number | undefined;
  readonly sequenceNumber?: number | undefined;
  /** Offset in the PDU where decoding failed. */
  readonly offset?: number | undefined;
}

export class SmppDecodeError extends AgentError {
  readonly commandStatus: number;
  readonly commandId: number | undefined;
  readonly sequenceNumber: number | undefined;

  constructor(message: string, code: ErrorCode, commandStatus: number, place: DecodeErrorPlace = {}) {
    super(message, code, {
      commandStatus: commandStatusName(commandStatus),
      ...(place.commandId === undefined ? {} : { commandId: describeCommandId(place.commandId) }),
      ...(place.sequenceNumber === undefined ? {} : { sequenceNumber: place.sequenceNumber }),
      ...(place.offset === undefined ? {} : { offset: place.offset }),
    });
    this.commandStatus = commandStatus;
    this.commandId = place.commandId;
    this.sequenceNumber = place.sequenceNumber;
  }
}

export function isSmppDecodeError(value: unknown): value is SmppDecodeError {
  return value instanceof SmppDecodeError;
}
