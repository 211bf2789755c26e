/**
 * `edge-sms-agent smpp proxy`: the SMPP analyser. Prints `listening on HOST:PORT` on stdout when
 * ready, then one line per PDU (or JSON line with --json) until SIGINT/SIGTERM, when it closes
 * every connection (their unanswered requests are reported) and prints the summary. SIGUSR1
 * prints the summary so far and goes on.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { AgentError, ErrorCode } from '../errors.js';
import { formatRecord, parseUpstreamUrl, PcapFile, SmppProxy, type TraceRecord } from '../smpp/index.js';
import type { CliCommand } from './command.js';
import { integerValue, parseOptions, requireValue } from './options.js';

const usage = `edge-sms-agent smpp proxy --listen [HOST:]PORT --upstream URL [--pcap FILE] [--json] [--log FILE]
                          [--timeout MS]

An SMPP analyser: ESMEs bind to it as they would to the SMSC; for each one it opens its own
connection to the SMSC in --upstream and passes every byte through unchanged, while it prints
one line per PDU: command, status, sequence number, addresses and text, each response with its
request and latency, and every request that got no response when it expires or its link closes.

  --listen [HOST:]PORT  where ESMEs connect; HOST defaults to 127.0.0.1, PORT 0 picks a free one
  --upstream URL        the SMSC: smpp://host:port, or smpps://host:port[?ca=FILE] for TLS
  --pcap FILE           write a capture that Wireshark and tshark decode as SMPP with no settings
  --json                one JSON object per line instead of text
  --log FILE            append the lines to FILE instead of standard output
  --timeout MS          a request unanswered this long is reported as expired; default 30000

Passwords in binds are replaced by '*' octets in every line and in the capture (same length, so
the capture still decodes); the SMSC still gets the real ones. On SIGUSR1 it prints the summary
so far: per connection and per command, counts, p50/p95/p99 latency and statuses; on SIGINT or
SIGTERM it prints the final summary and exits.`;

/** `2775`, `0.0.0.0:2775`, `[::1]:2775`. */
export function parseListenAddress(text: string): { host: string; port: number } {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || port > 65535) throw new AgentError(`--listen must be [HOST:]PORT, got '${text}'`, ErrorCode.Cli_Usage);
  return { host: (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

export const command: CliCommand = {
  path: ['smpp', 'proxy'],
  summary: 'an SMPP analyser between an ESME and an SMSC (trace, latency, pcap)',
  usage,
  async run(args, io) {
    const { values } = parseOptions(args, {
      listen: { type: 'string' },
      upstream: { type: 'string' },
      pcap: { type: 'string' },
      json: { type: 'boolean' },
      log: { type: 'string' },
      timeout: { type: 'string' },
    }, { usage });
    const listen = parseListenAddress(requireValue(values.listen, 'listen'));
    const upstream = parseUpstreamUrl(requireValue(values.upstream, 'upstream'));
    const timeoutMs = integerValue(values.timeout, 'timeout', 1, 86_400_000) ?? 30_000;
    const log = values.log === undefined ? undefined : createWriteStream(values.log, { flags: 'a' });
    const out = log ?? io.stdout;
    const json = values.json === true;
    const write = (record: TraceRecord): void => {
      out.write(`${json ? JSON.stringify(record) : formatRecord(record)}\n`);
    };
    const capture = values.pcap === undefined ? undefined : new PcapFile(values.pcap);
    const proxy = new SmppProxy({ host: listen.host, port: listen.port, upstream, record: write, requestTimeoutMs: timeoutMs, ...(capture === undefined ? {} : { capture }) });
    let port: number;
    try {
      port = await proxy.start();
    } catch (error) {
      capture?.close();
      log?.end();
      throw error;
    }
    io.stdout.write(`listening on ${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}\n`);

    const controller = new AbortController();
    const stop = (): void => controller.abort();
    const report = (): void => {
      for (const summary of proxy.summaries()) write(summary);
      capture?.flush();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.on('SIGUSR1', report);
    try {
      await once(controller.signal, 'abort');
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGUSR1', report);
      await proxy.stop();
      const all = proxy.summaries().at(-1);
      if (all !== undefined) write(all);
      capture?.close();
      if (log !== undefined) await new Promise<void>((resolve) => log.end(resolve));
    }
    return 0;
  },
};
