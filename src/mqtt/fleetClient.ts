/**
 * The fleet side's broker connection: one short-lived client for `fleet ls` / `fleet cmd` /
 * `fleet collect`, MQTT 5 first and 3.1.1 when the broker refuses 5, refusals as coded errors.
 */
import { randomUUID } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { AgentError, ErrorCode } from '../errors.js';
import { validateBrokerUrl } from './options.js';

export interface FleetClientOptions {
  readonly url: string;
  /** Default `edge-sms`. */
  readonly prefix?: string;
  readonly username?: string;
  readonly password?: string;
  /** Longest wait for the broker, ms; default 10000. */
  readonly connectTimeoutMs?: number;
}

/** Connects once (MQTT 5, then 3.1.1 if the broker refuses 5) and returns the connected client. */
export async function connectFleetClient(options: FleetClientOptions, version: 4 | 5 = 5): Promise<MqttClient> {
  validateBrokerUrl(options.url);
  const clientOptions: IClientOptions = {
    clientId: `edge-sms-fleet-${randomUUID().slice(0, 8)}`,
    protocolVersion: version,
    clean: true,
    reconnectPeriod: 0,
    // As in the mirror: mqtt-packet's number cache is ~7 MiB of heap for nothing at our packet rates.
    writeCache: false,
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

/**
 * Lets a slow consumer (stdout into a pager, a slow pipe) hold the broker back. mqtt.js emits each
 * PUBLISH as 'message' and then asks `handleMessage` whether it may read the next packet; while a
 * callback's promise is pending, that answer waits, so mqtt.js stops reading, the socket's buffers
 * fill and TCP flow control, not this process's memory, holds the rest of a 100,000-device burst.
 * `onResume` re-arms the caller's quiet timers: a consumer being slow is not the fleet going quiet.
 */
export class ConsumerBackpressure {
  private pending: Promise<void> | undefined;

  constructor(
    client: MqttClient,
    private readonly onResume: () => void,
  ) {
    client.handleMessage = (_packet, callback) => {
      const pending = this.pending;
      if (pending === undefined) {
        callback();
        return;
      }
      void pending.then(() => callback());
    };
  }

  get paused(): boolean {
    return this.pending !== undefined;
  }

  /** `result` is what the consumer's callback returned: a promise holds the next packet until it settles. */
  hold(result: unknown): void {
    if (!(result instanceof Promise)) return;
    // Settles either way (a failed write is the consumer's to report), so nothing is left unhandled.
    const pending: Promise<void> = result.then(
      () => this.release(pending),
      () => this.release(pending),
    );
    this.pending = pending;
  }

  private release(pending: Promise<void> | undefined): void {
    if (this.pending !== pending) return;
    this.pending = undefined;
    this.onResume();
  }
}
