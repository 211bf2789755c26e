/**
 * `edge-sms-agent sign-command --key-file F --device ID TEXT`: the centre's side of signed SMS
 * commands (docs/signed-commands.md). Prints the SMS text to send to the device; the key stays in
 * its file (never on the command line, where `ps` and shell history would show it).
 */
import type { CliCommand } from './command.js';
import { signCommand, readKeyFile } from '../agent/index.js';
import { AgentError, ErrorCode } from '../errors.js';
import { integerValue, parseOptions, requireValue } from './options.js';

const usage = `edge-sms-agent sign-command --key-file FILE --device ID [--counter N] COMMAND [ARG…]

Prints the SMS text of a signed command for one device, e.g.
  edge-sms-agent sign-command --key-file /etc/edge-sms-centre/pi-0042.key --device pi-0042 REPORT alarm
  S 1767225600 Jq3Wk0b8vN1xYpZs REPORT alarm

  --key-file FILE  the device's key (its commands.key), on the file's first line
  --device ID      the device's device.id
  --counter N      default: the current Unix time in seconds; must grow from one command to the next

Commands: LOCATE, STATUS, PING, REPORT [kind]. Format: docs/signed-commands.md.`;

export const command: CliCommand = {
  path: ['sign-command'],
  summary: 'print the SMS text of a signed command for a device',
  usage,
  run(args, io) {
    const { values, positionals } = parseOptions(args, {
      'key-file': { type: 'string' },
      device: { type: 'string' },
      counter: { type: 'string' },
    }, { positionals: Infinity, usage });
    if (positionals.length === 0) throw new AgentError('give the command to sign, e.g. PING', ErrorCode.Cli_Usage);
    const key = readKeyFile(requireValue(values['key-file'], 'key-file'));
    const counter = integerValue(values.counter, 'counter', 1, 999_999_999_999);
    const text = signCommand({ key, deviceId: requireValue(values.device, 'device'), text: positionals.join(' '), ...(counter === undefined ? {} : { counter }) });
    io.stdout.write(`${text}\n`);
    return Promise.resolve(0);
  },
};
