/**
 * When a full window sends again: per freed slot, or once a batch of slots is free.
 *
 * Refilling per slot keeps a saturated link in lock step with an SMSC that answers each request
 * with its own write: one wake-up, one read of one response, one write of one submit — a syscall
 * pair and Node's per-callback cost for every submit. Once the window has been full, this gate
 * lets the pump send again only when a batch of slots is free (⌈window/8⌉ by default): our
 * writes then carry several submits, the SMSC reads them in one read and answers in a burst,
 * and we read several responses per wake-up (bench/session: CPU per submit at window 100 against
 * node-smpp's server ~5–8 → ~1.2–1.8 µs).
 *
 * The cost is confined to a saturated link: a request that found the window full may wait for
 * up to batch − 1 more responses than it strictly must (a fraction of one round trip), and the
 * window runs between size − batch and size in flight. A window that is not full sends at once,
 * so a lightly loaded link adds no latency. Window 1 (batch 1) is never held.
 *
 * The wait is bounded by REFILL_WAIT_MS. An SMSC whose socket runs Nagle's algorithm (node-smpp's
 * server does) holds its next responses until we acknowledge its last segment, and with no write
 * of ours to carry that ACK the kernel delays it by 40 ms: unbounded, every wait would stall that
 * long (measured: window 100 fell from ~70k to ~2k submits/s, window 10 to ~230/s). This is why
 * the bound is a timer and not, say, the end of the loop turn: no data arrives within the turn,
 * so a loop-turn bound would give back the per-slot refill and save nothing. Against such an SMSC the timer
 * paces the link: about one window goes through per timed wait. With a small window that is
 * far slower than refilling per slot, so the gate measures the rate over a span of consecutive
 * timed waits and, below MIN_TIMED_PER_MS, refills per slot for REFILL_PAUSE_MS before it tries
 * batches again (a probe costs ~10–15 ms of the slower pace per REFILL_PAUSE_MS).
 */
import { Timer, type Clock } from './clock.js';

/** Longest a full window waits for a batch of free slots before it sends what room it has. */
export const REFILL_WAIT_MS = 1;
/** How long the gate refills per slot after it found that timed waits cost throughput. */
export const REFILL_PAUSE_MS = 1000;
/** Timed waits measured together (one wait's count is noise: its length varies with the timer). */
const SPAN_WAITS = 8;
/** Timed waits further apart than this are not consecutive. */
const SPAN_GAP_MS = 4 * REFILL_WAIT_MS;
/**
 * Requests per ms below which timer-paced waits are not worth it. Paced by the timer, the link
 * carries about one window per wait (the timer fires after 1.2–2 ms): measured against
 * node-smpp's server on loopback, ~8k submits/s at window 10 where refilling per slot does ~60k,
 * and ~50–80k/s at window 100 (per slot: 64–88k) for a quarter to a fifth of the CPU per
 * submit. The CPU saved matters only at tens of thousands of submits per second; below that,
 * refilling per slot, which never costs throughput, is the better deal.
 */
const MIN_TIMED_PER_MS = 20;

export interface RefillGateOptions {
  /** Free slots a full window waits for; undefined: ⌈window in force / 8⌉. Clamped to 1..window. */
  readonly batch: number | undefined;
  readonly clock: Clock;
  /** A wait ended by the timer: the pump should send what room there is. */
  readonly release: () => void;
}

export class RefillGate {
  private holding = false;
  private readonly timer: Timer;
  private pausedUntil = -Infinity;
  /** The span of consecutive timed waits being measured: since when, how many, requests sent. */
  private spanStart = 0;
  private spanWaits = 0;
  private sentSinceTimed = 0;
  /** When the last timed wait ended. */
  private timedAt = -Infinity;
  private size = 1;

  constructor(private readonly options: RefillGateOptions) {
    this.timer = new Timer(options.clock, () => this.timedOut());
  }

  /** True while a full window waits for a batch of free slots. */
  get waiting(): boolean {
    return this.holding;
  }

  /** Free slots a full window of `size` waits for. */
  batch(size: number): number {
    const batch = this.options.batch ?? Math.ceil(size / 8);
    return batch < 1 ? 1 : batch > size ? size : batch;
  }

  /** May the pump send, with `free` slots free in a window of `size`? (Called only when free > 0.) */
  allows(free: number, size: number): boolean {
    if (!this.holding) return true;
    if (free >= this.batch(size)) {
      this.holding = false;
      return true;
    }
    this.size = size;
    this.timer.ensure(REFILL_WAIT_MS);
    return false;
  }

  /** The pump sent `count` requests (at `now`) and left the window of `size` full or not. */
  sent(count: number, full: boolean, size: number, now: number): void {
    this.sentSinceTimed += count;
    if (full && now >= this.pausedUntil && this.batch(size) > 1) this.holding = true;
  }

  /** The link is gone or closing: nothing waits any more. */
  reset(): void {
    this.holding = false;
    this.timer.cancel();
  }

  private timedOut(): void {
    if (!this.holding) return; // that wait ended by responses; this is a later one's timer
    const now = this.options.clock.now();
    if (now - this.timedAt > SPAN_GAP_MS) {
      // The first timed wait after a quiet spell starts a new span.
      this.spanStart = now;
      this.spanWaits = 0;
      this.sentSinceTimed = 0;
    } else if (++this.spanWaits === SPAN_WAITS) {
      // Over SPAN_WAITS consecutive timed waits: requests per ms while the timer paced the link.
      const perMs = this.sentSinceTimed / Math.max(now - this.spanStart, REFILL_WAIT_MS);
      if (perMs < MIN_TIMED_PER_MS) this.pausedUntil = now + REFILL_PAUSE_MS;
      this.spanStart = now;
      this.spanWaits = 0;
      this.sentSinceTimed = 0;
    }
    this.timedAt = now;
    this.holding = false;
    this.options.release();
  }
}
