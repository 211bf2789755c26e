import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPdu, formatReceipt, parseReceipt, receiptFromPdu, sameMessageId, tlv } from '../../../src/smpp/index.js';
import type { DeliveryReceipt } from '../../../src/smpp/index.js';

const utc = (y: number, mo: number, d: number, h: number, mi: number, s = 0): Date => new Date(Date.UTC(y, mo - 1, d, h, mi, s));

describe('parseReceipt', () => {
  it('reads the standard v3.4 Appendix B body', () => {
    const text = 'id:0123456789 sub:001 dlvr:001 submit date:2411211530 done date:2411211531 stat:DELIVRD err:000 text:Hello world';
    assert.deepEqual(parseReceipt(text), {
      messageId: '0123456789',
      submitted: 1,
      delivered: 1,
      submitDate: utc(2024, 11, 21, 15, 30),
      doneDate: utc(2024, 11, 21, 15, 31),
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello world',
    } satisfies DeliveryReceipt);
  });

  const variants: Array<[string, string, Partial<DeliveryReceipt>]> = [
    ['12-digit dates with seconds', 'id:1 sub:1 dlvr:1 submit date:241121153005 done date:241121153107 stat:DELIVRD err:0',
      { submitDate: utc(2024, 11, 21, 15, 30, 5), doneDate: utc(2024, 11, 21, 15, 31, 7) }],
    ['capitalised keys and a capital Text', 'ID:ab12 SUB:001 DLVR:000 Submit Date:2401010000 Done Date:2401020000 STAT:UNDELIV ERR:021 Text:x',
      { messageId: 'ab12', stat: 'UNDELIV', err: '021', text: 'x', delivered: 0 }],
    ['underscored date keys', 'id:9 submit_date:2401010000 done_date:2401010001 stat:EXPIRED', { submitDate: utc(2024, 1, 1, 0, 0), stat: 'EXPIRED' }],
    ['a hex id', 'id:5F3A9C0E sub:001 dlvr:001 stat:DELIVRD', { messageId: '5F3A9C0E' }],
    ['a UUID id', 'id:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 stat:ACCEPTD', { messageId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', stat: 'ACCEPTD' }],
    ['missing sub, dlvr and dates', 'id:77 stat:REJECTD err:069', { messageId: '77', stat: 'REJECTD', err: '069', submitted: undefined }],
    ['text containing other keys', 'id:1 stat:DELIVRD err:000 text:stat:EXPIRED id:2 done date:9999', { stat: 'DELIVRD', messageId: '1', text: 'stat:EXPIRED id:2 done date:9999' }],
    ['full-word states', 'id:1 stat:DELIVERED', { stat: 'DELIVRD' }],
    ['lower-case states', 'id:1 stat:undeliv', { stat: 'UNDELIV' }],
    ['an unknown state word', 'id:1 stat:WEIRD', { stat: 'UNKNOWN' }],
    ['ENROUTE intermediate notifications', 'id:1 stat:ENROUTE', { stat: 'ENROUTE' }],
    ['an empty text', 'id:1 stat:DELETED err:000 text:', { stat: 'DELETED', text: '' }],
    ['impossible dates', 'id:1 submit date:2413450000 done date:24112 stat:DELIVRD', { submitDate: undefined, doneDate: undefined }],
    ['dlvrd for dlvr and a 4-digit err', 'id:0416342074 sub:001 dlvrd:001 submit date:2101041522 done date:2101041522 stat:DELIVRD err:0000 text:x',
      { delivered: 1, err: '0000', submitDate: utc(2021, 1, 4, 15, 22) }],
    ['extra spaces', 'id: 42  sub: 001  stat: DELIVRD', { messageId: '42', submitted: 1, stat: 'DELIVRD' }],
  ];
  for (const [what, text, expected] of variants) {
    it(`tolerates ${what}`, () => {
      const receipt = parseReceipt(text);
      assert.ok(receipt !== undefined, text);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(receipt[key as keyof DeliveryReceipt], value, `${key} of ${text}`);
    });
  }

  it('returns undefined for ordinary message text', () => {
    assert.equal(parseReceipt('Hello, see you at 10:30'), undefined);
    assert.equal(parseReceipt(''), undefined);
    assert.equal(parseReceipt('valid:yes'), undefined);
  });
});

describe('formatReceipt', () => {
  it('writes the standard body and parses back to the same receipt', () => {
    const receipt: DeliveryReceipt = {
      messageId: 'abc123',
      submitted: 1,
      delivered: 1,
      submitDate: utc(2024, 11, 21, 15, 30),
      doneDate: utc(2024, 11, 21, 15, 31),
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello world',
    };
    const text = formatReceipt(receipt);
    assert.equal(text, 'id:abc123 sub:001 dlvr:001 submit date:2411211530 done date:2411211531 stat:DELIVRD err:000 text:Hello world');
    assert.deepEqual(parseReceipt(text), receipt);
    assert.match(formatReceipt({ ...receipt, doneDate: utc(2024, 11, 21, 15, 31, 9) }, { withSeconds: true }), /done date:241121153109 /);
    assert.equal(formatReceipt({ messageId: '7', stat: 'EXPIRED' }), 'id:7 stat:EXPIRED');
  });
});

describe('receiptFromPdu', () => {
  const body = Buffer.from('id:0123456789 sub:001 dlvr:001 submit date:2411211530 done date:2411211531 stat:DELIVRD err:000 text:Hi', 'latin1');

  it('reads body and TLVs of a deliver_sm flagged as an MC delivery receipt', () => {
    const pdu = createPdu('deliver_sm', {
      esm_class: 0x04,
      short_message: body,
      tlvs: [tlv('receipted_message_id', '75bcd15'), tlv('message_state', 2), tlv('network_error_code', Buffer.from('030000', 'hex'))],
    });
    const receipt = receiptFromPdu(pdu);
    assert.equal(receipt?.messageId, '75bcd15');
    assert.equal(receipt?.stat, 'DELIVRD');
    assert.equal(receipt?.messageState, 2);
    assert.deepEqual(receipt?.networkErrorCode, Buffer.from('030000', 'hex'));
    assert.equal(receipt?.text, 'Hi');
  });

  it('builds a receipt from TLVs alone when the body is empty', () => {
    const pdu = createPdu('deliver_sm', { esm_class: 0x04, tlvs: [tlv('receipted_message_id', 'X1'), tlv('message_state', 5)] });
    assert.deepEqual(receiptFromPdu(pdu), { messageId: 'X1', stat: 'UNDELIV', messageState: 5 });
  });

  it('reads a receipt carried in message_payload of a data_sm', () => {
    const pdu = createPdu('data_sm', { esm_class: 0x04, tlvs: [tlv('message_payload', body)] });
    assert.equal(receiptFromPdu(pdu)?.messageId, '0123456789');
  });

  it('reads an intermediate notification (esm_class 0x20) and a UCS-2 body', () => {
    const ucs2 = Buffer.from('id:5 stat:ENROUTE', 'utf16le').swap16();
    const pdu = createPdu('deliver_sm', { esm_class: 0x20, data_coding: 0x08, short_message: ucs2 });
    assert.equal(receiptFromPdu(pdu)?.stat, 'ENROUTE');
  });

  it('accepts an unflagged deliver_sm with receipted_message_id and message_state', () => {
    const pdu = createPdu('deliver_sm', { tlvs: [tlv('receipted_message_id', 'Q'), tlv('message_state', 3)] });
    assert.equal(receiptFromPdu(pdu)?.stat, 'EXPIRED');
  });

  it('ignores ordinary messages and other commands', () => {
    assert.equal(receiptFromPdu(createPdu('deliver_sm', { short_message: Buffer.from('id:1 stat:DELIVRD') })), undefined);
    assert.equal(receiptFromPdu(createPdu('deliver_sm', { esm_class: 0x04, short_message: Buffer.from('hello') })), undefined);
    assert.equal(receiptFromPdu(createPdu('submit_sm', { esm_class: 0x04, short_message: body })), undefined);
  });
});

describe('sameMessageId', () => {
  it('matches ids ignoring case and leading zeros, and across hex/decimal only when asked', () => {
    assert.ok(sameMessageId('5F3A', '5f3a'));
    assert.ok(sameMessageId('000123', '123'));
    assert.ok(!sameMessageId('75bcd15', '123456789'));
    assert.ok(sameMessageId('75bcd15', '123456789', { crossRadix: true }));
    assert.ok(sameMessageId('123456789', '75BCD15', { crossRadix: true }));
    assert.ok(!sameMessageId('abc', 'abd', { crossRadix: true }));
    assert.ok(!sameMessageId('', '0'));
  });
});
