/**
 * The fleet command API: each command's name, validated request and result, and the
 * `CommandHandlers` the agent implements. The mirror validates every payload before a
 * handler sees it, so handlers receive typed, in-range requests and nothing else.
 * Commands that queue messages (send-sms, report) go through the outbox in the handler.
 */
import type { AgentStateSnapshot, LocationSnapshot, OutboxState, ReportPriority } from './state.js';

export interface SendSmsRequest {
  /** Destination MSISDN, international digits with an optional leading '+'. */
  readonly to: string;
  /** 1..1530 characters (ten concatenated GSM 7-bit parts). */
  readonly text: string;
  /** Default `normal`. */
  readonly priority: ReportPriority;
  /** Which link may carry it; default `auto` (the router decides). */
  readonly via: 'auto' | 'smpp' | 'modem';
}

export interface ReportRequest {
  /** Report kind, e.g. `telemetry`: a kind the agent has configured (its door policy judges the values). */
  readonly kind: string;
  /** Flat fields, at most 64, values string/number/boolean/null. */
  readonly data: Readonly<Record<string, string | number | boolean | null>>;
  /** Default: the kind's policy. */
  readonly priority?: ReportPriority;
  /** Numbers to send it to, 1..10 (default: the configured centre); one outbox entry per number. */
  readonly to?: readonly string[];
}

export interface QueuedResult {
  /** The outbox id of the queued message. */
  readonly id: string;
  /** Every entry's id, when a report to several numbers became one entry per number. */
  readonly ids?: readonly string[];
  /** The numbers the outbox had no room for (the report went to the others). */
  readonly refused?: readonly string[];
}

export interface LocateRequest {
  /** Ask the GNSS for a new fix instead of returning the last one. Default false. */
  readonly fresh: boolean;
  /** How long a fresh fix may take, 1..300 s; default 60. */
  readonly timeoutSeconds: number;
}

export interface LocateResult {
  readonly location: LocationSnapshot | null;
  readonly fresh: boolean;
}

export type GetStateRequest = Readonly<Record<string, never>>;

export type QueueSelector = { readonly ids: readonly string[] } | { readonly state: OutboxState };

export type QueueRequest =
  | { readonly action: 'list'; readonly state?: OutboxState; readonly priority?: ReportPriority; readonly limit: number }
  | { readonly action: 'retry'; readonly selector: QueueSelector }
  | { readonly action: 'purge'; readonly selector: QueueSelector };

export interface QueueItem {
  readonly id: string;
  readonly state: OutboxState;
  readonly priority: ReportPriority;
  readonly createdAt: string;
  readonly attempts: number;
  readonly lastError: string | null;
}

export type QueueResult = { readonly action: 'list'; readonly items: readonly QueueItem[] } | { readonly action: 'retry' | 'purge'; readonly affected: number };

/**
 * The safe subset of configuration a fleet operator may change remotely, named as in the YAML
 * config file: applied without a restart and persisted by the agent. Nothing here can lock a device
 * out or reveal a secret: no URLs, no credentials, no allow-list, PIN or key, no command policy,
 * and `log.level` stops at `debug` (trace shows message contents and numbers; it is set on the
 * device only). The list is documented in the README ("Remote set-config").
 */
export interface SafeConfig {
  /** GNSS poll interval, 5..86400 s. */
  readonly 'location.pollS': number;
  /** Queue a location report after moving this far, 0..100000 m. */
  readonly 'location.minDistanceM': number;
  /** Queue a location report at least this often, 60..604800 s. */
  readonly 'location.maxIntervalS': number;
  /** Fall back to the modem after SMPP has been down this long, 0..86400 s. */
  readonly 'modem.fallbackAfterS': number;
  /** Minimum time between state publications, 100..3600000 ms. */
  readonly 'mqtt.stateIntervalMs': number;
  readonly 'log.level': 'fatal' | 'error' | 'warn' | 'info' | 'debug';
}

export interface SetConfigRequest {
  /** At least one key. */
  readonly values: Partial<SafeConfig>;
  /** Old key names the request used, each with its new name. */
  readonly deprecated?: Readonly<Record<string, keyof SafeConfig>>;
}

export interface SetConfigResult {
  readonly applied: Partial<SafeConfig>;
  /** Old key names used in the request, each with its new name (accepted until the next version). */
  readonly deprecated?: Readonly<Record<string, keyof SafeConfig>>;
}

export interface RebootModemRequest {
  /** A full power cycle (AT+CFUN=1,1) rather than a radio off/on. Default false. */
  readonly hard: boolean;
}

export interface RebootModemResult {
  readonly rebooted: true;
}

/** Every command, by the name in its topic. */
export interface CommandMap {
  'send-sms': { request: SendSmsRequest; result: QueuedResult };
  report: { request: ReportRequest; result: QueuedResult };
  locate: { request: LocateRequest; result: LocateResult };
  'get-state': { request: GetStateRequest; result: AgentStateSnapshot };
  queue: { request: QueueRequest; result: QueueResult };
  'set-config': { request: SetConfigRequest; result: SetConfigResult };
  'reboot-modem': { request: RebootModemRequest; result: RebootModemResult };
}

export type CommandName = keyof CommandMap;

export const commandNames: readonly CommandName[] = ['send-sms', 'report', 'locate', 'get-state', 'queue', 'set-config', 'reboot-modem'];

export function isCommandName(name: string): name is CommandName {
  return (commandNames as readonly string[]).includes(name);
}

/** Where a command came from, for logs and for handlers that care. */
export interface CommandContext {
  readonly name: CommandName;
  readonly via: 'device' | 'all' | 'group';
  readonly group?: string;
  readonly requestId?: string | number;
  /** Aborted when the handler's time is up or the mirror stops. */
  readonly signal: AbortSignal;
}

/** What the agent implements. A handler throws AgentError for a failure the caller should see. */
export interface CommandHandlers {
  sendSms(request: SendSmsRequest, context: CommandContext): Promise<QueuedResult>;
  report(request: ReportRequest, context: CommandContext): Promise<QueuedResult>;
  locate(request: LocateRequest, context: CommandContext): Promise<LocateResult>;
  getState(request: GetStateRequest, context: CommandContext): Promise<AgentStateSnapshot>;
  queue(request: QueueRequest, context: CommandContext): Promise<QueueResult>;
  setConfig(request: SetConfigRequest, context: CommandContext): Promise<SetConfigResult>;
  rebootModem(request: RebootModemRequest, context: CommandContext): Promise<RebootModemResult>;
}

type Invoker<N extends CommandName> = (handlers: CommandHandlers, request: CommandMap[N]['request'], context: CommandContext) => Promise<CommandMap[N]['result']>;

/** Name → handler method, checked by the compiler for every command. */
export const commandInvokers: { readonly [N in CommandName]: Invoker<N> } = {
  'send-sms': (handlers, request, context) => handlers.sendSms(request, context),
  report: (handlers, request, context) => handlers.report(request, context),
  locate: (handlers, request, context) => handlers.locate(request, context),
  'get-state': (handlers, request, context) => handlers.getState(request, context),
  queue: (handlers, request, context) => handlers.queue(request, context),
  'set-config': (handlers, request, context) => handlers.setConfig(request, context),
  'reboot-modem': (handlers, request, context) => handlers.rebootModem(request, context),
};
