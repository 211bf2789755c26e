import type { CliCommand } from './command.js';
import { agentVersion } from '../version.js';
import { parseOptions } from './options.js';

export const command: CliCommand = {
  path: ['version'],
  summary: 'print the agent version',
  usage: 'edge-sms-agent version\n\nPrints the version of this agent.',
  run(args, io) {
    parseOptions(args, {});
    io.stdout.write(`${agentVersion}\n`);
    return Promise.resolve(0);
  },
};
