/**
 * Building PDUs with every field present: createPdu fills the spec's defaults ('' for strings,
 * 0 for integers, empty short_message and lists, no TLVs) and lays keys out in wire order, the
 * same order decodePdu produces, so created and decoded PDUs compare equal and share a shape.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { responseCommandFor } from './commands.js';
import type { AnsweredRequestName, CommandName, ResponseCommandOf } from './commands.js';
import { specsByName } from './layouts.js';
import type { PduFields, PduOf } from './pdu.js';

export { defaultInterfaceVersion } from './layouts.js';

export function createPdu<C extends CommandName>(command: C, fields?: PduFields<C>): PduOf<C> {
  const spec = specsByName.get(command);
  if (spec === undefined) throw new AgentError(`'${String(command)}' is not an SMPP command`, ErrorCode.Codec_InvalidField, { command });
  return spec.create(spec.name, fields ?? noFields) as unknown as PduOf<C>;
}

const noFields: Readonly<Record<string, unknown>> = Object.freeze({});

/** The response to a request: same sequence_number, the given status, fields defaulted. */
export function createResponse<C extends AnsweredRequestName>(
  request: { readonly command: C; readonly sequence_number: number },
  commandStatus = 0,
  fields?: PduFields<ResponseCommandOf<C>>,
): PduOf<ResponseCommandOf<C>> {
  const response = responseCommandFor(request.command) as ResponseCommandOf<C> | undefined;
  if (response === undefined) throw new AgentError(`${request.command} has no response PDU`, ErrorCode.Codec_InvalidField, { command: request.command });
  return createPdu(response, { ...fields, command_status: commandStatus, sequence_number: request.sequence_number } as PduFields<ResponseCommandOf<C>>);
}

/** A generic_nack answering an undecodable PDU (sequence_number 0 when it could not be read). */
export function createGenericNack(commandStatus: number, sequenceNumber = 0): PduOf<'generic_nack'> {
  return createPdu('generic_nack', { command_status: commandStatus, sequence_number: sequenceNumber });
}

