/** `smpp decode` and `smpp encode` through the CLI entry point, with captured streams. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../helpers/cli.js';
import { encodePdu, pduFromJson } from '../../../src/smpp/index.js';
import { goldenCases } from '../../helpers/goldenPdus.js';
import { fromHex } from '../../helpers/smppBytes.js';

/** Always with a standard input (empty unless given), so no command waits on the test runner's. */
async function run(args: string[], stdinText?: string): Promise<{ code: number; out: string; err: string }> {
  const result = await runCli(args, stdinText ?? '');
  return { code: result.code, out: result.stdout, err: result.stderr };
}

describe('edge-sms-agent smpp decode / encode', () => {
  for (const { pdu, hex } of goldenCases) {
    it(`${pdu.command}: decode prints JSON whose encode gives back the same hex`, async () => {
      const decoded = await run(['smpp', 'decode', hex.replace(/\s+/g, '')]);
      assert.equal(decoded.code, 0, decoded.err);
      const { command_status_name: statusName, short_message_text: text, ...fields } = JSON.parse(decoded.out) as Record<string, unknown>;
      assert.equal(typeof statusName, 'string', 'the status by name, for people');
      if ('short_message' in pdu && 'data_coding' in pdu && Buffer.isBuffer(pdu.short_message) && pdu.short_message.length > 0) assert.equal(typeof (text as { text?: unknown } | undefined)?.text, 'string', 'the text decoded next to the hex');
      assert.deepEqual(pduFromJson(fields), pdu);
      const encoded = await run(['smpp', 'encode', decoded.out]);
      assert.equal(encoded.code, 0, encoded.err);
      assert.equal(encoded.out, `${fromHex(hex).toString('hex')}\n`);
    });
  }

  it('reads hex from stdin, tolerating spaces, colons and 0x', async () => {
    const result = await run(['smpp', 'decode'], '0x00:00:00:10 00000015\n00000000 0000002a\n');
    assert.equal(result.code, 0, result.err);
    assert.deepEqual(JSON.parse(result.out), { command: 'enquire_link', command_status: 0, sequence_number: 42, tlvs: [], command_status_name: 'ESME_ROK' });
  });

  it('decodes several PDUs back to back into an array', async () => {
    const result = await run(['smpp', 'decode', '00000010000000150000000000000001' + '00000010800000150000000000000001']);
    assert.equal(result.code, 0, result.err);
    assert.deepEqual((JSON.parse(result.out) as Array<{ command: string }>).map((p) => p.command), ['enquire_link', 'enquire_link_resp']);
  });

  it('adds the delivery receipt with --receipt', async () => {
    const receipt = goldenCases.find((c) => c.pdu.command === 'deliver_sm');
    assert.ok(receipt);
    const result = await run(['smpp', 'decode', '--receipt', receipt.hex.replace(/\s+/g, '')]);
    const json = JSON.parse(result.out) as { receipt: { messageId: string; stat: string; networkErrorCode: string } };
    assert.deepEqual([json.receipt.messageId, json.receipt.stat, json.receipt.networkErrorCode], ['0123456789', 'DELIVRD', '030000']);
  });

  it('fails with exit 1 and a clear message on bad hex and bad PDUs', async () => {
    const notHex = await run(['smpp', 'decode', 'zz']);
    assert.equal(notHex.code, 1);
    assert.match(notHex.err, /not an even number of hex digits/);
    const badId = await run(['smpp', 'decode', '0000001000000099000000000000000a']);
    assert.equal(badId.code, 1);
    assert.match(badId.err, /unknown command_id.*sequence_number 10.*ESME_RINVCMDID/);
    const short = await run(['smpp', 'decode', '0000000c0000001500000000']);
    assert.equal(short.code, 1);
    assert.match(short.err, /ESME_RINVCMDLEN/);
    const empty = await run(['smpp', 'decode'], '');
    assert.equal(empty.code, 2, 'nothing given: a usage error');
    assert.match(empty.err, /no hex given/);
  });

  it('encodes hand-written JSON from stdin with defaults, and arrays one per line', async () => {
    const single = await run(['smpp', 'encode'], '{"command":"enquire_link","sequence_number":7}');
    assert.equal(single.out, '00000010000000150000000000000007\n');
    const json = JSON.stringify([{ command: 'submit_sm', destination_addr: '4917', short_message: 'Hi' }, { command: 'unbind' }]);
    const many = await run(['smpp', 'encode', json]);
    const lines = many.out.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[0], encodePdu(pduFromJson({ command: 'submit_sm', destination_addr: '4917', short_message: 'Hi' })).toString('hex'));
  });

  it('fails with exit 1 on malformed JSON and on values that cannot be encoded', async () => {
    const notJson = await run(['smpp', 'encode', '{nope']);
    assert.equal(notJson.code, 1);
    assert.match(notJson.err, /Codec_InvalidJson.*not JSON/);
    const tooLong = await run(['smpp', 'encode', '{"command":"bind_transmitter","system_id":"abcdefghijklmnopq"}']);
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.err, /Codec_InvalidField.*system_id/);
  });

  it('lists both commands in --help and prints usage', async () => {
    const help = await run(['--help']);
    assert.match(help.out, /smpp decode/);
    assert.match(help.out, /smpp encode/);
    const usage = await run(['smpp', 'encode', '--help']);
    assert.match(usage.out, /edge-sms-agent smpp encode/);
  });
});
