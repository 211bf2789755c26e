/**
 * Fuzzing the SMS PDU decoder: random octets and mutations of real PDUs (seeded, so a failure
 * reproduces). The decoder may accept or refuse, but refusals are AgentError(Modem_InvalidPdu)
 * only — never a RangeError, a TypeError or a hang.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeSmsPdu } from '../../../src/modem/sms/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';
import { randomSource } from '../../helpers/random.js';

const seeds = (JSON.parse(readFileSync(new URL('../../fixtures/modem/pdu-vectors.json', import.meta.url), 'utf8')) as Array<{ hex: string }>).map(
  (v) => Buffer.from(v.hex, 'hex'),
);

function mutate(random: () => number, source: Buffer): Buffer {
  const bytes = Buffer.from(source);
  const int = (n: number): number => Math.floor(random() * n);
  const rounds = 1 + int(4);
  let out = bytes;
  for (let r = 0; r < rounds; r++) {
    switch (int(7)) {
      case 0: // flip one bit
        if (out.length > 0) {
          const at = int(out.length);
          out[at] = (out[at] ?? 0) ^ (1 << int(8));
        }
        break;
      case 1: // replace an octet, favouring boundary values
        if (out.length > 0) out[int(out.length)] = [0x00, 0xff, 0x7f, 0x80, 0xa0, 0x8c, int(256)][int(7)] ?? 0;
        break;
      case 2: // truncate
        out = out.subarray(0, int(out.length + 1));
        break;
      case 3: // append junk
        out = Buffer.concat([out, Buffer.from(Array.from({ length: int(20) }, () => int(256)))]);
        break;
      case 4: // drop a slice
        if (out.length > 2) {
          const at = int(out.length - 1);
          out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + int(4))]);
        }
        break;
      case 5: // first octet: every MTI / flag combination
        {
          const smscLength = out[0] ?? 0;
          const fo = smscLength + 1;
          if (fo < out.length) out[fo] = int(256);
        }
        break;
      default: // a length field (SMSC length, address length, UDL, UDHL) set to something large
        if (out.length > 0) out[int(Math.min(out.length, 40))] = 0x80 + int(128);
        break;
    }
  }
  return out;
}

describe('SMS PDU decoder fuzz', () => {
  it('survives 120,000 random and mutated PDUs with typed errors only', () => {
    const random = randomSource(0x5eed2026);
    const cases = 120_000;
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < cases; i++) {
      let input: Buffer;
      if (i % 5 === 0) input = Buffer.from(Array.from({ length: Math.floor(random() * 180) }, () => Math.floor(random() * 256)));
      else input = mutate(random, seeds[Math.floor(random() * seeds.length)] ?? Buffer.alloc(0));
      const asHex = i % 7 === 0;
      try {
        const pdu = decodeSmsPdu(asHex ? input.toString('hex') : input, i % 3 === 0 ? { tpduLength: Math.floor(random() * 180) } : {});
        accepted++;
        assert.ok(pdu.tpduLength <= input.length);
        if (pdu.type !== 'SMS-STATUS-REPORT') assert.ok(pdu.userData.text === undefined || typeof pdu.userData.text === 'string');
      } catch (e) {
        if (!hasErrorCode(e, ErrorCode.Modem_InvalidPdu)) {
          assert.fail(`case ${i} (${input.toString('hex')}) threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
        }
        refused++;
      }
    }
    assert.equal(accepted + refused, cases);
    // Both outcomes must be exercised, or the mutations are not reaching the decoder's depths.
    assert.ok(accepted > cases / 10, `accepted ${accepted}`);
    assert.ok(refused > cases / 10, `refused ${refused}`);
  });
});
