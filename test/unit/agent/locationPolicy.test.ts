import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { distanceM, LocationPolicy } from '../../../src/agent/locationPolicy.js';

const minute = 60_000;

describe('location policy', () => {
  it('measures great-circle distances', () => {
    // London → Paris, about 343.5 km; one millidegree of latitude is about 111 m.
    assert.ok(Math.abs(distanceM({ lat: 51.5074, lon: -0.1278 }, { lat: 48.8566, lon: 2.3522 }) - 343_556) < 500);
    assert.ok(Math.abs(distanceM({ lat: 0, lon: 0 }, { lat: 0.001, lon: 0 }) - 111.2) < 0.5);
    assert.equal(distanceM({ lat: 10, lon: 20 }, { lat: 10, lon: 20 }), 0);
    assert.ok(Math.abs(distanceM({ lat: 0, lon: 179.9995 }, { lat: 0, lon: -179.9995 }) - 111.2) < 0.5, 'across the date line');
  });

  it('reports the first fix, then on movement beyond the distance, then on the interval', () => {
    const policy = new LocationPolicy({ minDistanceM: 100, maxIntervalMs: 15 * minute });
    assert.deepEqual(policy.consider({ lat: 51.5, lon: -0.12, at: 0 }), { report: true, reason: 'first', distanceM: 0 });
    const jitter = policy.consider({ lat: 51.5003, lon: -0.12, at: minute });
    assert.equal(jitter.report, false, 'GNSS jitter of ~33 m is not movement');
    const moved = policy.consider({ lat: 51.5012, lon: -0.12, at: 2 * minute });
    assert.equal(moved.report, true);
    assert.equal(moved.report && moved.reason, 'moved');
    assert.equal(policy.consider({ lat: 51.5012, lon: -0.12, at: 16 * minute }).report, false, 'interval counts from the last report');
    const heartbeat = policy.consider({ lat: 51.5012, lon: -0.12, at: 17 * minute });
    assert.deepEqual(heartbeat, { report: true, reason: 'interval', distanceM: 0 });
  });

  it('starts from a restored fix after a restart', () => {
    const policy = new LocationPolicy({ minDistanceM: 100, maxIntervalMs: 15 * minute });
    policy.restore({ lat: 51.5, lon: -0.12, at: 0 });
    assert.equal(policy.consider({ lat: 51.5, lon: -0.12, at: minute }).report, false);
    assert.deepEqual(policy.lastReported, { lat: 51.5, lon: -0.12, at: 0 });
  });
});
