/**
 * The SMS PDU codec against 3GPP TS 23.040 / 23.038 rules and other libraries' published vectors
 * (python-gsmmodem test/test_pdu.py, ModemManager test-sms-part-3gpp.c), beyond the shared vector file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeSmsPdu,
  decodeTimestamp,
  describeStatus,
  encodeDeliverPdu,
  encodeStatusReportPdu,
  encodeSubmit,
  encodeSubmitPdu,
  encodeTimestamp,
  encodeTpAddress,
  relativeVpFor,
  relativeVpSeconds,
} from '../../../src/modem/sms/index.js';
import { ErrorCode, hasErrorCode } from '../../../src/errors.js';

const isInvalidPdu = (e: unknown): boolean => hasErrorCode(e, ErrorCode.Modem_InvalidPdu);

describe('addresses (23.040 §9.1.2.5)', () => {
  it('encodes semi-octet numbers with F padding, and alphanumeric names packed', () => {
    const table: Array<[string | { value: string; toa: number }, string]> = [
      ['+9876543210', '0A918967452301'],
      ['+987654321', '099189674523F1'],
      ['+27829135934', '0B917228195339F4'],
      [{ value: '0129998765', toa: 0xa1 }, '0AA11092997856'],
      ['abc', '06D061F118'],
      ['FRANCOIS', '0ED04669D0397C26A7'],
      ['a[]{}€', '14D0E10D6FE3DBA036A94D19'],
      ['Megafon', '0DD0CDF2396C7EBB01'],
      ['FONIC', '09D0C6A7333904'],
    ];
    for (const [input, hex] of table) assert.equal(encodeTpAddress(input).toString('hex').toUpperCase(), hex, JSON.stringify(input));
  });

  it('decodes * # a b c digits and TON/NPI', () => {
    // A real ZTE status report (python-gsmmodem): the recipient holds a '#' digit and SMSC TOA 0x97.
    const pdu = decodeSmsPdu('0297F1061C0F910B487228297020F5317062419272803170624192138000');
    assert.equal(pdu.type, 'SMS-STATUS-REPORT');
    if (pdu.type !== 'SMS-STATUS-REPORT') return;
    assert.equal(pdu.smsc?.value, '+1');
    assert.equal(pdu.smsc?.npi, 7);
    assert.equal(pdu.recipient.value, '+#08427829207025');
    assert.equal(pdu.mr, 28);
    assert.equal(pdu.scts, '2013-07-26T14:29:27+02:00');
    assert.equal(pdu.dischargeTime, '2013-07-26T14:29:31+02:00');
    assert.equal(pdu.status.name, 'delivered');
  });

  it('refuses addresses it cannot represent', () => {
    assert.throws(() => encodeTpAddress('ThisNameIsTooLong'), isInvalidPdu);
    assert.throws(() => encodeTpAddress({ value: '12-34', toa: 0x81 }), isInvalidPdu);
    assert.throws(() => encodeTpAddress('+123456789012345678901'), isInvalidPdu);
  });
});

describe('time stamps (23.040 §9.2.3.11)', () => {
  const table: Array<[string, string]> = [
    ['51117200000000', '2015-11-27T00:00:00+00:00'],
    ['51117200000080', '2015-11-27T00:00:00+02:00'],
    ['70402132522423', '2007-04-12T23:25:42+08:00'],
    ['7040213252242B', '2007-04-12T23:25:42-08:00'],
    ['1120821105050A', '2011-02-28T11:50:50-05:00'],
    ['31308051206180', '2013-03-08T15:02:16+02:00'],
    ['11208211050529', '2011-02-28T11:50:50-03:00'],
    ['11208211050583', '2011-02-28T11:50:50+09:30'],
  ];
  it('decodes and encodes swapped BCD with quarter-hour zones and the sign bit', () => {
    for (const [hex, iso] of table) {
      assert.equal(decodeTimestamp(Buffer.from(hex, 'hex')), iso, hex);
      assert.equal(encodeTimestamp(iso).toString('hex').toUpperCase(), hex, iso);
    }
    assert.equal(encodeTimestamp(new Date('2015-11-27T00:00:00Z')).toString('hex'), '51117200000000');
    assert.equal(encodeTimestamp('2015-11-27T02:00:00Z').toString('hex'), '51117220000000');
  });

  it('reads an impossible time as undefined, not as a crash', () => {
    for (const hex of ['FF117200000000', '51317200000000', '5111720000009F', '511172']) assert.equal(decodeTimestamp(Buffer.from(hex, 'hex')), undefined, hex);
    // An SMS-DELIVER whose SCTS has a non-BCD year: the message still decodes, without a time.
    const deliver = decodeSmsPdu('00040B917228214365F70000FF117200000000' + '05C8329BFD06');
    assert.ok(deliver.type === 'SMS-DELIVER');
    assert.equal(deliver.scts, undefined);
    assert.equal(deliver.userData.text, 'Hello');
    assert.match(deliver.warnings.join(), /TP-SCTS FF117200000000 is not a valid time/);
  });
});

describe('validity period (23.040 §9.2.3.12)', () => {
  it('maps relative values both ways', () => {
    const table: Array<[number, number]> = [[0, 300], [5, 1800], [143, 43200], [151, 57600], [167, 86400], [169, 3 * 86400], [196, 30 * 86400], [197, 5 * 604800], [255, 63 * 604800]];
    for (const [raw, seconds] of table) {
      assert.equal(relativeVpSeconds(raw), seconds, `raw ${raw}`);
      assert.equal(relativeVpFor(seconds), raw, `${seconds} s`);
    }
    assert.equal(relativeVpFor(301), 1); // rounds up: never shorter than asked
    assert.equal(relativeVpFor(10 ** 9), 255);
  });

  it('encodes an absolute validity period (python-gsmmodem vector)', () => {
    const hex = '0019000B917228001011F100003170013193008017D474BB3CA787DB70903DCC4E93D3F43C885E9ED301';
    const encoded = encodeSubmitPdu({ destination: '+27820001111', validity: { absolute: '2013-07-10T13:39:00+02:00' }, userData: { text: 'Timestamp validity test' } });
    assert.equal(encoded.hex, hex);
    const pdu = decodeSmsPdu(hex);
    assert.ok(pdu.type === 'SMS-SUBMIT' && pdu.validity?.format === 'absolute');
    assert.equal(pdu.validity.time, '2013-07-10T13:39:00+02:00');
  });

  it('decodes enhanced validity periods', () => {
    const base = { destination: '+27820001111', userData: { text: 'x' } };
    const relative = decodeSmsPdu(encodeSubmitPdu({ ...base, validity: { enhanced: Buffer.from('01A70000000000', 'hex') } }).hex);
    assert.ok(relative.type === 'SMS-SUBMIT' && relative.validity?.format === 'enhanced');
    assert.equal(relative.validity.seconds, 86400);
    const seconds = decodeSmsPdu(encodeSubmitPdu({ ...base, validity: { enhanced: Buffer.from('422D0000000000', 'hex') } }).hex);
    assert.ok(seconds.type === 'SMS-SUBMIT' && seconds.validity?.format === 'enhanced');
    assert.deepEqual([seconds.validity.seconds, seconds.validity.singleShot], [45, true]);
    const hms = decodeSmsPdu(encodeSubmitPdu({ ...base, validity: { enhanced: Buffer.from('03103254000000', 'hex') } }).hex);
    assert.ok(hms.type === 'SMS-SUBMIT' && hms.validity?.format === 'enhanced');
    assert.equal(hms.validity.seconds, 1 * 3600 + 23 * 60 + 45);
  });
});

describe('TP-Status (23.040 §9.2.3.15)', () => {
  it('names every class of status', () => {
    const table: Array<[number, string, string, boolean]> = [
      [0x00, 'delivered', 'completed', true],
      [0x01, 'forwardedUnconfirmed', 'completed', true],
      [0x02, 'replaced', 'completed', true],
      [0x10, 'scSpecific', 'completed', true],
      [0x20, 'congestion', 'temporary', false],
      [0x21, 'smeBusy', 'temporary', false],
      [0x25, 'errorInSme', 'temporary', false],
      [0x26, 'reserved', 'temporary', false],
      [0x30, 'scSpecific', 'temporary', false],
      [0x41, 'incompatibleDestination', 'permanent', true],
      [0x46, 'validityExpired', 'permanent', true],
      [0x49, 'doesNotExist', 'permanent', true],
      [0x50, 'scSpecific', 'permanent', true],
      [0x60, 'congestion', 'temporaryFinal', true],
      [0x65, 'errorInSme', 'temporaryFinal', true],
    ];
    for (const [value, name, category, final] of table) {
      const s = describeStatus(value);
      assert.deepEqual([s.name, s.category, s.final], [name, category, final], `0x${value.toString(16)}`);
    }
    assert.equal(describeStatus(0x43).meaning, 'permanent error, SC not trying: not obtainable');
  });
});

describe('DCS and user data', () => {
  it('decodes GSM 7-bit with extension characters and escapes (python-gsmmodem @{tést}!)', () => {
    const pdu = decodeSmsPdu('06917228195339040B917228214365F70000313062315352800A800D8A5E98D337A910');
    assert.ok(pdu.type === 'SMS-DELIVER');
    assert.equal(pdu.userData.text, '@{tést}!');
  });

  it('tolerates a TP-UDL longer than the data (python-gsmmodem UCS-2 capture) with a warning', () => {
    const pdu = decodeSmsPdu('0041010C910661345542F60008A0050003000301306F3044');
    assert.ok(pdu.type === 'SMS-SUBMIT');
    assert.equal(pdu.userData.text, 'はい');
    assert.deepEqual(pdu.userData.header?.concat, { type: 'concat', referenceBits: 8, reference: 0, total: 3, sequence: 1 });
    assert.match(pdu.warnings.join(), /TP-UDL announces 160/);
  });

  it('keeps message class, compression and MWI groups, and leaves compressed text as octets', () => {
    const make = (dcs: number, data: string): ReturnType<typeof decodeSmsPdu> =>
      decodeSmsPdu(encodeDeliverPdu({ originator: '+4912345', scts: '2024-01-01T00:00:00+00:00', dcs, userData: { data: Buffer.from(data, 'hex') } }).hex);
    const flash = decodeSmsPdu(encodeDeliverPdu({ originator: '+4912345', scts: '2024-01-01T00:00:00+01:00', messageClass: 0, userData: { text: 'Alarm!' } }).hex);
    assert.ok(flash.type === 'SMS-DELIVER');
    assert.deepEqual([flash.dcs.value, flash.dcs.messageClass, flash.userData.text], [0x10, 0, 'Alarm!']);
    const compressed = make(0x2a, '0102');
    assert.ok(compressed.type === 'SMS-DELIVER');
    assert.deepEqual([compressed.dcs.compressed, compressed.userData.text, compressed.userData.data.toString('hex')], [true, undefined, '0102']);
    const mwi = decodeSmsPdu(encodeDeliverPdu({ originator: '+4912345', scts: '2024-01-01T00:00:00+01:00', dcs: 0xc8, userData: { text: 'Voicemail' } }).hex);
    assert.ok(mwi.type === 'SMS-DELIVER');
    assert.deepEqual([mwi.dcs.mwi, mwi.userData.text], [{ active: true, kind: 'voicemail', store: false }, 'Voicemail']);
  });

  it('puts UDH fill bits so the text starts on a septet boundary, with 16-bit references and ports', () => {
    const header = [
      { type: 'concat' as const, referenceBits: 16 as const, reference: 0x1234, total: 2, sequence: 2 },
      { type: 'ports' as const, portBits: 16 as const, destinationPort: 2948, sourcePort: 9200 },
    ];
    for (const text of ['a', 'hello', 'ΔΦ{}€ plain', 'x'.repeat(145)]) {
      const pdu = decodeSmsPdu(encodeSubmitPdu({ destination: '+491701234567', userData: { text, header } }).hex);
      assert.ok(pdu.type === 'SMS-SUBMIT' && pdu.udhi);
      assert.equal(pdu.userData.text, text);
      assert.deepEqual(pdu.userData.header?.elements, header);
      assert.equal(pdu.userData.udl, 15 + [...text].reduce((n, c) => n + ('{}€'.includes(c) ? 2 : 1), 0)); // 13-octet UDH = 104 bits = 15 septets (1 fill bit) + text
    }
    assert.throws(() => encodeSubmitPdu({ destination: '1', userData: { text: 'x'.repeat(146), header } }), isInvalidPdu);
  });

  it('decodes a status report carrying TP-PI with PID, DCS and user data', () => {
    const base = encodeStatusReportPdu({ mr: 7, recipient: '+4912345', scts: '2024-05-01T10:00:00+02:00', dischargeTime: '2024-05-01T10:00:05+02:00', status: 0x00 });
    const pdu = decodeSmsPdu(`${base.hex}07000004D4F29C0E`);
    assert.ok(pdu.type === 'SMS-STATUS-REPORT');
    assert.deepEqual([pdu.parameterIndicator, pdu.pid, pdu.dcs?.value, pdu.userData?.text], [7, 0, 0, 'Test']);
  });
});

describe('SMS-SUBMIT for sending', () => {
  const lorem =
    'Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.Ut enim ad minim veniam, quinostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.Duis aute irure dolor in reprehenderit in voluptate velit esse cillum doloe eu fugiat nulla pariatur.Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum';

  it('splits a long text into concatenated PDUs byte-identical to python-gsmmodem', () => {
    const pdus = encodeSubmit({ destination: '+15125551234', text: lorem, reference: 0, rejectDuplicates: true });
    assert.deepEqual(pdus.map((p) => p.hex), [
      '0045000B915121551532F40000A0050003000301986F79B90D4AC3E7F53688FC66BFE5A0799A0E0AB7CB741668FC76CFCB637A995E9783C2E4343C3D4F8FD3EE33A8CC4ED359A079990C22BF41E5747DDE7E9341F4721BFE9683D2EE719A9C26D7DD74509D0E6287C56F791954A683C86FF65B5E06B5C36777181466A7E3F5B0AB4A0795DDE936284C06B5D3EE741B642FBBD3E1360B14AFA7DD',
      '0045000B915121551532F40000A0050003000302DE73BABC4E0695F165F9384D0FD3D36F37A8CE6687DBE337881D16BFE5E939C89D9EA741753A28CC4EC7EB6938A88C0795C3A0F1BBDD7E93DFA0F1DB3D2FC7EB61BA8B584FCF41E13ABD0C4ACBEBF23288FC66BFE5A0B41B242FC3E56574D94D2ECBD37450DA0DB2BFD975383D4C2F83EC65769A0E2ACFE765D038CD66D7DB20F29BFD2E83CA',
      '0045000B915121551532F400008C050003000303EA2073FD9C0ED341EE3A9B1D06C1C3F274985E97BB8AF871194E2FD7E5A079DA4D07BDC7E370791CA683C675789A1CA687E920F7DB0D82CBDF6972D94D6781E675371D947683C675363C0C8AD7D3A0B7D99C1EA7C32072795E96D7DD7450FBCD66A7E9A0B03BDD06A5C9A0F29C0E6287C56F79BD0D',
    ]);
    assert.deepEqual(pdus.map((p) => p.tpduLength), [153, 153, 136]);
  });

  it('matches python-gsmmodem single-part encodings (VP, SMSC, national numbers)', () => {
    assert.equal(encodeSubmit({ destination: '+27820001111', text: 'Hello World!', reference: 0 })[0]?.hex, '0001000B917228001011F100000CC8329BFD065DDF72363904');
    assert.equal(
      encodeSubmit({ destination: '+123456789', text: '世界您好！', reference: 0, validity: { relativeSeconds: 52 * 604800 }, smsc: '+44000000000' })[0]?.hex,
      '07914400000000F01100099121436587F90008F40A4E16754C60A8597DFF01',
    );
    assert.equal(
      encodeSubmit({ destination: { value: '0126541234', toa: 0xa1 }, smsc: { value: '12345', toa: 0xa1 }, text: 'Test message: local numbers', reference: 0, mr: 13, validity: { relativeSeconds: 3 * 86400 }, statusReportRequest: true })[0]?.hex,
      '04A12143F5310D0AA110624521430000A91BD4F29C0E6A97E7F3F0B9AC03B1DFE3301BE4AEB7C565F91C',
    );
  });

  it('UCS-2 long texts: 67 units a part, emoji never split; reassembles to the original', () => {
    const text = 'Тревога 🚨 '.repeat(20);
    const pdus = encodeSubmit({ destination: '+491701234567', text, reference: 77, referenceBits: 16 });
    const decoded = pdus.map((p) => decodeSmsPdu(p.hex));
    let joined = '';
    decoded.forEach((pdu, i) => {
      assert.ok(pdu.type === 'SMS-SUBMIT');
      assert.equal(pdu.dcs.alphabet, 'ucs2');
      assert.deepEqual(pdu.userData.header?.concat, { type: 'concat', referenceBits: 16, reference: 77, total: pdus.length, sequence: i + 1 });
      assert.ok(pdu.userData.data.length <= 132);
      assert.ok(!/[\uD800-\uDBFF]$/.test(pdu.userData.text ?? ''));
      joined += pdu.userData.text ?? '';
    });
    assert.equal(joined, text);
  });

  it('sends 8-bit data with ports, and refuses text that does not fit the alphabet asked for', () => {
    const [single] = encodeSubmit({ destination: '+491701234567', data: Buffer.from('cafe', 'hex'), reference: 1, ports: { destinationPort: 5000, sourcePort: 5000 } });
    assert.ok(single);
    const pdu = decodeSmsPdu(single.hex);
    assert.ok(pdu.type === 'SMS-SUBMIT');
    assert.deepEqual([pdu.dcs.alphabet, pdu.userData.header?.ports?.destinationPort, pdu.userData.data.toString('hex')], ['8bit', 5000, 'cafe']);
    assert.throws(() => encodeSubmit({ destination: '1', text: '😀', alphabet: 'gsm7', reference: 1 }), (e: unknown) => hasErrorCode(e, ErrorCode.Codec_UnencodableText));
    assert.throws(() => encodeSubmit({ destination: '1', reference: 1 }), isInvalidPdu);
  });
});

describe('PDU prefix and lengths as modems present them', () => {
  const hex = '07912143658709F1040B918100551512F20000111010214365000AE8329BFD4697D9EC37';
  it('checks the AT length and recognises a PDU whose SMSC prefix was dropped', () => {
    assert.deepEqual(decodeSmsPdu(hex, { tpduLength: 28 }).warnings, []);
    const bare = decodeSmsPdu(hex.slice(16), { tpduLength: 28 });
    assert.equal(bare.smsc, undefined);
    assert.ok(bare.type === 'SMS-DELIVER' && bare.userData.text === 'hellohello');
    assert.match(bare.warnings.join(), /no SMSC prefix/);
    assert.match(decodeSmsPdu(hex, { tpduLength: 27 }).warnings.join(), /does not match/);
    assert.ok(decodeSmsPdu(hex.slice(16), { hasSmsc: false }).type === 'SMS-DELIVER');
    assert.ok(decodeSmsPdu(` ${hex.toLowerCase()}\r\n`).type === 'SMS-DELIVER');
  });

  it('reads a received message stored with TP-MTI 01 as SMS-DELIVER (real +CMGR capture, gammu tests/at-sms/01.dump)', () => {
    const capture =
      '0791246030500200110481643000007030427132500047D6B0BEECCE83F4E17558EF4EAFEB2CD09C5DD78BC3207519447E8FC3737719D44EB7DF20B8FC6D7FEB5D2062795D5797DB65903E0C82BFC7E837BCEC4EBB00';
    for (const options of [{ stat: 1, tpduLength: 78 }, {}]) {
      const pdu = decodeSmsPdu(capture, options);
      assert.ok(pdu.type === 'SMS-DELIVER');
      assert.equal(pdu.originator.value, '4603');
      assert.equal(pdu.scts, '2007-03-24T17:23:05+00:00');
      assert.equal(pdu.userData.text, 'Vazeny zakazniku, sluzba je docasne mimo provoz. Dekujeme za pochopeni.');
      assert.equal(pdu.warnings.length, 1);
    }
    // A stored outgoing message (<stat> 2/3) is an SMS-SUBMIT whatever its TP-MTI says.
    const submit = encodeSubmitPdu({ destination: '+4912345', userData: { text: 'hi' } }).hex;
    const flagged = `0000${submit.slice(4)}`; // SMSC 00, then first octet 00 (TP-MTI SMS-DELIVER)
    const asStored = decodeSmsPdu(flagged, { stat: 3 });
    assert.ok(asStored.type === 'SMS-SUBMIT' && asStored.userData.text === 'hi');
  });

  it('reads a reserved TP-MTI as SMS-DELIVER, as 23.040 §9.2.3.1 asks', () => {
    const pdu = decodeSmsPdu(hex.replace('F1040B', 'F1070B'));
    assert.equal(pdu.type, 'SMS-DELIVER');
    assert.match(pdu.warnings.join(), /reserved TP-MTI/);
  });

  it('gives Modem_InvalidPdu for garbage and truncation', () => {
    for (const bad of ['', '0', 'zz', '07912143', hex.slice(0, 40), '00', '0001', '0041010C910661345542F60008A0050009000301', '00040B91', '0C9121436587092143658709214304']) {
      assert.throws(() => decodeSmsPdu(bad), isInvalidPdu, bad);
    }
    assert.throws(() => decodeSmsPdu('00010015' + '91' + 'FF'.repeat(11) + '0000' + '00'), isInvalidPdu);
  });
});

describe('national language shift tables (23.038 Annex A, UDH IEI 0x24 / 0x25)', () => {
  const deliver = (septets: number[], header: Array<[number, number]>): ReturnType<typeof decodeSmsPdu> =>
    decodeSmsPdu(
      encodeDeliverPdu({
        originator: '+905321234567',
        scts: '2024-03-01T12:00:00+03:00',
        userData: { encoded: Buffer.from(septets), alphabet: 'gsm7', header: header.map(([iei, id]) => ({ type: 'raw' as const, iei, data: Buffer.of(id) })) },
      }).hex,
    );
  const textOf = (pdu: ReturnType<typeof decodeSmsPdu>): string | undefined => (pdu.type === 'SMS-DELIVER' ? pdu.userData.text : undefined);

  it('Turkish locking shift: ı, ş, İ, ç live in the main table', () => {
    const pdu = deliver([0x49, 0x1d, 0x07, 0x6b, 0x20, 0x40, 0x60, 0x1c, 0x0b], [[0x25, 1]]);
    assert.equal(textOf(pdu), 'Işık İçŞĞ');
    assert.deepEqual(pdu.warnings, []);
    // Without the header element, the same septets read as the default alphabet.
    assert.equal(textOf(deliver([0x49, 0x1d, 0x07, 0x6b], [])), 'Iæìk');
  });

  it('Turkish single shift: ğ and € after the escape, default main table otherwise', () => {
    assert.equal(textOf(deliver([0x1b, 0x67, 0x1b, 0x65, 0x00, 0x1b, 0x53, 0x1b, 0x3c], [[0x24, 1]])), 'ğ€@Ş[');
  });

  it('Spanish single shift and Portuguese locking + single shift', () => {
    assert.equal(textOf(deliver([0x1b, 0x41, 0x1b, 0x75, 0x1b, 0x09], [[0x24, 2]])), 'Áúç');
    assert.equal(textOf(deliver([0x04, 0x7d, 0x12, 0x1b, 0x7f, 0x1b, 0x65], [[0x25, 3], [0x24, 3]])), 'ê`ªâ€');
  });

  it('an Indic table we do not carry decodes with the defaults and says so', () => {
    const pdu = deliver([0x41, 0x42], [[0x25, 4]]);
    assert.equal(textOf(pdu), 'AB');
    assert.match(pdu.warnings.join(), /national language table/);
  });
});
