/** A plain mqtt.js client for tests: subscribes, records what arrives, and waits for a message that matches. */
import { connectAsync, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';

export interface ProbeMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly packet: IPublishPacket;
  readonly text: string;
}

export class MqttProbe {
  readonly messages: ProbeMessage[] = [];
  private waiters: { match: (m: ProbeMessage) => boolean; resolve: (m: ProbeMessage) => void }[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const message = { topic, payload, packet, text: payload.toString('utf8') };
      this.messages.push(message);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.match(message)) return true;
        waiter.resolve(message);
        return false;
      });
    });
  }

  static async connect(url: string, options: IClientOptions = {}): Promise<MqttProbe> {
    const client = await connectAsync(url, { reconnectPeriod: 0, protocolVersion: 5, clientId: `probe-${Math.random().toString(16).slice(2, 10)}`, ...options }, false);
    return new MqttProbe(client);
  }

  async subscribe(...topics: string[]): Promise<void> {
    await this.client.subscribeAsync(topics, { qos: 1 });
  }

  /** The first message (already received or arriving within `timeoutMs`) that `match` accepts. */
  waitFor(match: (m: ProbeMessage) => boolean, timeoutMs = 5000, what = 'a matching message'): Promise<ProbeMessage> {
    const seen = this.messages.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw: ${this.messages.map((m) => `${m.topic}=${m.text.slice(0, 80)}`).join(' | ')}`));
      }, timeoutMs);
      const done = (message: ProbeMessage): void => {
        clearTimeout(timer);
        resolve(message);
      };
      this.waiters.push({ match, resolve: done });
    });
  }

  /** Waits for a message on exactly `topic` whose text satisfies `accept` (default: any). */
  waitForTopic(topic: string, accept: (text: string) => boolean = () => true, timeoutMs = 5000): Promise<ProbeMessage> {
    return this.waitFor((m) => m.topic === topic && accept(m.text), timeoutMs, `${topic}`);
  }

  clear(): void {
    this.messages.length = 0;
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
