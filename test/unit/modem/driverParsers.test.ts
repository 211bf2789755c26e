import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCpin, parseCpms, parseCsq, parseCops, parseStoredPdus, parseStoredTexts, textTimestampToIso, parseGnss, resolveError } from '../../../src/modem/index.js';
import { parseCesq, parseCpsi, parseIccid, parseQcsq, parseDigits, parseCsca } from '../../../src/modem/driver/parsers.js';
import { parseCellLocation } from '../../../src/modem/driver/cellLocation.js';

describe('driver answer parsers', () => {
  it('reads +CSQ as dBm and BER, with 99 as unknown and no space after the colon', () => {
    assert.deepEqual(parseCsq(['+CSQ: 18,99']), { rssi: 18, rssiDbm: -77, ber: null });
    assert.deepEqual(parseCsq(['+CSQ:4,0']), { rssi: 4, rssiDbm: -105, ber: 0 });
    assert.deepEqual(parseCsq(['+CSQ: 99,99']), { rssi: 99, rssiDbm: null, ber: null });
    assert.deepEqual(parseCsq(['+CSQ: 31,7']), { rssi: 31, rssiDbm: -51, ber: 7 });
    assert.equal(parseCsq(['OK']), undefined);
  });

  it('reads SIM states, also the Huawei ^CPIN form', () => {
    assert.equal(parseCpin(['+CPIN: READY']), 'ready');
    assert.equal(parseCpin(['+CPIN: SIM PIN']), 'pin-required');
    assert.equal(parseCpin(['+CPIN: SIM PUK']), 'puk-required');
    assert.equal(parseCpin(['^CPIN: SIM PIN,3,10,3,10,3']), 'pin-required');
    assert.equal(parseCpin(['+CPIN: NOT INSERTED']), 'not-inserted');
  });

  it('reads operators with and without AcT, and not registered', () => {
    assert.deepEqual(parseCops(['+COPS: 0,0,"I OMNITEL"']), { mode: 0, format: 0, name: 'I OMNITEL' });
    assert.deepEqual(parseCops(['+COPS: 0,0,"IND airtel airtel",7']), { mode: 0, format: 0, name: 'IND airtel airtel', act: 7 });
    assert.deepEqual(parseCops(['+COPS: 0']), { mode: 0 });
  });

  it('reads +CPMS set and query answers', () => {
    assert.deepEqual(parseCpms(['+CPMS: 14,50,14,50'], ['SM', 'SM']), [
      { memory: 'SM', used: 14, total: 50 },
      { memory: 'SM', used: 14, total: 50 },
    ]);
    assert.deepEqual(parseCpms(['+CPMS: "ME",0,25,"ME",0,25,"SM",0,20']).map((u) => u.memory), ['ME', 'ME', 'SM']);
  });

  it('reads stored PDUs from every real +CMGR/+CMGL header variant (the last number is the length)', () => {
    const pdu = '07918497483252F0840B918496445078F700007121320144744004D4F29C0E';
    for (const header of ['+CMGR: 0,,23', '+CMGR: 0,"",23', '+CMGR: ,,23', '+CMGR: 23', '+CMGR: 4,1,,23']) {
      const [record] = parseStoredPdus([header, pdu], 5);
      assert.equal(record?.length, 23, header);
      assert.equal(record?.index, 5);
      assert.equal(record?.pdu, pdu);
    }
    assert.deepEqual(parseStoredPdus(['+CMGL:0,1,,23', pdu, '+CMGL: 3,0,,23', pdu]).map((r) => [r.index, r.stat]), [[0, 1], [3, 0]]);
  });

  it('reads text-mode records with multi-line bodies and converts time stamps with quarter-hour zones', () => {
    const records = parseStoredTexts(['+CMGL: 1,"REC READ","+27821234567","","13/03/08,15:02:16+08"', 'line one', 'line two', '+CMGL: 2,"REC UNREAD","+27748577604",,"13/01/28,14:51:42-12"', 'Hello']);
    assert.equal(records[0]?.text, 'line one\nline two');
    assert.equal(records[1]?.sender, '+27748577604');
    assert.equal(textTimestampToIso('13/03/08,15:02:16+08'), '2013-03-08T15:02:16+02:00');
    assert.equal(textTimestampToIso('19/08/23,21:13:18+32'), '2019-08-23T21:13:18+08:00');
    assert.equal(textTimestampToIso('13/01/28,14:51:42-12'), '2013-01-28T14:51:42-03:00');
  });

  it('reads identity answers: IMEI lines, ICCID prefixes and AT+CRSM EF_ICCID', () => {
    assert.equal(parseDigits(['869951030001234'], 14, 17), '869951030001234');
    assert.equal(parseDigits(['+CGSN: "869951030001234"'], 14, 17), '869951030001234');
    assert.equal(parseIccid(['+QCCID: 89860318760146208763']), '89860318760146208763');
    assert.equal(parseIccid(['+ICCID: 8901260222102735463F']), '8901260222102735463');
    assert.equal(parseIccid(['+CRSM: 144,0,"981062202201725364F3"']), '8901260222102735463');
    assert.equal(parseIccid(['+CRSM: 148,4,""']), undefined);
    assert.equal(parseCsca(['+CSCA: "002B003400340037003800300032003000390032003000330035",145']), '+447802092035');
  });

  it('reads the richer signal answers (CESQ, SIMCom CPSI, Quectel QCSQ)', () => {
    assert.deepEqual(parseCesq(['+CESQ: 99,99,255,255,20,44']), { source: '+CESQ', rsrpDbm: -97, rat: 'LTE', rsrqDb: -10 });
    assert.deepEqual(parseCpsi(['+CPSI: LTE,Online,460-00,0x5A1E,187214780,257,EUTRAN-BAND3,1300,5,5,-94,-850,-545,15']), {
      source: '+CPSI',
      rat: 'LTE',
      rsrpDbm: -85,
      rsrqDb: -9.4,
      rssiDbm: -54.5,
      sinrDb: 15,
    });
    assert.deepEqual(parseQcsq(['+QCSQ: "LTE",-52,-81,195,-10']), { source: '+QCSQ', rat: 'LTE', rssiDbm: -52, rsrpDbm: -81, sinrDb: 19, rsrqDb: -10 });
  });

  it('reads cell locations in each family order', () => {
    assert.deepEqual(parseCellLocation(['+CLBS: 0,-81.198814,28.679517,550'], 'lon-lat'), { code: 0, lat: 28.679517, lon: -81.198814, accuracyM: 550 });
    assert.deepEqual(parseCellLocation(['+CLBS: 0,18.481703,73.897415,550'], 'lat-lon'), { code: 0, lat: 18.481703, lon: 73.897415, accuracyM: 550 });
    assert.deepEqual(parseCellLocation(['+CLBS: 1'], 'lat-lon'), { code: 1 });
  });

  it('resolves +CME/+CMS numbers and CMEE=2 texts to codes and names', () => {
    assert.equal(resolveError('cme', 'SIM not inserted').code, 10);
    assert.equal(resolveError('cme', 'SIM busy').retry, 'later');
    assert.equal(resolveError('cme', 'no network service').code, 30);
    assert.equal(resolveError('cms', 'invalid input value').code, 305);
    assert.equal(resolveError('cms', '321').name, 'invalid memory index');
    assert.equal(resolveError('cms', '42').name, 'congestion');
    assert.equal(resolveError('cms', '100').name, 'network RP-cause 100');
    assert.equal(resolveError('cms', '208').name, 'SIM SMS storage full');
    assert.equal(resolveError('cms', '532').name, 'manufacturer specific 532');
    assert.equal(resolveError('cme', 'GPS busy').code, undefined);
    assert.equal(resolveError('cms', '').name, 'unspecified (empty error)');
  });
});

describe('GNSS parsers', () => {
  it('reads the A76xx CGNSSINFO variant in decimal degrees, also with an empty mode field', () => {
    const a = parseGnss('simcom-cgnssinfo', ['+CGNSSINFO: 2,04,00,21.12345,N,114.1234567,E,020924,094145.00,-34.0,1.403,,6.9,6.8,1.0,03']);
    assert.equal(a?.state, 'fix');
    if (a?.state === 'fix') {
      assert.equal(a.fix.lat, 21.12345);
      assert.equal(a.fix.lon, 114.1234567);
      assert.equal(a.fix.fixTime, '2024-09-02T09:41:45.00Z');
    }
    const b = parseGnss('simcom-cgnssinfo', ['+CGNSSINFO: ,,,,,52.5123456,N,13.4123456,E,,112414.00,75.9,,,,,,09']);
    assert.ok(b?.state === 'fix' && b.fix.lat === 52.5123456 && b.fix.satellites === 9);
  });

  it('reads Quectel QGPSLOC mode 1 (hemisphere in its own field) like modes 0 and 2', () => {
    const mode1 = parseGnss('quectel-qgpsloc', ['+QGPSLOC: 142748.0,2259.088100,S,04321.551500,W,2.0,-83.0,2,0.00,0.0,0.0,140119,10']);
    assert.ok(mode1?.state === 'fix');
    if (mode1?.state === 'fix') {
      assert.equal(mode1.fix.lat, -22.984802);
      assert.equal(mode1.fix.lon, -43.359192);
      assert.equal(mode1.fix.satellites, 10);
    }
  });

  it('reads u-blox +UULOC, with lat/lon 0 as no fix', () => {
    const fix = parseGnss('ublox-uloc', ['+UULOC: 25/09/2013,10:13:29.000,45.7140971,13.7409172,266,17,0,0,18,1,6,3,9']);
    assert.ok(fix?.state === 'fix' && fix.fix.lat === 45.7140971 && fix.fix.fixTime === '2013-09-25T10:13:29.000Z' && fix.fix.satellites === 6);
    assert.deepEqual(parseGnss('ublox-uloc', ['+UULOC: 13/04/2011,09:54:51.000,0.0000000,0.0000000,0,1']), { state: 'no-fix' });
  });

  it('treats GNSS off and the 1980 epoch as what they are', () => {
    assert.deepEqual(parseGnss('simcom-cgnsinf', ['+CGNSINF: 0,,,,,,,,,,,,,,,,,,,,']), { state: 'off' });
    const short = parseGnss('simcom-cgnsinf', ['+CGNSINF: 1,1,20221021130421.000,42.674884,23.289787,592.877,,,1,,3.5,3.6,1.0,,3,,11864.6,143.4']);
    assert.ok(short?.state === 'fix' && short.fix.lat === 42.674884 && short.fix.speedKmh === null);
  });
});
