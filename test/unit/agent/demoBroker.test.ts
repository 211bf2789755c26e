import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { startDemoBroker } from '../../../src/agent/demo/broker.js';

describe('the demo broker', () => {
  for (const preferMosquitto of [true, false]) {
    it(`carries retained messages ${preferMosquitto ? '(Mosquitto)' : '(in-process aedes, the fallback)'}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'esa-demo-broker-'));
      const broker = await startDemoBroker(dir, { preferMosquitto });
      try {
        assert.equal(broker.kind, preferMosquitto ? 'mosquitto' : 'in-process (aedes)');
        const publisher = await connectAsync(broker.url, { reconnectPeriod: 0 });
        await publisher.publishAsync('edge-sms/demo/status', 'online', { retain: true, qos: 1 });
        await publisher.endAsync();
        const subscriber = await connectAsync(broker.url, { reconnectPeriod: 0 });
        const got = new Promise<string>((resolve) => subscriber.on('message', (_topic, payload) => resolve(payload.toString())));
        await subscriber.subscribeAsync('edge-sms/demo/status');
        assert.equal(await got, 'online');
        await subscriber.endAsync();
      } finally {
        await broker.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
