/**
 * The package's public API, for central-side code (an ESME, a webhook, a Node-RED function)
 * that wants the same codecs the agent uses.
 */
export { AgentError, ErrorCode, errorCodeName, isAgentError, hasErrorCode, isErrorInRange } from './errors.js';
export { agentVersion } from './version.js';
export {
  listFleet,
  sendFleetCommand,
  parseReply,
  commandNames,
  validateCommand,
  type FleetDevice,
  type CommandReply,
  type CommandName,
  type CommandMap,
  type PublishedState,
  type AgentStateSnapshot,
  type MirrorEvent,
} from './mqtt/index.js';
