import { createInterface } from 'node:readline';
import type { CliCommand } from './command.js';
import { openPort, parseModemOptions, required } from './modemOptions.js';
import { AtChannel } from '../modem/index.js';

const usage = `edge-sms-agent modem at --port PATH [--baud RATE]

An interactive AT console: each line you type is sent with CR; everything the modem says (answers and
URCs) is printed as it comes, prefixed with '< '. End a line with ^Z (the two characters) to send Ctrl-Z
after a '>' prompt, type ^[ alone to send ESC. Ctrl-D or Ctrl-C leaves (after Ctrl-D the answers still
coming are printed until the modem has been quiet for half a second).`;

export const command: CliCommand = {
  path: ['modem', 'at'],
  summary: 'interactive AT console on a modem port',
  usage,
  async run(args, io) {
    const values = parseModemOptions(args, { port: { type: 'string' }, baud: { type: 'string' } }, usage);
    const baud = Number(values['baud'] ?? 115200);
    const port = await openPort(required(values['port'], 'port', usage), Number.isInteger(baud) && baud > 0 ? baud : 115200);
    const channel = new AtChannel(port);
    let lastLineAt = Date.now();
    channel.onLine((line, dir) => {
      if (dir !== 'in') return;
      lastLineAt = Date.now();
      io.stdout.write(`< ${line}\n`);
    });
    const input = createInterface({ input: process.stdin, terminal: false });
    try {
      for await (const line of input) {
        if (line === '^[') channel.writeRaw('\x1b');
        else if (line.endsWith('^Z')) channel.writeRaw(`${line.slice(0, -2)}\x1a`);
        else channel.writeRaw(`${line}\r`);
      }
      // Input ended (piped commands): let the modem finish answering, until it has been quiet for 500 ms (at most 10 s).
      const endAt = Date.now() + 10_000;
      lastLineAt = Math.max(lastLineAt, Date.now());
      while (Date.now() - lastLineAt < 500 && Date.now() < endAt) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      input.close();
      channel.close();
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    return 0;
  },
};
