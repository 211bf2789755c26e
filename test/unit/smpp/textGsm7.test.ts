import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  gsm7Encode,
  gsm7Decode,
  gsm7Septets,
  gsm7Unencodable,
  packSeptets,
  unpackSeptets,
  fillBitsAfterUdh,
  stripCrPadding,
  septetsInOctets,
  gsm7DecodeNational,
} from '../../../src/smpp/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';

const ALL_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const ALL_EXTENSION = '\f^{}\\[~]|€';

describe('GSM 03.38 alphabet', () => {
  it('maps the main table to septets 0x00..0x7F in order, skipping the escape', () => {
    const septets = gsm7Encode(ALL_BASIC);
    const expected = [...Array(128).keys()].filter((c) => c !== 0x1b);
    assert.deepEqual([...septets], expected);
    assert.equal(gsm7Decode(septets), ALL_BASIC);
  });

  it('encodes every extension character as escape + code and counts two septets each', () => {
    const cases: Array<[string, number]> = [
      ['\f', 0x0a], ['^', 0x14], ['{', 0x28], ['}', 0x29], ['\\', 0x2f],
      ['[', 0x3c], ['~', 0x3d], [']', 0x3e], ['|', 0x40], ['€', 0x65],
    ];
    for (const [ch, code] of cases) {
      assert.deepEqual([...gsm7Encode(ch)], [0x1b, code], ch);
      assert.equal(gsm7Septets(ch), 2, ch);
      assert.equal(gsm7Decode(Buffer.of(0x1b, code)), ch);
    }
    assert.equal(gsm7Septets(ALL_EXTENSION), 20);
    assert.equal(gsm7Septets('a€b'), 4);
  });

  it('holds the Greek capitals of the main table', () => {
    assert.deepEqual([...gsm7Encode('ΔΦΓΛΩΠΨΣΘΞ')], [0x10, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a]);
    // Greek capitals that look Latin are not in the table as Greek code points: detected, not mapped.
    assert.deepEqual(gsm7Unencodable('ΑΒΓ'), ['Α', 'Β']);
  });

  it('detects characters outside the alphabet without mangling them', () => {
    assert.equal(gsm7Septets('hi 😀'), undefined);
    assert.deepEqual(gsm7Unencodable('café ç 😀 ç `'), ['ç', '😀', '`']);
    assert.deepEqual(gsm7Unencodable('plain @ text'), []);
    assert.throws(
      () => gsm7Encode('temp 21°C'),
      (e: unknown) => hasErrorCode(e, ErrorCode.Codec_UnencodableText) && (e.context.unencodable as string[])[0] === '°',
    );
  });

  it('decodes unknown escapes as the main-table character and a lone escape as a space', () => {
    assert.equal(gsm7Decode(Buffer.of(0x1b, 0x41)), 'A');
    assert.equal(gsm7Decode(Buffer.of(0x41, 0x1b)), 'A ');
    assert.equal(gsm7Decode(Buffer.of(0x1b, 0x1b, 0x42)), ' B');
  });
});

describe('septet packing', () => {
  it('packs "hellohello" as in 23.038', () => {
    const packed = packSeptets(gsm7Encode('hellohello'));
    assert.equal(packed.toString('hex').toUpperCase(), 'E8329BFD4697D9EC37');
    assert.equal(gsm7Decode(unpackSeptets(packed, 10)), 'hellohello');
  });

  it('packs known modem texts', () => {
    // From widely published SMS-SUBMIT examples.
    assert.equal(packSeptets(gsm7Encode('Hello')).toString('hex').toUpperCase(), 'C8329BFD06');
    assert.equal(packSeptets(gsm7Encode('Test')).toString('hex').toUpperCase(), 'D4F29C0E');
  });

  it('inserts fill bits so text after a UDH starts on a septet boundary', () => {
    assert.equal(fillBitsAfterUdh(6), 1); // 05 00 03 rr tt nn: 48 bits, next septet boundary at 49
    assert.equal(fillBitsAfterUdh(7), 0); // 06 08 04 …: 56 bits
    assert.equal(fillBitsAfterUdh(5), 2);
    assert.equal(fillBitsAfterUdh(0), 0);
    const septets = gsm7Encode('hellohello');
    for (let fill = 0; fill <= 6; fill++) {
      const packed = packSeptets(septets, fill);
      // Fill bits shift the whole little-endian bit string left.
      const asBig = (b: Buffer): bigint => b.reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
      assert.equal(asBig(packed), asBig(packSeptets(septets)) << BigInt(fill), `fill ${fill}`);
      assert.equal(packed.length, Math.ceil((fill + 70) / 8));
      assert.deepEqual(unpackSeptets(packed, 10, fill), septets);
    }
  });

  it('round-trips every length 0..200', () => {
    const text = ALL_BASIC + ALL_BASIC;
    for (let n = 0; n <= 200; n++) {
      const septets = gsm7Encode(text.slice(0, n));
      assert.deepEqual(unpackSeptets(packSeptets(septets, n % 7), septets.length, n % 7), septets);
    }
  });

  it('refuses to unpack more septets than the octets hold', () => {
    assert.throws(() => unpackSeptets(Buffer.of(0xe8, 0x32), 3), (e: unknown) => hasErrorCode(e, ErrorCode.Codec_Truncated));
  });

  it('pads 7 spare bits with <CR> when asked, and strips it again (23.038 §6.1.2.3.1)', () => {
    const seven = gsm7Encode('1234567');
    const plain = packSeptets(seven);
    const padded = packSeptets(seven, 0, { padWithCr: true });
    assert.equal(plain.length, 7);
    assert.equal(padded.length, 7);
    assert.equal(padded[6], (plain[6] ?? 0) | (0x0d << 1));
    const fromOctets = unpackSeptets(padded, septetsInOctets(padded.length));
    assert.equal(fromOctets.length, 8);
    assert.equal(gsm7Decode(stripCrPadding(fromOctets)), '1234567');
    // A wanted trailing <CR> that ends on an octet boundary is doubled, then read back as one.
    const withCr = gsm7Encode('1234567\r');
    const doubled = packSeptets(withCr, 0, { padWithCr: true });
    assert.equal(doubled.length, 8);
    const back = unpackSeptets(doubled, septetsInOctets(doubled.length));
    assert.equal(gsm7Decode(stripCrPadding(back)), '1234567\r');
    // Without padding, nothing is added.
    assert.equal(packSeptets(gsm7Encode('1234567\r')).length, 7);
  });
});

describe('national language locking shift tables (23.038 A.3.1, A.3.3)', () => {
  it('map all 127 non-escape septets to one character each, differing from the default where the spec says', () => {
    const all = Uint8Array.from({ length: 128 }, (_, i) => i).filter((i) => i !== 0x1b);
    const turkish = gsm7DecodeNational(all, { lockingShift: 1 }, gsm7Decode);
    const portuguese = gsm7DecodeNational(all, { lockingShift: 3 }, gsm7Decode);
    const standard = gsm7Decode(all);
    assert.equal(turkish.length, 127);
    assert.equal(portuguese.length, 127);
    const differences = (table: string): string => [...table].filter((ch, i) => ch !== standard[i]).join('');
    assert.equal(differences(turkish), '€ıĞğŞşİç');
    assert.equal(differences(portuguese), 'êúíóçÔôÁáªÇÀ∞^\\€Ó|ÂâÊºÍÃÕÚ~ãõ`');
  });
});
