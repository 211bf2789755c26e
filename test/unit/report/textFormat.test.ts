import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTextReport, encodeTextReport, type ReportMessage } from '../../../src/report/index.js';
import { hasErrorCode, ErrorCode } from '../../../src/errors.js';

const sample: ReportMessage = {
  version: 1,
  device: '42',
  seq: 1071,
  baseTime: 1732212345,
  readings: [
    { kind: 'telemetry', time: 1732212345, fields: { T: 21.5, H: 40, B: 3.91 } },
    { kind: 'location', time: 1732212465, fields: { lat: 51.5072, lon: -0.1276 } },
    { kind: 'alarm', time: 1732212475, fields: { door: 'open now', level: 3, ack: false } },
    { kind: 'pump_state', time: 1732212300, fields: { rpm_2: 1200 } },
  ],
};

describe('report text format', () => {
  it('writes the documented compact form', () => {
    assert.equal(
      encodeTextReport(sample),
      'ESA1 d=42 s=1071 t=1732212345;t T21.5 H40 B3.91;l+120 lat51.5072 lon-0.1276;a+130 door="open now" level3 ack=false;pump_state-45 rpm_2=1200',
    );
  });

  it('reads its own output back to the same message', () => {
    assert.deepEqual(decodeTextReport(encodeTextReport(sample)), sample);
  });

  it('percent-encodes what is not GSM-7 basic, and the delimiters', () => {
    const message: ReportMessage = {
      version: 1,
      device: 'pi-7',
      seq: 0,
      baseTime: 0,
      readings: [{ kind: 'reply', time: 0, fields: { note: 'café 50% "x" [ok] €' } }],
    };
    const text = encodeTextReport(message);
    assert.equal(text, 'ESA1 d=pi-7 s=0 t=0;r note="caf%C3%A9 50%25 %22x%22 %5Bok%5D %E2%82%AC"');
    assert.deepEqual(decodeTextReport(text), message);
  });

  it('tolerates extra spaces around separators', () => {
    const decoded = decodeTextReport('  ESA1  d=42 s=1 t=100 ;  t+5  T1  ; a x=true ');
    assert.deepEqual(decoded.readings, [
      { kind: 'telemetry', time: 105, fields: { T: 1 } },
      { kind: 'alarm', time: 100, fields: { x: true } },
    ]);
  });

  const bad: ReadonlyArray<readonly [string, RegExp]> = [
    ['hello there', /not a report/],
    ['ESA2 d=1 s=1 t=1;t T1', /unsupported format ESA2/],
    ['ESA1 d=1 s=x t=1;t T1', /s must be a whole number/],
    ['ESA1 s=1 d=1 t=1;t T1', /header item 1 must be d=/],
    ['ESA1 d=1 s=1 t=1', /at least one reading/],
    ['ESA1 d=1 s=1 t=1;q T1', /unknown kind code/],
    ['ESA1 d=1 s=1 t=1;t T1 T2', /repeated/],
    ['ESA1 d=1 s=1 t=1;t T1x', /bad number/],
    ['ESA1 d=1 s=1 t=1;t note="abc', /unterminated/],
    ['ESA1 d=1 s=1 t=1;t note="%ZZ"', /bad escape/],
    ['ESA1 d=1 s=1 t=1;t note="%FF"', /invalid UTF-8/],
    ['ESA1 d=1 s=1 t=1;t Tinf', /bad field/],
    ['ESA1 d=1 s=1 t=1;t x=1e999', /bad number/],
    ['ESA1 d=1 s=99999999999 t=1;t T1', /seq must be an integer/],
  ];
  for (const [text, reason] of bad) {
    it(`rejects ${JSON.stringify(text)} with a typed error`, () => {
      assert.throws(
        () => decodeTextReport(text),
        (error: unknown) => hasErrorCode(error, ErrorCode.Report_Malformed) && reason.test(error.message),
      );
    });
  }

  it('refuses to encode what it could not decode', () => {
    const withNaN: ReportMessage = { ...sample, readings: [{ kind: 'telemetry', time: 1, fields: { T: Number.NaN } }] };
    assert.throws(() => encodeTextReport(withNaN), /finite number/);
    const badKind: ReportMessage = { ...sample, readings: [{ kind: 'X', time: 1, fields: {} }] };
    assert.throws(() => encodeTextReport(badKind), /kind must match/);
  });
});

describe('text reports: configured kinds named like object properties', () => {
  it('writes a kind named constructor in full and reads it back', () => {
    const message: ReportMessage = { version: 1, device: '42', seq: 1, baseTime: 100, readings: [{ kind: 'constructor', time: 160, fields: { T: 1 } }] };
    const text = encodeTextReport(message);
    assert.equal(text, 'ESA1 d=42 s=1 t=100;constructor+60 T1');
    assert.deepEqual(decodeTextReport(text), message);
  });
});
