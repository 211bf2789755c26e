import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MqttMirror } from '../../../src/mqtt/index.js';
import { ManualClock } from '../../fakes/manualClock.js';
import { ErrorCode, hasErrorCode, type AgentError } from '../../../src/errors.js';
import { freePort } from '../../helpers/mosquitto.js';

function nextError(mirror: MqttMirror): Promise<AgentError> {
  return new Promise((resolve) => {
    const listener = (error: AgentError): void => {
      mirror.off('error', listener);
      resolve(error);
    };
    mirror.on('error', listener);
  });
}

describe('reconnect loop on an injected clock', () => {
  it('waits on the clock between attempts, never retries by itself, and stop() leaves no timer', async () => {
    const clock = new ManualClock();
    const port = await freePort(); // nothing listens here: every attempt is refused at once
    const mirror = new MqttMirror({ url: `mqtt://127.0.0.1:${port}`, deviceId: 'pi-clock', clock, backoff: { initialMs: 1000, maxMs: 8000, jitter: 0 } });
    const first = nextError(mirror);
    mirror.start();
    const error = await first;
    assert.ok(hasErrorCode(error, ErrorCode.Mqtt_Connect));
    assert.match(error.message, /cannot connect to broker 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    // Let the socket's close reach the loop, which schedules the next attempt on the clock.
    while (mirror.status().connection !== 'waiting') await new Promise((resolve) => setImmediate(resolve));
    assert.equal(clock.pending, 1);
    // Real time passing does not retry: only the clock does.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(mirror.status().connection, 'waiting');
    const second = nextError(mirror);
    clock.advance(999);
    assert.equal(mirror.status().connection, 'waiting', 'not before the first delay');
    clock.advance(1);
    assert.equal(mirror.status().connection, 'connecting');
    await second;
    await mirror.stop();
    assert.equal(clock.pending, 0);
    assert.equal(mirror.status().connection, 'stopped');
  });
});
