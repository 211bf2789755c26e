import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeText,
  decodeText,
  dataCodingFor,
  encodingForDataCoding,
  parseDcs,
  buildDcs,
  chooseEncoding,
  ucs2Encode,
  ucs2Decode,
  TEXT_ENCODINGS,
} from '../../../src/smpp/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';

describe('UCS-2 (UTF-16BE)', () => {
  it('encodes big-endian and keeps surrogate pairs', () => {
    assert.equal(ucs2Encode('Aж').toString('hex'), '00410436');
    assert.equal(ucs2Encode('😀').toString('hex'), 'd83dde00');
    assert.equal(ucs2Decode(Buffer.from('d83dde000041', 'hex')), '😀A');
  });

  it('shows an odd trailing octet as U+FFFD instead of failing', () => {
    assert.equal(ucs2Decode(Buffer.from('004100', 'hex')), 'A\uFFFD');
  });
});

describe('encodeText / decodeText', () => {
  const table: Array<[string, (typeof TEXT_ENCODINGS)[number], string]> = [
    ['Hi €', 'gsm7', '4869201b65'],
    ['Hi', 'ascii', '4869'],
    ['Grüße', 'latin1', '4772fcdf65'],
    ['ΔΣ😀', 'ucs2', '039403a3d83dde00'],
    ['00ff10', 'binary', '00ff10'],
  ];
  it('round-trips each encoding with golden bytes', () => {
    for (const [text, encoding, hex] of table) {
      const bytes = encodeText(text, encoding);
      assert.equal(bytes.toString('hex'), hex, `${encoding} ${text}`);
      assert.equal(decodeText(bytes, encoding), text, encoding);
    }
  });

  it('refuses characters an encoding cannot hold, naming them', () => {
    const refuses = (text: string, encoding: (typeof TEXT_ENCODINGS)[number], bad: string[]): void => {
      assert.throws(
        () => encodeText(text, encoding),
        (e: unknown) => hasErrorCode(e, ErrorCode.Codec_UnencodableText) && JSON.stringify(e.context.unencodable) === JSON.stringify(bad),
      );
    };
    refuses('€uro', 'latin1', ['€']);
    refuses('café', 'ascii', ['é']);
    refuses('ok 😀', 'gsm7', ['😀']);
    assert.throws(() => encodeText('abc', 'binary'), (e: unknown) => hasErrorCode(e, ErrorCode.Codec_InvalidEncoding));
  });

  it('reads IA5 octets as 7-bit', () => {
    assert.equal(decodeText(Buffer.of(0xc1), 'ascii'), 'A');
  });
});

describe('data coding', () => {
  it('maps encodings to SMPP data_coding and back', () => {
    const expected = { gsm7: 0x00, ascii: 0x01, latin1: 0x03, binary: 0x04, ucs2: 0x08 } as const;
    for (const encoding of TEXT_ENCODINGS) {
      assert.equal(dataCodingFor(encoding), expected[encoding]);
      assert.equal(encodingForDataCoding(expected[encoding]), encoding);
    }
  });

  it('lets data_coding 0x00 mean the SMSC default the link is configured with', () => {
    assert.equal(encodingForDataCoding(0x00, { smscDefault: 'latin1' }), 'latin1');
    assert.equal(encodingForDataCoding(0xf0, { smscDefault: 'latin1' }), 'gsm7');
  });

  it('reads SMPP-specific and 23.038 coding groups', () => {
    const table: Array<[number, string]> = [
      [0x02, 'binary'], [0x05, 'binary'], [0x06, 'binary'], [0x0e, 'binary'],
      [0x10, 'gsm7'], [0x11, 'gsm7'], [0x14, 'binary'], [0x18, 'ucs2'], [0x19, 'ucs2'],
      [0x24, 'binary'], // compressed 8-bit: unreadable, octets kept
      [0x38, 'binary'], // compressed UCS-2
      [0x48, 'ucs2'], // automatic deletion group, UCS-2
      [0x80, 'gsm7'], // reserved group: read as GSM 7-bit (23.038 §4)
      [0xc0, 'gsm7'], [0xd8, 'gsm7'], [0xe8, 'ucs2'],
      [0xf0, 'gsm7'], [0xf1, 'gsm7'], [0xf4, 'binary'], [0xf6, 'binary'],
    ];
    for (const [dc, encoding] of table) assert.equal(encodingForDataCoding(dc), encoding, `0x${dc.toString(16)}`);
  });

  it('takes TP-DCS apart per 23.038 §4', () => {
    assert.deepEqual(parseDcs(0x00), { alphabet: 'gsm7', group: 'general', compressed: false, reserved: false });
    assert.deepEqual(parseDcs(0x08), { alphabet: 'ucs2', group: 'general', compressed: false, reserved: false });
    assert.deepEqual(parseDcs(0x10), { alphabet: 'gsm7', group: 'general', compressed: false, reserved: false, messageClass: 0 });
    assert.deepEqual(parseDcs(0x16), { alphabet: '8bit', group: 'general', compressed: false, reserved: false, messageClass: 2 });
    assert.equal(parseDcs(0x2c).reserved, true);
    assert.equal(parseDcs(0x2c).compressed, true);
    assert.deepEqual(parseDcs(0xf5), { alphabet: '8bit', group: 'dataClass', compressed: false, reserved: false, messageClass: 1 });
    assert.deepEqual(parseDcs(0xc8).mwi, { active: true, kind: 'voicemail', store: false });
    assert.deepEqual(parseDcs(0xd1).mwi, { active: false, kind: 'fax', store: true });
    assert.equal(parseDcs(0xea).alphabet, 'ucs2');
    assert.deepEqual(parseDcs(0xea).mwi, { active: true, kind: 'email', store: true });
    for (let dcs = 0; dcs < 256; dcs++) assert.ok(parseDcs(dcs).alphabet);
    assert.equal(buildDcs('gsm7'), 0x00);
    assert.equal(buildDcs('8bit', { messageClass: 1 }), 0x15);
    assert.equal(buildDcs('ucs2', { messageClass: 0 }), 0x18);
  });
});

describe('chooseEncoding', () => {
  const table: Array<[string, boolean, string, number]> = [
    ['Hello', false, 'gsm7', 5],
    ['Price 5€ [net]', false, 'gsm7', 17],
    ['ΔΦΓΛΩΠΨΣΘΞ', false, 'gsm7', 10],
    ['ça va', false, 'ucs2', 5],
    ['ça va', true, 'latin1', 5],
    ['hi 😀', false, 'ucs2', 5],
    ['hi 😀', true, 'ucs2', 5],
    ['[[[[', true, 'latin1', 4], // 8 septets (56 bits) against 4 octets (32 bits)
    ['[a', true, 'latin1', 2], // 3 septets (21 bits) against 2 octets (16 bits)
    ['abc', true, 'gsm7', 3], // 21 bits against 24
    ['a[', false, 'gsm7', 3],
    ['', false, 'gsm7', 0],
  ];
  it('picks the smallest encoding that holds the text', () => {
    for (const [text, allowLatin1, encoding, units] of table) {
      assert.deepEqual(chooseEncoding(text, { allowLatin1 }), { encoding, units }, text);
    }
  });
});
