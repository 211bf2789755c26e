/**
 * The topic tree, one place. Every topic the mirror publishes is built here from a validated
 * prefix and device id, so none can hold a wildcard; every topic it receives is parsed by one
 * anchored pattern per family. The tree needs nothing but plain MQTT subscriptions, so it works
 * on a clustered broker (EMQX, HiveMQ, VerneMQ, bridged Mosquitto) at fleet scale.
 *
 *   <prefix>/<deviceId>/status                 retained "online" / "offline" (last will)
 *   <prefix>/<deviceId>/state                  retained JSON (PublishedState)
 *   <prefix>/<deviceId>/events/<type>          JSON, not retained
 *   <prefix>/<deviceId>/cmd/<name>             command to one device
 *   <prefix>/all/cmd/<name>                    command to every device
 *   <prefix>/group/<group>/cmd/<name>          command to a configured group
 *   <prefix>/<deviceId>/cmd/<name>/response    reply (unless an MQTT 5 response topic was given)
 */
import { AgentError, ErrorCode } from '../errors.js';

/** A device id or group name: one topic level, no wildcards, no `$`, safe in a client id. */
const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Levels under the prefix that mean something other than a device. */
const reservedIds: ReadonlySet<string> = new Set(['all', 'group']);
/** A prefix: one or more levels of safe characters, e.g. `edge-sms` or `acme/prod/edge-sms`. */
const prefixPattern = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;

export const defaultPrefix = 'edge-sms';

export function validatePrefix(prefix: string): string {
  if (!prefixPattern.test(prefix) || prefix.length > 128) {
    throw new AgentError(`mqtt.prefix: must be topic levels of A-Z a-z 0-9 _ . - joined by '/', got '${prefix}'`, ErrorCode.Config_Invalid, { key: 'mqtt.prefix', value: prefix });
  }
  return prefix;
}

export function validateDeviceId(deviceId: string): string {
  if (!idPattern.test(deviceId) || reservedIds.has(deviceId)) {
    throw new AgentError(
      `deviceId: must be 1-64 of A-Z a-z 0-9 _ . - starting with a letter or digit, and not 'all' or 'group'; got '${deviceId}'`,
      ErrorCode.Config_Invalid,
      { key: 'deviceId', value: deviceId },
    );
  }
  return deviceId;
}

export function validateGroup(group: string): string {
  if (!idPattern.test(group)) {
    throw new AgentError(`mqtt.groups: each group must be 1-64 of A-Z a-z 0-9 _ . -, got '${group}'`, ErrorCode.Config_Invalid, { key: 'mqtt.groups', value: group });
  }
  return group;
}

export function isValidDeviceId(deviceId: string): boolean {
  return idPattern.test(deviceId) && !reservedIds.has(deviceId);
}

/** True when a topic is safe to publish to: no wildcard, no empty level, not a `$SYS`-style topic. */
export function isPublishableTopic(topic: string): boolean {
  return topic.length > 0 && topic.length <= 65535 && !/[+#]/.test(topic) && !topic.includes('\0') && !topic.startsWith('$');
}

/** The topics one device publishes to and subscribes to. */
export class DeviceTopics {
  readonly base: string;

  constructor(
    readonly prefix: string,
    readonly deviceId: string,
  ) {
    this.base = `${validatePrefix(prefix)}/${validateDeviceId(deviceId)}`;
  }

  get status(): string {
    return `${this.base}/status`;
  }

  get state(): string {
    return `${this.base}/state`;
  }

  event(type: string): string {
    return `${this.base}/events/${type}`;
  }

  response(commandName: string): string {
    return `${this.base}/cmd/${commandName}/response`;
  }

  /** Subscriptions for this device's commands: its own, the fleet-wide ones, and its groups'. */
  commandSubscriptions(groups: readonly string[]): string[] {
    return [`${this.base}/cmd/+`, `${this.prefix}/all/cmd/+`, ...groups.map((group) => `${this.prefix}/group/${validateGroup(group)}/cmd/+`)];
  }
}

export type CommandTarget = { readonly kind: 'device'; readonly deviceId: string } | { readonly kind: 'all' } | { readonly kind: 'group'; readonly group: string };

export interface ParsedCommandTopic {
  readonly target: CommandTarget;
  readonly name: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One topic level as received: anything but a separator or wildcard. */
const level = '[^/+#]+';

/**
 * Command topics. Accepted forms:
 *   <prefix>/<deviceId>/cmd/<name>
 *   <prefix>/all/cmd/<name>
 *   <prefix>/group/<group>/cmd/<name>
 */
export function commandTopicPattern(prefix: string): RegExp {
  return new RegExp(`^${escapeRegExp(prefix)}/(?:group/(${level})|(${level}))/cmd/(${level})$`);
}

export function parseCommandTopic(pattern: RegExp, topic: string): ParsedCommandTopic | undefined {
  const match = pattern.exec(topic);
  if (match === null) return undefined;
  const [, group, device, name] = match;
  if (name === undefined) return undefined;
  if (group !== undefined) return { target: { kind: 'group', group }, name };
  if (device === 'all') return { target: { kind: 'all' }, name };
  if (device === undefined) return undefined;
  return { target: { kind: 'device', deviceId: device }, name };
}

/**
 * Per-device retained topics, as the fleet view reads them. Accepted forms:
 *   <prefix>/<deviceId>/status
 *   <prefix>/<deviceId>/state
 */
export function deviceRetainedTopicPattern(prefix: string): RegExp {
  return new RegExp(`^${escapeRegExp(prefix)}/(${level})/(status|state)$`);
}

/**
 * Replies as a fleet client reads them. Accepted form:
 *   <prefix>/<deviceId>/cmd/<name>/response
 */
export function responseTopicPattern(prefix: string): RegExp {
  return new RegExp(`^${escapeRegExp(prefix)}/(${level})/cmd/(${level})/response$`);
}

/** Where a fleet command is published: a device's own command topic, or the fleet-wide one. */
export function commandTopic(prefix: string, target: CommandTarget, name: string): string {
  switch (target.kind) {
    case 'device':
      return `${validatePrefix(prefix)}/${validateDeviceId(target.deviceId)}/cmd/${name}`;
    case 'all':
      return `${validatePrefix(prefix)}/all/cmd/${name}`;
    case 'group':
      return `${validatePrefix(prefix)}/group/${validateGroup(target.group)}/cmd/${name}`;
  }
}
