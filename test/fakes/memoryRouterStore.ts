/**
 * The RouterStore contract in memory, for the router's unit tests (the SQLite adapter is tested
 * against the same behaviour in its own integration test).
 */
import type { BuiltMessage, ErrorClass, QueuedEntry, RouterStore } from '../../src/agent/router/types.js';
import type { LinkName } from '../../src/agent/router/linkChoice.js';

type EntryState = 'queued' | 'sending' | 'submitted' | 'failed';

export class MemoryRouterStore implements RouterStore {
  readonly entries = new Map<number, QueuedEntry & { state: EntryState; notBefore: number; messageId?: number; attempts: number }>();
  readonly messages = new Map<number, BuiltMessage & { link: LinkName; refs?: readonly string[]; state: 'sending' | 'submitted' | 'requeued' | 'failed'; sends: number }>();
  private nextEntryId = 1;
  private nextMessageId = 1;
  private nextSeq = 1000;

  constructor(
    private readonly now: () => number,
    private readonly fallbackKinds: ReadonlySet<string> = new Set(['alarm', 'sms']),
  ) {}

  add(kind: string, payload: string, priority: QueuedEntry['priority'] = 'normal', destinations: string[] = []): number {
    const id = this.nextEntryId++;
    this.entries.set(id, { id, kind, priority, createdAt: this.now(), payload, destinations, state: 'queued', notBefore: 0, attempts: 0 });
    return id;
  }

  due(limit: number, options: { readonly fallbackOnly: boolean }): QueuedEntry[] {
    const order = ['critical', 'high', 'normal', 'low'];
    return [...this.entries.values()]
      .filter((e) => e.state === 'queued' && e.messageId === undefined && e.notBefore <= this.now() && (!options.fallbackOnly || this.fallbackKinds.has(e.kind)))
      .sort((a, b) => order.indexOf(a.priority) - order.indexOf(b.priority) || a.createdAt - b.createdAt || a.id - b.id)
      .slice(0, limit);
  }

  resendable(limit: number, options: { readonly fallbackOnly: boolean }): BuiltMessage[] {
    return [...this.messages.values()]
      .filter((m) => m.state === 'requeued' && m.entryIds.every((id) => (this.entries.get(id)?.notBefore ?? 0) <= this.now()))
      .filter((m) => !options.fallbackOnly || m.entryIds.every((id) => this.fallbackKinds.has(this.entries.get(id)?.kind ?? '')))
      .slice(0, limit);
  }

  peekNextSeq(): number {
    return this.nextSeq;
  }

  startMessage(entryIds: readonly number[], link: LinkName, build: (seq: number) => Omit<BuiltMessage, 'messageId' | 'entryIds' | 'seq'>): BuiltMessage {
    const messageId = this.nextMessageId++;
    const seq = this.nextSeq++;
    for (const id of entryIds) {
      const entry = this.entries.get(id);
      if (entry === undefined || entry.state !== 'queued') throw new Error(`entry ${id} is not queued`);
      entry.state = 'sending';
      entry.messageId = messageId;
    }
    const message = { messageId, seq, entryIds: [...entryIds], ...build(seq) };
    this.messages.set(messageId, { ...message, link, state: 'sending', sends: 1 });
    return message;
  }

  restartMessage(messageId: number, link: LinkName): void {
    const message = this.messages.get(messageId);
    if (message === undefined || message.state !== 'requeued') throw new Error(`message ${messageId} is not requeued`);
    message.state = 'sending';
    message.link = link;
    message.sends++;
    for (const id of message.entryIds) {
      const entry = this.entries.get(id);
      if (entry !== undefined) entry.state = 'sending';
    }
  }

  submitted(messageId: number, refs: readonly string[]): void {
    const message = this.messages.get(messageId);
    if (message === undefined) throw new Error(`no message ${messageId}`);
    message.state = 'submitted';
    message.refs = refs;
    for (const id of message.entryIds) {
      const entry = this.entries.get(id);
      if (entry !== undefined) entry.state = 'submitted';
    }
  }

  readonly unsendable = new Map<number, string>();

  failUnsendable(entryId: number, _link: LinkName, reason: string): void {
    const entry = this.entries.get(entryId);
    if (entry === undefined || entry.state !== 'queued') throw new Error(`entry ${entryId} is not queued`);
    entry.state = 'failed';
    this.unsendable.set(entryId, reason);
  }

  failed(messageId: number, errorClass: ErrorClass, _reason: string): void {
    const message = this.messages.get(messageId);
    if (message === undefined) throw new Error(`no message ${messageId}`);
    message.state = errorClass === 'permanent' ? 'failed' : 'requeued';
    for (const id of message.entryIds) {
      const entry = this.entries.get(id);
      if (entry === undefined) continue;
      entry.attempts++;
      entry.state = errorClass === 'permanent' ? 'failed' : 'queued';
      entry.notBefore = this.now() + (errorClass === 'throttled' ? 1000 : 30000);
    }
  }

  nextAttemptAt(): number | undefined {
    const waiting = [...this.entries.values()].filter((e) => e.state === 'queued' && e.notBefore > this.now()).map((e) => e.notBefore);
    return waiting.length === 0 ? undefined : Math.min(...waiting);
  }
}
