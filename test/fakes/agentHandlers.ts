/**
 * A small in-memory agent behind the command API: an outbox of queued messages and a config,
 * so tests can check that good commands change them and bad commands change nothing.
 */
import type {
  AgentStateSnapshot,
  CommandContext,
  CommandHandlers,
  LocateRequest,
  LocateResult,
  QueueItem,
  QueueRequest,
  QueueResult,
  QueuedResult,
  RebootModemRequest,
  RebootModemResult,
  ReportRequest,
  SafeConfig,
  SendSmsRequest,
  SetConfigRequest,
  SetConfigResult,
} from '../../src/mqtt/index.js';
import { AgentError, ErrorCode } from '../../src/errors.js';

export function sampleSnapshot(overrides: Partial<AgentStateSnapshot> = {}): AgentStateSnapshot {
  return {
    version: '0.1.0',
    uptimeSeconds: 12,
    smpp: { state: 'bound', boundSince: '2026-01-01T00:00:00.000Z', windowInUse: 2, windowSize: 10, throttled: false },
    modem: { sim: 'ready', registration: 'home', operator: 'Test Telecom', signalDbm: -71, gnssFix: '3d' },
    outbox: {
      byState: { queued: 3, sending: 1, submitted: 5, delivered: 40, failed: 1, expired: 0 },
      queuedByPriority: { critical: 0, high: 1, normal: 3, low: 0 },
      oldestQueuedAgeSeconds: 9,
      drops: 0,
    },
    lastLocation: { lat: 59.437, lon: 24.7536, altitudeM: 30, accuracyM: 5, at: '2026-01-01T00:00:05.000Z' },
    ...overrides,
  };
}

export interface HandledCall {
  readonly method: keyof CommandHandlers;
  readonly request: unknown;
  readonly context: CommandContext;
}

export class FakeAgent implements CommandHandlers {
  readonly calls: HandledCall[] = [];
  readonly outbox: QueueItem[] = [];
  config: Partial<SafeConfig> = { 'location.pollS': 60 };
  reboots = 0;
  state: AgentStateSnapshot = sampleSnapshot();
  /** Makes the next locate hang until aborted, to exercise handler time limits. */
  hangLocate = false;
  private nextId = 1;

  private record(method: keyof CommandHandlers, request: unknown, context: CommandContext): void {
    this.calls.push({ method, request, context });
  }

  private enqueue(priority: QueueItem['priority']): QueuedResult {
    const id = `m${this.nextId++}`;
    this.outbox.push({ id, state: 'queued', priority, createdAt: new Date(0).toISOString(), attempts: 0, lastError: null });
    return { id };
  }

  sendSms(request: SendSmsRequest, context: CommandContext): Promise<QueuedResult> {
    this.record('sendSms', request, context);
    return Promise.resolve(this.enqueue(request.priority));
  }

  report(request: ReportRequest, context: CommandContext): Promise<QueuedResult> {
    this.record('report', request, context);
    return Promise.resolve(this.enqueue(request.priority ?? 'normal'));
  }

  locate(request: LocateRequest, context: CommandContext): Promise<LocateResult> {
    this.record('locate', request, context);
    if (this.hangLocate) {
      return new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(new AgentError('GNSS fix aborted', ErrorCode.Modem_Timeout))));
    }
    return Promise.resolve({ location: this.state.lastLocation, fresh: request.fresh });
  }

  getState(request: Record<string, never>, context: CommandContext): Promise<AgentStateSnapshot> {
    this.record('getState', request, context);
    return Promise.resolve(this.state);
  }

  queue(request: QueueRequest, context: CommandContext): Promise<QueueResult> {
    this.record('queue', request, context);
    switch (request.action) {
      case 'list': {
        const items = this.outbox.filter((item) => (request.state === undefined || item.state === request.state) && (request.priority === undefined || item.priority === request.priority));
        return Promise.resolve({ action: 'list', items: items.slice(0, request.limit) });
      }
      case 'retry':
      case 'purge': {
        const selector = request.selector;
        const selected = this.outbox.filter((item) => ('ids' in selector ? selector.ids.includes(item.id) : item.state === selector.state));
        if (request.action === 'purge') {
          for (const item of selected) this.outbox.splice(this.outbox.indexOf(item), 1);
        } else {
          for (const item of selected) this.outbox[this.outbox.indexOf(item)] = { ...item, state: 'queued', attempts: 0 };
        }
        return Promise.resolve({ action: request.action, affected: selected.length });
      }
    }
  }

  setConfig(request: SetConfigRequest, context: CommandContext): Promise<SetConfigResult> {
    this.record('setConfig', request, context);
    this.config = { ...this.config, ...request.values };
    return Promise.resolve({ applied: request.values });
  }

  rebootModem(request: RebootModemRequest, context: CommandContext): Promise<RebootModemResult> {
    this.record('rebootModem', request, context);
    if (this.state.modem.sim === 'absent') return Promise.reject(new AgentError('modem not answering', ErrorCode.Modem_Timeout));
    this.reboots++;
    return Promise.resolve({ rebooted: true });
  }
}
