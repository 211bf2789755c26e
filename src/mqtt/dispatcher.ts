/**
 * Turns one command message into one reply: parse the topic, refuse unknown names and bad
 * payloads, run the handler under a time limit, and address the reply to the MQTT 5 response
 * topic (with its correlation data) or to `<prefix>/<deviceId>/cmd/<name>/response`.
 * Never throws: every failure becomes an error reply.
 */
import type { Logger } from 'pino';
import { AgentError, ErrorCode } from '../errors.js';
import type { Clock } from '../clock.js';
import { commandInvokers, isCommandName, type CommandContext, type CommandHandlers, type CommandName } from './commands.js';
import { isJsonObject, type JsonObject } from './payloadReader.js';
import { checkPayloadSize } from './payloadLimits.js';
import { SummarisedLog } from '../summaryLog.js';
import { badCommand, replyErrorFrom, type CommandReply, type ReplyError } from './replies.js';
import { commandTopicPattern, isPublishableTopic, parseCommandTopic, type DeviceTopics, type ParsedCommandTopic } from './topics.js';
import { validateCommand } from './validators.js';

export interface IncomingCommand {
  readonly topic: string;
  readonly payload: Buffer;
  /** MQTT 5 Response Topic property, when the sender gave one. */
  readonly responseTopic?: string;
  /** MQTT 5 Correlation Data property, echoed unchanged. */
  readonly correlationData?: Buffer;
}

export interface OutgoingReply {
  readonly topic: string;
  readonly reply: CommandReply;
  readonly correlationData?: Buffer;
}

export interface DispatcherOptions {
  readonly topics: DeviceTopics;
  readonly groups: readonly string[];
  readonly handlers: CommandHandlers;
  readonly clock: Clock;
  /** Longest a handler may run before a `timeout` reply, ms. */
  readonly handlerTimeoutMs: number;
  /** Commands running at once; more get a `busy` reply. */
  readonly maxInFlight: number;
  /** Bytes of one payload (`mqtt.maxPayloadBytes`); larger ones are refused before they are parsed. */
  readonly maxPayloadBytes: number;
  readonly log: Logger;
}

export class CommandDispatcher {
  private readonly pattern: RegExp;
  private readonly running = new Set<AbortController>();
  private readonly refusals: SummarisedLog;

  constructor(private readonly options: DispatcherOptions) {
    this.pattern = commandTopicPattern(options.topics.prefix);
    this.refusals = new SummarisedLog(options.log, options.clock, 'refusedSinceLast');
  }

  /** The reply for a message, or undefined when the topic is not a command for this device. */
  async handle(message: IncomingCommand): Promise<OutgoingReply | undefined> {
    const parsed = parseCommandTopic(this.pattern, message.topic);
    if (parsed === undefined || !this.isForUs(parsed)) return undefined;
    const respond = (body: { status: 'ok'; data: unknown } | { status: 'error'; error: ReplyError }, requestId?: string | number): OutgoingReply =>
      this.address(message, parsed.name, { deviceId: this.options.topics.deviceId, command: parsed.name, ...(requestId === undefined ? {} : { requestId }), ...body });

    try {
      checkPayloadSize(message.payload, this.options.maxPayloadBytes);
    } catch (error) {
      const reply = replyErrorFrom(error);
      this.refusals.note(reply.code, { command: parsed.name, bytes: message.payload.length, limit: this.options.maxPayloadBytes }, 'command refused: payload over mqtt.maxPayloadBytes');
      return respond({ status: 'error', error: reply });
    }
    if (!isCommandName(parsed.name)) {
      return respond({ status: 'error', error: { code: 'unknown_command', message: `unknown command '${parsed.name}'` } }, peekRequestId(message.payload));
    }
    let payload: JsonObject;
    let requestId: string | number | undefined;
    try {
      ({ payload, requestId } = splitEnvelope(message.payload));
    } catch (error) {
      return respond({ status: 'error', error: replyErrorFrom(error) });
    }
    if (this.running.size >= this.options.maxInFlight) {
      return respond({ status: 'error', error: { code: 'busy', message: `${this.running.size} commands already running; try again` } }, requestId);
    }
    try {
      const data = await this.run(parsed, parsed.name, payload, requestId);
      return respond({ status: 'ok', data }, requestId);
    } catch (error) {
      const reply = replyErrorFrom(error);
      if (reply.code === 'failed' || reply.code === 'timeout') this.options.log.warn({ command: parsed.name, requestId, code: reply.code, err: error }, 'command failed');
      else this.refusals.note(reply.code, { command: parsed.name, requestId, message: reply.message }, 'command refused');
      return respond({ status: 'error', error: reply }, requestId);
    }
  }

  /** Aborts every running handler (the mirror is stopping). */
  abortAll(): void {
    for (const controller of this.running) controller.abort(new AgentError('mirror stopping', ErrorCode.Mqtt_Timeout));
  }

  private isForUs(parsed: ParsedCommandTopic): boolean {
    switch (parsed.target.kind) {
      case 'device':
        return parsed.target.deviceId === this.options.topics.deviceId;
      case 'all':
        return true;
      case 'group':
        return this.options.groups.includes(parsed.target.group);
    }
  }

  private async run(parsed: ParsedCommandTopic, name: CommandName, payload: JsonObject, requestId: string | number | undefined): Promise<unknown> {
    const request = validateCommand(name, payload);
    const controller = new AbortController();
    const context: CommandContext = {
      name,
      via: parsed.target.kind,
      ...(parsed.target.kind === 'group' ? { group: parsed.target.group } : {}),
      ...(requestId === undefined ? {} : { requestId }),
      signal: controller.signal,
    };
    const { clock, handlerTimeoutMs } = this.options;
    this.running.add(controller);
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = clock.setTimeout(() => {
          const error = new AgentError(`'${name}' did not finish within ${handlerTimeoutMs} ms`, ErrorCode.Mqtt_Timeout, { command: name });
          // Reject before aborting: a handler that rejects on abort must not win the race with its own error.
          reject(error);
          controller.abort(error);
        }, handlerTimeoutMs);
      });
      // The invoker map is typed per name; here the name is a union, so the call goes through one signature.
      const invoke = commandInvokers[name] as (h: CommandHandlers, r: typeof request, c: CommandContext) => Promise<unknown>;
      return await Promise.race([invoke(this.options.handlers, request, context), timedOut]);
    } finally {
      if (timer !== undefined) clock.clearTimeout(timer);
      this.running.delete(controller);
    }
  }

  private address(message: IncomingCommand, name: string, reply: CommandReply): OutgoingReply {
    // A response topic with a wildcard (or a `$` topic) is never published to; the default topic is used instead.
    if (message.responseTopic !== undefined && isPublishableTopic(message.responseTopic)) {
      return { topic: message.responseTopic, reply, ...(message.correlationData === undefined ? {} : { correlationData: message.correlationData }) };
    }
    const topic = isPublishableTopic(name) && !name.includes('/') ? this.options.topics.response(name) : this.options.topics.response('invalid');
    return { topic, reply, ...(message.correlationData === undefined ? {} : { correlationData: message.correlationData }) };
  }
}

/** Payload → the command's fields and the envelope's `requestId`. An empty payload is `{}`. */
function splitEnvelope(raw: Buffer): { payload: JsonObject; requestId: string | number | undefined } {
  const text = raw.toString('utf8').trim();
  let value: unknown = {};
  if (text !== '') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw badCommand('invalid_json', `payload is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!isJsonObject(value)) throw badCommand('invalid_json', 'payload must be a JSON object');
  const { requestId, ...payload } = value;
  if (requestId !== undefined && !isRequestId(requestId)) {
    throw badCommand('invalid_payload', 'requestId: must be a string of 1..128 characters or an integer', 'requestId');
  }
  return { payload, requestId };
}

function isRequestId(value: unknown): value is string | number {
  return (typeof value === 'string' && value.length >= 1 && value.length <= 128) || (typeof value === 'number' && Number.isSafeInteger(value));
}

/** Best effort, for replies to unknown commands: the requestId if the payload is an object carrying a valid one. */
function peekRequestId(raw: Buffer): string | number | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    if (isJsonObject(value) && isRequestId(value['requestId'])) return value['requestId'];
  } catch {
    // Not JSON: the unknown name is the error that matters.
  }
  return undefined;
}
