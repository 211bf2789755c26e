/**
 * The fleet side: list devices from their retained `status`/`state`, and send a command to one
 * device, a group or all of them and collect the replies. Used by `edge-sms-agent fleet` and the
 * fleet benchmark; needs nothing from the broker but plain subscriptions and retained messages.
 */
import { randomUUID } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { AgentError, ErrorCode } from '../errors.js';
import { validateBrokerUrl } from './options.js';
import { parseReply, type CommandReply } from './replies.js';
import { queueDepth, type PublishedState, type SmppLinkState } from './state.js';
import { commandTopic, defaultPrefix, deviceRetainedTopicPattern, isPublishableTopic, validatePrefix, type CommandTarget } from './topics.js';

export interface FleetClientOptions {
  readonly url: string;
  /** Default `edge-sms`. */
  readonly prefix?: string;
  readonly username?: string;
  readonly password?: string;
  /** Longest wait for the broker, ms; default 10000. */
  readonly connectTimeoutMs?: number;
}

export interface FleetDevice {
  readonly id: string;
  /** From the retained status; null when the device never published one. */
  readonly online: boolean | null;
  readonly link: SmppLinkState | null;
  readonly signalDbm: number | null;
  readonly queueDepth: number | null;
  /** When the device last published its state (ISO 8601). */
  readonly lastSeen: string | null;
  readonly state: PublishedState | null;
}

/** Connects once (MQTT 5, then 3.1.1 if the broker refuses 5) and returns the connected client. */
async function connectFleetClient(options: FleetClientOptions, version: 4 | 5 = 5): Promise<MqttClient> {
  validateBrokerUrl(options.url);
  const clientOptions: IClientOptions = {
    clientId: `edge-sms-fleet-${randomUUID().slice(0, 8)}`,
    protocolVersion: version,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
  };
  const client = connect(options.url, clientOptions);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new AgentError(`broker ${new URL(options.url).host} closed the connection`, ErrorCode.Mqtt_Connect)));
    });
    client.removeAllListeners('error');
    client.on('error', () => undefined);
    return client;
  } catch (error) {
    client.end(true);
    const code = (error as { code?: unknown }).code;
    if (version === 5 && (code === 0x01 || code === 0x84)) return connectFleetClient(options, 4);
    if (error instanceof AgentError) throw error;
    const auth = code === 4 || code === 5 || code === 0x86 || code === 0x87;
    throw new AgentError(
      `${auth ? 'broker refused the credentials' : 'cannot connect to the broker'} (${new URL(options.url).host}): ${error instanceof Error ? error.message : String(error)}`,
      auth ? ErrorCode.Mqtt_Auth : ErrorCode.Mqtt_Connect,
      { host: new URL(options.url).host, ...(code === undefined ? {} : { code }) },
      { cause: error },
    );
  }
}

function parseState(payload: Buffer): PublishedState | null {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as PublishedState) : null;
  } catch {
    return null;
  }
}

function toFleetDevice(id: string, status: string | undefined, state: PublishedState | null): FleetDevice {
  const depth = state?.outbox?.byState === undefined ? null : queueDepth(state.outbox);
  return {
    id,
    online: status === undefined ? null : status === 'online',
    link: state?.smpp?.state ?? null,
    signalDbm: state?.modem?.signalDbm ?? null,
    queueDepth: typeof depth === 'number' && Number.isFinite(depth) ? depth : null,
    lastSeen: state?.publishedAt ?? null,
    state,
  };
}

/**
 * Every device with a retained status or state under the prefix, sorted by id. Retained messages
 * carry no end marker, so the list is complete once `settleMs` pass without a new one (or at `timeoutMs`).
 */
export async function listFleet(options: FleetClientOptions & { readonly settleMs?: number; readonly timeoutMs?: number }): Promise<FleetDevice[]> {
  const prefix = validatePrefix(options.prefix ?? defaultPrefix);
  const pattern = deviceRetainedTopicPattern(prefix);
  const statuses = new Map<string, string>();
  const states = new Map<string, PublishedState | null>();
  const client = await connectFleetClient(options);
  try {
    await new Promise<void>((resolve, reject) => {
      const settleMs = options.settleMs ?? 500;
      let quiet: NodeJS.Timeout | undefined;
      const deadline = setTimeout(finish, options.timeoutMs ?? 10_000);
      function finish(): void {
        clearTimeout(quiet);
        clearTimeout(deadline);
        resolve();
      }
      const rearm = (): void => {
        clearTimeout(quiet);
        quiet = setTimeout(finish, settleMs);
      };
      client.on('message', (topic, payload) => {
        const match = pattern.exec(topic);
        if (match === null || match[1] === undefined) return;
        // An empty retained payload is a deletion.
        if (match[2] === 'status') {
          if (payload.length === 0) statuses.delete(match[1]);
          else statuses.set(match[1], payload.toString('utf8'));
        } else if (payload.length === 0) {
          states.delete(match[1]);
        } else {
          states.set(match[1], parseState(payload));
        }
        rearm();
      });
      const refused = (cause?: unknown): void => {
        clearTimeout(deadline);
        clearTimeout(quiet);
        reject(new AgentError(`the broker refused the subscription to ${prefix}/+/status and /state (ACL?)`, ErrorCode.Mqtt_Auth, { prefix }, { cause }));
      };
      client.subscribeAsync([`${prefix}/+/status`, `${prefix}/+/state`], { qos: 0 }).then((granted) => {
        // A refused subscription comes back as a SUBACK code >= 0x80, not as a rejection.
        if (granted.some((grant) => grant.qos > 2)) refused();
        else rearm();
      }, refused);
    });
  } finally {
    await client.endAsync().catch(() => client.end(true));
  }
  const ids = [...new Set([...statuses.keys(), ...states.keys()])].sort();
  return ids.map((id) => toFleetDevice(id, statuses.get(id), states.get(id) ?? null));
}

export interface FleetCommandResult {
  readonly requestId: string;
  readonly replies: CommandReply[];
}

/**
 * Sends one command and collects replies. One device: returns at its first reply or fails with
 * Mqtt_Timeout. A group or `all`: collects until `timeoutMs` (or `expect` replies).
 * Replies come on this client's MQTT 5 response topic, or, from devices on MQTT 3.1.1, on their
 * `cmd/<name>/response` topics, matched by `requestId`.
 */
export async function sendFleetCommand(
  options: FleetClientOptions & {
    readonly target: CommandTarget;
    readonly name: string;
    readonly payload: Readonly<Record<string, unknown>>;
    readonly timeoutMs?: number;
    readonly expect?: number;
  },
): Promise<FleetCommandResult> {
  const prefix = validatePrefix(options.prefix ?? defaultPrefix);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(options.name)) {
    throw new AgentError(`command name must be one topic level of A-Z a-z 0-9 _ . -, got '${options.name}'`, ErrorCode.Mqtt_BadCommand, { name: options.name });
  }
  const topic = commandTopic(prefix, options.target, options.name);
  const requestId = randomUUID();
  const client = await connectFleetClient(options);
  const responseTopic = `${prefix}/_fleet/${client.options.clientId ?? requestId}/response`;
  const legacyTopic = `${prefix}/${options.target.kind === 'device' ? options.target.deviceId : '+'}/cmd/${options.name}/response`;
  const single = options.target.kind === 'device';
  const expect = options.expect ?? (single ? 1 : Number.POSITIVE_INFINITY);
  const timeoutMs = options.timeoutMs ?? 5000;
  const replies = new Map<string, CommandReply>();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (single && replies.size === 0) {
          reject(new AgentError(`no reply from ${topic} within ${timeoutMs} ms`, ErrorCode.Mqtt_Timeout, { topic, requestId }));
        } else {
          resolve();
        }
      }, timeoutMs);
      client.on('message', (_topic, payload) => {
        const reply = parseReply(payload);
        if (reply === undefined || reply.requestId !== requestId || replies.has(reply.deviceId)) return;
        replies.set(reply.deviceId, reply);
        if (replies.size >= expect) {
          clearTimeout(timer);
          resolve();
        }
      });
      const subscriptions = client.options.protocolVersion === 5 ? [responseTopic, legacyTopic] : [legacyTopic];
      // QoS 0: thousands of replies at once would overflow a broker's per-client QoS 1 queue
      // (Mosquitto's max_queued_messages, 1000 by default) and be dropped there.
      client
        .subscribeAsync(subscriptions, { qos: 0 })
        .then(() => {
          if (!isPublishableTopic(topic)) throw new AgentError(`refusing to publish to '${topic}'`, ErrorCode.Mqtt_BadCommand);
          const properties = client.options.protocolVersion === 5 ? { properties: { responseTopic, correlationData: Buffer.from(requestId) } } : {};
          return client.publishAsync(topic, JSON.stringify({ ...options.payload, requestId }), { qos: 1, ...properties });
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof AgentError ? error : new AgentError('could not send the command', ErrorCode.Mqtt_Connect, { topic }, { cause: error }));
        });
    });
  } finally {
    await client.endAsync().catch(() => client.end(true));
  }
  return { requestId, replies: [...replies.values()].sort((a, b) => a.deviceId.localeCompare(b.deviceId)) };
}
