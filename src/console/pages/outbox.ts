/**
 * Outbox and inbox: reports filtered by state and kind, one report's history (its row, the message
 * that carried it, the events seen for it), retry and purge behind a confirmation; received SMS,
 * commands and receipts, undecodable ones marked.
 */
import { type ApiError, command, getJson, idsOf, isReportEvent, type Page, type ReportEvent } from '../api.js';
import { confirmDialog, field, fill, h, select, time } from '../dom.js';

const states = ['queued', 'sending', 'submitted', 'delivered', 'failed', 'expired'] as const;

interface OutboxRow {
  readonly id: number;
  readonly kind: string;
  readonly priority: string;
  readonly state: string;
  readonly to: readonly string[];
  readonly text: string | null;
  readonly hex: string | null;
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly nextAttemptAt: string;
  readonly expiresAt: string | null;
  readonly messageId: number | null;
  readonly lastError: string | null;
}

interface MessageRow {
  readonly id: number;
  readonly state: string;
  readonly link: string;
  readonly partCount: number;
  readonly submittedAt: number | null;
  readonly finishedAt: number | null;
  readonly lastError: string | null;
  readonly refs: readonly string[];
}

interface InboxRow {
  readonly id: number;
  readonly kind: 'sms' | 'command' | 'refused-command' | 'receipt';
  readonly link: string;
  readonly from: string;
  readonly text: string | null;
  readonly hex: string | null;
  readonly undecodable: boolean;
  readonly reason?: string;
  readonly receivedAt: string;
  readonly receipt?: { readonly ref: string | null; readonly outcome: string | null };
}

function describeEvent(event: ReportEvent): string {
  switch (event.type) {
    case 'report-submitted':
      return `submitted over ${event.link} (refs ${event.refs.join(', ')})`;
    case 'report-delivered':
      return `delivered: receipt over ${event.link}`;
    case 'report-failed':
      return `${event.final ? 'failed for good' : 'failed, will retry'}: ${event.reason}`;
    case 'report-expired':
      return `expired after ${event.ageSeconds} s`;
    case 'report-dropped':
      return `dropped (${event.reason})`;
    case 'report-unsendable':
      return `cannot be sent: ${event.reason}`;
  }
}

export const outboxPage: Page = {
  id: 'outbox',
  title: 'Outbox & inbox',
  mount(root, { live }) {
    const stateFilter = select('ob-state', [['', 'any state'], ...states.map((state) => [state, state] as const)]);
    const kindFilter = h('input', { id: 'ob-kind', name: 'kind', type: 'text', placeholder: 'e.g. telemetry', autocomplete: 'off' });
    const purgeState = select('ob-purge-state', [['failed', 'failed'], ['expired', 'expired'], ['delivered', 'delivered'], ['queued', 'queued']]);
    const status = h('p', { role: 'status', class: 'status' });
    const list = h('div', { class: 'scroll' });
    const detail = h('section', { class: 'card detail', 'aria-labelledby': 'ob-detail', hidden: true });
    const inbox = h('div', { class: 'scroll' });
    let selected: number | undefined;

    const load = async (): Promise<void> => {
      const query = new URLSearchParams({ limit: '100' });
      if (stateFilter.value !== '') query.set('state', stateFilter.value);
      if (kindFilter.value.trim() !== '') query.set('kind', kindFilter.value.trim());
      try {
        const { items } = await getJson<{ items: OutboxRow[] }>(`/outbox?${query.toString()}`);
        fill(list, items.length === 0 ? h('p', {}, 'No reports match.') : table(items));
      } catch (error) {
        fill(list, h('p', { class: 'bad' }, (error as Error).message));
      }
    };

    const table = (items: readonly OutboxRow[]): HTMLTableElement =>
      h('table', { class: 'rows', 'aria-label': 'Reports' },
        h('thead', {}, h('tr', {}, ...['#', 'Kind', 'State', 'Priority', 'Tries', 'Created', 'Last error', ''].map((name) => h('th', { scope: 'col' }, name)))),
        h('tbody', {}, ...items.map((item) =>
          h('tr', { 'data-id': item.id, 'data-state': item.state },
            h('td', {}, item.id), h('td', {}, item.kind), h('td', {}, h('span', { class: `badge ${item.state}` }, item.state)), h('td', {}, item.priority),
            h('td', {}, item.attempts), h('td', {}, time(item.createdAt)), h('td', { class: 'error' }, item.lastError ?? ''),
            h('td', {}, h('button', { type: 'button', onclick: () => void show(item.id), 'aria-label': `history of report ${item.id}` }, 'History')),
          ))),
      );

    const show = async (id: number): Promise<void> => {
      selected = id;
      const { report, message } = await getJson<{ report: OutboxRow; message: MessageRow | null }>(`/outbox/${id}`);
      const seen = live.recent.filter(isReportEvent).filter((event) => idsOf(event).includes(String(id)));
      const canRetry = report.state === 'failed' || report.state === 'expired';
      fill(detail,
        h('h2', { id: 'ob-detail' }, `Report ${report.id} (${report.kind})`),
        h('dl', { class: 'facts' },
          ...([
            ['State', report.state], ['Priority', report.priority], ['To', report.to.join(', ') || 'the configured centre'], ['Attempts', String(report.attempts)],
            ['Created', time(report.createdAt)], ['Updated', time(report.updatedAt)], ['Next attempt', time(report.nextAttemptAt)], ['Expires', time(report.expiresAt)],
            ['Last error', report.lastError ?? '—'], ['Body', report.text ?? `binary ${report.hex ?? ''}`],
          ] as const).map(([label, value]) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value))),
        ),
        message === null ? h('p', {}, 'Not sent yet.') : h('p', {}, `Message ${message.id} over ${message.link}: ${message.state}, ${message.partCount} part(s)${message.refs.length > 0 ? `, refs ${message.refs.join(', ')}` : ''}${message.lastError === null ? '' : `, ${message.lastError}`}`),
        h('h3', {}, 'Events seen'),
        seen.length === 0 ? h('p', {}, 'None since this page opened.') : h('ol', { class: 'history' }, ...seen.map((event) => h('li', {}, `${time(event.at)}: ${describeEvent(event)}`))),
        canRetry ? h('button', { type: 'button', class: 'primary', id: 'ob-retry', onclick: () => void retry(report.id) }, `Retry report ${report.id}`) : null,
      );
      detail.hidden = false;
    };

    const retry = async (id: number): Promise<void> => {
      if (!(await confirmDialog(`Send report ${id} again? It goes back to the queue with its attempts reset.`, 'Retry'))) return;
      try {
        await command('queue', { action: 'retry', ids: [String(id)] });
        status.textContent = `Report ${id} is queued again.`;
      } catch (error) {
        status.textContent = `Retry refused: ${(error as ApiError).message}`;
      }
      await Promise.all([load(), show(id)]);
    };

    const purge = async (): Promise<void> => {
      const state = purgeState.value;
      if (!(await confirmDialog(`Delete every ${state} report? This cannot be undone.`, 'Purge'))) return;
      try {
        const { affected } = await command<{ affected: number }>('queue', { action: 'purge', state });
        status.textContent = `${affected} ${state} report(s) purged.`;
      } catch (error) {
        status.textContent = `Purge refused: ${(error as ApiError).message}`;
      }
      await load();
    };

    const loadInbox = async (): Promise<void> => {
      const { items } = await getJson<{ items: InboxRow[] }>('/inbox?limit=50').catch(() => ({ items: [] as InboxRow[] }));
      fill(inbox, items.length === 0 ? h('p', {}, 'Nothing received yet.') : h('table', { class: 'rows', 'aria-label': 'Received' },
        h('thead', {}, h('tr', {}, ...['When', 'What', 'From', 'Link', 'Content'].map((name) => h('th', { scope: 'col' }, name)))),
        h('tbody', {}, ...items.map((item) => h('tr', { 'data-inbox': item.id, 'data-kind': item.kind },
          h('td', {}, time(item.receivedAt)), h('td', {}, h('span', { class: `badge ${item.kind}` }, item.kind)), h('td', {}, item.from), h('td', {}, item.link),
          h('td', {}, item.kind === 'receipt' ? `${item.receipt?.outcome ?? '?'} (ref ${item.receipt?.ref ?? '?'})` : item.undecodable ? h('span', {}, h('span', { class: 'badge undecodable' }, 'undecodable'), item.reason === undefined ? ' ' : ` ${item.reason}: `, h('code', {}, item.hex ?? '')) : (item.text ?? '')),
        )))));
    };

    const filters = h('form', { class: 'row', onsubmit: (event: Event) => (event.preventDefault(), void load()) },
      field('State', stateFilter), field('Kind', kindFilter), h('button', { type: 'submit' }, 'Filter'));
    stateFilter.addEventListener('change', () => void load());
    root.append(
      h('h1', {}, 'Outbox & inbox'),
      h('section', { class: 'card', 'aria-labelledby': 'ob-title' }, h('h2', { id: 'ob-title' }, 'Outbox'), filters, list,
        h('div', { class: 'row' }, field('Purge state', purgeState), h('button', { type: 'button', class: 'danger', onclick: () => void purge() }, 'Purge…'))),
      status,
      detail,
      h('section', { class: 'card', 'aria-labelledby': 'ib-title' }, h('h2', { id: 'ib-title' }, 'Inbox'), inbox),
    );
    void load();
    void loadInbox();
    const timer = window.setInterval(() => void loadInbox(), 5000);
    // A drain publishes events by the hundred: reload at most every 2 s, not once per event.
    let reload: number | undefined;
    const loadSoon = (): void => {
      reload ??= window.setTimeout(() => ((reload = undefined), void load()), 2000);
    };
    const stop = live.subscribe((event) => {
      if (event.type.startsWith('report-')) {
        loadSoon();
        if (selected !== undefined && idsOf(event).includes(String(selected))) void show(selected);
      }
      if (event.type === 'sms-received') void loadInbox();
    });
    return () => {
      window.clearInterval(timer);
      window.clearTimeout(reload);
      stop();
    };
  },
};
