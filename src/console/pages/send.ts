/**
 * Send: an SMS or a test reading through the outbox (the `send-sms` and `report` commands), then
 * what became of it, live: submitted, delivered (the receipt) or failed, from the `report-*`
 * events that carry its id.
 */
import { ApiError, command, idsOf, isReportEvent, type AgentEvent, type Page, type ReportEvent } from '../api.js';
import { field, fill, h, select, time } from '../dom.js';

const priorities = [['normal', 'normal'], ['high', 'high'], ['critical', 'critical'], ['low', 'low']] as const;

interface Sent {
  readonly id: string;
  readonly what: string;
  readonly steps: HTMLOListElement;
  readonly outcome: HTMLElement;
}

/** `T=21.5, H=40 door=open` → {T: 21.5, H: 40, door: 'open'}. */
export function parseFields(text: string): Record<string, string | number | boolean> {
  const data: Record<string, string | number | boolean> = {};
  for (const pair of text.split(/[\s,;]+/).filter((part) => part !== '')) {
    const [key = '', ...rest] = pair.split('=');
    const raw = rest.join('=');
    if (key === '' || rest.length === 0) throw new Error(`"${pair}": write fields as name=value`);
    data[key] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return data;
}

function step(event: ReportEvent): { text: string; tone: string; final: boolean } {
  switch (event.type) {
    case 'report-submitted':
      return { text: `submitted over ${event.link}, SMSC ref ${event.refs.join(', ')}`, tone: 'warn', final: false };
    case 'report-delivered':
      return { text: `delivered: receipt over ${event.link}`, tone: 'good', final: true };
    case 'report-failed':
      return { text: `${event.final ? 'failed' : 'not sent yet, will retry'}: ${event.reason}`, tone: event.final ? 'bad' : 'warn', final: event.final };
    case 'report-expired':
      return { text: 'expired before it could be sent', tone: 'bad', final: true };
    case 'report-dropped':
      return { text: `dropped (${event.reason})`, tone: 'bad', final: true };
    case 'report-unsendable':
      return { text: `cannot be sent: ${event.reason}`, tone: 'bad', final: false };
  }
}

export const sendPage: Page = {
  id: 'send',
  title: 'Send',
  mount(root, { live }) {
    const what = select('send-what', [['sms', 'An SMS'], ['reading', 'A test reading']]);
    const to = h('input', { id: 'send-to', name: 'to', type: 'tel', inputmode: 'tel', autocomplete: 'off', placeholder: '+447700900123' });
    const text = h('textarea', { id: 'send-text', name: 'text', rows: 3, maxlength: 1530 });
    const kind = h('input', { id: 'send-kind', name: 'kind', type: 'text', value: 'telemetry', autocomplete: 'off' });
    const fields = h('input', { id: 'send-fields', name: 'fields', type: 'text', value: 'T=21.5 H=40', autocomplete: 'off' });
    const priority = select('send-priority', priorities);
    const error = h('p', { role: 'alert', class: 'bad' });
    const results = h('ul', { class: 'sent', 'aria-live': 'polite', 'aria-label': 'Sent from this page' });
    const smsFields = h('div', {}, field('To', to, 'international number'), field('Text', text));
    const readingFields = h('div', { hidden: true }, field('Kind', kind), field('Fields', fields, 'name=value, separated by spaces'), field('To (optional)', h('input', { id: 'send-reading-to', name: 'readingTo', type: 'tel', autocomplete: 'off' }), 'empty: the configured centre'));
    const sent: Sent[] = [];

    what.addEventListener('change', () => {
      smsFields.hidden = what.value !== 'sms';
      readingFields.hidden = what.value === 'sms';
    });

    const follow = (id: string, label: string): void => {
      const steps = h('ol', { class: 'history' }, h('li', {}, `${time(new Date().toISOString())}: queued as report ${id}`));
      const outcome = h('strong', { 'data-outcome': id, class: 'warn' }, 'queued');
      results.prepend(h('li', { 'data-sent': id }, h('span', {}, `${label}: `), outcome, steps));
      const item = { id, what: label, steps, outcome };
      sent.push(item);
      // Events that came before the reply (a fast SMSC) are in the app's recent list.
      for (const event of live.recent) apply(event, [item]);
    };

    const apply = (event: AgentEvent, items: readonly Sent[] = sent): void => {
      if (!isReportEvent(event)) return;
      const ids = idsOf(event);
      const shown = step(event);
      for (const item of items) {
        if (!ids.includes(item.id)) continue;
        item.steps.append(h('li', { 'data-event': event.type }, `${time(event.at)}: ${shown.text}`));
        // A final outcome (delivered, failed for good) stays, whatever order late events come in.
        if (item.outcome.dataset['final'] === 'true') continue;
        fill(item.outcome, event.type.replace('report-', ''));
        item.outcome.className = shown.tone;
        item.outcome.dataset['final'] = String(shown.final);
      }
    };

    const submit = async (event: Event): Promise<void> => {
      event.preventDefault();
      error.textContent = '';
      try {
        if (what.value === 'sms') {
          const { id } = await command<{ id: string }>('send-sms', { to: to.value.trim(), text: text.value, priority: priority.value });
          follow(id, `SMS to ${to.value.trim()}`);
        } else {
          const readingTo = (root.querySelector<HTMLInputElement>('#send-reading-to')?.value ?? '').trim();
          const result = await command<{ id: string; ids?: string[] }>('report', {
            kind: kind.value.trim(),
            data: parseFields(fields.value),
            priority: priority.value,
            ...(readingTo === '' ? {} : { to: [readingTo] }),
          });
          for (const id of result.ids ?? [result.id]) follow(id, `${kind.value.trim()} reading`);
        }
      } catch (failure) {
        error.textContent = failure instanceof ApiError ? `${failure.field === undefined ? '' : `${failure.field}: `}${failure.message}` : (failure as Error).message;
      }
    };

    root.append(
      h('h1', {}, 'Send'),
      h('form', { class: 'card', onsubmit: (event: Event) => void submit(event), 'aria-label': 'Send through the outbox' },
        field('What', what), smsFields, readingFields, field('Priority', priority), error,
        h('button', { type: 'submit', class: 'primary', id: 'send-go' }, 'Queue it'),
      ),
      h('section', { class: 'card', 'aria-labelledby': 'send-results' }, h('h2', { id: 'send-results' }, 'Outcomes'), results),
    );
    return live.subscribe((event) => apply(event));
  },
};
