/**
 * The send rate against an SMSC that counts submits over a sliding one-second window, in fake
 * time: the real Outbound queue and RateController, a `send` that hands each submit to a model
 * SMSC (accept while fewer than R were accepted in the last 1000 ms of arrivals, else
 * ESME_RTHROTTLED), and a clock whose timers fire late by a random few ms, as Node's do.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommandStatus, createPdu, createResponse, Outbound, RateController, type Pdu } from '../../../src/smpp/index.js';
import type { Clock, TimerHandle } from '../../../src/clock.js';
import { ManualClock } from '../../fakes/manualClock.js';

/** Timers fire 0..maxLateMs late (a seeded generator: the same run every time). */
function lateClock(clock: ManualClock, maxLateMs: number, seed = 7): Clock {
  let state = seed;
  const random = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return { now: clock.now, setTimeout: (callback, ms) => clock.setTimeout(callback, ms + random() * maxLateMs), clearTimeout: (handle: TimerHandle) => clock.clearTimeout(handle) };
}

interface Run {
  /** Our send times of every submit_sm (throttled ones included). */
  readonly sent: number[];
  /** Arrival times at the SMSC of the accepted ones. */
  readonly accepted: number[];
  throttled: number;
  settled: number;
}

interface SmscModel {
  /** The account's limit at a given time (it may change mid-run). */
  readonly limit: (now: number) => number;
  /** One-way delay of a submit, ms; may vary per submit (arrivals stay in order). */
  readonly delay: () => number;
}

async function drive(count: number, maxPerSecond: number | undefined, model: SmscModel, options: { window?: number; lateMs?: number; runMs?: number } = {}): Promise<Run> {
  const manual = new ManualClock(1_000_000);
  const clock = lateClock(manual, options.lateMs ?? 3);
  const run: Run = { sent: [], accepted: [], throttled: 0, settled: 0 };
  let lastArrival = 0;
  let outbound: Outbound | undefined = undefined;
  const send = (pdu: Pdu): void => {
    run.sent.push(manual.now());
    const arrival = Math.max(lastArrival, manual.now() + model.delay());
    lastArrival = arrival;
    manual.setTimeout(() => {
      const now = manual.now();
      const inWindow = run.accepted.filter((at) => at > now - 1000).length;
      const ok = inWindow < model.limit(now);
      if (ok) run.accepted.push(now);
      else run.throttled++;
      const response = createResponse(pdu as Pdu & { command: 'submit_sm' }, ok ? CommandStatus.ESME_ROK : CommandStatus.ESME_RTHROTTLED, { message_id: `M${pdu.sequence_number}` });
      manual.setTimeout(() => outbound?.response(response), 1);
    }, arrival - manual.now());
  };
  outbound = new Outbound({ window: options.window ?? 10, refillBatch: 1, responseTimeoutMs: 60_000, maxPerSecond, throttleRetries: 1000, clock, send });
  for (let i = 0; i < count; i++) {
    void outbound.request(createPdu('submit_sm', { destination_addr: `447700${String(i).padStart(6, '0')}` })).then(() => run.settled++);
  }
  const end = manual.now() + (options.runMs ?? 3_600_000);
  while (outbound.queued + outbound.inFlight > 0 && manual.now() < end) manual.advance(100);
  await new Promise((resolve) => setImmediate(resolve)); // the responses' promises settle
  return run;
}

/** The most submits any closed window of `spanMs` holds. */
function busiestWindow(times: readonly number[], spanMs = 1000): number {
  let most = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while (times[to]! - times[from]! > spanMs) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

/** Accepted submits per second between `fromMs` after the first send and the last acceptance. */
function rateAfter(run: Run, fromMs: number): number {
  const start = run.sent[0]! + fromMs;
  const later = run.accepted.filter((at) => at >= start);
  return later.length / ((run.accepted.at(-1)! - start) / 1000);
}

describe('send rate against a sliding-window SMSC', () => {
  it('with smpp.maxRate R, no one-second window ever holds more than R submits, however late the timers fire', async () => {
    for (const [max, late] of [[10, 0], [10, 3], [10, 40], [7, 15], [4, 0], [50, 5]] as const) {
      const run = await drive(max * 30, max, { limit: () => max, delay: () => 1 }, { lateMs: late });
      assert.equal(run.settled, max * 30);
      assert.ok(busiestWindow(run.sent) <= max, `maxRate ${max}, timers up to ${late} ms late: busiest second held ${busiestWindow(run.sent)}`);
      assert.equal(run.throttled, 0, `maxRate ${max} = the SMSC's limit: never throttled`);
    }
  });

  it('a fractional maximum rounds down per window (2.5/s: never 3 in a second) and still paces at 2.5/s', async () => {
    const run = await drive(40, 2.5, { limit: () => 100, delay: () => 1 }, { lateMs: 10 });
    assert.ok(busiestWindow(run.sent) <= 2, `busiest second: ${busiestWindow(run.sent)}`);
    const span = (run.sent.at(-1)! - run.sent[0]!) / 1000;
    assert.ok(span >= 39 / 2.5, `not faster than 2.5/s: 40 sends over ${span} s`);
  });

  it('with no maximum, learns the account limit from the first throttle and holds just under it', async () => {
    const run = await drive(3000, undefined, { limit: () => 10, delay: () => 1 });
    assert.equal(run.settled, 3000, 'every submit accepted in the end');
    const rate = rateAfter(run, 30_000);
    assert.ok(rate >= 9.5 && rate <= 10, `accepted ${rate.toFixed(2)}/s after the first 30 s (limit 10/s)`);
    assert.ok(run.throttled <= 0.02 * 3000, `throttled ${run.throttled} of ${run.sent.length} sends`);
  });

  it('holds the limit when arrivals at the SMSC jitter by a few ms', async () => {
    let state = 3;
    const jitter = (): number => 1 + ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 8;
    const run = await drive(3000, undefined, { limit: () => 20, delay: jitter });
    const rate = rateAfter(run, 30_000);
    assert.ok(rate >= 19, `accepted ${rate.toFixed(2)}/s (limit 20/s)`);
    assert.ok(run.throttled <= 0.02 * 3000, `throttled ${run.throttled}`);
  });

  it('follows an account whose limit falls, and probes up to one that rises', async () => {
    const manualStart = 1_000_000;
    // 10/s for the first 60 s, then 5/s until 180 s, then 20/s.
    const limit = (now: number): number => (now < manualStart + 60_000 ? 10 : now < manualStart + 180_000 ? 5 : 20);
    const run = await drive(8000, undefined, { limit, delay: () => 1 });
    assert.equal(run.settled, 8000);
    const between = (from: number, to: number): number => run.accepted.filter((at) => at >= manualStart + from && at < manualStart + to).length / ((to - from) / 1000);
    assert.ok(between(90_000, 180_000) >= 4.75, `at 5/s: ${between(90_000, 180_000).toFixed(2)}/s`);
    const last = run.accepted.at(-1)! - manualStart;
    assert.ok(last > 300_000, 'the run reaches well into the 20/s phase');
    assert.ok(between(last - 60_000, last) >= 15, `climbing back to 20/s: ${between(last - 60_000, last).toFixed(2)}/s in the last minute`);
    assert.ok(run.throttled <= 0.02 * run.sent.length, `throttled ${run.throttled} of ${run.sent.length}`);
  });

  it('with smpp.maxRate R and an SMSC allowing less, refused sends still count against R on the wire', async () => {
    let state = 11;
    const jitter = (): number => 1 + ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 40;
    const run = await drive(600, 10, { limit: () => 8, delay: jitter }, { lateMs: 20 });
    assert.equal(run.settled, 600);
    assert.ok(run.throttled > 0, 'the SMSC refused some (its limit is under the maximum)');
    assert.ok(busiestWindow(run.sent) <= 10, `busiest second held ${busiestWindow(run.sent)} sends, refused ones included`);
  });

  it('a configured maximum caps what is learned: never more than maxRate even when the SMSC allows more', async () => {
    const run = await drive(300, 5, { limit: () => 50, delay: () => 1 });
    assert.ok(busiestWindow(run.sent) <= 5);
    assert.equal(run.throttled, 0);
  });

  it('reads the limit off a throttled answer: the submits accepted in the second before it', () => {
    const clock = new ManualClock(1_000_000);
    const rate = new RateController({ clock });
    for (let i = 0; i < 12; i++) {
      assert.equal(rate.tryTake(), 0, 'unlimited until told otherwise');
      if (i < 8) rate.accepted(clock.now());
      clock.advance(20);
    }
    assert.equal(rate.throttled(clock.now() - 20), 'learned');
    assert.equal(rate.learnedLimit, 8);
    assert.ok(rate.currentRate < 8 && rate.currentRate > 7.8, `just under: ${rate.currentRate}`);
    assert.ok(rate.tryTake() > 900, 'waits for the SMSC window to empty');
  });
});
