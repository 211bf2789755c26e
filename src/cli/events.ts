/**
 * `edge-sms-agent events`: the agent's events (the ones MQTT publishes under `events/`) from its
 * local API's `GET /events` stream: the recent ones, or with `--follow` as they happen until
 * Ctrl-C. One line each for people, or JSON lines with `--json`.
 */
import { defaultConfigPath, loadConfig, parseListen } from '../agent/index.js';
import { AgentError, ErrorCode } from '../errors.js';
import { readEvents, type SseEvent } from './agentApi.js';
import type { CliCommand } from './command.js';
import { integerValue, parseOptions } from './options.js';

const usage = `edge-sms-agent events [--config PATH] [--follow] [--last N] [--count N] [--json]

Prints the running agent's events: links up and down, outages, reports submitted, delivered,
failed, expired and dropped, SMS received. Without --follow, the last N (default 20) the agent
kept; with --follow, those and then each new one as it happens, until Ctrl-C.

  --config PATH   the YAML config, for api.listen (default ${defaultConfigPath}, or $EDGE_SMS_CONFIG)
  --follow, -f    keep printing events as they happen
  --last N        start with the last N kept events (0-500; default 20, with --follow 0)
  --count N       stop after N events (scripts, tests)
  --json          one JSON object per line (with its time "at"), as the API sends them`;

/** Without --follow, the stream is read until it has been quiet this long: the replay comes at once. */
const replayQuietMs = 300;

export const command: CliCommand = {
  path: ['events'],
  summary: "the agent's events, recent or as they happen (--follow)",
  usage,
  async run(args, io) {
    const { values } = parseOptions(args, {
      config: { type: 'string' },
      follow: { type: 'boolean', short: 'f' },
      last: { type: 'string' },
      count: { type: 'string' },
      json: { type: 'boolean' },
    }, { usage });
    const follow = values.follow === true;
    const last = integerValue(values.last, 'last', 0, 500) ?? (follow ? 0 : 20);
    const count = integerValue(values.count, 'count', 1, Number.MAX_SAFE_INTEGER);
    const config = loadConfig({ file: values.config ?? process.env['EDGE_SMS_CONFIG'] ?? defaultConfigPath });
    if (!config.api.enabled) throw new AgentError('the local API is off (api.enabled: false): events come from it', ErrorCode.Cli_Failed);
    const address = parseListen(config.api.listen);
    const controller = new AbortController();
    let printed = 0;
    let quiet: NodeJS.Timeout | undefined;
    const armQuiet = (): void => {
      if (follow) return;
      clearTimeout(quiet);
      quiet = setTimeout(() => controller.abort(), replayQuietMs);
    };
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      armQuiet();
      await readEvents(address, `/events?replay=${last}`, (event) => {
        if (controller.signal.aborted) return;
        io.stdout.write(values.json === true ? `${event.data}\n` : `${describeEvent(event)}\n`);
        printed++;
        if (count !== undefined && printed >= count) controller.abort();
        armQuiet();
      }, controller.signal).catch((error: unknown) => {
        throw new AgentError(`no agent answers on ${config.api.listen} (${error instanceof Error ? error.message : String(error)}): is it running?`, ErrorCode.Cli_Failed, {}, { cause: error });
      });
    } finally {
      clearTimeout(quiet);
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
    return 0;
  },
};

type Json = Record<string, unknown>;

/** `09:12:03  link-down      smpp: connection reset` */
export function describeEvent(event: SseEvent): string {
  let data: Json;
  try {
    data = JSON.parse(event.data) as Json;
  } catch {
    return event.data;
  }
  const at = typeof data['at'] === 'string' ? data['at'].slice(11, 19) : '--:--:--';
  const type = typeof data['type'] === 'string' ? data['type'] : (event.event ?? 'event');
  return `${at}  ${type.padEnd(16)} ${detail(type, data)}`.trimEnd();
}

function ids(data: Json): string {
  const list = Array.isArray(data['ids']) ? data['ids'] : [];
  const shown = list.slice(0, 5).join(',');
  return list.length > 5 ? `${list.length} reports (${shown},…)` : `report ${shown}`;
}

function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function detail(type: string, data: Json): string {
  switch (type) {
    case 'link-up':
      return str(data['link']);
    case 'link-down':
      return `${str(data['link'])}: ${str(data['reason'])}`;
    case 'outage-began':
      return str(data['link']);
    case 'outage-ended':
      return `${str(data['link'])} after ${str(data['durationSeconds'])} s`;
    case 'report-submitted':
      return `${ids(data)} via ${str(data['link'])}, ${str(data['priority'])}, message ${str(data['messageId'])}`;
    case 'report-delivered':
      return `${ids(data)} via ${str(data['link'])}`;
    case 'report-failed':
      return `${ids(data)} via ${str(data['link'])}: ${str(data['reason'])}${data['final'] === true ? ' (final)' : ' (will retry)'}`;
    case 'report-expired':
      return `${ids(data)}, ${str(data['ageSeconds'])} s old`;
    case 'report-dropped':
      return `${str(data['count'])} report(s): ${str(data['reason'])}`;
    case 'sms-received':
      return `from ${str(data['from'])} via ${str(data['via'])}: ${str(data['text'])}`;
    default: {
      const { type: _type, at: _at, ...rest } = data;
      return JSON.stringify(rest);
    }
  }
}
