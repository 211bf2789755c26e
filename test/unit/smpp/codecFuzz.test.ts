/**
 * Fuzzing the decoder and the framer with a seeded PRNG (set SMPP_FUZZ_SEED to replay a run).
 * decodePdu on 140,000 random and mutated PDUs: it returns or throws SmppDecodeError, nothing
 * else; what it returns re-encodes, and decoding that gives the same PDU. The framer on random
 * streams split at random points: never throws, frames equal the PDUs sent, memory stays bounded.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommandId, PduFramer, commandStatusName, decodePdu, encodePdu, isSmppDecodeError } from '../../../src/smpp/index.js';
import type { Pdu } from '../../../src/smpp/index.js';
import { goldenCases } from '../../helpers/goldenPdus.js';
import { Random } from '../../helpers/random.js';

const seed = Number(process.env.SMPP_FUZZ_SEED ?? 0x5eed5);
const commandIds = Object.values(CommandId);
const valid = goldenCases.map((c) => encodePdu(c.pdu));

function setLength(bytes: Buffer): Buffer {
  if (bytes.length >= 4) bytes.writeUInt32BE(bytes.length, 0);
  return bytes;
}

/** One mutation of a valid PDU; most keep command_length consistent so that the body gets exercised. */
function mutate(rng: Random, original: Buffer): Buffer {
  const bytes = Buffer.from(original);
  if (bytes.length < 16) return Buffer.concat([bytes, rng.bytes(rng.below(20))]);
  switch (rng.below(9)) {
    case 0: {
      for (let n = 1 + rng.below(4); n > 0; n--) bytes[16 + rng.below(Math.max(1, bytes.length - 16))] = rng.below(256);
      return bytes.length > 16 ? bytes : setLength(Buffer.concat([bytes, rng.bytes(rng.below(8))]));
    }
    case 1: {
      const at = rng.below(bytes.length);
      bytes[at] = (bytes[at] ?? 0) ^ (1 << rng.below(8));
      return bytes;
    }
    case 2:
      return setLength(bytes.subarray(0, 16 + rng.below(Math.max(1, bytes.length - 16))));
    case 3:
      return setLength(Buffer.concat([bytes, rng.bytes(1 + rng.below(12))]));
    case 4:
      bytes.writeUInt32BE(rng.pick([0, 1, 15, 16, bytes.length - 1, bytes.length + 1, 0xffffffff, rng.below(400)]), 0);
      return bytes;
    case 5:
      bytes.writeUInt32BE(rng.pick(commandIds), 4);
      return bytes;
    case 6:
      return rng.below(2) === 0 ? bytes.subarray(0, rng.below(bytes.length)) : Buffer.concat([bytes, rng.bytes(rng.below(4))]);
    case 7: {
      // Splice a TLV-shaped tail with a random tag and a length that may lie.
      const tlv = Buffer.alloc(4);
      tlv.writeUInt16BE(rng.pick([0x0005, 0x001e, 0x0204, 0x0210, 0x0424, 0x0427, 0x0428, 0x0609, 0x060f, 0x1403, rng.below(0x10000)]), 0);
      const valueLength = rng.below(6);
      tlv.writeUInt16BE(rng.below(4) === 0 ? rng.below(0x10000) : valueLength, 2);
      return setLength(Buffer.concat([bytes, tlv, rng.bytes(valueLength)]));
    }
    default: {
      // Zero out or fill a run: NULs and missing NULs are where C-Octet Strings break.
      const at = 16 + rng.below(Math.max(1, bytes.length - 16));
      bytes.fill(rng.pick([0x00, 0x41, 0xff]), at, Math.min(bytes.length, at + 1 + rng.below(30)));
      return bytes;
    }
  }
}

/** Random octets, a third of them NUL so that C-Octet Strings terminate often enough to get past them. */
function randomBody(rng: Random, length: number): Buffer {
  const body = rng.bytes(length);
  for (let i = 0; i < length; i++) if (rng.below(3) === 0) body[i] = 0;
  return body;
}

function randomPdu(rng: Random): Buffer {
  const body = randomBody(rng, rng.below(rng.below(2) === 0 ? 24 : 300));
  const header = Buffer.alloc(16);
  header.writeUInt32BE(16 + body.length, 0);
  header.writeUInt32BE(rng.below(8) === 0 ? rng.below(0x100000000) : rng.pick(commandIds), 4);
  header.writeUInt32BE(rng.below(4) === 0 ? rng.below(0x100) : 0, 8);
  header.writeUInt32BE(rng.below(0x80000000), 12);
  return Buffer.concat([header, body]);
}

interface Tally {
  decoded: number;
  refused: Map<string, number>;
}

function check(bytes: Buffer, tally: Tally, label: string): void {
  let pdu: Pdu;
  try {
    pdu = decodePdu(bytes);
  } catch (error) {
    if (!isSmppDecodeError(error)) assert.fail(`${label}: ${String(error)} for ${bytes.toString('hex')}`);
    const status = commandStatusName(error.commandStatus);
    tally.refused.set(status, (tally.refused.get(status) ?? 0) + 1);
    return;
  }
  tally.decoded++;
  const again = decodePdu(encodePdu(pdu));
  assert.deepEqual(again, pdu, `${label}: re-encoding changed ${bytes.toString('hex')}`);
}

describe(`codec fuzz (seed ${seed})`, () => {
  it('decodePdu survives 100,000 mutated valid PDUs', () => {
    const rng = new Random(seed);
    const tally: Tally = { decoded: 0, refused: new Map() };
    for (let i = 0; i < 100_000; i++) {
      let bytes = mutate(rng, rng.pick(valid));
      if (rng.below(3) === 0) bytes = mutate(rng, bytes);
      check(bytes, tally, `mutation ${i}`);
    }
    if (process.env.SMPP_FUZZ_VERBOSE !== undefined) console.log(tally);
    // Both outcomes must be common, or the mutations are not reaching the interesting code.
    assert.ok(tally.decoded > 5_000, `only ${tally.decoded} decoded`);
    for (const status of ['ESME_RINVCMDLEN', 'ESME_RINVCMDID', 'ESME_RINVTLVLEN', 'ESME_RINVTLVSTREAM', 'ESME_RINVMSGLEN', 'ESME_RINVDESTFLAG']) {
      assert.ok((tally.refused.get(status) ?? 0) > 0, `no ${status} seen: ${JSON.stringify([...tally.refused])}`);
    }
  });

  it('decodePdu survives 40,000 random PDUs', () => {
    const rng = new Random(seed + 1);
    const tally: Tally = { decoded: 0, refused: new Map() };
    for (let i = 0; i < 40_000; i++) check(rng.below(50) === 0 ? rng.bytes(rng.below(40)) : randomPdu(rng), tally, `random ${i}`);
    assert.ok(tally.decoded > 1_000, `only ${tally.decoded} decoded`);
  });

  it('the framer returns exactly the PDUs sent, whatever the chunking', () => {
    const rng = new Random(seed + 2);
    for (let round = 0; round < 300; round++) {
      const sent = Array.from({ length: 1 + rng.below(30) }, () => (rng.below(4) === 0 ? randomPdu(rng) : rng.pick(valid)));
      const stream = Buffer.concat(sent);
      const framer = new PduFramer({ maxPduSize: 4096 });
      const received: Buffer[] = [];
      for (let at = 0; at < stream.length; ) {
        const size = rng.below(4) === 0 ? 1 + rng.below(3) : 1 + rng.below(400);
        for (const event of framer.push(stream.subarray(at, at + size))) {
          assert.equal(event.kind, 'pdu');
          if (event.kind === 'pdu') received.push(Buffer.from(event.bytes));
        }
        at += size;
      }
      assert.equal(framer.buffered, 0);
      assert.deepEqual(received.map((b) => b.toString('hex')), sent.map((b) => b.toString('hex')), `round ${round}`);
    }
  });

  it('the framer never throws and stays within maxPduSize on random byte streams', () => {
    const rng = new Random(seed + 3);
    const maxPduSize = 512;
    for (let round = 0; round < 2_000; round++) {
      const framer = new PduFramer({ maxPduSize });
      const parts = Array.from({ length: 1 + rng.below(8) }, () => (rng.below(2) === 0 ? rng.pick(valid) : rng.bytes(rng.below(700))));
      const stream = Buffer.concat(parts);
      let frames = 0;
      for (let at = 0; at < stream.length; ) {
        const size = 1 + rng.below(300);
        for (const event of framer.push(stream.subarray(at, at + size))) {
          if (event.kind === 'pdu') {
            assert.ok(event.bytes.length >= 16 && event.bytes.length <= maxPduSize);
            assert.equal(event.bytes.readUInt32BE(0), event.bytes.length);
            frames++;
          } else if (event.kind === 'oversize') {
            assert.ok(event.commandLength > maxPduSize);
          } else {
            assert.ok(isSmppDecodeError(event.error));
          }
        }
        assert.ok(framer.buffered <= maxPduSize);
        at += size;
      }
      assert.ok(frames <= stream.length / 16);
    }
  });
});
