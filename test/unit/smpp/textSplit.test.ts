import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  splitText,
  splitBinary,
  parseUdh,
  decodeText,
  unpackSeptets,
  gsm7Decode,
  type SplitMethod,
  type SplitResult,
} from '../../../src/smpp/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';

const a = (n: number): string => 'a'.repeat(n);
const zh = (n: number): string => 'ж'.repeat(n);

/** The text of each part: UDH (when flagged) removed, octets decoded. */
function partTexts(result: SplitResult): string[] {
  return result.parts.map((part) => {
    const start = part.esmClassUdhi ? parseUdh(part.shortMessage).headerLength : 0;
    return decodeText(part.shortMessage.subarray(start), result.encoding);
  });
}

/** Units in each part: septets for gsm7, UTF-16 units for ucs2, octets otherwise. */
function partUnits(result: SplitResult): number[] {
  return result.parts.map((part) => {
    const start = part.esmClassUdhi ? parseUdh(part.shortMessage).headerLength : 0;
    const octets = part.shortMessage.length - start;
    return result.encoding === 'ucs2' ? octets / 2 : octets;
  });
}

describe('splitText: tricky strings, encodings and part counts', () => {
  const table: Array<{ name: string; text: string; method?: SplitMethod; encoding: string; units: number[] }> = [
    { name: '160 GSM characters fit one SMS', text: a(160), encoding: 'gsm7', units: [160] },
    { name: '161 GSM characters need two (153 + 8)', text: a(161), encoding: 'gsm7', units: [153, 8] },
    { name: '158 + € is 160 septets', text: a(158) + '€', encoding: 'gsm7', units: [160] },
    { name: '159 + € is 161 septets', text: a(159) + '€', encoding: 'gsm7', units: [153, 8] },
    { name: 'an escape straddling septet 153 moves whole to part 2', text: a(152) + '€' + a(10), encoding: 'gsm7', units: [152, 12] },
    { name: 'every extension character, 16 times (320 septets)', text: '\f^{}\\[~]|€'.repeat(16), encoding: 'gsm7', units: [152, 152, 16] },
    { name: '80 "[" are 160 septets', text: '['.repeat(80), encoding: 'gsm7', units: [160] },
    { name: '81 "[" are 162 septets', text: '['.repeat(81), encoding: 'gsm7', units: [152, 10] },
    { name: 'Greek capitals stay GSM', text: 'ΔΦΓΛΩΠΨΣΘΞ'.repeat(16), encoding: 'gsm7', units: [160] },
    { name: '306 characters are exactly two parts', text: a(306), encoding: 'gsm7', units: [153, 153] },
    { name: '307 characters are three', text: a(307), encoding: 'gsm7', units: [153, 153, 1] },
    { name: '16-bit reference: 152 septets a part', text: a(305), method: 'udh16', encoding: 'gsm7', units: [152, 152, 1] },
    { name: 'sar: 153 septets a part, room for the UDH the SMSC adds', text: a(161), method: 'sar', encoding: 'gsm7', units: [153, 8] },
    { name: '70 UCS-2 units fit one SMS', text: zh(70), encoding: 'ucs2', units: [70] },
    { name: '71 UCS-2 units need two (67 + 4)', text: zh(71), encoding: 'ucs2', units: [67, 4] },
    { name: 'an emoji ending exactly at unit 70', text: zh(68) + '😀', encoding: 'ucs2', units: [70] },
    { name: 'an emoji on the 67-unit boundary moves whole', text: zh(66) + '😀' + zh(5), encoding: 'ucs2', units: [66, 7] },
    { name: 'an emoji just before the boundary stays', text: zh(65) + '😀' + zh(5), encoding: 'ucs2', units: [67, 5] },
    { name: '16-bit reference: 66 UCS-2 units a part', text: zh(133), method: 'udh16', encoding: 'ucs2', units: [66, 66, 1] },
    { name: 'one emoji forces UCS-2 for the whole text', text: a(69) + '😀', encoding: 'ucs2', units: [67, 4] },
    { name: 'emoji only', text: '😀'.repeat(35), encoding: 'ucs2', units: [70] },
    { name: 'emoji only, 36 of them', text: '😀'.repeat(36), encoding: 'ucs2', units: [66, 6] },
  ];

  for (const row of table) {
    it(row.name, () => {
      const result = splitText(row.text, { method: row.method ?? 'udh8', reference: 0x42 });
      assert.equal(result.encoding, row.encoding);
      assert.equal(result.dataCoding, row.encoding === 'gsm7' ? 0x00 : 0x08);
      assert.deepEqual(partUnits(result), row.units);
      assert.equal(partTexts(result).join(''), row.text);
      for (const text of partTexts(result)) assert.ok(!text.includes('\uFFFD') && !/[\uD800-\uDBFF]$/.test(text));
      if (result.parts.length > 1 && row.method !== 'sar') {
        result.parts.forEach((part, index) => {
          const concat = parseUdh(part.shortMessage).concat;
          assert.equal(part.esmClassUdhi, true);
          assert.equal(concat?.total, result.parts.length);
          assert.equal(concat?.sequence, index + 1);
          assert.equal(concat?.reference, 0x42);
          assert.equal(concat?.referenceBits, row.method === 'udh16' ? 16 : 8);
        });
      }
    });
  }

  it('writes the 8-bit concatenation header byte for byte', () => {
    const result = splitText(a(161), { method: 'udh8', reference: 0x1ff });
    assert.equal(result.parts[0]?.shortMessage.subarray(0, 6).toString('hex'), '050003ff0201');
    assert.equal(result.parts[1]?.shortMessage.toString('hex'), '050003ff0202' + '61'.repeat(8));
  });

  it('writes the 16-bit concatenation header byte for byte', () => {
    const result = splitText(zh(71), { method: 'udh16', reference: 0xbeef });
    assert.equal(result.parts[1]?.shortMessage.toString('hex'), '060804beef0202' + '0436'.repeat(5));
  });

  it('packs GSM 7-bit with fill bits when asked: every part is exactly 140 octets', () => {
    const result = splitText(a(306), { method: 'udh8', reference: 1, gsm7Packing: 'packed' });
    assert.deepEqual(result.parts.map((p) => p.shortMessage.length), [140, 140]);
    const first = result.parts[0]?.shortMessage ?? Buffer.alloc(0);
    assert.equal(gsm7Decode(unpackSeptets(first.subarray(6), 153, 1)), a(153));
    const udh16 = splitText(a(305), { method: 'udh16', reference: 1, gsm7Packing: 'packed' });
    assert.deepEqual(udh16.parts.map((p) => p.shortMessage.length), [140, 140, 8]);
  });

  it('sar: parts carry sar_* TLVs and no UDH', () => {
    const result = splitText(a(400), { method: 'sar', reference: 0x1234 });
    assert.equal(result.parts.length, 3);
    result.parts.forEach((part, index) => {
      assert.equal(part.esmClassUdhi, false);
      assert.deepEqual(part.tlvs, [
        { tag: 0x020c, name: 'sar_msg_ref_num', value: 0x1234 },
        { tag: 0x020e, name: 'sar_total_segments', value: 3 },
        { tag: 0x020f, name: 'sar_segment_seqnum', value: index + 1 },
      ]);
    });
    assert.equal(splitText('short', { method: 'sar', reference: 1 }).parts[0]?.tlvs.length, 0);
  });

  it('payload: the whole message in one message_payload TLV', () => {
    const text = 'Ω'.repeat(1000);
    const result = splitText(text, { method: 'payload', reference: 0 });
    assert.equal(result.parts.length, 1);
    const part = result.parts[0];
    assert.equal(part?.shortMessage.length, 0);
    assert.equal(part?.tlvs[0]?.name, 'message_payload');
    assert.equal(part?.tlvs[0]?.tag, 0x0424);
    assert.equal(decodeText(part?.tlvs[0]?.value as Buffer, 'gsm7'), text);
  });

  it('Latin-1 and 8-bit: 140 octets, then 134 a part', () => {
    const latin = splitText('ç'.repeat(141), { method: 'udh8', reference: 1, encoding: 'latin1' });
    assert.equal(latin.dataCoding, 0x03);
    assert.deepEqual(partUnits(latin), [134, 7]);
    assert.deepEqual(partUnits(splitText('ç'.repeat(140), { method: 'udh8', reference: 1, encoding: 'latin1' })), [140]);
    assert.deepEqual(partUnits(splitText('ç'.repeat(141), { method: 'udh8', reference: 1, allowLatin1: true })), [134, 7]);
    const table: Array<[number, SplitMethod, number[]]> = [
      [134, 'udh8', [134]],
      [140, 'udh8', [140]],
      [141, 'udh8', [134, 7]],
      [268, 'udh8', [134, 134]],
      [269, 'udh8', [134, 134, 1]],
      [141, 'udh16', [133, 8]],
    ];
    for (const [length, method, units] of table) {
      const result = splitBinary(Buffer.alloc(length, 0xa5), { method, reference: 9 });
      assert.equal(result.encoding, 'binary');
      assert.equal(result.dataCoding, 0x04);
      assert.deepEqual(partUnits(result), units, `${length} ${method}`);
    }
  });

  it('binary with application ports: port element in every part', () => {
    const ports = { destinationPort: 2948, sourcePort: 9200 };
    const single = splitBinary(Buffer.alloc(133, 1), { method: 'udh8', reference: 3, ports });
    assert.equal(single.parts.length, 1);
    assert.equal(single.parts[0]?.shortMessage.subarray(0, 7).toString('hex'), '0605040b8423f0');
    const multi = splitBinary(Buffer.alloc(134, 1), { method: 'udh8', reference: 3, ports });
    assert.deepEqual(partUnits(multi), [128, 6]);
    assert.equal(multi.parts[0]?.shortMessage.subarray(0, 12).toString('hex'), '0b000303020105040b8423f0');
    const sar = splitBinary(Buffer.alloc(10, 1), { method: 'sar', reference: 3, ports: { ...ports, portBits: 8 } });
    assert.deepEqual(sar.parts[0]?.tlvs.map((t) => [t.name, t.value]), [['source_port', 9200], ['destination_port', 2948]]);
  });

  it('refuses more parts than allowed, unencodable text and bad references', () => {
    assert.throws(() => splitText(a(1000), { method: 'udh8', reference: 1, maxParts: 3 }), (e: unknown) => hasErrorCode(e, ErrorCode.Codec_PduTooLarge));
    assert.throws(() => splitText(a(153 * 256), { method: 'udh8', reference: 1 }), (e: unknown) => hasErrorCode(e, ErrorCode.Codec_PduTooLarge));
    assert.throws(() => splitText('😀', { method: 'udh8', reference: 1, encoding: 'gsm7' }), (e: unknown) => hasErrorCode(e, ErrorCode.Codec_UnencodableText));
    assert.throws(() => splitText('x', { method: 'udh16', reference: 70000 }), (e: unknown) => hasErrorCode(e, ErrorCode.Codec_InvalidField));
  });
});
