/**
 * The MQTT mirror: shows the agent to the fleet and takes the fleet's commands.
 * It never blocks its caller: `updateState` and `publishEvent` return at once whether the broker
 * is there or not; events wait in a bounded queue (oldest dropped, counted) and state is kept
 * as the latest snapshot, republished in full on every reconnect. The outbox stays the source
 * of truth: this is a view of it.
 */
import { AgentError, ErrorCode } from '../errors.js';
import { agentVersion } from '../version.js';
import { MqttConnection, type ConnectionEvents, type ConnectionState } from './connection.js';
import { CommandDispatcher, type OutgoingReply } from './dispatcher.js';
import type { MirrorEvent } from './events.js';
import { homeAssistantDiscovery } from './homeAssistant.js';
import { ReportEventBatcher, type ReportsSummary } from './reportBatch.js';
import { resolveMirrorOptions, type MirrorOptions, type ResolvedMirrorOptions } from './options.js';
import type { AgentStateSnapshot, PublishedState } from './state.js';
import { StatePublisher } from './statePublisher.js';
import { DeviceTopics } from './topics.js';

export interface MirrorStatus {
  readonly connection: ConnectionState;
  readonly protocolVersion: 4 | 5;
  /** The latest connection error (auth refusal, network), cleared by a successful connect. */
  readonly lastError: AgentError | undefined;
  readonly statePublications: number;
  readonly eventsQueued: number;
  readonly eventsDropped: number;
  readonly commandsHandled: number;
}

export type MirrorListeners = Pick<ConnectionEvents, 'connected' | 'disconnected' | 'error'>;

interface QueuedEvent {
  readonly topic: string;
  readonly payload: string;
}

export class MqttMirror {
  readonly topics: DeviceTopics;
  private readonly options: ResolvedMirrorOptions;
  private readonly connection: MqttConnection;
  private readonly statePublisher: StatePublisher;
  private readonly dispatcher: CommandDispatcher | undefined;
  private readonly eventQueue: QueuedEvent[] = [];
  private dropped = 0;
  private handled = 0;
  private stopping = false;
  private readonly pendingReplies = new Set<Promise<void>>();
  private readonly reportBatch: ReportEventBatcher;

  /** Checks the options and builds the parts; connects only on `start()`. */
  constructor(options: MirrorOptions) {
    this.options = resolveMirrorOptions(options);
    const { clock, prefix, deviceId } = this.options;
    this.topics = new DeviceTopics(prefix, deviceId);
    this.connection = new MqttConnection(this.options, { topic: this.topics.status, payload: 'offline' });
    this.reportBatch = new ReportEventBatcher(clock, this.options.reportEventsMs, (summary) => this.enqueueEvent(summary));
    this.statePublisher = new StatePublisher(clock, this.options.stateMinIntervalMs, this.options.stateHeartbeatMs, (snapshot) => this.sendState(snapshot));
    if (this.options.handlers !== undefined) {
      this.dispatcher = new CommandDispatcher({
        topics: this.topics,
        groups: this.options.groups,
        handlers: this.options.handlers,
        clock,
        handlerTimeoutMs: this.options.handlerTimeoutMs,
        maxInFlight: this.options.maxInFlightCommands,
        maxPayloadBytes: this.options.maxPayloadBytes,
        log: this.options.log,
      });
    }
    this.connection.on('connected', () => this.onConnected());
    this.connection.on('message', (topic, payload, packet) => {
      const responseTopic = packet.properties?.responseTopic;
      const correlationData = packet.properties?.correlationData;
      this.onCommand(topic, payload, responseTopic, correlationData);
    });
  }

  on<E extends keyof MirrorListeners>(event: E, listener: ConnectionEvents[E]): void {
    this.connection.on(event, listener);
  }

  off<E extends keyof MirrorListeners>(event: E, listener: ConnectionEvents[E]): void {
    this.connection.off(event, listener);
  }

  /** Starts connecting in the background; returns at once. */
  start(): void {
    this.connection.start();
  }

  /** Publishes `offline` (retained), disconnects cleanly so the last will is not sent, and frees every timer. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.reportBatch.flush();
    this.statePublisher.stop();
    this.dispatcher?.abortAll();
    await Promise.allSettled([...this.pendingReplies]);
    await this.connection.stop({ topic: this.topics.status, payload: 'offline' });
  }

  /** Resolves on the next (or current) connection; rejects with Mqtt_Timeout after `timeoutMs`. */
  whenConnected(timeoutMs: number): Promise<void> {
    if (this.connection.state === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onConnected = (): void => {
        clearTimeout(timer);
        this.connection.off('connected', onConnected);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connection.off('connected', onConnected);
        reject(new AgentError(`not connected within ${timeoutMs} ms`, ErrorCode.Mqtt_Timeout, { lastError: this.connection.error?.message }));
      }, timeoutMs);
      this.connection.on('connected', onConnected);
    });
  }

  /** The agent's latest state; published when it changed, rate-limited. Never blocks. */
  updateState(snapshot: AgentStateSnapshot): void {
    this.statePublisher.update(snapshot);
  }

  /** Applies `mqtt.stateIntervalMs` from set-config without a restart. */
  setStateMinInterval(ms: number): void {
    this.statePublisher.setMinInterval(ms);
  }

  /**
   * Publishes `events/<type>` (not retained); queued, bounded, while the broker is away. A drain's
   * `report-submitted` / `report-delivered` are summed into `events/reports` (reportBatch.ts).
   */
  publishEvent(event: MirrorEvent): void {
    if (this.reportBatch.offer(event)) return;
    this.enqueueEvent(event);
  }

  private enqueueEvent(event: MirrorEvent | ReportsSummary): void {
    const payload = JSON.stringify({ ...event, deviceId: this.options.deviceId, at: new Date(this.options.clock.now()).toISOString() });
    const topic = this.topics.event(event.type);
    // Older events first, so the order holds across an outage or a stalled socket.
    this.drainEvents();
    if (this.eventQueue.length === 0 && this.connection.publish(topic, payload, { qos: 1, retain: false })) return;
    this.eventQueue.push({ topic, payload });
    if (this.eventQueue.length > this.options.maxQueuedEvents) {
      this.eventQueue.shift();
      this.dropped++;
    }
  }

  status(): MirrorStatus {
    return {
      connection: this.connection.state,
      protocolVersion: this.connection.protocolVersion,
      lastError: this.connection.error,
      statePublications: this.statePublisher.sent,
      eventsQueued: this.eventQueue.length,
      eventsDropped: this.dropped,
      commandsHandled: this.handled,
    };
  }

  private onConnected(): void {
    this.connection.publish(this.topics.status, 'online', { qos: 1, retain: true });
    this.statePublisher.publishNow();
    if (this.options.homeAssistant.enabled) {
      for (const message of homeAssistantDiscovery(this.topics, this.options.homeAssistant.discoveryPrefix, agentVersion)) {
        this.connection.publish(message.topic, JSON.stringify(message.payload), { qos: 1, retain: true });
      }
    }
    this.drainEvents();
    if (this.dispatcher !== undefined) {
      this.connection.subscribe(this.topics.commandSubscriptions(this.options.groups)).catch((error: unknown) => {
        this.options.log.warn({ err: error }, 'command subscription failed; retried on the next connection');
      });
    }
  }

  /** Publishes queued events in order until the queue is empty or the connection will not take more. */
  private drainEvents(): void {
    while (this.eventQueue.length > 0) {
      const next = this.eventQueue[0];
      if (next === undefined || !this.connection.publish(next.topic, next.payload, { qos: 1, retain: false })) return;
      this.eventQueue.shift();
    }
  }

  private sendState(snapshot: AgentStateSnapshot): boolean {
    const published: PublishedState = { ...snapshot, deviceId: this.options.deviceId, publishedAt: new Date(this.options.clock.now()).toISOString() };
    return this.connection.publish(this.topics.state, JSON.stringify(published), { qos: 1, retain: true });
  }

  private onCommand(topic: string, payload: Buffer, responseTopic: string | undefined, correlationData: Buffer | undefined): void {
    const dispatcher = this.dispatcher;
    if (dispatcher === undefined || this.stopping) return;
    this.options.log.debug({ dir: 'in', topic, bytes: payload.length, responseTopic }, 'command');
    const work = dispatcher
      .handle({ topic, payload, ...(responseTopic === undefined ? {} : { responseTopic }), ...(correlationData === undefined ? {} : { correlationData }) })
      .then((reply) => {
        if (reply === undefined) return;
        this.handled++;
        this.sendReply(reply);
      })
      .finally(() => this.pendingReplies.delete(work));
    this.pendingReplies.add(work);
  }

  private sendReply(reply: OutgoingReply): void {
    this.options.log.debug({ dir: 'out', topic: reply.topic, status: reply.reply.status, requestId: reply.reply.requestId }, 'reply');
    const properties = this.connection.protocolVersion === 5 && reply.correlationData !== undefined ? { properties: { correlationData: reply.correlationData } } : {};
    if (!this.connection.publish(reply.topic, JSON.stringify(reply.reply), { qos: 1, retain: false, ...properties })) {
      this.options.log.warn({ topic: reply.topic, command: reply.reply.command }, 'reply dropped: broker unavailable');
    }
  }
}
