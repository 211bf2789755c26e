import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeReport,
  reportPartCapacity,
  partsNeeded,
  planBatch,
  type BatchOptions,
  type PendingReading,
} from '../../../src/report/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';

const options: BatchOptions = {
  device: '42',
  seq: 7,
  maxParts: 2,
  capacity: { text: reportPartCapacity('text', { split: 'udh8' }), binary: reportPartCapacity('binary', { split: 'udh8', portIn: 'udh' }) },
};
const minute = 60_000;
const t0 = 1_732_212_345;

function telemetry(id: number, deadline: number, encoding: 'text' | 'binary' = 'text'): PendingReading<number> {
  return { id, reading: { kind: 'telemetry', time: t0 + id * 60, fields: { T: 20 + id / 10, H: 40, B: 3.9 } }, encoding, deadline, urgent: false };
}

describe('part capacity', () => {
  it('matches the GSM and UDH arithmetic', () => {
    assert.deepEqual(reportPartCapacity('text', { split: 'udh8' }), { single: 160, perPart: 153 });
    assert.deepEqual(reportPartCapacity('text', { split: 'udh16' }), { single: 160, perPart: 152 });
    assert.deepEqual(reportPartCapacity('binary', { split: 'udh8', portIn: 'udh' }), { single: 133, perPart: 128 });
    assert.deepEqual(reportPartCapacity('binary', { split: 'udh16', portIn: 'tlv' }), { single: 140, perPart: 133 });
    assert.equal(partsNeeded(160, { single: 160, perPart: 153 }), 1);
    assert.equal(partsNeeded(161, { single: 160, perPart: 153 }), 2);
    assert.equal(partsNeeded(306, { single: 160, perPart: 153 }), 2);
    assert.equal(partsNeeded(307, { single: 160, perPart: 153 }), 3);
  });
});

describe('planBatch', () => {
  it('is idle with nothing queued', () => {
    assert.deepEqual(planBatch([], 0, options), { action: 'idle' });
  });

  it('waits for the earliest deadline while nothing is due and nothing fills the parts', () => {
    const plan = planBatch([telemetry(1, 15 * minute), telemetry(2, 10 * minute)], 0, options);
    assert.deepEqual(plan, { action: 'wait', until: 10 * minute });
  });

  it('never holds back an alarm, and lets waiting readings ride along in the same part', () => {
    const alarm: PendingReading<number> = { id: 99, reading: { kind: 'alarm', time: t0 + 600, fields: { door: 'open' } }, encoding: 'text', deadline: 15 * minute, urgent: true };
    const plan = planBatch([alarm, telemetry(1, 15 * minute), telemetry(2, 15 * minute)], 0, options);
    assert.equal(plan.action, 'send');
    if (plan.action !== 'send') return;
    assert.deepEqual(plan.ids, [99, 1, 2]);
    assert.equal(plan.parts, 1);
    assert.equal(typeof plan.payload, 'string');
    const decoded = decodeReport(plan.payload);
    assert.deepEqual(decoded.readings.map((r) => r.kind), ['telemetry', 'telemetry', 'alarm'], 'time order inside the message');
    assert.equal(decoded.seq, 7);
  });

  it('tops up a due message only while that costs no extra part', () => {
    const pending = [telemetry(1, 0), ...Array.from({ length: 30 }, (_, i) => telemetry(i + 2, 15 * minute))];
    const plan = planBatch(pending, 0, options);
    assert.equal(plan.action, 'send');
    if (plan.action !== 'send') return;
    assert.equal(plan.parts, 1);
    assert.ok(plan.ids.length > 1 && plan.ids.length < 31, `${plan.ids.length} readings in one part`);
    assert.ok((plan.payload as string).length <= 160);
  });

  it('sends at once when the waiting readings already fill every allowed part', () => {
    const pending = Array.from({ length: 40 }, (_, i) => telemetry(i, 15 * minute));
    const plan = planBatch(pending, 0, options);
    assert.equal(plan.action, 'send');
    if (plan.action !== 'send') return;
    assert.equal(plan.parts, 2);
    assert.ok((plan.payload as string).length <= 306);
  });

  it('keeps binary readings out of a text message', () => {
    const plan = planBatch([telemetry(1, 0), telemetry(2, 0, 'binary'), telemetry(3, 0)], 0, options);
    assert.equal(plan.action, 'send');
    if (plan.action !== 'send') return;
    assert.deepEqual(plan.ids, [1, 3]);
    assert.equal(plan.encoding, 'text');
  });

  it('packs binary readings into octets with port addressing room', () => {
    const pending = Array.from({ length: 60 }, (_, i) => telemetry(i, 0, 'binary'));
    const plan = planBatch(pending, 0, options);
    assert.equal(plan.action, 'send');
    if (plan.action !== 'send') return;
    assert.ok(Buffer.isBuffer(plan.payload));
    assert.ok(plan.payload.length <= 2 * 128, `${plan.payload.length} octets`);
    assert.equal(plan.parts, 2);
    assert.deepEqual(decodeReport(plan.payload).readings.length, plan.ids.length);
  });

  it('refuses a due reading that cannot fit the part limit with a typed error', () => {
    const huge: PendingReading<number> = { id: 5, reading: { kind: 'reply', time: t0, fields: { text: 'x'.repeat(400) } }, encoding: 'text', deadline: 0, urgent: true };
    assert.throws(() => planBatch([huge], 0, options), (error: unknown) => hasErrorCode(error, ErrorCode.Report_TooLarge));
  });
});
