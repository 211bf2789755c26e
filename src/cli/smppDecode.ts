/**
 * `edge-sms-agent smpp decode <hex>`: one or more SMPP PDUs in hex (spaces, colons and a 0x
 * prefix allowed, so Wireshark and log dumps paste as they are) → JSON with TLVs by name.
 * Several PDUs back to back print as a JSON array.
 */
import { AgentError, ErrorCode } from '../errors.js';
import { PduFramer, commandStatusName, decodePdu, isSmppDecodeError, pduToJson, readShortMessage, receiptFromPdu, type Pdu } from '../smpp/index.js';
import type { JsonObject } from '../smpp/index.js';
import type { CliCommand } from './command.js';
import { argumentOrStdin } from './cliInput.js';
import { parseOptions } from './options.js';

const usage = `edge-sms-agent smpp decode [HEX | -] [--receipt]

Decodes SMPP v3.4/v5.0 PDUs given in hex and prints them as JSON (TLVs by name,
octets as {"hex": "..."}). Without HEX, or with -, reads the hex from standard input.
Whitespace, colons and a leading 0x are ignored. Several PDUs back to back print as
an array. The JSON is the input of 'edge-sms-agent smpp encode'.

  --receipt   also print the delivery receipt a deliver_sm/data_sm carries, as "receipt"

Exit status: 0 decoded, 1 not hex or not a valid PDU (the message names the
command_status an SMSC would answer with).`;

export function parseHex(text: string): Buffer {
  const hex = text.trim().replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (hex.length === 0) throw new AgentError('no hex given', ErrorCode.Cli_Usage);
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) throw new AgentError('input is not an even number of hex digits', ErrorCode.Codec_InvalidJson);
  return Buffer.from(hex, 'hex');
}

function shortMessageText(pdu: Pdu): JsonObject | undefined {
  if (!('short_message' in pdu) || !('data_coding' in pdu) || !Buffer.isBuffer(pdu.short_message)) return undefined;
  try {
    const message = readShortMessage({ shortMessage: pdu.short_message, dataCoding: pdu.data_coding, esmClass: 'esm_class' in pdu ? pdu.esm_class : 0, tlvs: pdu.tlvs });
    if (message.body.length === 0) return undefined;
    return { encoding: message.encoding, text: message.text, ...(message.concat === undefined ? {} : { part: `${message.concat.sequence}/${message.concat.total}` }) };
  } catch {
    return undefined;
  }
}

function decodeOne(bytes: Buffer, withReceipt: boolean): JsonObject {
  const pdu = decodePdu(bytes);
  const json = pduToJson(pdu);
  // Annotations for a person, next to the raw fields (smpp encode ignores them): the status by name,
  // the message's text decoded as its data_coding says.
  json.command_status_name = commandStatusName(pdu.command_status);
  const text = shortMessageText(pdu);
  if (text !== undefined) json.short_message_text = text;
  if (withReceipt) {
    const receipt = receiptFromPdu(pdu);
    if (receipt !== undefined) {
      json.receipt = JSON.parse(JSON.stringify({ ...receipt, networkErrorCode: receipt.networkErrorCode?.toString('hex') })) as JsonObject;
    }
  }
  return json;
}

/** Splits the bytes into PDUs by command_length; leftovers are an error, not silently dropped. */
function splitPdus(bytes: Buffer): Buffer[] {
  const framer = new PduFramer({ maxPduSize: Math.max(16, bytes.length) });
  const frames: Buffer[] = [];
  for (const event of framer.push(bytes)) {
    if (event.kind === 'pdu') frames.push(event.bytes);
    else if (event.kind === 'invalid') throw event.error;
  }
  if (framer.buffered > 0 || frames.length === 0) return [bytes];
  return frames;
}

export const command: CliCommand = {
  path: ['smpp', 'decode'],
  summary: 'decode SMPP PDUs from hex to JSON',
  usage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { receipt: { type: 'boolean' } }, { positionals: Infinity, usage });
    const withReceipt = values.receipt === true;
    const bytes = parseHex(await argumentOrStdin(positionals, io));
    try {
      const frames = splitPdus(bytes);
      const decoded = frames.map((frame) => decodeOne(frame, withReceipt));
      io.stdout.write(`${JSON.stringify(decoded.length === 1 ? decoded[0] : decoded, null, 2)}\n`);
      return 0;
    } catch (error) {
      if (!isSmppDecodeError(error)) throw error;
      const where = error.sequenceNumber === undefined ? '' : ` (sequence_number ${error.sequenceNumber})`;
      io.stderr.write(`edge-sms-agent smpp decode: ${error.describe()}${where}; an SMSC would answer ${commandStatusName(error.commandStatus)}\n`);
      return 1;
    }
  },
};
