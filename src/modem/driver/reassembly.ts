/**
 * Concatenated-SMS reassembly, keyed by (sender, reference, total) as 23.040 §9.2.3.24.1 intends. Parts arrive
 * out of order and minutes apart (REFERENCE G9), so a message waits up to `timeoutMs` and is then handed out
 * with what arrived (complete: false) rather than lost. A duplicate part replaces the earlier copy.
 */
import type { Clock, TimerHandle } from '../../clock.js';
import type { DecodedDeliver } from './smsCodec.js';
import type { ReceivedSms, StoredLocation } from './types.js';

interface Entry {
  readonly parts: Map<number, { readonly sms: DecodedDeliver; readonly stored?: StoredLocation }>;
  readonly total: number;
  readonly timer: TimerHandle;
}

export class Reassembler {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly deliver: (sms: ReceivedSms) => void,
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
      entry = { parts: new Map(), total: concat.total, timer };
      this.entries.set(key, entry);
    }
    entry.parts.set(concat.sequence, { sms, ...(stored ? { stored } : {}) });
    if (entry.parts.size >= entry.total) {
      this.clock.clearTimeout(entry.timer);
      this.entries.delete(key);
      this.deliver(combine(sorted(entry), entry.total, true));
    }
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
        this.clock.clearTimeout(entry.timer);
        this.entries.delete(key);
      } else {
        this.expire(key);
      }
    }
  }

  private expire(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.clock.clearTimeout(entry.timer);
    this.entries.delete(key);
    this.deliver(combine(sorted(entry), entry.total, false));
  }
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
    complete,
    messageClass: first?.messageClass,
    stored: parts.flatMap((p) => (p.stored ? [p.stored] : [])),
  };
}
