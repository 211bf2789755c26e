/**
 * `edge-sms-agent sim smsc`: runs the SMSC simulator until SIGINT/SIGTERM. Prints one line
 * `listening on HOST:PORT` on stdout when ready (port 0 picks a free one, for scripts).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { AgentError, ErrorCode } from '../errors.js';
import { createLogger } from '../logger.js';
import { SmscSimulator } from '../sim/index.js';
import { pduToJson, redactPdu, type ReceiptStat } from '../smpp/index.js';
import { ReportReceiver } from '../report/index.js';
import type { CliCommand } from './command.js';
import { integerValue, parseOptions, requireValue } from './options.js';

const usage = `edge-sms-agent sim smsc --port 2775 --system-id ID --password PW
                         [--host 127.0.0.1] [--throttle N] [--dlr] [--dlr-delay MS]
                         [--dlr-states DELIVRD,UNDELIV,...] [--version 3.4|5.0] [--log FILE]

Runs a simulated SMSC that accepts binds from the account ID/PW and answers submit_sm,
submit_multi, data_sm, query_sm, cancel_sm and replace_sm.

  --throttle N    accept at most N submits per second per bind (others get ESME_RTHROTTLED)
  --dlr           send delivery receipts for submits that ask for them
  --dlr-delay MS  time from submit to receipt; default 1000
  --dlr-states    final states handed out in turn; default DELIVRD
  --version       sc_interface_version offered; default 3.4
  --log FILE      append every PDU received as one JSON line (the form 'smpp decode' prints;
                  bind passwords blanked), and for each report message (docs/wire-format.md) a line
                  {"report": …} with it decoded, or {"duplicateReport": …} for a re-send

Stops on SIGINT or SIGTERM.`;

const stats: readonly ReceiptStat[] = ['DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD'];

export const command: CliCommand = {
  path: ['sim', 'smsc'],
  summary: 'run the SMSC simulator',
  usage,
  async run(args, io) {
    const { values } = parseOptions(args, {
      port: { type: 'string' },
      host: { type: 'string' },
      'system-id': { type: 'string' },
      password: { type: 'string' },
      throttle: { type: 'string' },
      'dlr-delay': { type: 'string' },
      'dlr-states': { type: 'string' },
      version: { type: 'string' },
      log: { type: 'string' },
      dlr: { type: 'boolean' },
    });
    const states = (values['dlr-states'] ?? 'DELIVRD').split(',').map((s) => s.trim().toUpperCase());
    const unknownState = states.find((s) => !stats.includes(s as ReceiptStat));
    if (unknownState !== undefined) throw new AgentError(`--dlr-states: '${unknownState}' is not one of ${stats.join(', ')}`, ErrorCode.Cli_Usage);
    const version = values.version ?? '3.4';
    if (version !== '3.4' && version !== '5.0') throw new AgentError(`--version must be 3.4 or 5.0, got '${version}'`, ErrorCode.Cli_Usage);
    const throttle = integerValue(values.throttle, 'throttle', 1, 1_000_000);
    const logFile = values.log;
    const log = logFile === undefined ? undefined : createWriteStream(logFile, { flags: 'a' });

    const sim = new SmscSimulator({
      accounts: [{ systemId: requireValue(values['system-id'], 'system-id'), password: values.password ?? '' }],
      host: values.host ?? '127.0.0.1',
      port: integerValue(values.port, 'port', 0, 65535) ?? 2775,
      interfaceVersion: version === '5.0' ? 0x50 : 0x34,
      ...(throttle === undefined ? {} : { throttlePerSecond: throttle }),
      ...(values.dlr === true ? { receipts: { delayMs: integerValue(values['dlr-delay'], 'dlr-delay', 0, 86_400_000) ?? 1000, states: states as ReceiptStat[] } } : {}),
      logger: createLogger(),
    });
    if (log !== undefined) {
      const reports = new ReportReceiver();
      sim.on('pdu', (pdu) => {
        // Secrets never reach a log file: bind and outbind passwords are starred (same length).
        const json = pduToJson(redactPdu(pdu));
        log.write(`${JSON.stringify(json)}\n`);
        // Report messages (docs/wire-format.md) get a second line, decoded once all their parts are in.
        if (pdu.command !== 'submit_sm' && pdu.command !== 'data_sm') return;
        const received = reports.accept(pdu);
        if (received.kind === 'report') log.write(`${JSON.stringify({ report: received.message, from: received.source, missing: received.missing })}\n`);
        else if (received.kind === 'duplicate') log.write(`${JSON.stringify({ duplicateReport: { device: received.device, seq: received.seq }, from: received.source })}\n`);
      });
    }
    const port = await sim.start();
    io.stdout.write(`listening on ${values.host ?? '127.0.0.1'}:${port}\n`);

    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await once(controller.signal, 'abort');
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await sim.stop();
      if (log !== undefined) await new Promise<void>((resolve) => log.end(resolve));
    }
    return 0;
  },
};
