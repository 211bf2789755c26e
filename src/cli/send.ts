/**
 * `edge-sms-agent send`: bind, send one message (split as needed), wait for the submit_sm_resp
 * of every part and, with --dlr, their receipts; print the outcome as JSON. Any failure exits
 * non-zero with a sentence a user can act on.
 */
import { AgentError, ErrorCode, hasErrorCode, isAgentError } from '../errors.js';
import {
  CommandStatus, SmppSession, commandStatusDescription, commandStatusName, createPdu, redactUrl, sameMessageId, sessionOptionsFromUrl,
  splitBinary, splitText, type DeliveryReceipt, type SplitResult,
} from '../smpp/index.js';
import type { CliCommand } from './command.js';
import { addressFor, destinationValue, integerValue, parseOptions, requireValue } from './options.js';

const usage = `edge-sms-agent send --smsc URL --to NUMBER --from ADDR --text TEXT
                    [--encoding auto|gsm7|ucs2|latin1|binary] [--long udh|sar|payload] [--dlr] [--timeout MS]

Binds to the SMSC at URL (smpp://system_id:password@host:port?bind=trx, or smpps://),
sends TEXT to NUMBER (split into parts when long), waits for the SMSC to accept every part
and, with --dlr, for the delivery receipts. Prints the message ids and outcomes as JSON.

  --encoding   auto (default: GSM 7-bit when it fits, else UCS-2), or force one;
               with binary, TEXT is hex
  --long       how long messages are split: udh (default), sar, or payload (one message_payload)
  --dlr        ask for delivery receipts and wait for them (needs bind=trx or rx)
  --timeout    ms to wait for responses and receipts; default 30000

Exit status: 0 accepted (and, with --dlr, delivered); 1 anything else, explained on stderr.`;

interface PartOutcome {
  part: number;
  messageId?: string;
  status: string;
  receipt?: { stat: string; err?: string | undefined; doneDate?: string | undefined };
}

const encodings = ['auto', 'gsm7', 'ucs2', 'latin1', 'binary', 'ascii'] as const;
const methods = { udh: 'udh8', sar: 'sar', payload: 'payload' } as const;

export const command: CliCommand = {
  path: ['send'],
  summary: 'send one SMS through an SMSC and print the outcome as JSON',
  usage,
  async run(args, io) {
    const { values } = parseOptions(args, {
      smsc: { type: 'string' },
      to: { type: 'string' },
      from: { type: 'string' },
      text: { type: 'string' },
      encoding: { type: 'string' },
      long: { type: 'string' },
      timeout: { type: 'string' },
      dlr: { type: 'boolean' },
    });
    const url = requireValue(values.smsc, 'smsc');
    const to = addressFor(destinationValue(requireValue(values.to, 'to'), 'to'));
    const from = addressFor(requireValue(values.from, 'from'));
    const text = values.text ?? '';
    const encodingText = values.encoding ?? 'auto';
    const encoding = encodings.find((e) => e === encodingText);
    if (encoding === undefined) throw new AgentError(`--encoding must be one of ${encodings.join(', ')}, got '${encodingText}'`, ErrorCode.Cli_Usage);
    const longText = values.long ?? 'udh';
    const method = (methods as Record<string, 'udh8' | 'sar' | 'payload' | undefined>)[longText];
    if (method === undefined) throw new AgentError(`--long must be udh, sar or payload, got '${longText}'`, ErrorCode.Cli_Usage);
    const timeoutMs = integerValue(values.timeout, 'timeout', 1, 3_600_000) ?? 30_000;
    const wantReceipts = values.dlr === true;

    const options = sessionOptionsFromUrl(url, { responseTimeoutMs: Math.min(timeoutMs, 3_600_000), enquireLinkMs: Math.max(30_000, timeoutMs) });
    if (wantReceipts && options.bindMode === 'transmitter') throw new AgentError('--dlr needs a bind that receives: use bind=trx in the URL', ErrorCode.Cli_Usage);
    const split = splitMessage(text, encoding, method);

    const session = new SmppSession(options);
    const receipts: DeliveryReceipt[] = [];
    session.on('receipt', (receipt) => receipts.push(receipt));
    try {
      await session.connect();
    } catch (error) {
      io.stderr.write(`edge-sms-agent send: ${explainConnect(error, url)}\n`);
      return 1;
    }
    const outcomes: PartOutcome[] = [];
    let failed = false;
    try {
      const responses = await Promise.allSettled(split.parts.map((part) => session.request(createPdu('submit_sm', {
        source_addr_ton: from.ton, source_addr_npi: from.npi, source_addr: from.addr,
        dest_addr_ton: to.ton, dest_addr_npi: to.npi, destination_addr: to.addr,
        esm_class: part.esmClassUdhi ? 0x40 : 0, data_coding: split.dataCoding,
        registered_delivery: wantReceipts ? 1 : 0, short_message: part.shortMessage, tlvs: part.tlvs,
      }))));
      responses.forEach((result, i) => {
        if (result.status === 'rejected') {
          failed = true;
          outcomes.push({ part: i + 1, status: isAgentError(result.reason) ? result.reason.describe() : String(result.reason) });
          return;
        }
        const response = result.value;
        const status = response.command_status;
        if (status !== CommandStatus.ESME_ROK) failed = true;
        outcomes.push({
          part: i + 1,
          status: commandStatusName(status),
          ...('message_id' in response && status === CommandStatus.ESME_ROK ? { messageId: response.message_id } : {}),
        });
      });
      if (failed) {
        const first = outcomes.find((o) => o.messageId === undefined);
        io.stderr.write(`edge-sms-agent send: the SMSC did not accept the message: ${explainStatus(first?.status ?? '')}\n`);
      } else if (wantReceipts) {
        failed = !(await waitReceipts(session, outcomes, receipts, timeoutMs, io));
      }
    } finally {
      await session.close();
    }
    io.stdout.write(`${JSON.stringify({ to: values.to, encoding: split.encoding, parts: split.parts.length, outcomes }, null, 2)}\n`);
    return failed ? 1 : 0;
  },
};

function splitMessage(text: string, encoding: (typeof encodings)[number], method: 'udh8' | 'sar' | 'payload'): SplitResult {
  const reference = Math.floor(Math.random() * 256);
  if (encoding === 'binary') {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) throw new AgentError('with --encoding binary, --text is hex octets', ErrorCode.Cli_Usage);
    return splitBinary(Buffer.from(text, 'hex'), { method, reference });
  }
  return splitText(text, { method, reference, encoding: encoding });
}

async function waitReceipts(session: SmppSession, outcomes: PartOutcome[], receipts: DeliveryReceipt[], timeoutMs: number,
  io: { stderr: NodeJS.WritableStream }): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const settle = (): boolean => {
    for (const outcome of outcomes) {
      if (outcome.receipt !== undefined || outcome.messageId === undefined) continue;
      const receipt = receipts.find((r) => sameMessageId(r.messageId, outcome.messageId!, { crossRadix: true }));
      if (receipt !== undefined) outcome.receipt = { stat: receipt.stat, err: receipt.err, doneDate: receipt.doneDate?.toISOString() };
    }
    return outcomes.every((o) => o.receipt !== undefined);
  };
  while (!settle()) {
    const left = deadline - Date.now();
    if (left <= 0 || session.state !== 'bound') {
      io.stderr.write(`edge-sms-agent send: accepted, but no delivery receipt within ${timeoutMs} ms\n`);
      return false;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      session.once('receipt', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  const undelivered = outcomes.find((o) => o.receipt?.stat !== 'DELIVRD');
  if (undelivered !== undefined) io.stderr.write(`edge-sms-agent send: not delivered: ${undelivered.receipt?.stat ?? '?'} (err ${undelivered.receipt?.err ?? '?'})\n`);
  return undelivered === undefined;
}

function explainConnect(error: unknown, url: string): string {
  if (hasErrorCode(error, ErrorCode.Smpp_BindFailed)) return `the SMSC refused the bind: ${error.message.replace(/^bind refused by the SMSC: /, '')}`;
  if (hasErrorCode(error, ErrorCode.Smpp_Tls)) return `TLS problem with ${redactUrl(url)}: ${error.message}`;
  if (hasErrorCode(error, ErrorCode.Smpp_ResponseTimeout)) return `connected to ${redactUrl(url)}, but the SMSC did not answer the bind in time`;
  if (isAgentError(error)) return error.message;
  return String(error);
}

function explainStatus(status: string): string {
  const known = /^(ESME_\w+)$/.exec(status);
  if (known === null) return status;
  const value = CommandStatus[known[1] as keyof typeof CommandStatus];
  return `${status} (${commandStatusDescription(value)})`;
}
