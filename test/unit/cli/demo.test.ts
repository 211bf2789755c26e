import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../helpers/cli.js';
import { decodePdu } from '../../../src/smpp/index.js';

describe('edge-sms-agent demo', () => {
  it('packs readings into fewer SMS than one per reading and shows a submit_sm that decodes', async () => {
    const result = await runCli(['demo', '--readings', '30']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /31 readings from sensors/);
    assert.match(result.stdout, /one JSON SMS per reading would cost 31 SMS/);
    const parts = [...result.stdout.matchAll(/(\d+) SMS part\(s\) in all/g)].map((m) => Number(m[1]));
    assert.equal(parts.length, 2);
    for (const count of parts) assert.ok(count > 0 && count < 31 / 4, `${count} parts`);
    const hex = /octets\n {3}([0-9a-f]+)\n/.exec(result.stdout)?.[1];
    assert.ok(hex !== undefined);
    assert.equal(decodePdu(Buffer.from(hex, 'hex')).command, 'submit_sm');
  });
});
