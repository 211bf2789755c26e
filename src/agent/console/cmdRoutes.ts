/**
 * Fleet commands over the local API, for the console and local scripts:
 *   POST /cmd/<name>      {…the MQTT command's payload…} → {status: "ok", data} | {status: "error", error: {code, message, field?}}
 *   GET  /cmd/set-config  {keys: [...]}: the keys set-config accepts, so no page hard-codes them
 *
 * A command here is the MQTT command of the same name: the same validator (`validateCommand`), the
 * same `CommandHandlers` (the agent's `AgentCommands`), the same reply body and error codes. Only
 * the door differs: the HTTP status says what the body's code says (400 for a bad payload, 404 for
 * an unknown name…), and writes are refused when they come from another site.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import {
  commandInvokers,
  commandNames,
  isCommandName,
  isJsonObject,
  replyErrorFrom,
  safeConfigKeys,
  validateCommand,
  type CommandContext,
  type CommandHandlers,
  type ReplyError,
} from '../../mqtt/index.js';
import { readJsonBody, reply, type Route } from '../api/index.js';
import { refuseCrossSite } from './crossSite.js';

export interface CmdRouteOptions {
  readonly handlers: CommandHandlers;
  /** Longest a handler may run, ms (a fresh GNSS fix may take a minute). */
  readonly timeoutMs?: number;
  /** Commands running at once through this door; more get `busy`. */
  readonly maxInFlight?: number;
}

/** The reply code's HTTP status; `failed` with a known agent code gets that code's status. */
function statusOf(error: ReplyError): number {
  switch (error.code) {
    case 'unknown_command':
      return 404;
    case 'invalid_json':
    case 'invalid_payload':
    case 'out_of_range':
      return 400;
    case 'busy':
      return 429;
    case 'timeout':
      return 504;
    case 'failed':
      return error.agentCode === ErrorCode.Store_Full ? 507 : 422;
  }
}

export function cmdRoutes(options: CmdRouteOptions): readonly Route[] {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const maxInFlight = options.maxInFlight ?? 4;
  let running = 0;

  async function run(name: string, body: unknown): Promise<unknown> {
    if (!isCommandName(name)) throw new AgentError(`unknown command '${name}'`, ErrorCode.Mqtt_UnknownCommand, { replyCode: 'unknown_command' });
    if (!isJsonObject(body)) throw new AgentError('the body must be a JSON object', ErrorCode.Mqtt_BadCommand, { replyCode: 'invalid_json' });
    const request = validateCommand(name, body);
    if (running >= maxInFlight) throw new AgentError(`${running} commands already running; try again`, ErrorCode.Mqtt_BadCommand, { replyCode: 'busy' });
    const controller = new AbortController();
    const context: CommandContext = { name, via: 'device', signal: controller.signal };
    let timer: NodeJS.Timeout | undefined;
    running += 1;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new AgentError(`'${name}' did not finish within ${timeoutMs} ms`, ErrorCode.Mqtt_Timeout, { command: name });
          reject(error);
          controller.abort(error);
        }, timeoutMs);
      });
      // Typed per name in the map; the name here is a union, so the call goes through one signature (as the MQTT dispatcher does).
      const invoke = commandInvokers[name] as (h: CommandHandlers, r: typeof request, c: CommandContext) => Promise<unknown>;
      return await Promise.race([invoke(options.handlers, request, context), timedOut]);
    } finally {
      clearTimeout(timer);
      running -= 1;
    }
  }

  const post: Route['handle'] = async ({ request, response, url }) => {
    refuseCrossSite(request);
    const name = decodeURIComponent(url.pathname.slice('/cmd/'.length));
    const body = await readJsonBody(request);
    try {
      reply(response, 200, { status: 'ok', data: await run(name, body) });
    } catch (failure) {
      const error = replyErrorFrom(failure);
      reply(response, statusOf(error), { status: 'error', error });
    }
  };

  return [
    {
      method: 'GET',
      path: '/cmd/set-config',
      handle: ({ response }) => {
        reply(response, 200, { keys: safeConfigKeys });
      },
    },
    // One exact route per name (an exact path hides prefixes, and GET /cmd/set-config is one), and the prefix for unknown names.
    ...commandNames.map((name): Route => ({ method: 'POST', path: `/cmd/${name}`, handle: post })),
    { method: 'POST', path: '/cmd/', handle: post },
  ];
}
