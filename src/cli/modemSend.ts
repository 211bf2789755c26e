import type { CliCommand } from './command.js';
import { openModem, optionalString, parseModemOptions, required } from './modemOptions.js';
import { destinationValue } from './options.js';

const usage = `edge-sms-agent modem send --port PATH --profile NAME --to NUMBER --text TEXT [--pin PIN] [--no-report] [--json]

Sends one SMS through the modem (PDU mode; long texts are concatenated) and prints the message reference
of each part.`;

export const command: CliCommand = {
  path: ['modem', 'send'],
  summary: 'send an SMS through a modem and print its message reference(s)',
  usage,
  async run(args, io) {
    const values = parseModemOptions(
      args,
      { port: { type: 'string' }, profile: { type: 'string' }, to: { type: 'string' }, text: { type: 'string' }, pin: { type: 'string' }, 'no-report': { type: 'boolean' }, json: { type: 'boolean' } },
      usage,
    );
    const to = destinationValue(required(values['to'], 'to', usage), 'to');
    const text = required(values['text'], 'text', usage);
    const modem = await openModem(required(values['port'], 'port', usage), required(values['profile'], 'profile', usage), optionalString(values['pin']));
    try {
      const result = await modem.driver.sendSms({ to, text, ...(values['no-report'] === true ? { statusReport: false } : {}) });
      if (values['json'] === true) io.stdout.write(`${JSON.stringify(result)}\n`);
      else io.stdout.write(`sent to ${to} in ${result.references.length} part(s), message reference(s): ${result.references.join(' ')}\n`);
      return 0;
    } finally {
      await modem.close();
    }
  },
};
