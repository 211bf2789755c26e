/**
 * `edge-sms-agent smpp encode <json>`: the JSON that `smpp decode` prints (or a hand-written
 * subset of it: missing fields take their defaults) → the PDU in hex. An array encodes each
 * PDU on its own line.
 */
import { AgentError, ErrorCode } from '../errors.js';
import { encodePdu, pduFromJson } from '../smpp/index.js';
import type { CliCommand } from './command.js';
import { argumentOrStdin } from './cliInput.js';
import { parseOptions } from './options.js';

const usage = `edge-sms-agent smpp encode [JSON | -]

Encodes an SMPP PDU given as JSON (the output of 'edge-sms-agent smpp decode') and
prints its bytes in hex. Without JSON, or with -, reads it from standard input.
Fields left out take their defaults ('' and 0), command_status may be a name such as
"ESME_RTHROTTLED", and octet fields take {"hex": "..."} or plain text. A JSON array
prints one line of hex per PDU.

Example:
  edge-sms-agent smpp encode '{"command":"submit_sm","sequence_number":1,
    "destination_addr":"491701234567","short_message":"Hello"}'`;

export const command: CliCommand = {
  path: ['smpp', 'encode'],
  summary: 'encode SMPP PDUs from JSON to hex',
  usage,
  async run(args, io) {
    const text = await argumentOrStdin(parseOptions(args, {}, { positionals: Infinity, usage }).positionals, io);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new AgentError(`input is not JSON: ${(error as Error).message}`, ErrorCode.Codec_InvalidJson, {}, { cause: error });
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    // What smpp decode adds for people (names, decoded text, the receipt) is not part of the PDU.
    const lines = list.map((item) => encodePdu(pduFromJson(withoutAnnotations(item))).toString('hex'));
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

const annotations = new Set(['command_status_name', 'short_message_text', 'receipt']);

function withoutAnnotations(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  return Object.fromEntries(Object.entries(item).filter(([key]) => !annotations.has(key)));
}
