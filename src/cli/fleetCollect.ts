import type { CliCommand } from './command.js';
import { FleetProgress, writeOrWait } from './fleetProgress.js';
import { brokerFlags, brokerOptions, brokerUsage, msFlag } from './fleetOptions.js';
import { parseOptions } from './options.js';
import { AgentError, ErrorCode } from '../errors.js';
import { collectFleetReplies } from '../mqtt/index.js';

export const command: CliCommand = {
  path: ['fleet', 'collect'],
  summary: 'one more consumer of a share group: print its part of the replies to `fleet cmd --share`',
  usage: `edge-sms-agent fleet collect --mqtt URL --share GROUP [--timeout MS] [--expect N] [--idle MS] [--request-id ID]

Subscribes to the MQTT 5 shared subscription GROUP and prints, one JSON line each as they arrive,
the replies the broker hands to this consumer. Start the consumers first (each says
"collecting replies for share group GROUP" on stderr once subscribed), then
\`fleet cmd --share GROUP …\`; the broker splits the replies between all of them (and the sender).
All consumers of a group must use the same broker (a bridged Mosquitto shares per node; a
clustered broker shares cluster-wide: docs/fleet.md). Exit status 0 when every reply is ok.
${brokerUsage}
  --share GROUP     the share group (one topic level: A-Z a-z 0-9 _ . -)
  --timeout MS      how long to collect (default 30000)
  --expect N        stop as soon as N replies have come
  --idle MS         stop once no reply came for this long (after the first)
  --request-id ID   only replies to this request (printed by \`fleet cmd --share\`)`,
  async run(args, io) {
    const { values } = parseOptions(args, { ...brokerOptions, share: { type: 'string' }, timeout: { type: 'string' }, expect: { type: 'string' }, idle: { type: 'string' }, 'request-id': { type: 'string' } });
    if (values.share === undefined) throw new AgentError('--share GROUP is required', ErrorCode.Cli_Usage);
    const expectRaw = values.expect;
    const expect = expectRaw === undefined ? undefined : Number(expectRaw);
    if (expect !== undefined && (!Number.isInteger(expect) || expect < 1)) throw new AgentError(`--expect: must be a positive integer, got '${expectRaw}'`, ErrorCode.Cli_Usage);
    const requestId = values['request-id'];
    const progress = new FleetProgress(io.stderr, 'replies');
    try {
      const result = await collectFleetReplies({
        ...brokerFlags(values),
        share: values.share,
        timeoutMs: msFlag(values.timeout, 'timeout', 30_000),
        ...(expect === undefined ? {} : { expect }),
        ...(values.idle === undefined ? {} : { idleMs: msFlag(values.idle, 'idle', 1000) }),
        ...(requestId === undefined ? {} : { requestId }),
        onSubscribed: () => io.stderr.write(`collecting replies for share group ${values.share}\n`),
        onReply: (reply) => {
          progress.tick();
          return writeOrWait(io.stdout, `${JSON.stringify(reply)}\n`);
        },
      });
      progress.finish(`${result.received} replies (${result.ok} ok, ${result.received - result.ok} error) in this consumer of share group ${values.share}`);
      return result.received > 0 && result.ok === result.received ? 0 : 1;
    } finally {
      progress.stop();
    }
  },
};
