/**
 * `edge-sms-agent demo` (the README's first command): the SMSC simulator, the modem emulator, a
 * private Mosquitto and the agent on this machine, with an SMSC outage in the middle. See
 * src/agent/demo/scenario.ts for the timeline.
 */
import { parseArgs } from 'node:util';
import { runDemo } from '../agent/index.js';
import type { CliCommand } from './command.js';

const usage = `edge-sms-agent demo [--fast]

Runs the whole agent on this machine for about a minute, with nothing to configure: an SMSC
simulator, the modem emulator on a pseudo-terminal (needs socat), a private MQTT broker (Mosquitto
when installed, otherwise one inside the demo), and the agent. A sensor posts a reading a second; the SMSC goes away for a while (the
backlog grows in the outbox, an alarm leaves through the modem), comes back, and the backlog
drains. One line a second shows the links and the outbox; a summary ends it.

  --fast   the same story in about a third of the time`;

export const command: CliCommand = {
  path: ['demo'],
  summary: 'see the agent work: SMSC, modem and broker simulated on this machine',
  usage,
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { fast: { type: 'boolean' } }, strict: true });
    // Ctrl-C at any moment: the demo unwinds (agent, simulators, broker, socat stopped; its folder removed).
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await runDemo({ scale: values.fast === true ? 0.35 : 1, write: (line) => void io.stdout.write(`${line}\n`), signal: controller.signal });
      return 0;
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      io.stderr.write('demo interrupted: everything it started is stopped and its temporary folder removed\n');
      return 130;
    } finally {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
  },
};
