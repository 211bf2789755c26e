/**
 * `edge-sms-agent trace`: the running agent's own SMPP trace from its local API. Without --follow
 * it prints the records the agent keeps (the last 500) and the summary since it started; with
 * --follow it streams new records (after the kept ones) until interrupted.
 */
import { request, type IncomingMessage } from 'node:http';
import { defaultConfigPath, loadConfig, parseListen, type ApiAddress } from '../agent/index.js';
import { AgentError, ErrorCode } from '../errors.js';
import { formatRecord, type SummaryRecord, type TraceRecord } from '../smpp/index.js';
import type { CliCommand } from './command.js';
import { integerValue, parseOptions } from './options.js';

const usage = `edge-sms-agent trace [--config PATH] [--follow] [--json] [--last N]

The agent's own SMPP link, PDU by PDU, as 'smpp proxy' shows a link: command, status, sequence,
addresses and text, each response with its request and latency, unanswered requests. Read from
the running agent's local API (api.listen); passwords are starred.

  --config PATH   the YAML config (default ${defaultConfigPath}, or $EDGE_SMS_CONFIG)
  --follow        keep printing new records until interrupted (Ctrl-C)
  --json          one JSON object per line (the records of 'smpp proxy --json')
  --last N        start with the last N records kept (default 500, all the agent keeps)`;

export const command: CliCommand = {
  path: ['trace'],
  summary: "the agent's own SMPP trace (PDUs, pairing, latencies)",
  usage,
  async run(args, io) {
    const { values } = parseOptions(args, { config: { type: 'string' }, follow: { type: 'boolean' }, json: { type: 'boolean' }, last: { type: 'string' } }, { usage });
    const config = loadConfig({ file: values.config ?? process.env['EDGE_SMS_CONFIG'] ?? defaultConfigPath });
    if (!config.api.enabled) throw new AgentError('the local API is off (api.enabled: false): the trace is read from it', ErrorCode.Cli_Failed);
    const address = parseListen(config.api.listen);
    const last = integerValue(values.last, 'last', 0, 100_000) ?? 500;
    const print = (record: TraceRecord): void => {
      io.stdout.write(`${values.json === true ? JSON.stringify(record) : formatRecord(record)}\n`);
    };
    if (values.follow !== true) {
      const recent = await getJson(address, `/trace/recent?limit=${Math.max(1, last)}`) as { records: TraceRecord[]; summary: SummaryRecord };
      for (const record of last === 0 ? [] : recent.records) print(record);
      print(recent.summary);
      return 0;
    }
    await follow(address, `/trace?replay=${last}`, print);
    return 0;
  },
};

function target(address: ApiAddress): { socketPath: string } | { host: string; port: number } {
  return address.kind === 'unix' ? { socketPath: address.path } : { host: address.host, port: address.port };
}

function unreachable(address: ApiAddress, cause: unknown): AgentError {
  const where = address.kind === 'unix' ? address.path : `${address.host}:${address.port}`;
  return new AgentError(`the agent's API does not answer on ${where}: is the agent running?`, ErrorCode.Cli_Failed, {}, { cause });
}

function getJson(address: ApiAddress, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ ...target(address), path, timeout: 5000 }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new AgentError(`GET ${path}: HTTP ${res.statusCode ?? 0} ${text.trim()}`, ErrorCode.Cli_Failed));
        try {
          resolve(JSON.parse(text) as unknown);
        } catch (cause) {
          reject(new AgentError(`GET ${path}: not JSON`, ErrorCode.Cli_Failed, {}, { cause }));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (cause) => reject(unreachable(address, cause)));
    req.end();
  });
}

/** Streams the SSE records until SIGINT/SIGTERM or the agent closes the stream. */
function follow(address: ApiAddress, path: string, print: (record: TraceRecord) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const stop = (): void => {
      response?.destroy();
      finish();
    };
    const finish = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const req = request({ ...target(address), path }, (res) => {
      response = res;
      if (res.statusCode !== 200) {
        res.resume();
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        return reject(new AgentError(`GET ${path}: HTTP ${res.statusCode ?? 0}`, ErrorCode.Cli_Failed));
      }
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
          buffer = buffer.slice(end + 2);
          if (data !== undefined) print(JSON.parse(data) as TraceRecord);
        }
      });
      res.on('end', finish);
      res.on('close', finish);
    });
    req.on('error', (cause) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (response === undefined) reject(unreachable(address, cause));
      else finish();
    });
    req.end();
  });
}
