/**
 * The MQTT mirror and fleet commands: the public face of `src/mqtt/`.
 * The agent builds an `AgentStateSnapshot`, implements `CommandHandlers`, and drives an `MqttMirror`;
 * the fleet CLI uses `streamFleet`, `sendFleetCommand` and `collectFleetReplies`. This part imports no other part.
 */
export { MqttMirror, type MirrorStatus, type MirrorListeners } from './mirror.js';
export { resolveMirrorOptions, validateBrokerUrl, type MirrorOptions, type MirrorTlsOptions, type HomeAssistantOptions } from './options.js';
export type { BackoffOptions } from './backoff.js';
export type { Clock, TimerHandle } from '../clock.js';
export {
  queueDepth,
  outboxStates,
  reportPriorities,
  type AgentStateSnapshot,
  type HealthSnapshot,
  type StateFigures,
  type InboxFigures,
  type PublishedState,
  type SmppLinkSnapshot,
  type CommandsSnapshot,
  type LinkError,
  type SmppLinkState,
  type ModemSnapshot,
  type SimStatus,
  type RegistrationStatus,
  type GnssFix,
  type OutboxSnapshot,
  type OutboxState,
  type ReportPriority,
  type LocationSnapshot,
} from './state.js';
export { mirrorEventTypes, type MirrorEvent, type MirrorEventType, type LinkName } from './events.js';
export {
  commandNames,
  commandInvokers,
  isCommandName,
  type CommandName,
  type CommandMap,
  type CommandHandlers,
  type CommandContext,
  type SendSmsRequest,
  type ReportRequest,
  type QueuedResult,
  type LocateRequest,
  type LocateResult,
  type GetStateRequest,
  type QueueRequest,
  type QueueSelector,
  type QueueItem,
  type QueueResult,
  type SafeConfig,
  type SetConfigRequest,
  type SetConfigResult,
  type RebootModemRequest,
  type RebootModemResult,
} from './commands.js';
export { validateCommand, safeConfigKeys, deprecatedConfigKeys } from './validators.js';
export { isJsonObject, type JsonObject } from './payloadReader.js';
export { parseReply, replyErrorFrom, type CommandReply, type ReplyError, type ReplyErrorCode } from './replies.js';
export {
  DeviceTopics,
  defaultPrefix,
  commandTopic,
  commandTopicPattern,
  parseCommandTopic,
  deviceRetainedTopicPattern,
  responseTopicPattern,
  isValidDeviceId,
  type CommandTarget,
} from './topics.js';
export { homeAssistantDiscovery, type DiscoveryMessage } from './homeAssistant.js';
export { listFleet, streamFleet, type FleetDevice, type FleetListOptions, type FleetListSummary } from './fleet.js';
export type { FleetClientOptions } from './fleetClient.js';
export { sendFleetCommand, collectFleetReplies, sharedResponseTopic, type FleetCommandOptions, type FleetCommandResult, type FleetCollectOptions } from './fleetCommand.js';
