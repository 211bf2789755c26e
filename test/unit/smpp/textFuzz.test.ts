/** Fuzzing the text layer's decoders: random headers and octets give typed errors or text, never a crash. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseUdh, decodeText, unpackSeptets, gsm7Decode, TEXT_ENCODINGS, buildUdh } from '../../../src/smpp/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';
import { randomSource } from '../../helpers/random.js';

describe('text layer fuzz', () => {
  it('parseUdh: 30,000 random headers give elements that re-encode, or Codec_InvalidUdh', () => {
    const random = randomSource(42);
    let parsed = 0;
    for (let i = 0; i < 30_000; i++) {
      const length = Math.floor(random() * 24);
      const bytes = Buffer.from(Array.from({ length }, (_, k) => (k === 0 ? Math.floor(random() * 20) : Math.floor(random() * (random() < 0.5 ? 10 : 256)))));
      try {
        const udh = parseUdh(bytes);
        parsed++;
        assert.ok(udh.headerLength <= bytes.length);
        assert.deepEqual(buildUdh(udh.elements), bytes.subarray(0, udh.headerLength));
      } catch (e) {
        if (!hasErrorCode(e, ErrorCode.Codec_InvalidUdh)) throw e;
      }
    }
    assert.ok(parsed > 1000, `parsed ${parsed}`);
  });

  it('decodeText and unpackSeptets never throw on any octets', () => {
    const random = randomSource(7);
    for (let i = 0; i < 20_000; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 50) }, () => Math.floor(random() * 256)));
      for (const encoding of TEXT_ENCODINGS) assert.equal(typeof decodeText(bytes, encoding), 'string');
      const septets = Math.floor((bytes.length * 8) / 7);
      assert.equal(gsm7Decode(unpackSeptets(bytes, septets)).length >= 0, true);
    }
  });
});
