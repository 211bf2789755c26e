import type { CliCommand } from './command.js';
import { FleetProgress, writeOrWait } from './fleetProgress.js';
import { brokerFlags, brokerOptions, brokerUsage, msFlag } from './fleetOptions.js';
import { parseOptions } from './options.js';
import { AgentError, ErrorCode } from '../errors.js';
import { sendFleetCommand, type CommandTarget } from '../mqtt/index.js';

function parseTarget(word: string): CommandTarget {
  if (word === 'all') return { kind: 'all' };
  if (word.startsWith('group:')) return { kind: 'group', group: word.slice('group:'.length) };
  return { kind: 'device', deviceId: word };
}

function parsePayload(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new AgentError(`the command's JSON does not parse: ${text}`, ErrorCode.Cli_Usage, {}, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AgentError('the command payload must be a JSON object', ErrorCode.Cli_Usage);
  return value as Record<string, unknown>;
}

export const command: CliCommand = {
  path: ['fleet', 'cmd'],
  summary: 'send a command to one device, a group or all, and print the replies',
  usage: `edge-sms-agent fleet cmd --mqtt URL DEVICE|all|group:NAME COMMAND [JSON] [--timeout MS] [--expect N] [--idle MS] [--share GROUP]

Commands: send-sms, report, locate, get-state, queue, set-config, reboot-modem.
Prints one JSON reply per line as each arrives (nothing is held back, so 100,000 replies stream).
On stderr: a live count when it is a terminal, and the final count. Exit status 0 when every
reply is ok, 1 otherwise. For one device, waits for its reply; for all or a group, collects
replies until the timeout.
${brokerUsage}
  --timeout MS      how long to wait for replies (default 5000)
  --expect N        stop as soon as N replies have come
  --idle MS         stop once no reply came for this long, after the first (all / group)
  --share GROUP     replies go to the MQTT 5 shared subscription GROUP: this command and every
                    \`fleet collect --share GROUP\` running on the same broker each get a part

Example: edge-sms-agent fleet cmd --mqtt mqtt://broker pi-17 send-sms '{"to":"+3725550000","text":"hi"}'`,
  async run(args, io) {
    // Any number of words: the check below answers a wrong count with the command's usage line.
    const { values, positionals } = parseOptions(args, { ...brokerOptions, timeout: { type: 'string' }, expect: { type: 'string' }, idle: { type: 'string' }, share: { type: 'string' } }, { positionals: Infinity });
    const [targetWord, name, json, ...extra] = positionals;
    if (targetWord === undefined || name === undefined || extra.length > 0) {
      throw new AgentError('usage: fleet cmd --mqtt URL DEVICE|all|group:NAME COMMAND [JSON]', ErrorCode.Cli_Usage);
    }
    const expectRaw = values.expect;
    const expect = expectRaw === undefined ? undefined : Number(expectRaw);
    if (expect !== undefined && (!Number.isInteger(expect) || expect < 1)) throw new AgentError(`--expect: must be a positive integer, got '${expectRaw}'`, ErrorCode.Cli_Usage);
    const progress = new FleetProgress(io.stderr, 'replies');
    try {
      const result = await sendFleetCommand({
        ...brokerFlags(values),
        target: parseTarget(targetWord),
        name,
        payload: parsePayload(json),
        timeoutMs: msFlag(values.timeout, 'timeout', 5000),
        ...(expect === undefined ? {} : { expect }),
        ...(values.idle === undefined ? {} : { idleMs: msFlag(values.idle, 'idle', 1000) }),
        ...(values.share === undefined ? {} : { share: values.share }),
        onReply: (reply) => {
          progress.tick();
          return writeOrWait(io.stdout, `${JSON.stringify(reply)}\n`);
        },
      });
      if (targetWord === 'all' || targetWord.startsWith('group:') || values.share !== undefined) {
        progress.finish(`${result.received} replies (${result.ok} ok, ${result.received - result.ok} error)${values.share === undefined ? '' : ` in this consumer of share group ${values.share}; request ${result.requestId}`}`);
      }
      return result.received > 0 && result.ok === result.received ? 0 : 1;
    } finally {
      progress.stop();
    }
  },
};
