import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Mosquitto } from '../helpers/mosquitto.js';
import { MqttProbe } from '../helpers/mqttProbe.js';

const fixture = fileURLToPath(new URL('../fixtures/mqtt/mirrorProcess.ts', import.meta.url));

describe('last will', () => {
  it('the broker publishes retained offline when the agent process is killed (no DISCONNECT)', async () => {
    const broker = await Mosquitto.start();
    const probe = await MqttProbe.connect(broker.url);
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, broker.url, 'pi-killed'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await probe.subscribe('edge-sms/pi-killed/status');
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('mirror process did not connect within 15 s')), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('connected')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`mirror process exited early with ${code}`)));
      });
      await probe.waitForTopic('edge-sms/pi-killed/status', (text) => text === 'online');
      child.removeAllListeners('exit');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      // Keepalive is 60 s: the will arrives at once because the socket closed, not because a timer ran out.
      const will = await probe.waitForTopic('edge-sms/pi-killed/status', (text) => text === 'offline', 5000);
      assert.equal(will.text, 'offline');
      // And it is retained: a newcomer sees the device offline.
      const late = await MqttProbe.connect(broker.url);
      await late.subscribe('edge-sms/pi-killed/status');
      const retained = await late.waitForTopic('edge-sms/pi-killed/status');
      assert.equal(retained.text, 'offline');
      assert.equal(retained.packet.retain, true);
      await late.close();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await probe.close();
      await broker.stop();
    }
  });
});
