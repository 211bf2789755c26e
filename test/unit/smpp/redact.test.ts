import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPdu, decodePdu, encodePdu, redactPdu, redactPduBytes } from '../../../src/smpp/index.js';
import { redactUrl } from '../../../src/smpp/index.js';

describe('bind PDU redaction', () => {
  it('stars the password in a bind\'s bytes, same length, and the rest decodes as before', () => {
    for (const command of ['bind_transmitter', 'bind_receiver', 'bind_transceiver'] as const) {
      const bytes = encodePdu(createPdu(command, { system_id: 'esme1', password: 'p@s:/1', system_type: 'VMA', interface_version: 0x34, addr_ton: 0, addr_npi: 0, address_range: '' }));
      const redacted = Buffer.from(redactPduBytes(bytes));
      assert.equal(redacted.length, bytes.length);
      assert.ok(!redacted.includes(Buffer.from('p@s:/1')));
      const decoded = decodePdu(redacted);
      assert.equal(decoded.command, command);
      if (decoded.command === command) {
        assert.equal(decoded.password, '******');
        assert.equal(decoded.system_id, 'esme1');
        assert.equal(decoded.system_type, 'VMA');
      }
      assert.equal(decodePdu(bytes).command, command, 'the original bytes are untouched');
      assert.ok(bytes.includes(Buffer.from('p@s:/1')));
    }
  });

  it('stars an outbind\'s password, leaves other PDUs alone (same object), and redacts a truncated bind', () => {
    const outbind = encodePdu(createPdu('outbind', { system_id: 'smsc', password: 'hunter2' }));
    assert.ok(!Buffer.from(redactPduBytes(outbind)).includes(Buffer.from('hunter2')));
    const enquire = encodePdu(createPdu('enquire_link', {}));
    assert.equal(redactPduBytes(enquire), enquire);
    const bind = encodePdu(createPdu('bind_transceiver', { system_id: 'esme1', password: 'secret', system_type: '', interface_version: 0x34, addr_ton: 0, addr_npi: 0, address_range: '' }));
    const truncated = bind.subarray(0, 16 + 'esme1'.length + 1 + 3); // the password cut after "sec"
    assert.ok(!Buffer.from(redactPduBytes(truncated)).includes(Buffer.from('sec')));
  });

  it('stars a decoded PDU\'s password field and returns other PDUs unchanged', () => {
    const pdu = createPdu('bind_receiver', { system_id: 'esme1', password: 'secret', system_type: '', interface_version: 0x34, addr_ton: 0, addr_npi: 0, address_range: '' });
    assert.equal(redactPdu(pdu).password, '******');
    assert.equal(pdu.password, 'secret');
    const submit = createPdu('submit_sm', { destination_addr: '447700900123', short_message: Buffer.from('hi') });
    assert.equal(redactPdu(submit), submit);
  });

  it('with messages: stars the text of inbound messages, keeps receipts and everything else readable', () => {
    const mo = createPdu('deliver_sm', { source_addr: '447700900123', destination_addr: 'EDGE', short_message: Buffer.from('PIN 60718293 PING') });
    const bytes = encodePdu(mo);
    const redacted = Buffer.from(redactPduBytes(bytes, { messages: true }));
    assert.equal(redacted.length, bytes.length);
    assert.ok(!redacted.includes(Buffer.from('60718293')));
    const back = decodePdu(redacted);
    assert.ok(back.command === 'deliver_sm' && back.source_addr === '447700900123' && back.short_message.toString() === '*'.repeat(17));
    assert.equal(redactPduBytes(bytes), bytes, 'without the option, message bodies are left alone');
    const receipt = encodePdu(createPdu('deliver_sm', { esm_class: 0x04, short_message: Buffer.from('id:1 sub:001 dlvr:001 submit date:2601010000 done date:2601010000 stat:DELIVRD err:000 text:') }));
    assert.ok(Buffer.from(redactPduBytes(receipt, { messages: true })).includes(Buffer.from('stat:DELIVRD')));
  });

  it('hides a URL password whole, even with a raw @ in it', () => {
    assert.equal(redactUrl('smpp://esme1:p@ss@127.0.0.1:2775?bind=trx'), 'smpp://esme1:***@127.0.0.1:2775?bind=trx');
    assert.equal(redactUrl('smpps://esme1:p%40s%3A%2F1@smsc.example:3550?ca=/etc/ca@x.pem'), 'smpps://esme1:***@smsc.example:3550?ca=/etc/ca@x.pem');
  });
});
