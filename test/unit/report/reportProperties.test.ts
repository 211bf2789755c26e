/**
 * Property tests: random messages round-trip through both encodings; random and mutated inputs
 * give typed errors only (100,000+ cases across the two decoders).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeBinaryReport,
  decodeTextReport,
  encodeBinaryReport,
  encodeTextReport,
  type FieldValue,
  type Reading,
  type ReportMessage,
} from '../../../src/report/index.js';
import { hasErrorCode, ErrorCode } from '../../../src/errors.js';
import { Random } from '../../helpers/random.js';

function randomValue(rng: Random): FieldValue {
  switch (rng.int(0, 6)) {
    case 0:
      return rng.int(-100000, 100000);
    case 1:
      return Math.round((rng.next() - 0.5) * 1e6) / 10 ** rng.int(0, 6);
    case 2:
      return (rng.next() - 0.5) * 10 ** rng.int(-300, 300);
    case 3:
      return rng.bool();
    case 4:
      return rng.pick(['', 'ok', 'door open', 'naïve €5 "quoted" 50%;', '🚀 emoji', 'a;b|c', '[x]{y}~^\\']);
    case 5:
      return Number.MAX_SAFE_INTEGER * (rng.bool() ? 1 : -1);
    default:
      return rng.int(0, 3) / 4;
  }
}

function randomMessage(rng: Random): ReportMessage {
  const baseTime = rng.int(0, 2_000_000_000);
  const names = ['T', 'H', 'B', 'lat', 'lon', 'x_1', 'door', 'rpm2', '_k'];
  const kinds = ['telemetry', 'location', 'alarm', 'reply', 'pump', 'k9_z'];
  const readings: Reading[] = [];
  for (let r = rng.int(1, 8); r > 0; r--) {
    const fields: Record<string, FieldValue> = {};
    for (let f = rng.int(0, 5); f > 0; f--) fields[rng.pick(names)] = randomValue(rng);
    readings.push({ kind: rng.pick(kinds), time: baseTime + rng.int(-600, 3600), fields });
  }
  return { version: 1, device: rng.pick(['42', 'pi-7', 'dev.a:b_c', 'X'.repeat(64)]), seq: rng.int(0, 0xffff_ffff), baseTime, readings };
}

function typedOnly(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    if (!hasErrorCode(error, ErrorCode.Report_Malformed)) throw error;
  }
}

describe('report format properties', () => {
  it('round-trips 3,000 random messages through text and binary', () => {
    const rng = new Random(20261121);
    for (let i = 0; i < 3000; i++) {
      const message = randomMessage(rng);
      assert.deepEqual(decodeTextReport(encodeTextReport(message)), message, `text, case ${i}`);
      assert.deepEqual(decodeBinaryReport(encodeBinaryReport(message)), message, `binary, case ${i}`);
    }
  });

  it('binary is never larger than text for typical telemetry', () => {
    const rng = new Random(7);
    for (let i = 0; i < 200; i++) {
      const base = rng.int(1_700_000_000, 1_800_000_000);
      const readings: Reading[] = Array.from({ length: 10 }, (_, n) => ({
        kind: 'telemetry',
        time: base + n * 60,
        fields: { T: rng.int(150, 300) / 10, H: rng.int(20, 90), B: rng.int(350, 420) / 100 },
      }));
      const message: ReportMessage = { version: 1, device: '42', seq: i, baseTime: base, readings };
      assert.ok(encodeBinaryReport(message).length < encodeTextReport(message).length);
    }
  });

  it('decodes 60,000 mutated binary messages with typed errors only', () => {
    const rng = new Random(99);
    for (let i = 0; i < 60_000; i++) {
      const bytes = encodeBinaryReport(randomMessage(rng));
      const mutated = Buffer.from(bytes);
      for (let m = rng.int(1, 4); m > 0; m--) mutated[rng.int(0, mutated.length - 1)] = rng.int(0, 255);
      const cut = rng.bool(0.3) ? mutated.subarray(0, rng.int(0, mutated.length)) : mutated;
      typedOnly(() => decodeBinaryReport(rng.bool(0.1) ? rng.bytes(rng.int(0, 40)) : cut));
    }
  });

  it('decodes 50,000 mutated text messages with typed errors only', () => {
    const rng = new Random(1234);
    const alphabet = 'ESA1 d=s=t=;+-."%0123456789abcdefxyzTHB€\u0000\r\n';
    for (let i = 0; i < 50_000; i++) {
      const chars = [...encodeTextReport(randomMessage(rng))];
      for (let m = rng.int(1, 4); m > 0; m--) {
        const at = rng.int(0, chars.length - 1);
        const op = rng.int(0, 2);
        if (op === 0) chars[at] = rng.pick([...alphabet]);
        else if (op === 1) chars.splice(at, 1);
        else chars.splice(at, 0, rng.pick([...alphabet]));
      }
      typedOnly(() => decodeTextReport(rng.bool(0.3) ? chars.slice(0, rng.int(0, chars.length)).join('') : chars.join('')));
    }
  });
});
