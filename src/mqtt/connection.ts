/**
 * One broker connection that keeps itself up: MQTT 5 first, 3.1.1 when the broker refuses 5,
 * reconnects with jittered back-off (mqtt.js only knows a fixed period, so its own reconnect is
 * off and each attempt is a fresh client), and turns refusals into coded AgentErrors. An
 * authentication refusal is logged as such and retried with back-off, because credentials are
 * often fixed on the broker side while the device keeps running.
 */
import { MqttClient, connect, type IClientOptions, type IClientPublishOptions, type IPublishPacket } from 'mqtt';
import { AgentError, ErrorCode } from '../errors.js';
import { Backoff } from './backoff.js';
import { brokerSocketFor } from './brokerSocket.js';
import { guardPacketSize } from './packetSizeGuard.js';
import type { TimerHandle } from '../clock.js';
import type { ResolvedMirrorOptions } from './options.js';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'stopped';

export interface ConnectionEvents {
  connected: (info: { protocolVersion: 4 | 5 }) => void;
  disconnected: () => void;
  message: (topic: string, payload: Buffer, packet: IPublishPacket) => void;
  error: (error: AgentError) => void;
}

/** CONNACK codes that mean "I do not speak MQTT 5": 3.1.1's 0x01 as an MQTT 5 client parses it, and MQTT 5's 0x84. */
const unsupportedProtocolCodes: ReadonlySet<number> = new Set([0x01, 0x84]);
/** CONNACK codes that mean the credentials were refused: 3.1.1's 4 and 5; MQTT 5's 0x86, 0x87, 0x8c. */
const authCodes = { 4: new Set([4, 5]), 5: new Set([0x86, 0x87, 0x8c]) } as const;

/** Past this many bytes waiting in the socket, publishing counts as "not connected" so memory stays bounded. */
const maxBufferedBytes = 1 << 20;

export class MqttConnection {
  private client: MqttClient | undefined;
  private version: 4 | 5;
  private readonly backoff: Backoff;
  private retryTimer: TimerHandle | undefined;
  private currentState: ConnectionState = 'idle';
  private readonly listeners: { [E in keyof ConnectionEvents]: ConnectionEvents[E][] } = { connected: [], disconnected: [], message: [], error: [] };
  private lastError: AgentError | undefined;

  constructor(
    private readonly options: ResolvedMirrorOptions,
    private readonly will: { topic: string; payload: string },
  ) {
    this.version = options.protocol === 4 ? 4 : 5;
    this.backoff = new Backoff(options.backoff);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get protocolVersion(): 4 | 5 {
    return this.version;
  }

  /** The last refusal or network error, until the next successful connection. */
  get error(): AgentError | undefined {
    return this.lastError;
  }

  on<E extends keyof ConnectionEvents>(event: E, listener: ConnectionEvents[E]): void {
    this.listeners[event].push(listener);
  }

  off<E extends keyof ConnectionEvents>(event: E, listener: ConnectionEvents[E]): void {
    const list = this.listeners[event];
    const index = list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
  }

  start(): void {
    if (this.currentState !== 'idle') return;
    this.attempt();
  }

  /** True when the message was handed to the socket; false when offline (the caller decides what to keep). */
  publish(topic: string, payload: string | Buffer, options: IClientPublishOptions): boolean {
    const client = this.client;
    if (client === undefined || this.currentState !== 'connected' || !client.connected) return false;
    // A stalled broker: stop adding to the socket's buffer; state is kept and republished anyway.
    if (client.stream.writableLength > maxBufferedBytes) return false;
    client.publish(topic, payload, options, (error) => {
      if (error !== undefined && error !== null) this.options.log.debug({ topic, err: error }, 'publish not completed');
    });
    return true;
  }

  async subscribe(topics: readonly string[]): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    const granted = await client.subscribeAsync([...topics], { qos: 1 });
    const refused = granted.filter((grant) => grant.qos > 2);
    if (refused.length > 0) {
      this.raise(new AgentError(`broker refused subscriptions: ${refused.map((grant) => grant.topic).join(', ')}`, ErrorCode.Mqtt_Auth, { refused: refused.map((grant) => grant.topic) }));
    }
  }

  /**
   * Stops for good. When connected, `finalPublish` goes out first (awaiting its acknowledgement,
   * up to `timeoutMs`) and then a DISCONNECT, so the broker discards the last will.
   */
  async stop(finalPublish: { topic: string; payload: string } | undefined, timeoutMs = 3000): Promise<void> {
    if (this.currentState === 'stopped') return;
    const wasConnected = this.currentState === 'connected';
    this.currentState = 'stopped';
    if (this.retryTimer !== undefined) this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    if (wasConnected && client.connected && finalPublish !== undefined) {
      await withTimeout(client.publishAsync(finalPublish.topic, finalPublish.payload, { qos: 1, retain: true }), timeoutMs).catch(() => undefined);
    }
    // mqtt.js's own listeners stay attached: its 'close' handler clears the CONNACK timer.
    await withTimeout(client.endAsync(!wasConnected), timeoutMs).catch(() => client.end(true));
  }

  private attempt(): void {
    this.retryTimer = undefined;
    this.currentState = 'connecting';
    const { options } = this;
    const version = this.version;
    const clientOptions: IClientOptions = {
      clientId: options.clientId,
      protocolVersion: version,
      clean: true,
      keepalive: options.keepaliveSeconds,
      connectTimeout: options.connectTimeoutMs,
      reconnectPeriod: 0,
      resubscribe: false,
      queueQoSZero: false,
      // mqtt-packet's default number cache is a 2-byte Buffer for each of the 65,536 16-bit values,
      // built on the first packet and kept for the life of the process: ~7 MiB of heap to save
      // one 2-byte allocation per packet id or length field, at our rate of a few packets a minute.
      writeCache: false,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...options.tls,
      will: { topic: this.will.topic, payload: Buffer.from(this.will.payload), qos: 1, retain: true },
      // MQTT 5: the broker must not send us a packet over this (it drops it for this client). The ws
      // transport's own cap refuses a larger WebSocket frame from its header, before it is buffered.
      ...(version === 5 ? { properties: { sessionExpiryInterval: 0, maximumPacketSize: options.maxPacketBytes } } : {}),
      wsOptions: { maxPayload: options.maxPacketBytes },
    };
    const socket = brokerSocketFor(options.url, options.tls);
    const client = socket === undefined ? connect(options.url, clientOptions) : new MqttClient(socket, clientOptions);
    this.client = client;
    // For 3.1.1 brokers and brokers that ignore Maximum Packet Size: hang up on an oversize packet
    // from its header, before mqtt.js buffers its body (packetSizeGuard.ts).
    guardPacketSize(client.stream, options.maxPacketBytes, (refused) => {
      const error = refused.kind === 'oversize'
        ? new AgentError(`broker sent a packet of ${refused.bytes} bytes (type ${refused.type}), over the ${options.maxPacketBytes} allowed (mqtt.maxPayloadBytes + ${options.maxPacketBytes - options.maxPayloadBytes}); dropped unread, reconnecting`, ErrorCode.Mqtt_PacketTooLarge, { bytes: refused.bytes, limit: options.maxPacketBytes, packetType: refused.type })
        : new AgentError('broker sent bytes that are not MQTT framing; reconnecting', ErrorCode.Mqtt_PacketTooLarge, { limit: options.maxPacketBytes });
      this.raise(error);
    });
    let connected = false;
    let refusal: number | undefined;

    client.on('connect', () => {
      if (this.client !== client) return;
      connected = true;
      this.currentState = 'connected';
      this.lastError = undefined;
      this.backoff.reset();
      this.options.log.info({ protocolVersion: version, host: new URL(options.url).host }, 'mqtt connected');
      for (const listener of [...this.listeners.connected]) listener({ protocolVersion: version });
    });
    client.on('disconnect', (packet) => {
      // MQTT 5 brokers say why they hang up; 0x8e (session taken over) means another process uses this device id.
      if (this.client === client) this.options.log.warn({ reasonCode: packet.reasonCode }, 'broker sent DISCONNECT');
    });
    client.on('message', (topic, payload, packet) => {
      if (this.client !== client) return;
      for (const listener of this.listeners.message) listener(topic, payload, packet);
    });
    client.on('error', (error) => {
      if (this.client !== client) return;
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number') refusal = code;
      this.raise(this.describeError(error, version, code));
    });
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = undefined;
      // Free mqtt.js's timers for this attempt; the next attempt is a fresh client. Our listeners
      // stay (they ignore a client that is no longer current) so a late error never goes unheard.
      client.end(true);
      if (connected) {
        this.options.log.warn('mqtt connection lost');
        for (const listener of this.listeners.disconnected) listener();
      }
      if (this.currentState === 'stopped') return;
      if (version === 5 && this.options.protocol === 'auto' && refusal !== undefined && unsupportedProtocolCodes.has(refusal)) {
        this.options.log.info('broker refused MQTT 5; retrying with MQTT 3.1.1');
        this.version = 4;
        this.schedule(0);
        return;
      }
      this.schedule(this.backoff.next());
    });
  }

  private schedule(delayMs: number): void {
    this.currentState = 'waiting';
    this.options.log.debug({ delayMs }, 'mqtt reconnect scheduled');
    this.retryTimer = this.options.clock.setTimeout(() => this.attempt(), delayMs);
  }

  private describeError(error: Error, version: 4 | 5, code: unknown): AgentError {
    const host = new URL(this.options.url).host;
    if (typeof code === 'number' && authCodes[version].has(code)) {
      return new AgentError(
        `broker ${host} refused the credentials (CONNACK ${code}: ${error.message}); check mqtt.username / mqtt.password; retrying with back-off`,
        ErrorCode.Mqtt_Auth,
        { host, reasonCode: code, protocolVersion: version },
        { cause: error },
      );
    }
    return new AgentError(`cannot connect to broker ${host}: ${error.message}`, ErrorCode.Mqtt_Connect, { host, protocolVersion: version, ...(code === undefined ? {} : { code }) }, { cause: error });
  }

  private raise(error: AgentError): void {
    this.lastError = error;
    if (error.code === ErrorCode.Mqtt_Auth) this.options.log.error({ err: error.toJSON() }, error.message);
    else this.options.log.warn({ err: error.toJSON() }, error.message);
    for (const listener of this.listeners.error) listener(error);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AgentError(`gave up after ${ms} ms`, ErrorCode.Mqtt_Timeout)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
