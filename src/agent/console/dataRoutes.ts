/**
 * Read-only views of the store for the console:
 *   GET /inbox?limit=N                       newest received SMS, commands and receipts first (N ≤ 500, default 50)
 *   GET /outbox?state=S&kind=K&limit=N       reports, newest first (N ≤ 500, default 100)
 *   GET /outbox/<id>                         one report and the message that carries (or last carried) it
 *
 * What a message says is shown as text when it is text; a binary or undecodable body is marked and
 * shown as (bounded) hex. A command's PIN is masked: the console never renders a secret.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { isReportState, type InboxEntry, type Report, type Store } from '../../store/index.js';
import { HttpRefusal, reply, type Route } from '../api/index.js';
import { interpretSms, type SmsCommandPolicy } from '../smsCommands.js';

const maxHexBytes = 140;

export interface DataRouteOptions {
  readonly store: () => Store;
  readonly commands: SmsCommandPolicy;
}

/** `PIN 1234 STATUS` → `PIN •••• STATUS`: the inbox keeps what came, the console never shows the PIN. */
export function maskPin(text: string): string {
  return text.replace(/^(\s*PIN\s+)\S+/i, '$1••••');
}

function limitOf(url: URL, fallback: number): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new AgentError(`limit: must be an integer 1..500, got ${JSON.stringify(raw)}`, ErrorCode.Store_InvalidInput, { field: 'limit' });
  return limit;
}

function body(payload: string | Uint8Array): { text: string | null; hex: string | null; undecodable: boolean } {
  if (typeof payload === 'string') return { text: payload, hex: null, undecodable: false };
  const bytes = Buffer.from(payload.subarray(0, maxHexBytes));
  return { text: null, hex: bytes.toString('hex') + (payload.length > maxHexBytes ? '…' : ''), undecodable: true };
}

export function inboxItem(entry: InboxEntry, policy: SmsCommandPolicy): Record<string, unknown> {
  const shown = body(entry.payload);
  let kind: 'sms' | 'command' | 'refused-command' | 'receipt' = entry.type === 'receipt' ? 'receipt' : 'sms';
  if (kind === 'sms' && shown.text !== null) {
    const verdict = interpretSms(entry.sender, shown.text, policy).kind;
    kind = verdict === 'command' ? 'command' : verdict === 'refused' ? 'refused-command' : 'sms';
  }
  return {
    id: entry.id,
    kind,
    link: entry.link,
    from: entry.sender,
    to: entry.recipient,
    ...shown,
    text: shown.text === null ? null : maskPin(shown.text),
    // Kept by the inbox with its reason (malformed UDH, unknown coding…); other binary bodies are marked too.
    undecodable: entry.undecodable !== null || shown.undecodable,
    ...(entry.undecodable === null ? {} : { reason: entry.undecodable }),
    parts: entry.partCount,
    receivedAt: new Date(entry.receivedAt).toISOString(),
    sentAt: entry.sentAt === null ? null : new Date(entry.sentAt).toISOString(),
    ...(entry.type === 'receipt' ? { receipt: { ref: entry.receiptRef, outcome: entry.receiptOutcome } } : {}),
  };
}

export function outboxItem(report: Report): Record<string, unknown> {
  return {
    id: report.id,
    kind: report.kind,
    priority: report.priority,
    state: report.state,
    to: report.destinations,
    ...body(report.payload),
    bytes: report.bytes,
    attempts: report.attempts,
    createdAt: new Date(report.createdAt).toISOString(),
    updatedAt: new Date(report.updatedAt).toISOString(),
    nextAttemptAt: new Date(report.nextAttemptAt).toISOString(),
    expiresAt: report.expiresAt === null ? null : new Date(report.expiresAt).toISOString(),
    messageId: report.messageId,
    lastError: report.lastError,
    errorClass: report.errorClass,
  };
}

export function dataRoutes(options: DataRouteOptions): readonly Route[] {
  return [
    {
      method: 'GET',
      path: '/inbox',
      handle({ response, url }) {
        const items = options.store().inbox.recent(limitOf(url, 50)).map((entry) => inboxItem(entry, options.commands));
        reply(response, 200, { items });
      },
    },
    {
      method: 'GET',
      path: '/outbox',
      handle({ response, url }) {
        const state = url.searchParams.get('state') ?? '';
        const kind = url.searchParams.get('kind') ?? '';
        if (state !== '' && !isReportState(state)) throw new AgentError(`state: not a report state: ${JSON.stringify(state)}`, ErrorCode.Store_InvalidInput, { field: 'state' });
        const limit = limitOf(url, 100);
        const reports = options.store().outbox.newest({ ...(state === '' ? {} : { state }), ...(kind === '' ? {} : { kind }), limit });
        reply(response, 200, { items: reports.map(outboxItem) });
      },
    },
    {
      method: 'GET',
      path: '/outbox/',
      handle({ response, url }) {
        const id = Number(url.pathname.slice('/outbox/'.length));
        const outbox = options.store().outbox;
        const report = Number.isSafeInteger(id) && id > 0 ? outbox.get(id) : undefined;
        if (report === undefined) throw new HttpRefusal(404, 'not-found', `no report ${url.pathname.slice('/outbox/'.length)}`);
        const message = report.messageId === null ? undefined : outbox.message(report.messageId);
        reply(response, 200, { report: outboxItem(report), message: message ?? null });
      },
    },
  ];
}
