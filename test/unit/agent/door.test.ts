/** The one door policy: the rules every way in shares (the integration tests prove each door uses it). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/agent/config/index.js';
import { DoorPolicy } from '../../../src/agent/door.js';
import { EntryVetting } from '../../../src/agent/router/vetting.js';
import { reportSizing } from '../../../src/agent/reportFit.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';

const config = loadConfig({ text: ['device: { id: door-test }', 'smpp: { destination: "+447700900000" }', 'modem: { enabled: false }', 'location: { enabled: false }', 'reports: { maxParts: 2, kinds: { pump: { encoding: binary } } }'].join('\n'), env: {} });
const door = new DoorPolicy(config);
const now = 1_700_000_000_000;

function refusedWith(code: number, field: string | undefined, run: () => unknown): void {
  assert.throws(run, (error: unknown) => hasErrorCode(error, code as typeof ErrorCode.Store_InvalidInput) && (field === undefined || error.context['field'] === field));
}

describe('the door policy', () => {
  it('takes a configured kind with fields the wire format carries, time defaulting to now', () => {
    const { input, reading } = door.reading({ kind: 'telemetry', data: { T: 21.5, ok: true, s: 'x' } }, now);
    assert.equal(input.kind, 'telemetry');
    assert.deepEqual(reading, { kind: 'telemetry', time: 1_700_000_000, fields: { T: 21.5, ok: true, s: 'x' } });
    assert.equal(door.reading({ kind: 'status', data: { q: 1 } }, now).reading.kind, 'status', "the agent's own REPORT kind");
    assert.equal(door.reading({ kind: 'pump', data: { on: true } }, now).reading.kind, 'pump');
  });

  it('refuses unknown kinds, bad names and values, bad numbers: Store_InvalidInput naming the field', () => {
    refusedWith(ErrorCode.Store_InvalidInput, 'kind', () => door.reading({ kind: 'boiler', data: {} }, now));
    refusedWith(ErrorCode.Store_InvalidInput, 'data.a.b', () => door.reading({ kind: 'telemetry', data: { 'a.b': 1 } }, now));
    refusedWith(ErrorCode.Store_InvalidInput, 'data.x', () => door.reading({ kind: 'telemetry', data: { x: null } }, now));
    refusedWith(ErrorCode.Store_InvalidInput, 'data.x', () => door.reading({ kind: 'telemetry', data: { x: Number.NaN } }, now));
    refusedWith(ErrorCode.Store_InvalidInput, 'to[1]', () => door.reading({ kind: 'telemetry', data: {}, to: ['+447700900001', 'five'] }, now));
    refusedWith(ErrorCode.Store_InvalidInput, 'data.x', () => door.reading({ kind: 'telemetry', data: { x: 'x'.repeat(1001) } }, now));
  });

  it('refuses a reading that can never fit reports.maxParts, text and binary alike: Report_TooLarge', () => {
    // Two parts of 153 characters: a 200-character note fits, 400 cannot.
    door.reading({ kind: 'telemetry', data: { note: 'n'.repeat(200) } }, now);
    refusedWith(ErrorCode.Report_TooLarge, undefined, () => door.reading({ kind: 'telemetry', data: { note: 'n'.repeat(400) } }, now));
    refusedWith(ErrorCode.Report_TooLarge, undefined, () => door.reading({ kind: 'pump', data: { note: 'n'.repeat(400) } }, now));
  });

  it('plain SMS: a phone number and GSM 7-bit text within maxParts', () => {
    assert.deepEqual(door.sms('+447700900001', 'hello'), { to: '+447700900001', text: 'hello' });
    refusedWith(ErrorCode.Store_InvalidInput, 'to', () => door.sms('ALERTS', 'hello'));
    refusedWith(ErrorCode.Store_InvalidInput, 'text', () => door.sms('+447700900001', ''));
    refusedWith(ErrorCode.Store_InvalidInput, 'text', () => door.sms('+447700900001', 'snow \u2603'));
    refusedWith(ErrorCode.Report_TooLarge, 'text', () => door.sms('+447700900001', 'a'.repeat(400)));
  });
});

describe("the router's vetting of queued rows", () => {
  const vetting = new EntryVetting(reportSizing(config), (kind) => (kind === 'pump' ? 'binary' : 'text'), 'sms');
  const entry = (id: number, kind: string, payload: string, destinations: string[] = []): Parameters<EntryVetting['vet']>[0] => ({ id, kind, priority: 'normal', createdAt: now, payload, destinations });

  it('passes what the door passes and names why the rest can never go', () => {
    assert.equal(vetting.vet(entry(1, 'telemetry', JSON.stringify({ time: 1, fields: { T: 1 } }))).ok, true);
    assert.equal(vetting.vet(entry(2, 'sms', 'hello')).ok, true);
    const reasons = [
      entry(3, 'telemetry', 'raw text'),
      entry(4, 'telemetry', JSON.stringify({ time: 1, fields: { note: 'n'.repeat(400) } })),
      entry(5, 'telemetry', JSON.stringify({ time: -1, fields: {} })),
      entry(6, 'X', JSON.stringify({ time: 1, fields: {} })),
      entry(7, 'sms', 'a'.repeat(400)),
      entry(8, 'telemetry', JSON.stringify({ time: 1, fields: {} }), ['not json [']),
    ].map((queued) => vetting.vet(queued));
    for (const verdict of reasons) assert.equal(verdict.ok, false, JSON.stringify(verdict));
    assert.match(JSON.stringify(reasons), /Report_TooLarge.*Report_Malformed/);
  });
});
