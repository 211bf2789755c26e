import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBinaryReport, encodeBinaryReport, decodeReport, type ReportMessage } from '../../../src/report/index.js';
import { decimalScale } from '../../../src/report/binaryFormat.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';

const sample: ReportMessage = {
  version: 1,
  device: '42',
  seq: 1071,
  baseTime: 1732212345,
  readings: [
    { kind: 'telemetry', time: 1732212345, fields: { T: 21.5, H: 40, B: 3.91 } },
    { kind: 'telemetry', time: 1732212405, fields: { T: 21.6, H: 40, B: 3.9 } },
    { kind: 'alarm', time: 1732212410, fields: { door: 'open', ok: true } },
  ],
};

describe('report binary format', () => {
  it('writes the documented layout, with deltas for time and repeated fields', () => {
    const hex = encodeBinaryReport(sample).toString('hex');
    // e1 | device "42" | seq 1071 | base 1732212345 | 3 readings
    // reading 1: kind 0, Δt 0, 3 fields: new "T" decimal/1 215, new "H" int 40, new "B" decimal/2 391
    // reading 2: kind 0 with the repeat flag (same keys as the last telemetry reading: no count, no key refs),
    //            Δt +60, T as delta/1 +1 (shorter than 216); H int 40 and B decimal/1 39, because their
    //            deltas (0, -1) would not be shorter than the values themselves
    // reading 3: kind 2, Δt +5, 2 fields: new "door" string "open", new "ok" true
    assert.equal(
      hex,
      'e1' + '023432' + 'af08' + 'f9ecfdb906' + '03' +
        '00' + '00' + '03' + '000154' + '11ae03' + '000148' + '0050' + '000142' + '218e06' +
        '80' + '78' + '16' + '02' + '00' + '50' + '11' + '4e' +
        '02' + '0a' + '02' + '0004646f6f72' + '0304' + '6f70656e' + '00026f6b' + '05',
    );
    assert.deepEqual(decodeBinaryReport(Buffer.from(hex, 'hex')), sample);
  });

  it('keeps floats that are not short decimals exactly', () => {
    const message: ReportMessage = {
      ...sample,
      readings: [{ kind: 'location', time: sample.baseTime, fields: { x: Math.PI, y: 1e-300, z: -123456.789012, w: 2 ** 60 } }],
    };
    assert.deepEqual(decodeBinaryReport(encodeBinaryReport(message)), message);
  });

  it('finds the smallest exact decimal scale', () => {
    assert.equal(decimalScale(21.5), 1);
    assert.equal(decimalScale(40), 0);
    assert.equal(decimalScale(3.91), 2);
    assert.equal(decimalScale(0.1 + 0.2), undefined);
    assert.equal(decimalScale(2 ** 60), undefined);
  });

  it('is chosen by decodeReport for octets, text for strings', () => {
    assert.deepEqual(decodeReport(encodeBinaryReport(sample)), sample);
  });

  const bad: ReadonlyArray<readonly [string, RegExp]> = [
    ['', /truncated/],
    ['00', /not a binary report/],
    ['e2', /unsupported binary report version 2/],
    ['e1023432', /truncated/],
    ['e1023432af08f9ecfdb9067f', /reading count exceeds/],
    ['e1023432af08f9ecfdb90601' + '09000100', /unknown kind code 9/],
    ['e1023432af08f9ecfdb90601' + '800000', /repeated reading of kind telemetry with nothing before it/],
    ['e1023432af08f9ecfdb90601' + '0000' + '01' + '05' + '00', /never defined/],
    ['e1023432af08f9ecfdb90601' + '0000' + '01' + '000154' + '06' + '02', /delta value with nothing before/],
    ['e1023432af08f9ecfdb90601' + '0000' + '01' + '000154' + '0f' + '00', /unknown value type 15/],
    ['e1023432af08f9ecfdb90601' + '0000' + '01' + '000154' + '00' + '02' + '00', /1 octets left/],
    ['e1' + '02ffff' , /not valid UTF-8/],
    ['e1023432' + 'ffffffffffffffffff', /varint too long/],
  ];
  for (const [hex, reason] of bad) {
    it(`rejects ${hex || '(empty)'} with a typed error`, () => {
      assert.throws(
        () => decodeBinaryReport(Buffer.from(hex, 'hex')),
        (error: unknown) => hasErrorCode(error, ErrorCode.Report_Malformed) && reason.test(error.message),
      );
    });
  }
});

describe('report binary format, kinds', () => {
  it('numbers custom kinds once per message and repeats their keys', () => {
    const message: ReportMessage = {
      version: 1,
      device: 'd',
      seq: 1,
      baseTime: 100,
      readings: [
        { kind: 'pump', time: 100, fields: { rpm: 1200 } },
        { kind: 'valve', time: 101, fields: { open: true } },
        { kind: 'pump', time: 102, fields: { rpm: 1210 } },
      ],
    };
    const bytes = encodeBinaryReport(message);
    // pump: 7f "pump"; valve: 7f "valve"; second pump reading: code 4 | repeat flag = 0x84
    assert.equal(bytes.toString('hex').match(/7f0470756d70/g)?.length, 1);
    assert.ok(bytes.includes(0x84));
    assert.deepEqual(decodeBinaryReport(bytes), message);
  });

  it('refuses __proto__ as a field name rather than decode it into a prototype', () => {
    const message: ReportMessage = { version: 1, device: 'd', seq: 1, baseTime: 1, readings: [{ kind: 'telemetry', time: 1, fields: JSON.parse('{"__proto__": 1}') as Record<string, number> }] };
    assert.throws(() => encodeBinaryReport(message), /field names must match/);
  });
});
