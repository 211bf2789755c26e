/**
 * Golden bytes for every PDU type of SMPP v3.4 and v5.0: each case is assembled by hand from the
 * spec's field layout; we encode to exactly those bytes, decode them back to the same PDU, and
 * nothing is left over (decodePdu only accepts a whole PDU).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommandId, decodePdu, encodePdu } from '../../../src/smpp/index.js';
import type { CommandName } from '../../../src/smpp/index.js';
import { goldenCases } from '../../helpers/goldenPdus.js';
import { fromHex } from '../../helpers/smppBytes.js';

describe('golden bytes', () => {
  it('covers every command of v3.4 and v5.0', () => {
    const covered = new Set(goldenCases.map((c) => c.pdu.command));
    const missing = (Object.keys(CommandId) as CommandName[]).filter((name) => !covered.has(name));
    assert.deepEqual(missing, []);
  });

  for (const { pdu, hex } of goldenCases) {
    it(`${pdu.command}: encodes to the hand-assembled bytes and decodes back`, () => {
      const bytes = fromHex(hex);
      assert.equal(encodePdu(pdu).toString('hex'), bytes.toString('hex'));
      const decoded = decodePdu(bytes);
      assert.deepEqual(decoded, pdu);
      assert.equal(encodePdu(decoded).toString('hex'), bytes.toString('hex'));
    });
  }
});
