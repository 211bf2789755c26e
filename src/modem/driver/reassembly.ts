/**
 * Concatenated-SMS reassembly, keyed by (sender, reference, total) as 23.040 §9.2.3.24.1 intends. Parts arrive
 * out of order and minutes apart (REFERENCE G9), so a message waits up to `timeoutMs` and is then handed out
 * with what arrived (complete: false) rather than lost. A duplicate part replaces the earlier copy.
 * Waiting messages are capped in total, per sender and in bytes (a sender that sends part 1 of 255 forever
 * must not grow memory or keep SIM slots taken): beyond a cap the oldest is handed out early, incomplete.
 */
import type { Clock, TimerHandle } from '../../clock.js';
import type { DecodedDeliver } from './smsCodec.js';
import type { ReceivedSms, StoredLocation } from './types.js';

interface Entry {
  readonly sender: string;
  readonly parts: Map<number, { readonly sms: DecodedDeliver; readonly stored?: StoredLocation }>;
  readonly total: number;
  readonly timer: TimerHandle;
  bytes: number;
}

export interface ReassemblyCaps {
  /** Messages waiting for parts, in total. */
  readonly maxMessages: number;
  readonly maxPerSender: number;
  /** Bytes of waiting parts (text as UTF-8, data as octets), in total. */
  readonly maxBytes: number;
}

/** A part is at most 140 octets: 1,000 messages of a few parts each is well under a megabyte. */
export const defaultReassemblyCaps: ReassemblyCaps = { maxMessages: 1000, maxPerSender: 32, maxBytes: 4 * 2 ** 20 };

export class Reassembler {
  /** Insertion order is arrival order of each message's first part: the first entry is the oldest. */
  private readonly entries = new Map<string, Entry>();
  private readonly perSender = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly deliver: (sms: ReceivedSms) => void,
    private readonly caps: ReassemblyCaps = defaultReassemblyCaps,
  ) {}

  add(sms: DecodedDeliver, stored?: StoredLocation): void {
    const concat = sms.concat;
    if (concat === undefined || concat.total <= 1) {
      this.deliver(combine([{ sms, ...(stored ? { stored } : {}) }], 1, true));
      return;
    }
    const key = `${sms.sender}\u0000${concat.reference}\u0000${concat.total}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const timer = this.clock.setTimeout(() => this.expire(key), this.timeoutMs);
      entry = { sender: sms.sender, parts: new Map(), total: concat.total, timer, bytes: 0 };
      this.entries.set(key, entry);
      this.perSender.set(sms.sender, (this.perSender.get(sms.sender) ?? 0) + 1);
    }
    const size = partBytes(sms);
    const previous = entry.parts.get(concat.sequence);
    const delta = size - (previous === undefined ? 0 : partBytes(previous.sms));
    entry.parts.set(concat.sequence, { sms, ...(stored ? { stored } : {}) });
    entry.bytes += delta;
    this.bytes += delta;
    if (entry.parts.size >= entry.total) {
      this.remove(key, entry);
      this.deliver(combine(sorted(entry), entry.total, true));
      return;
    }
    this.enforceCaps(sms.sender);
  }

  get pending(): number {
    return this.entries.size;
  }

  /**
   * On stop: a partial message whose parts all sit in modem storage is only forgotten (the next start reads
   * it again, and the missing parts may have arrived by then); one with parts that exist nowhere else
   * (+CMT direct delivery) is handed out now, as partial, rather than lost.
   */
  flush(): void {
    for (const [key, entry] of [...this.entries]) {
      if ([...entry.parts.values()].every((part) => part.stored !== undefined)) {
        this.remove(key, entry);
      } else {
        this.expire(key);
      }
    }
  }

  private expire(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.remove(key, entry);
    this.deliver(combine(sorted(entry), entry.total, false));
  }

  private remove(key: string, entry: Entry): void {
    this.clock.clearTimeout(entry.timer);
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    const left = (this.perSender.get(entry.sender) ?? 1) - 1;
    if (left > 0) this.perSender.set(entry.sender, left);
    else this.perSender.delete(entry.sender);
  }

  /** Hands out the oldest waiting messages (the sender's own first) until every cap holds. */
  private enforceCaps(sender: string): void {
    while ((this.perSender.get(sender) ?? 0) > this.caps.maxPerSender) {
      const oldest = [...this.entries].find(([, entry]) => entry.sender === sender);
      if (oldest === undefined) break;
      this.expire(oldest[0]);
    }
    while (this.entries.size > this.caps.maxMessages || this.bytes > this.caps.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.expire(oldest.value);
    }
  }
}

function partBytes(sms: DecodedDeliver): number {
  return sms.text === undefined ? (sms.dataHex?.length ?? 0) / 2 : Buffer.byteLength(sms.text);
}

function sorted(entry: Entry): Array<{ sms: DecodedDeliver; stored?: StoredLocation }> {
  return [...entry.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, part]) => part);
}

function combine(parts: ReadonlyArray<{ sms: DecodedDeliver; stored?: StoredLocation }>, total: number, complete: boolean): ReceivedSms {
  const first = parts[0]?.sms;
  const texts = parts.map((p) => p.sms.text);
  const allText = texts.every((t) => t !== undefined);
  const data = parts.map((p) => p.sms.dataHex ?? '').join('');
  return {
    sender: first?.sender ?? '',
    smsc: first?.smsc,
    timestamp: first?.timestamp ?? '',
    text: allText ? texts.join('') : undefined,
    dataHex: allText ? undefined : data,
    parts: total,
    received: parts.length,
    complete,
    messageClass: first?.messageClass,
    stored: parts.flatMap((p) => (p.stored ? [p.stored] : [])),
  };
}
