/**
 * The agent's answers to fleet commands (MQTT) and to SMS commands. Everything that queues a
 * message goes through the outbox, like any other report.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type {
  AgentStateSnapshot,
  CommandHandlers,
  LocateRequest,
  LocateResult,
  QueueItem,
  QueueRequest,
  QueueResult,
  QueuedResult,
  RebootModemResult,
  ReportRequest,
  SendSmsRequest,
  SetConfigRequest,
  SetConfigResult,
} from '../../mqtt/index.js';
import type { Report, Store } from '../../store/index.js';
import type { SmsCommandName } from '../smsCommands.js';
import type { Ingest } from './ingest.js';

/** What the commands need of the running agent. */
export interface AgentControl {
  snapshot(): AgentStateSnapshot;
  applySettings(values: SetConfigRequest['values']): SetConfigRequest['values'];
  locate(): Promise<AgentStateSnapshot['lastLocation']>;
  rebootModem(): Promise<void>;
  /** Releases readings held back by their kind's maxDelayS so they go now; returns how many. */
  sendHeldReadings(): number;
}

export class AgentCommands implements CommandHandlers {
  constructor(
    private readonly agent: AgentControl,
    private readonly ingest: Ingest,
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  sendSms(request: SendSmsRequest): Promise<QueuedResult> {
    const result = this.ingest.sms(request.to, request.text, request.priority);
    return Promise.resolve({ id: idOf(result.id) });
  }

  report(request: ReportRequest): Promise<QueuedResult> {
    // MQTT may carry null values; a report field is either present or absent.
    const data = Object.fromEntries(Object.entries(request.data).filter((entry): entry is [string, string | number | boolean] => entry[1] !== null));
    const result = this.ingest.reading({ kind: request.kind, data, ...(request.priority === undefined ? {} : { priority: request.priority }), ...(request.to === undefined ? {} : { to: request.to }) });
    const id = idOf(result.id);
    return Promise.resolve({
      id,
      ...(result.ids.length > 1 ? { ids: result.ids.map(String) } : {}),
      ...(result.refusedTo.length > 0 ? { refused: result.refusedTo } : {}),
    });
  }

  async locate(request: LocateRequest): Promise<LocateResult> {
    if (!request.fresh) return { location: this.agent.snapshot().lastLocation, fresh: false };
    return { location: await this.agent.locate(), fresh: true };
  }

  getState(): Promise<AgentStateSnapshot> {
    return Promise.resolve(this.agent.snapshot());
  }

  queue(request: QueueRequest): Promise<QueueResult> {
    const outbox = this.store.outbox;
    if (request.action === 'list') {
      const items: QueueItem[] = [];
      for (const report of outbox.list({ ...(request.state === undefined ? {} : { state: request.state }), limit: request.limit })) {
        if (request.priority !== undefined && report.priority !== request.priority) continue;
        items.push(itemOf(report));
      }
      return Promise.resolve({ action: 'list', items });
    }
    const { selector } = request;
    if ('ids' in selector) {
      if (request.action === 'purge') throw new AgentError('purge works by state, not by id', ErrorCode.Mqtt_BadCommand, { field: 'selector.ids' });
      for (const id of selector.ids) outbox.retry(Number(id));
      // Without a kick the router would only find them at its next scheduled wake-up, however far off.
      this.ingest.requeued();
      return Promise.resolve({ action: 'retry', affected: selector.ids.length });
    }
    if (request.action === 'retry') {
      if (selector.state !== 'failed') throw new AgentError('retry by state works for failed reports', ErrorCode.Mqtt_BadCommand, { field: 'selector.state' });
      const affected = outbox.retryFailed();
      this.ingest.requeued();
      return Promise.resolve({ action: 'retry', affected });
    }
    if (selector.state === 'sending') throw new AgentError('reports being sent cannot be purged', ErrorCode.Mqtt_BadCommand, { field: 'selector.state' });
    return Promise.resolve({ action: 'purge', affected: outbox.purge({ state: selector.state, olderThanMs: 0 }) });
  }

  setConfig(request: SetConfigRequest): Promise<SetConfigResult> {
    // The mirror has validated the keys and ranges; applying is immediate and persisted.
    this.logger.info({ values: request.values, ...(request.deprecated === undefined ? {} : { deprecated: request.deprecated }) }, 'set-config');
    return Promise.resolve({ applied: this.agent.applySettings(request.values), ...(request.deprecated === undefined ? {} : { deprecated: request.deprecated }) });
  }

  async rebootModem(): Promise<RebootModemResult> {
    await this.agent.rebootModem();
    return { rebooted: true };
  }

  /** The reply text for an SMS command from an allowed sender. */
  async smsCommand(name: SmsCommandName, args: readonly string[], from: string): Promise<string> {
    this.logger.info({ name, from }, 'SMS command');
    const state = this.agent.snapshot();
    switch (name) {
      case 'PING':
        return `PONG ${new Date().toISOString()}`;
      case 'STATUS':
        return `SMPP ${state.smpp.state}, modem ${state.modem.registration}${state.modem.signalDbm === null ? '' : ` ${state.modem.signalDbm}dBm`}, queue ${state.outbox.byState.queued}, up ${state.uptimeSeconds}s`;
      case 'LOCATE': {
        const location = await this.agent.locate();
        return location === null ? 'LOCATE no fix' : `LOCATE ${location.lat.toFixed(5)},${location.lon.toFixed(5)} at ${location.at}`;
      }
      case 'REPORT': {
        // "Send what you have now": readings held back to share an SMS go at once, with a status reading
        // (kind `status`: no configured delay). Released first: the router looks on the next tick, so the
        // status reading queued just after is packed into the same messages rather than an SMS of its own.
        const released = this.agent.sendHeldReadings();
        const data: Record<string, string | number> = { q: state.outbox.byState.queued, smpp: state.smpp.state, reg: state.modem.registration };
        if (state.modem.signalDbm !== null) data['sig'] = state.modem.signalDbm;
        const result = this.ingest.reading({ kind: args[0]?.toLowerCase() === 'alarm' ? 'alarm' : 'status', data });
        const readings = `${released} queued reading${released === 1 ? '' : 's'}`;
        const what = state.smpp.state === 'bound' ? `sending ${readings}` : `${readings} released, SMPP ${state.smpp.state}: they go when a link is up`;
        return `REPORT ${what}, status id ${idOf(result.id)}`;
      }
    }
  }
}

function idOf(id: number | null): string {
  if (id === null) throw new AgentError('the outbox is full of more urgent reports', ErrorCode.Store_Full);
  return String(id);
}

function itemOf(report: Report): QueueItem {
  return { id: String(report.id), state: report.state, priority: report.priority, createdAt: new Date(report.createdAt).toISOString(), attempts: report.attempts, lastError: report.lastError };
}
