import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildUdh, parseUdh, type UdhElement } from '../../../src/smpp/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';

describe('user data header', () => {
  const golden: Array<[string, UdhElement[]]> = [
    ['050003420301', [{ type: 'concat', referenceBits: 8, reference: 0x42, total: 3, sequence: 1 }]],
    ['0608041234ff02', [{ type: 'concat', referenceBits: 16, reference: 0x1234, total: 0xff, sequence: 2 }]],
    ['0404021510', [{ type: 'ports', portBits: 8, destinationPort: 0x15, sourcePort: 0x10 }]],
    ['06050423f40000', [{ type: 'ports', portBits: 16, destinationPort: 9204, sourcePort: 0 }]],
    [
      '0b000307020105040b8423f0', // concatenation, then WAP push ports 2948 ← 9200
      [
        { type: 'concat', referenceBits: 8, reference: 7, total: 2, sequence: 1 },
        { type: 'ports', portBits: 16, destinationPort: 2948, sourcePort: 9200 },
      ],
    ],
    ['0424020102', [{ type: 'raw', iei: 0x24, data: Buffer.of(1, 2) }]], // national single shift, kept raw
  ];

  it('builds and parses golden headers', () => {
    for (const [hex, elements] of golden) {
      assert.equal(buildUdh(elements).toString('hex'), hex);
      const parsed = parseUdh(Buffer.from(`${hex}cafe`, 'hex'));
      assert.deepEqual(parsed.elements, elements);
      assert.equal(parsed.headerLength, hex.length / 2);
    }
  });

  it('exposes the concatenation and port elements in force', () => {
    const parsed = parseUdh(Buffer.from('0b000307020105040b8423f0', 'hex'));
    assert.deepEqual(parsed.concat, { type: 'concat', referenceBits: 8, reference: 7, total: 2, sequence: 1 });
    assert.equal(parsed.ports?.destinationPort, 2948);
    // Two concatenation elements: the last one counts (23.040 §9.2.3.24).
    assert.equal(parseUdh(Buffer.from('0a00030102010003020201', 'hex')).concat?.reference, 2);
  });

  it('ignores concatenation elements with zero total or an out-of-range sequence, keeping them raw', () => {
    for (const hex of ['050003010000', '050003010203', '050003010100']) {
      const parsed = parseUdh(Buffer.from(hex, 'hex'));
      assert.equal(parsed.concat, undefined, hex);
      assert.equal(parsed.elements[0]?.type, 'raw');
      assert.equal(buildUdh(parsed.elements).toString('hex'), hex);
    }
  });

  it('rejects malformed headers with Codec_InvalidUdh', () => {
    for (const hex of ['', '05000301', '0500', '03000301', '0400020102', '050004010201', '0405010203', '03080301']) {
      assert.throws(() => parseUdh(Buffer.from(hex, 'hex')), (e: unknown) => hasErrorCode(e, ErrorCode.Codec_InvalidUdh), hex);
    }
    assert.throws(
      () => buildUdh([{ type: 'concat', referenceBits: 8, reference: 256, total: 2, sequence: 1 }]),
      (e: unknown) => hasErrorCode(e, ErrorCode.Codec_InvalidUdh),
    );
    assert.throws(
      () => buildUdh([{ type: 'concat', referenceBits: 8, reference: 1, total: 2, sequence: 3 }]),
      (e: unknown) => hasErrorCode(e, ErrorCode.Codec_InvalidUdh),
    );
  });
});
