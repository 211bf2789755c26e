/**
 * The package's public API, for central-side code (an ESME, a webhook, a Node-RED function)
 * that wants the same codecs the agent uses.
 */
export { AgentError, ErrorCode, errorCodeName, isAgentError, hasErrorCode, isErrorInRange } from './errors.js';
export { agentVersion } from './version.js';
export {
  decodeReport,
  decodeTextReport,
  decodeBinaryReport,
  encodeTextReport,
  encodeBinaryReport,
  SequenceTracker,
  ReportReceiver,
  type ReceivedSms,
  type ReportMessage,
  type Reading,
  type FieldValue,
} from './report/index.js';
export * from './smpp/index.js';
// Fleet tools for the central side; `Fleet` names keep them apart from SMPP's command names.
export {
  listFleet,
  streamFleet,
  collectFleetReplies,
  sendFleetCommand,
  parseReply,
  commandNames as fleetCommandNames,
  validateCommand as validateFleetCommand,
  type FleetDevice,
  type CommandReply,
  type CommandName as FleetCommandName,
  type CommandMap as FleetCommandMap,
  type PublishedState,
  type AgentStateSnapshot,
  type MirrorEvent,
} from './mqtt/index.js';
export * from './sim/index.js';
// The centre's side of signed SMS commands (docs/signed-commands.md).
export { signCommand, readKeyFile, type SignCommandOptions } from './agent/index.js';
/** The modem part (AT channel, profiles, driver, SMS PDU codec), as one namespace. */
export * as modem from './modem/index.js';
