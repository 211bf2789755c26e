/** Malformed input: every failure is an SmppDecodeError with the command_status the spec names. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, hasErrorCode, isAgentError } from '../../../src/errors.js';
import { CommandStatus, commandStatusName, createPdu, decodePdu, encodePdu, isSmppDecodeError, tlv } from '../../../src/smpp/index.js';
import type { Pdu, SmppDecodeError } from '../../../src/smpp/index.js';
import { fromHex, pduHex, sm, tlvHex, z } from '../../helpers/smppBytes.js';

function decodeFailure(hex: string): SmppDecodeError {
  try {
    decodePdu(fromHex(hex));
  } catch (error) {
    assert.ok(isSmppDecodeError(error), `expected SmppDecodeError, got ${String(error)}`);
    assert.ok(isAgentError(error));
    assert.ok(error.code >= 100 && error.code < 200, 'code in the Codec_ range');
    return error;
  }
  assert.fail('decodePdu accepted malformed bytes');
}

function expectStatus(hex: string, status: number, sequenceNumber?: number): SmppDecodeError {
  const error = decodeFailure(hex);
  assert.equal(commandStatusName(error.commandStatus), commandStatusName(status), error.message);
  if (sequenceNumber !== undefined) assert.equal(error.sequenceNumber, sequenceNumber);
  return error;
}

const bindBody = [z('id'), z('pw'), z(''), '34 00 00', z('')];

describe('decodePdu on malformed bytes', () => {
  it('refuses fewer than 16 octets with ESME_RINVCMDLEN', () => {
    const error = expectStatus('00000010000000150000', CommandStatus.ESME_RINVCMDLEN);
    assert.equal(error.commandId, 0x15);
    assert.equal(error.sequenceNumber, undefined);
    expectStatus('', CommandStatus.ESME_RINVCMDLEN);
  });

  it('refuses a command_length that disagrees with the octets given, keeping the sequence number', () => {
    const good = pduHex(0x15, 0, 42);
    expectStatus(`00000011${good.slice(8)}`, CommandStatus.ESME_RINVCMDLEN, 42);
    expectStatus(`${good}00`, CommandStatus.ESME_RINVCMDLEN, 42);
  });

  it('refuses an unknown command_id with ESME_RINVCMDID', () => {
    const error = expectStatus(pduHex(0x00000099, 0, 7), CommandStatus.ESME_RINVCMDID, 7);
    assert.equal(error.commandId, 0x99);
    assert.ok(hasErrorCode(error, ErrorCode.Codec_InvalidCommandId));
    expectStatus(pduHex(0x80000099, 0, 8), CommandStatus.ESME_RINVCMDID, 8);
  });

  it('refuses a request whose mandatory fields run past the end with ESME_RINVCMDLEN', () => {
    expectStatus(pduHex(0x2, 0, 3, z('id'), z('pw'), z(''), '34'), CommandStatus.ESME_RINVCMDLEN, 3);
    expectStatus(pduHex(0x2, 0, 3, z('id'), '7077'), CommandStatus.ESME_RINVCMDLEN, 3);
  });

  it('refuses a C-Octet String longer than its field with ESME_RINVPARLEN', () => {
    expectStatus(pduHex(0x2, 0, 4, z('x'.repeat(16)), z('pw'), z(''), '34 00 00', z('')), CommandStatus.ESME_RINVPARLEN, 4);
    expectStatus(pduHex(0x80000004, 0, 4, z('m'.repeat(65))), CommandStatus.ESME_RINVPARLEN, 4);
  });

  it('refuses an sm_length running past the end with ESME_RINVMSGLEN', () => {
    const head = [z(''), '00 00', z('a'), '00 00', z('b'), '00 00 00', z(''), z(''), '00 00 00 00'];
    expectStatus(pduHex(0x4, 0, 5, ...head, '05 6869'), CommandStatus.ESME_RINVMSGLEN, 5);
  });

  it('refuses a dest_flag other than 1 or 2 with ESME_RINVDESTFLAG', () => {
    expectStatus(pduHex(0x21, 0, 6, z(''), '00 00', z('a'), '01', '03', z('x')), CommandStatus.ESME_RINVDESTFLAG, 6);
  });

  it('refuses TLVs running past the end, of the wrong size, or cut inside the header', () => {
    expectStatus(pduHex(0x2, 0, 9, ...bindBody, '0210 0002 34'), CommandStatus.ESME_RINVTLVLEN, 9);
    expectStatus(pduHex(0x2, 0, 9, ...bindBody, tlvHex(0x0210, '3400')), CommandStatus.ESME_RINVTLVLEN, 9);
    expectStatus(pduHex(0x2, 0, 9, ...bindBody, tlvHex(0x020c, '01')), CommandStatus.ESME_RINVTLVLEN, 9);
    expectStatus(pduHex(0x2, 0, 9, ...bindBody, '02 10 00'), CommandStatus.ESME_RINVTLVSTREAM, 9);
    assert.equal(CommandStatus.ESME_RINVTLVLEN, CommandStatus.ESME_RINVPARLEN);
  });
});

describe('decodePdu tolerance that real SMSCs need', () => {
  it('accepts a bind response with no body at all when it reports an error', () => {
    const pdu = decodePdu(fromHex(pduHex(0x80000002, CommandStatus.ESME_RINVPASWD, 1)));
    assert.deepEqual(pdu, createPdu('bind_transmitter_resp', { command_status: 0x0e, sequence_number: 1 }));
  });

  it('accepts submit_sm_resp and data_sm_resp without message_id', () => {
    assert.deepEqual(decodePdu(fromHex(pduHex(0x80000004, 0x58, 2))), createPdu('submit_sm_resp', { command_status: 0x58, sequence_number: 2 }));
    assert.deepEqual(decodePdu(fromHex(pduHex(0x80000103, 0x45, 3))), createPdu('data_sm_resp', { command_status: 0x45, sequence_number: 3 }));
  });

  it('accepts bind_transceiver_resp with only system_id and with the sc_interface_version TLV', () => {
    assert.deepEqual(decodePdu(fromHex(pduHex(0x80000009, 0, 4, z('SMSC')))).tlvs, []);
    const withVersion = decodePdu(fromHex(pduHex(0x80000009, 0, 4, z('SMSC'), tlvHex(0x0210, '50'))));
    assert.deepEqual(withVersion.tlvs, [tlv('sc_interface_version', 0x50)]);
  });

  it('keeps a receipted_message_id that lacks its NUL', () => {
    const body = [z(''), '00 00', z('a'), '00 00', z('b'), '04 00 00', z(''), z(''), '00 00 00 00', sm('')];
    const pdu = decodePdu(fromHex(pduHex(0x5, 0, 5, ...body, tlvHex(0x001e, Buffer.from('ABC123').toString('hex')))));
    assert.deepEqual(pdu.tlvs, [tlv('receipted_message_id', 'ABC123')]);
  });

  it('keeps unknown and vendor TLVs byte for byte, including empty ones', () => {
    const hex = pduHex(0x80000015, 0, 6, tlvHex(0x1401, 'deadbeef'), tlvHex(0x3fff, ''), tlvHex(0x0099, '00'));
    const pdu = decodePdu(fromHex(hex));
    assert.deepEqual(pdu.tlvs.map((t) => t.name), ['tlv_0x1401', 'tlv_0x3fff', 'tlv_0x0099']);
    assert.equal(encodePdu(pdu).toString('hex'), hex);
  });
});

describe('encodePdu refuses values that cannot be encoded', () => {
  const cases: Array<[string, Pdu]> = [
    ['a string longer than its field', createPdu('bind_transmitter', { system_id: 'x'.repeat(16) })],
    ['a character outside latin1', createPdu('submit_sm', { source_addr: 'Caf\u20ac' })],
    ['a NUL inside a C-Octet String', createPdu('submit_sm', { source_addr: 'a\u0000b' })],
    ['an integer above 255', createPdu('submit_sm', { esm_class: 256 })],
    ['a negative integer', createPdu('submit_sm', { data_coding: -1 })],
    ['a fractional sequence number', createPdu('enquire_link', { sequence_number: 1.5 })],
    ['a sequence number above 32 bits', createPdu('enquire_link', { sequence_number: 2 ** 32 })],
    ['a short_message over 255 octets', createPdu('submit_sm', { short_message: Buffer.alloc(256) })],
    ['a number where a TLV wants bytes', createPdu('submit_sm', { tlvs: [{ tag: 0x0424, name: 'message_payload', value: 5 }] })],
    ['a string where a TLV wants an int2', createPdu('submit_sm', { tlvs: [{ tag: 0x020c, name: 'sar_msg_ref_num', value: 'x' }] })],
    ['an unknown TLV that is not a Buffer', createPdu('submit_sm', { tlvs: [{ tag: 0x1500, name: 'tlv_0x1500', value: 'x' }] })],
    ['a TLV tag above 0xFFFF', createPdu('submit_sm', { tlvs: [{ tag: 0x10000, name: 'big', value: Buffer.alloc(0) }] })],
    ['a TLV entry that is not an object', { ...createPdu('enquire_link'), tlvs: [null] } as unknown as Pdu],
    ['a destination that is not an object', { ...createPdu('submit_multi'), dest_address: [7] } as unknown as Pdu],
    ['an unknown command', { ...createPdu('enquire_link'), command: 'frob' } as unknown as Pdu],
    ['no PDU at all', null as unknown as Pdu],
  ];
  for (const [what, pdu] of cases) {
    it(what, () => {
      assert.throws(() => encodePdu(pdu), (error: unknown) => hasErrorCode(error, ErrorCode.Codec_InvalidField));
    });
  }
});
