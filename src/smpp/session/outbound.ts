/**
 * Requests from this side: a queue in front of the window, the rate controller at the door.
 *
 *   request() → queue ─(window has room, rate allows)→ sequence number → window → wire
 *   response  → window.take(sequence) → resolve, or: throttled → back to the queue front, slower
 *
 * The queue is the back-pressure: callers await their response however long the window stays
 * full; nothing is refused because the SMSC is slow. Requests answered ESME_RTHROTTLED or
 * ESME_RMSGQFUL are sent again (a bounded number of times) after the rate was cut, so a
 * throttling SMSC loses nothing.
 */
import { CommandStatus, getTlv, responseCommandFor, type CommandName, type Pdu } from '../codec/index.js';
import type { AgentError } from '../../errors.js';
import { Timer, type Clock } from './clock.js';
import { notAcknowledged, type UnansweredReason } from './errors.js';
import { RateController, windowForCongestion, type ThrottleLesson } from './rate.js';
import { RefillGate } from './refill.js';
import { SequenceAllocator } from './sequence.js';
import { RequestWindow } from './window.js';

interface Pending {
  readonly pdu: Pdu;
  readonly expects: CommandName | undefined;
  readonly resolve: (response: Pdu) => void;
  readonly reject: (error: AgentError) => void;
  /** Throttled answers so far. */
  retries: number;
  /** Control PDUs (enquire_link, unbind) skip the queue and the rate. */
  readonly control: boolean;
  readonly timeoutMs: number | undefined;
  /** Told when the request goes on the wire (each time, for a throttled resend). */
  readonly sent: (() => void) | undefined;
  /** When it last went on the wire: the rate controller reads the SMSC's limit off send times. */
  sentAt: number;
}

export interface OutboundOptions {
  readonly window: number;
  /**
   * Free slots a full window waits for before it sends again (see refill.ts); 1 refills every
   * slot as it frees. Undefined: ⌈current window / 8⌉. Clamped to the current window.
   */
  readonly refillBatch?: number | undefined;
  readonly responseTimeoutMs: number;
  readonly maxPerSecond: number | undefined;
  readonly throttleRetries: number;
  readonly clock: Clock;
  /** Writes a PDU (its sequence_number set); throws AgentError when it cannot be encoded. */
  readonly send: (pdu: Pdu) => void;
  /** A throttle signal (and what the rate controller made of it) or a congestion change, for events and logs. */
  readonly onThrottle?: (status: number, rate: number, lesson?: ThrottleLesson) => void;
}

/**
 * One executor for every request's promise: it hands the resolving functions over through these
 * two variables (read at once, synchronously), so a request allocates no executor closure and
 * context of its own: allocation per submit is what sets the pace of young-generation
 * collections (bench/session, CPU and peak RSS).
 */
let capturedResolve: ((response: Pdu) => void) | undefined;
let capturedReject: ((error: AgentError) => void) | undefined;
function captureResolvers(resolve: (response: Pdu) => void, reject: (error: AgentError) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

export class Outbound {
  readonly sequence = new SequenceAllocator();
  readonly rate: RateController;
  private readonly window: RequestWindow<Pending>;
  private queue: Pending[] = [];
  private head = 0;
  private readonly pumpTimer: Timer;
  private drainWaiters: Array<() => void> = [];
  private accepting = true;
  private readonly refill: RefillGate;

  constructor(private readonly options: OutboundOptions) {
    this.rate = new RateController({ maxPerSecond: options.maxPerSecond, clock: options.clock });
    this.window = new RequestWindow<Pending>({
      size: options.window,
      timeoutMs: options.responseTimeoutMs,
      clock: options.clock,
      onTimeout: (_sequence, pending) => {
        pending.reject(notAcknowledged('timeout', pending.pdu, true));
        this.afterSettle();
      },
    });
    this.pumpTimer = new Timer(options.clock, () => this.pump());
    this.refill = new RefillGate({ batch: options.refillBatch, clock: options.clock, release: () => this.pump() });
  }

  get inFlight(): number {
    return this.window.inFlight;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  get windowSize(): number {
    return this.window.size;
  }

  /**
   * Queues a request; resolves with its response (any command_status, or a generic_nack).
   * The PDU's sequence_number is assigned when it is sent (again for a throttled resend).
   */
  request(pdu: Pdu, sent?: () => void): Promise<Pdu> {
    const promise = new Promise<Pdu>(captureResolvers);
    const pending: Pending = { pdu, expects: this.expectedResponse(pdu.command), resolve: capturedResolve!, reject: capturedReject!, retries: 0, control: false, timeoutMs: undefined, sent, sentAt: 0 };
    if (!this.accepting) {
      pending.reject(notAcknowledged('closing', pdu, false));
      return promise;
    }
    this.queue.push(pending);
    this.pump();
    return promise;
  }

  /** Sends now, past the queue, the window limit and the rate (bind, enquire_link, unbind). */
  control(pdu: Pdu, timeoutMs?: number): Promise<Pdu> {
    return new Promise<Pdu>((resolve, reject) => {
      const pending: Pending = { pdu, expects: responseCommandFor(pdu.command), resolve, reject, retries: 0, control: true, timeoutMs, sent: undefined, sentAt: 0 };
      this.transmit(pending);
    });
  }

  /** A response arrived. Returns false when no request of ours has that sequence number. */
  response(pdu: Pdu): boolean {
    const pending = this.window.take(pdu.sequence_number);
    if (pending === undefined) return false;
    if (pdu.command !== pending.expects && pdu.command !== 'generic_nack') {
      // A response of the wrong kind for this sequence number: the peer is confused; keep waiting is pointless.
      pending.resolve(pdu);
      this.afterSettle();
      return true;
    }
    const status = pdu.command_status;
    if (pdu.tlvs.length > 0) this.congestion(pdu);
    if (status === CommandStatus.ESME_ROK) {
      if (!pending.control) this.rate.accepted(pending.sentAt);
    } else if ((status === CommandStatus.ESME_RTHROTTLED || status === CommandStatus.ESME_RMSGQFUL) && !pending.control) {
      const lesson = this.rate.throttled(pending.sentAt);
      this.options.onThrottle?.(status, this.rate.currentRate, lesson);
      if (pending.retries < this.options.throttleRetries) {
        pending.retries++;
        // Back to the front: it was first in line and keeps its place.
        if (this.head > 0) this.queue[--this.head] = pending;
        else this.queue.unshift(pending);
        this.pump();
        return true;
      }
    }
    pending.resolve(pdu);
    this.afterSettle();
    return true;
  }

  /** Sends what the window, the refill gate (refill.ts) and the rate allow. */
  pump(): void {
    if (this.head === this.queue.length || !this.window.hasRoom) return;
    if (!this.refill.allows(this.window.size - this.window.inFlight, this.window.size)) return;
    // One clock read serves the rate and the deadlines of everything this (synchronous) pass sends.
    const now = this.options.clock.now();
    let sent = 0;
    while (this.head < this.queue.length && this.window.hasRoom) {
      const wait = this.rate.tryTake(now);
      if (wait > 0) {
        this.pumpTimer.ensure(wait);
        break;
      }
      const pending = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Pending; // let it be collected
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.transmit(pending, now);
      sent++;
    }
    this.refill.sent(sent, !this.window.hasRoom, this.window.size, now);
    if (this.head === this.queue.length && this.head > 0) {
      this.queue = [];
      this.head = 0;
    }
  }

  /** No new requests from now on; queued ones fail as not sent. In-flight ones may still be answered. */
  stopAccepting(): void {
    this.accepting = false;
    this.failQueued('closing');
  }

  /** Resolves once nothing is in flight or queued (or after `timeoutMs`). */
  whenDrained(timeoutMs: number): Promise<boolean> {
    if (this.window.inFlight === 0 && this.queued === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = new Timer(this.options.clock, () => {
        this.drainWaiters = this.drainWaiters.filter((waiter) => waiter !== done);
        resolve(false);
      });
      const done = (): void => {
        timer.cancel();
        resolve(true);
      };
      this.drainWaiters.push(done);
      timer.arm(timeoutMs);
    });
  }

  /** The link is gone: every request fails, those in the window as sent-but-unacknowledged. */
  failAll(reason: UnansweredReason, cause?: unknown): void {
    this.pumpTimer.cancel();
    for (const [, pending] of this.window.drain()) pending.reject(notAcknowledged(reason, pending.pdu, true, cause));
    this.failQueued(reason, cause);
    this.afterSettle();
  }

  private failQueued(reason: UnansweredReason, cause?: unknown): void {
    const queued = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    this.pumpTimer.cancel();
    this.refill.reset();
    for (const pending of queued) pending.reject(notAcknowledged(reason, pending.pdu, false, cause));
  }

  private transmit(pending: Pending, now = this.options.clock.now()): void {
    const sequence = this.sequence.next();
    pending.pdu.sequence_number = sequence;
    pending.sentAt = now;
    this.window.add(sequence, pending, pending.timeoutMs ?? this.options.responseTimeoutMs, now);
    try {
      this.options.send(pending.pdu);
      pending.sent?.();
    } catch (error) {
      this.window.take(sequence);
      pending.reject(error as AgentError);
      this.afterSettle();
    }
  }

  /** responseCommandFor, remembered for the last command asked about (nearly every request is a submit_sm). */
  private expectedResponse(command: CommandName): CommandName | undefined {
    if (command !== this.lastCommand) {
      this.lastCommand = command;
      this.lastExpects = responseCommandFor(command);
    }
    return this.lastExpects;
  }

  private lastCommand: CommandName | undefined;
  private lastExpects: CommandName | undefined;

  private congestion(pdu: Pdu): void {
    const congestion = getTlv(pdu, 'congestion_state');
    if (typeof congestion !== 'number') return;
    const next = windowForCongestion(this.options.window, this.window.size, congestion);
    if (next !== this.window.size) {
      this.window.resize(next);
      this.options.onThrottle?.(pdu.command_status, this.rate.currentRate);
    }
  }

  private afterSettle(): void {
    if (this.head < this.queue.length) this.pump();
    if (this.drainWaiters.length > 0 && this.window.inFlight === 0 && this.queued === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }
}
