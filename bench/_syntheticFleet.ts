/**
 * A fleet made of messages, not mirrors, for measuring the fleet tools at 100,000 devices on a
 * 2-core machine: one client publishes N retained status + state pairs, and answers a fleet-wide
 * command with N replies (each a different device id) on the command's response topic. The
 * devices are not real here: only the tool's side (streaming, memory) is being measured.
 */
import { connectAsync, type MqttClient } from 'mqtt';

export function syntheticState(index: number): Record<string, unknown> {
  const deviceId = `syn-${String(index).padStart(6, '0')}`;
  return {
    version: '0.1.0',
    uptimeSeconds: index,
    smpp: { state: 'bound', boundSince: null, windowInUse: index % 7, windowSize: 10, throttled: false },
    modem: { sim: 'ready', registration: 'home', operator: 'Synthetic', signalDbm: -60 - (index % 40), gnssFix: '3d' },
    outbox: {
      byState: { queued: index % 13, sending: 0, submitted: 0, delivered: index, failed: 0, expired: 0 },
      queuedByPriority: { critical: 0, high: 0, normal: index % 13, low: 0 },
      oldestQueuedAgeSeconds: null,
      drops: 0,
    },
    lastLocation: null,
    deviceId,
    publishedAt: new Date().toISOString(),
  };
}

/** Publishes in batches, waiting for the socket to drain, so the publisher itself stays small. */
async function publishMany(client: MqttClient, count: number, message: (index: number) => { topic: string; payload: string; retain: boolean; properties?: { correlationData: Buffer } }): Promise<void> {
  for (let i = 0; i < count; i++) {
    const { topic, payload, retain, properties } = message(i);
    client.publish(topic, payload, { qos: 0, retain, ...(properties === undefined ? {} : { properties }) });
    if (i % 500 === 499 && client.stream.writableLength > 1 << 20) await new Promise((resolve) => client.stream.once('drain', resolve));
  }
}

export async function publishRetainedFleet(url: string, count: number, prefix = 'edge-sms'): Promise<void> {
  const client = await connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, clientId: 'synthetic-fleet' }, false);
  try {
    await publishMany(client, count, (i) => ({ topic: `${prefix}/syn-${String(i).padStart(6, '0')}/status`, payload: 'online', retain: true }));
    await publishMany(client, count, (i) => ({ topic: `${prefix}/syn-${String(i).padStart(6, '0')}/state`, payload: JSON.stringify(syntheticState(i)), retain: true }));
    // A QoS 1 round trip: everything before it reached the broker.
    await client.publishAsync(`${prefix}/_synthetic/done`, 'x', { qos: 1 });
  } finally {
    await client.endAsync();
  }
}

/** Answers the next `<prefix>/all/cmd/<name>` with `count` replies; resolves when they are sent. */
export async function answerNextFleetCommand(url: string, count: number, prefix = 'edge-sms'): Promise<{ ready: Promise<void>; done: Promise<void> }> {
  const client = await connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, clientId: 'synthetic-replier' }, false);
  const ready = client.subscribeAsync(`${prefix}/all/cmd/+`, { qos: 1 }).then(() => undefined);
  const done = new Promise<void>((resolve, reject) => {
    client.once('message', (topic, payload, packet) => {
      const responseTopic = packet.properties?.responseTopic;
      const correlationData = packet.properties?.correlationData;
      const { requestId } = JSON.parse(payload.toString('utf8')) as { requestId?: string };
      const command = topic.split('/').at(-1) ?? '';
      if (responseTopic === undefined) {
        reject(new Error('synthetic replier: the command had no MQTT 5 response topic'));
        return;
      }
      publishMany(client, count, (i) => ({
        topic: responseTopic,
        payload: JSON.stringify({ deviceId: `syn-${String(i).padStart(6, '0')}`, command, requestId, status: 'ok', data: syntheticState(i) }),
        retain: false,
        ...(correlationData === undefined ? {} : { properties: { correlationData } }),
      }))
        .then(() => client.publishAsync(`${prefix}/_synthetic/done`, 'x', { qos: 1 }))
        .then(() => client.endAsync())
        .then(resolve, reject);
    });
  });
  return { ready, done };
}
