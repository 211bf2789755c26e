/**
 * The fleet side's commands: send one command to a device, a group or all, and hand each reply to
 * the caller as it arrives (`onReply`), so a fleet-wide command on 100,000 devices streams its
 * replies instead of holding them. With `share`, replies go to an MQTT 5 shared subscription
 * (`$share/<group>/...`), so several consumers (`fleet collect --share G`) split them between them.
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { AgentError, ErrorCode } from '../errors.js';
import { ConsumerBackpressure, connectFleetClient, type FleetClientOptions } from './fleetClient.js';
import { parseReply, type CommandReply } from './replies.js';
import { commandTopic, defaultPrefix, isPublishableTopic, validateGroup, validatePrefix, type CommandTarget } from './topics.js';

export interface FleetCommandOptions extends FleetClientOptions {
  readonly target: CommandTarget;
  readonly name: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** One device: the longest wait for its reply. A group or all: how long to collect. ms; default 5000. */
  readonly timeoutMs?: number;
  /** Stop once this many replies came (default: 1 for one device, otherwise collect until the timeout). */
  readonly expect?: number;
  /** Each reply as it arrives; then the result holds counts only, not the replies. A returned promise holds the broker back until it settles. */
  readonly onReply?: ReplySink;
  /** Shared-subscription group: replies are split between every consumer subscribed with this group. */
  readonly share?: string;
  /** Stop once this long passes without a reply after the first, ms (a fleet gone quiet). */
  readonly idleMs?: number;
}

/** Takes one reply; a returned promise (e.g. stdout's 'drain') holds the broker back until it settles. */
export type ReplySink = (reply: CommandReply) => unknown;

export interface FleetCommandResult {
  readonly requestId: string;
  /** Sorted by device id; empty when `onReply` took them. */
  readonly replies: CommandReply[];
  readonly received: number;
  readonly ok: number;
}

/** Where replies for a share group go: one fixed topic every consumer of the group subscribes to. */
export function sharedResponseTopic(prefix: string, group: string): string {
  return `${prefix}/_fleet/share/${validateGroup(group)}/response`;
}

/** Subscriptions that receive a share group's replies; identical in every consumer, or the broker treats them as different shares. */
function sharedSubscriptions(prefix: string, group: string): string[] {
  // The second catches replies from devices on MQTT 3.1.1, which answer on their own response topics.
  return [`$share/${group}/${sharedResponseTopic(prefix, group)}`, `$share/${group}/${prefix}/+/cmd/+/response`];
}

interface Collecting {
  readonly client: MqttClient;
  readonly timeoutMs: number;
  readonly expect: number;
  readonly idleMs?: number;
  /** Replies that count (e.g. this request's). */
  readonly accept: (reply: CommandReply) => boolean;
  readonly onReply: ReplySink;
  /** What to do when nothing came by the timeout: undefined resolves with zero. */
  readonly onSilence?: () => AgentError;
  readonly onSubscribed?: () => void;
  /** Runs once subscribed: e.g. publishes the command. */
  readonly afterSubscribe?: () => Promise<unknown>;
  readonly subscriptions: readonly string[];
}

/** Collects replies (one per device, as they arrive) until `expect` or the timeout; returns how many. */
async function collect(job: Collecting): Promise<{ received: number; ok: number }> {
  // One key per device that replied (~100 bytes each): the only per-device memory kept. Keyed by
  // request too, because a collector may see several commands' replies.
  const seen = new Set<string>();
  let ok = 0;
  let armIdle = (): void => undefined;
  const flow = new ConsumerBackpressure(job.client, () => armIdle());
  await new Promise<void>((resolve, reject) => {
    let idle: NodeJS.Timeout | undefined;
    const done = (): void => {
      clearTimeout(timer);
      clearTimeout(idle);
      resolve();
    };
    const timer = setTimeout(() => {
      clearTimeout(idle);
      if (seen.size === 0 && job.onSilence !== undefined) reject(job.onSilence());
      else resolve();
    }, job.timeoutMs);
    job.client.on('message', (_topic, payload) => {
      const reply = parseReply(payload);
      if (reply === undefined || !job.accept(reply)) return;
      const key = `${reply.requestId ?? ''} ${reply.deviceId}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (reply.status === 'ok') ok++;
      flow.hold(job.onReply(reply));
      if (seen.size >= job.expect) done();
      else armIdle();
    });
    armIdle = (): void => {
      const idleMs = job.idleMs;
      if (idleMs === undefined) return;
      clearTimeout(idle);
      // Idle because the consumer holds the socket is not a quiet fleet: re-armed on resume.
      idle = setTimeout(() => {
        if (!flow.paused) done();
      }, idleMs);
    };
    // QoS 0: thousands of replies at once would overflow a broker's per-client QoS 1 queue
    // (Mosquitto's max_queued_messages, 1000 by default) and be dropped there.
    job.client
      .subscribeAsync([...job.subscriptions], { qos: 0 })
      .then((granted) => {
        if (granted.some((grant) => grant.qos > 2)) throw new AgentError(`the broker refused the subscription to ${job.subscriptions.join(', ')} (ACL?)`, ErrorCode.Mqtt_Auth);
        job.onSubscribed?.();
        return job.afterSubscribe?.();
      })
      .catch((error: unknown) => {
        clearTimeout(timer);
        clearTimeout(idle);
        reject(error instanceof AgentError ? error : new AgentError('could not subscribe or send the command', ErrorCode.Mqtt_Connect, {}, { cause: error }));
      });
  });
  return { received: seen.size, ok };
}

/**
 * Sends one command and collects replies. One device: returns at its first reply or fails with
 * Mqtt_Timeout. A group or `all`: collects until `timeoutMs` (or `expect` replies). Replies come on
 * this client's MQTT 5 response topic (or the share group's), or, from devices on MQTT 3.1.1, on
 * their `cmd/<name>/response` topics, matched by `requestId`.
 */
export async function sendFleetCommand(options: FleetCommandOptions): Promise<FleetCommandResult> {
  const prefix = validatePrefix(options.prefix ?? defaultPrefix);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(options.name)) {
    throw new AgentError(`command name must be one topic level of A-Z a-z 0-9 _ . -, got '${options.name}'`, ErrorCode.Mqtt_BadCommand, { name: options.name });
  }
  const topic = commandTopic(prefix, options.target, options.name);
  if (!isPublishableTopic(topic)) throw new AgentError(`refusing to publish to '${topic}'`, ErrorCode.Mqtt_BadCommand);
  const requestId = randomUUID();
  const single = options.target.kind === 'device';
  const kept: CommandReply[] = [];
  const client = await connectFleetClient(options);
  try {
    const v5 = client.options.protocolVersion === 5;
    const legacyTopic = `${prefix}/${options.target.kind === 'device' ? options.target.deviceId : '+'}/cmd/${options.name}/response`;
    let responseTopic: string;
    let subscriptions: string[];
    if (options.share === undefined) {
      responseTopic = `${prefix}/_fleet/${client.options.clientId ?? requestId}/response`;
      subscriptions = v5 ? [responseTopic, legacyTopic] : [legacyTopic];
    } else {
      responseTopic = sharedResponseTopic(prefix, options.share);
      subscriptions = sharedSubscriptions(prefix, options.share);
    }
    const counts = await collect({
      client,
      subscriptions,
      timeoutMs: options.timeoutMs ?? 5000,
      expect: options.expect ?? (single ? 1 : Number.POSITIVE_INFINITY),
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
      accept: (reply) => reply.requestId === requestId,
      onReply: options.onReply ?? ((reply) => kept.push(reply)),
      ...(single && options.share === undefined ? { onSilence: () => new AgentError(`no reply from ${topic} within ${options.timeoutMs ?? 5000} ms`, ErrorCode.Mqtt_Timeout, { topic, requestId }) } : {}),
      afterSubscribe: () => {
        const properties = v5 ? { properties: { responseTopic, correlationData: Buffer.from(requestId) } } : {};
        return client.publishAsync(topic, JSON.stringify({ ...options.payload, requestId }), { qos: 1, ...properties });
      },
    });
    return { requestId, replies: kept.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0)), ...counts };
  } finally {
    await client.endAsync().catch(() => client.end(true));
  }
}

export interface FleetCollectOptions extends FleetClientOptions {
  /** The share group to consume from (as given to `sendFleetCommand`'s `share`). */
  readonly share: string;
  /** How long to collect, ms. */
  readonly timeoutMs: number;
  /** Stop once this many replies came. */
  readonly expect?: number;
  /** Only replies to this request (default: any reply the group receives). */
  readonly requestId?: string;
  /** Stop once this long passes without a reply after the first, ms. */
  readonly idleMs?: number;
  readonly onReply: ReplySink;
  /** Called once the shared subscription is in place: commands sent from now on reach this consumer. */
  readonly onSubscribed?: () => void;
}

/**
 * One more consumer of a share group: receives its part of the replies to commands sent with
 * `share`, until `timeoutMs` or `expect` replies. Start consumers before the command is sent: a
 * reply that reaches the broker while no consumer is subscribed is not kept.
 */
export async function collectFleetReplies(options: FleetCollectOptions): Promise<{ received: number; ok: number }> {
  const prefix = validatePrefix(options.prefix ?? defaultPrefix);
  const client = await connectFleetClient(options);
  try {
    return await collect({
      client,
      subscriptions: sharedSubscriptions(prefix, options.share),
      timeoutMs: options.timeoutMs,
      expect: options.expect ?? Number.POSITIVE_INFINITY,
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
      ...(options.onSubscribed === undefined ? {} : { onSubscribed: options.onSubscribed }),
      accept: (reply) => options.requestId === undefined || reply.requestId === options.requestId,
      onReply: options.onReply,
    });
  } finally {
    await client.endAsync().catch(() => client.end(true));
  }
}
