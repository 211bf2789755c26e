import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/agent/config/index.js';
import type { ReadingInput } from '../../../src/agent/readingInput.js';
import { LocationReports } from '../../../src/agent/runtime/locationReports.js';
import { silentLogger } from '../../../src/logger.js';
import type { GnssReading } from '../../../src/modem/index.js';
import { ManualClock } from '../../fakes/manualClock.js';

const config = loadConfig({ text: 'device: { id: pi-1 }\nsmpp: { url: "smpp://edge:secret@127.0.0.1:2775", destination: "+447700900000" }\nlocation: { pollS: 60, minDistanceM: 100, maxIntervalS: 900 }\n', env: {} });
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A GNSS receiver the test moves: each read answers the current position (or no fix). */
class FakeGnss {
  lat = 59.437;
  fix = true;
  reads = 0;
  readGnss(): Promise<GnssReading> {
    this.reads++;
    if (!this.fix) return Promise.resolve({ state: 'no-fix' });
    const fixTime = new Date(1_800_000_000_000 + this.reads * 60_000).toISOString();
    return Promise.resolve({ state: 'fix', fix: { lat: this.lat, lon: 24.7536, altM: 40.4, speedKmh: 0, courseDeg: null, fixTime, satellites: 7 } });
  }
}

describe('location reports', () => {
  it('polls on the clock, reports the first fix and a move, not a device standing still; stop leaves no timer', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const gnss = new FakeGnss();
    const queued: ReadingInput[] = [];
    const reports = new LocationReports(config, gnss, (input) => queued.push(input), silentLogger(), clock);
    reports.schedule(60_000);
    clock.advance(59_999);
    assert.equal(gnss.reads, 0);
    clock.advance(1);
    await settle();
    assert.deepEqual(queued.map((input) => [input.kind, input.data]), [['location', { lat: 59.437, lon: 24.7536, alt: 40 }]]);
    clock.advance(60_000);
    await settle();
    assert.equal(queued.length, 1, 'still: nothing new');
    gnss.lat += 0.002; // ~220 m north
    clock.advance(60_000);
    await settle();
    assert.equal(queued.length, 2, 'moved more than 100 m');
    gnss.fix = false;
    clock.advance(60_000);
    await settle();
    assert.equal(queued.length, 2, 'no fix, no report');
    assert.equal(reports.lastLocation?.lat, 59.439, 'the last fix is kept');
    reports.stop();
    assert.equal(clock.pending, 0);
  });

  it('without a modem it never schedules, and locate answers null', async () => {
    const clock = new ManualClock();
    const reports = new LocationReports(config, undefined, () => assert.fail('nothing to report'), silentLogger(), clock);
    reports.schedule(1000);
    assert.equal(clock.pending, 0);
    assert.equal(await reports.locate(), null);
  });
});
