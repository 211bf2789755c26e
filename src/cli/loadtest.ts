/**
 * `edge-sms-agent loadtest`: N submits at up to R/s with window W against any SMSC (or
 * `sim smsc`), then achieved submits/s, response latency percentiles and counts by
 * command_status. Keeps exactly W requests outstanding, so latency is the SMSC's answer time,
 * not time spent queued behind our own window.
 */
import { AgentError, ErrorCode, errorCodeName, isAgentError } from '../errors.js';
import { SmppSession, commandStatusName, createPdu, sessionOptionsFromUrl, redactUrl } from '../smpp/index.js';
import type { CliCommand } from './command.js';
import { addressFor, integerValue, parseOptions, requireValue } from './options.js';

const usage = `edge-sms-agent loadtest --smsc URL --count N [--rate R] [--window W] [--to RANGE] [--text TEXT] [--from ADDR] [--json]

Submits N messages to the SMSC at URL at up to R per second (default: as fast as it
answers) with W requests outstanding (default: the URL's window, else 10), then prints the
achieved submits/s, response latency p50/p95/p99 and counts by command_status.

  --to RANGE   destinations: one number, or FIRST-LAST cycled (default 447700900000-447700900999)
  --text TEXT  message text; default 'load test'
  --json       print one JSON object instead of text`;

export interface LoadTestResult {
  smsc: string;
  count: number;
  window: number;
  rate: number | null;
  elapsedMs: number;
  submitsPerSec: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  statuses: Record<string, number>;
}

export const command: CliCommand = {
  path: ['loadtest'],
  summary: 'submit N messages to an SMSC and report rate, latency and statuses',
  usage,
  async run(args, io) {
    const { values } = parseOptions(args, {
      smsc: { type: 'string' },
      count: { type: 'string' },
      rate: { type: 'string' },
      window: { type: 'string' },
      to: { type: 'string' },
      text: { type: 'string' },
      from: { type: 'string' },
      json: { type: 'boolean' },
    });
    const url = requireValue(values.smsc, 'smsc');
    const count = integerValue(values.count, 'count', 1, 100_000_000);
    if (count === undefined) throw new AgentError('--count is required', ErrorCode.Cli_Usage);
    const rate = integerValue(values.rate, 'rate', 1, 1_000_000);
    const windowFlag = integerValue(values.window, 'window', 1, 1000);
    const destinations = destinationRange(values.to ?? '447700900000-447700900999');
    const from = addressFor(values.from ?? 'LOADTEST');
    const text = Buffer.from(values.text ?? 'load test', 'latin1');

    const options = sessionOptionsFromUrl(url, {
      ...(windowFlag === undefined ? {} : { window: windowFlag }),
      ...(rate === undefined ? {} : { maxPerSecond: rate }),
    });
    const window = options.window ?? 10;
    const session = new SmppSession(options);
    await session.connect();

    const latencies = new Float64Array(count);
    const statuses: Record<string, number> = {};
    let next = 0;
    let done = 0;
    const started = performance.now();
    // Progress on a terminal (standard error, once a second, one line rewritten): a long run is not silent.
    const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
    const progress = tty ? setInterval(() => io.stderr.write(`\r${done}/${count} answered, ${Math.round(done / ((performance.now() - started) / 1000))}/s   `), 1000) : undefined;
    await new Promise<void>((resolve) => {
      const launch = (): void => {
        const index = next++;
        const to = destinations(index);
        let sentAt = performance.now();
        session.request(createPdu('submit_sm', {
          source_addr_ton: from.ton, source_addr_npi: from.npi, source_addr: from.addr,
          dest_addr_ton: to.ton, dest_addr_npi: to.npi, destination_addr: to.addr, short_message: text,
        }), () => {
          sentAt = performance.now(); // latency is the SMSC's, not our rate limiter's
        }).then(
          (response) => {
            const name = commandStatusName(response.command_status);
            statuses[name] = (statuses[name] ?? 0) + 1;
          },
          (error: unknown) => {
            const name = isAgentError(error) ? errorCodeName(error.code) : 'error';
            statuses[name] = (statuses[name] ?? 0) + 1;
          },
        ).finally(() => {
          latencies[index] = performance.now() - sentAt;
          done++;
          if (next < count && session.state === 'bound') launch();
          else if (done === next) resolve();
        });
      };
      for (let i = 0; i < Math.min(window, count); i++) launch();
    });
    clearInterval(progress);
    if (progress !== undefined) io.stderr.write('\r\x1b[K');
    const elapsedMs = performance.now() - started;
    await session.close();

    const sorted = latencies.subarray(0, done).sort();
    const pick = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
    const result: LoadTestResult = {
      smsc: redactUrl(url),
      count: done,
      window,
      rate: rate ?? null,
      elapsedMs: round(elapsedMs),
      submitsPerSec: Math.round((done / elapsedMs) * 1000),
      latencyMs: { p50: pick(0.5), p95: pick(0.95), p99: pick(0.99), max: round(sorted[sorted.length - 1] ?? 0) },
      statuses,
    };
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      io.stdout.write([
        `${result.count} submits in ${(result.elapsedMs / 1000).toFixed(2)} s: ${result.submitsPerSec} submits/s (window ${window}${rate === undefined ? '' : `, rate limit ${rate}/s`})`,
        `latency ms: p50 ${result.latencyMs.p50}  p95 ${result.latencyMs.p95}  p99 ${result.latencyMs.p99}  max ${result.latencyMs.max}`,
        `statuses: ${Object.entries(statuses).map(([name, n]) => `${name} ${n}`).join(', ')}`,
        '',
      ].join('\n'));
    }
    return done === count && (statuses['ESME_ROK'] ?? 0) === count ? 0 : 1;
  },
};

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** `447700900000-447700900999` → the i-th address, cycling; a single number → always it. */
function destinationRange(text: string): (i: number) => { ton: number; npi: number; addr: string } {
  const match = /^(\+?)(\d{1,20})-(\+?)(\d{1,20})$/.exec(text);
  if (match === null) {
    const single = addressFor(text);
    return () => single;
  }
  const first = BigInt(match[2]!);
  const last = BigInt(match[4]!);
  if (last < first || match[2]!.length !== match[4]!.length) throw new AgentError(`--to range '${text}' must be FIRST-LAST with FIRST <= LAST and equal lengths`, ErrorCode.Cli_Usage);
  const size = last - first + 1n;
  const width = match[2]!.length;
  const ton = match[1] === '+' ? 1 : 0;
  return (i) => ({ ton, npi: 1, addr: (first + (BigInt(i) % size)).toString().padStart(width, '0') });
}
