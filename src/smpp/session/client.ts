/**
 * A link that stays up: makes a session, binds, and after any drop makes the next one after a
 * back-off (exponential, jittered; slower after a refused bind, so a wrong password does not
 * hammer the SMSC). Requests made while no session is bound fail at once as not sent, and
 * requests in flight when a link drops fail as not acknowledged: the outbox re-queues both.
 */
import { EventEmitter } from 'node:events';
import { AgentError, ErrorCode, hasErrorCode } from '../../errors.js';
import { Backoff, type BackoffOptions, type RetryReason } from './backoff.js';
import { Timer } from './clock.js';
import { resolveSessionOptions } from './options.js';
import { SmppSession, type BindInfo, type InboundMessage, type SmppSessionOptions } from './session.js';
import type { SessionState } from './state.js';
import type { DeliveryReceipt, Pdu } from '../codec/index.js';

export interface ClientEvents {
  state: [{ from: SessionState; to: SessionState }];
  bound: [BindInfo];
  /** A bind was refused; the next try is in `retryInMs`. */
  bindFailed: [AgentError, number];
  /** The link dropped or could not be opened; the next try is in `retryInMs`. */
  disconnected: [AgentError | undefined, number];
  inbound: [InboundMessage];
  receipt: [DeliveryReceipt, InboundMessage];
  throttle: [{ status: number; rate: number; window: number }];
  session: [SmppSession];
}

export interface SmppClientOptions extends SmppSessionOptions {
  readonly backoff?: BackoffOptions;
}

export class SmppClient extends EventEmitter<ClientEvents> {
  private current: SmppSession | undefined;
  private running = false;
  private readonly backoff: Backoff;
  private readonly retryTimer: Timer;
  private boundWaiters: Array<{ resolve: () => void; reject: (error: AgentError) => void }> = [];

  constructor(private readonly options: SmppClientOptions) {
    super();
    resolveSessionOptions(options); // refuse bad options now, not at the first connect
    this.backoff = new Backoff(options.backoff);
    this.retryTimer = new Timer(options.clock ?? resolveSessionOptions(options).clock, () => this.attempt());
  }

  /** The bound session, if any. */
  get session(): SmppSession | undefined {
    return this.current?.state === 'bound' ? this.current : undefined;
  }

  get state(): SessionState {
    return this.current?.state ?? 'closed';
  }

  /** Starts connecting; reconnects until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt();
  }

  /** Sends through the bound session; rejects not-sent at once when none is bound. */
  request(pdu: Pdu): Promise<Pdu> {
    const session = this.session;
    if (session === undefined) {
      return Promise.reject(new AgentError(`cannot send ${pdu.command}: not bound`, ErrorCode.Smpp_NotBound,
        { acknowledged: false, sent: false, reason: 'notBound', command: pdu.command }));
    }
    return session.request(pdu);
  }

  /** Resolves when bound (now or later); rejects after `timeoutMs` or on stop(). */
  waitBound(timeoutMs: number): Promise<void> {
    if (this.session !== undefined) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const clock = resolveSessionOptions(this.options).clock;
      const timer = clock.setTimeout(() => {
        this.boundWaiters = this.boundWaiters.filter((w) => w !== waiter);
        reject(new AgentError(`not bound within ${timeoutMs} ms`, ErrorCode.Smpp_NotBound));
      }, timeoutMs);
      const waiter = {
        resolve: () => { clock.clearTimeout(timer); resolve(); },
        reject: (error: AgentError) => { clock.clearTimeout(timer); reject(error); },
      };
      this.boundWaiters.push(waiter);
    });
  }

  /** Stops reconnecting and closes the session gracefully. */
  async stop(): Promise<void> {
    this.running = false;
    this.retryTimer.cancel();
    const waiters = this.boundWaiters;
    this.boundWaiters = [];
    for (const waiter of waiters) waiter.reject(new AgentError('client stopped', ErrorCode.Smpp_Closing));
    const session = this.current;
    if (session !== undefined) await session.close();
  }

  private attempt(): void {
    if (!this.running) return;
    const session = new SmppSession(this.options);
    this.current = session;
    session.on('state', (change) => this.emit('state', change));
    session.on('inbound', (message) => this.emit('inbound', message));
    session.on('receipt', (receipt, message) => this.emit('receipt', receipt, message));
    session.on('throttle', (info) => this.emit('throttle', info));
    session.once('closed', (error) => this.dropped(session, error));
    this.emit('session', session);
    session.connect().then(
      (info) => {
        this.backoff.reset();
        this.emit('bound', info);
        const waiters = this.boundWaiters;
        this.boundWaiters = [];
        for (const waiter of waiters) waiter.resolve();
      },
      () => undefined, // the 'closed' event carries the reason and schedules the retry
    );
  }

  private dropped(session: SmppSession, error: AgentError | undefined): void {
    if (this.current !== session || !this.running) return;
    const reason: RetryReason = hasErrorCode(error, ErrorCode.Smpp_BindFailed) ? 'bindRefused' : 'dropped';
    const delay = this.backoff.next(reason);
    if (reason === 'bindRefused' && error !== undefined) this.emit('bindFailed', error, delay);
    else this.emit('disconnected', error, delay);
    this.retryTimer.arm(delay);
  }
}
