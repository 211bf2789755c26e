/**
 * A broker cluster made of Debian's Mosquitto: a hub and two leaves on loopback, each leaf bridged
 * to the hub (mosquitto.conf `connection` sections), the way a fleet outgrowing one Mosquitto is
 * usually split. Devices connect to the leaves; the fleet side may use any of the three.
 *
 * Bridge settings and why (docs/fleet.md repeats them for operators):
 * - `topic <prefix>/# both 1`: status, state, events and replies flow up, commands flow down, at QoS 1.
 * - `bridge_protocol_version mqttv50`: the MQTT 5 response topic and correlation data of a command
 *   cross the bridge; `try_private true` lets the hub recognise the bridge (no loops, retain flag kept).
 * - `cleansession false` + `local_cleansession false`: while the bridge is down, messages for it are
 *   queued on both sides instead of dropped (the device's republished state after a leaf restart).
 * - `max_queued_messages`: the bridge is ONE client carrying the whole leaf's traffic; Mosquitto's
 *   default of 1,000 queued QoS 1 messages per client silently drops the rest of a fleet's retained
 *   states when a bridge (re)subscribes. Raised on every node.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { Mosquitto } from './mosquitto.js';

export interface ClusterOptions {
  /** Topic prefix carried over the bridges; default `edge-sms`. */
  readonly prefix?: string;
  /** Per-client queue limit on every node; default 1,000,000 (see above). */
  readonly maxQueuedMessages?: number;
}

export class MosquittoCluster {
  private constructor(
    readonly prefix: string,
    readonly hub: Mosquitto,
    readonly leaves: readonly [Mosquitto, Mosquitto],
  ) {}

  get all(): readonly Mosquitto[] {
    return [this.hub, ...this.leaves];
  }

  static async start(options: ClusterOptions = {}): Promise<MosquittoCluster> {
    const prefix = options.prefix ?? 'edge-sms';
    const limits = [`max_queued_messages ${options.maxQueuedMessages ?? 1_000_000}`, 'max_inflight_messages 100'];
    const hub = await Mosquitto.start({ extraConfig: limits });
    const leaves: Mosquitto[] = [];
    try {
      for (const name of ['leaf-a', 'leaf-b']) {
        leaves.push(
          await Mosquitto.start({
            extraConfig: [
              ...limits,
              `connection ${name}`,
              `address 127.0.0.1:${hub.port}`,
              `remote_clientid bridge-${name}`,
              `topic ${prefix}/# both 1`,
              'bridge_protocol_version mqttv50',
              'try_private true',
              'cleansession false',
              'local_cleansession false',
              'notifications true',
              'restart_timeout 1 5',
              'keepalive_interval 10',
            ],
          }),
        );
      }
    } catch (error) {
      await Promise.all([hub, ...leaves].map((broker) => broker.stop()));
      throw error;
    }
    const [a, b] = leaves;
    if (a === undefined || b === undefined) throw new Error('cluster: leaves missing');
    return new MosquittoCluster(prefix, hub, [a, b]);
  }

  /**
   * Resolves once a message published on each leaf reaches the hub and the other leaf, i.e. both
   * bridges are connected and subscribed (after start, or after a leaf restart). Bounded by `timeoutMs`.
   */
  async whenBridged(timeoutMs = 20_000): Promise<void> {
    const probeTopic = `${this.prefix}/_cluster/probe`;
    const clients: MqttClient[] = [];
    try {
      for (const broker of this.all) clients.push(await connectAsync(broker.url, { reconnectPeriod: 0, protocolVersion: 5, clientId: `cluster-probe-${broker.port}` }, false));
      const seen = new Set<string>();
      clients.forEach((client, receiver) => {
        client.on('message', (topic) => seen.add(`${topic.slice(probeTopic.length + 1)}>${receiver}`));
      });
      await Promise.all(clients.map((client) => client.subscribeAsync(`${probeTopic}/#`, { qos: 0 })));
      // Leaf i publishes; it must reach the hub (0) and the other leaf.
      const needed = ['1>0', '1>2', '2>0', '2>1'];
      const deadline = Date.now() + timeoutMs;
      while (!needed.every((key) => seen.has(key))) {
        if (Date.now() > deadline) throw new Error(`bridges not up within ${timeoutMs} ms; seen ${[...seen].join(' ')}`);
        for (const sender of [1, 2]) await clients[sender]?.publishAsync(`${probeTopic}/${sender}`, 'x', { qos: 0 });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await Promise.all(clients.map((client) => client.endAsync()));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((broker) => broker.stop()));
  }
}
