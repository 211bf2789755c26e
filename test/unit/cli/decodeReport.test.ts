import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../helpers/cli.js';
import { encodeBinaryReport, type ReportMessage } from '../../../src/report/index.js';

const message: ReportMessage = {
  version: 1,
  device: '42',
  seq: 3,
  baseTime: 1732212345,
  readings: [{ kind: 'telemetry', time: 1732212345, fields: { T: 21.5 } }],
};

describe('edge-sms-agent decode-report', () => {
  it('decodes a text report to JSON', async () => {
    const result = await runCli(['decode-report', '--text', 'ESA1 d=42 s=3 t=1732212345;t T21.5', '--json']);
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), message);
  });

  it('decodes a binary report from hex, readable by default', async () => {
    const result = await runCli(['decode-report', '--hex', encodeBinaryReport(message).toString('hex')]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /device 42 {2}seq 3/);
    assert.match(result.stdout, /telemetry +T=21\.5/);
  });

  it('fails with exit 1 and a typed message on a malformed report', async () => {
    const result = await runCli(['decode-report', '--text', 'ESA1 d=42 s=3']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Report_Malformed \(700\): report: header item 3 must be t=/);
  });

  it('insists on exactly one input', async () => {
    const result = await runCli(['decode-report']);
    assert.equal(result.code, 2, 'a usage error');
    assert.match(result.stderr, /exactly one of --text or --hex/);
  });
});
