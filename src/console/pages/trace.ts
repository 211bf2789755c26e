/**
 * Trace and events: the agent's live SMPP trace (`GET /trace`, one record per PDU, responses paired
 * with their request and latency) and its event stream, each pausable, with the capture download
 * (`GET /trace/capture`). The trace may be absent (an older agent, or capture off): then it says so.
 */
import { available, type AgentEvent, type Page } from '../api.js';
import { h, time } from '../dom.js';

interface TraceRecord {
  readonly at?: string;
  readonly dir?: string;
  readonly command?: string;
  readonly seq?: number;
  readonly status?: string | number;
  readonly latencyMs?: number;
  readonly [key: string]: unknown;
}

const keep = 200;

/** A pausable list: while paused, items are counted and shown on resume. */
function pausable(label: string, id: string): { section: HTMLElement; add: (line: HTMLElement) => void } {
  const list = h('ol', { class: 'stream', id, 'aria-label': label });
  const held: HTMLElement[] = [];
  let paused = false;
  const button = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Pause');
  const count = h('span', { class: 'muted' });
  const show = (line: HTMLElement): void => {
    list.prepend(line);
    while (list.children.length > keep) list.lastElementChild?.remove();
  };
  button.addEventListener('click', () => {
    paused = !paused;
    button.textContent = paused ? 'Resume' : 'Pause';
    button.setAttribute('aria-pressed', String(paused));
    if (!paused) held.splice(0).forEach(show);
    count.textContent = '';
  });
  return {
    section: h('section', { class: 'card', 'aria-label': label }, h('div', { class: 'row' }, h('h2', {}, label), button, count), list),
    add(line) {
      if (!paused) return show(line);
      held.push(line);
      if (held.length > keep) held.shift();
      count.textContent = `${held.length} held`;
    },
  };
}

/** A command's PIN never shows, even if an event carries the text as received. */
function describe(event: AgentEvent): string {
  const { type, at: _at, ...rest } = event;
  const shown = event.type === 'sms-received' ? { ...rest, text: event.text.replace(/^(\s*PIN\s+)\S+/i, '$1••••') } : rest;
  return `${type} ${JSON.stringify(shown)}`;
}

export const tracePage: Page = {
  id: 'trace',
  title: 'Trace & events',
  mount(root, { live }) {
    const events = pausable('Events', 'events-list');
    const trace = pausable('SMPP trace', 'trace-list');
    const traceNote = h('p', { role: 'status', class: 'status' }, 'Looking for the trace…');
    const capture = h('p', {});
    root.append(h('h1', {}, 'Trace & events'), trace.section, traceNote, capture, events.section);
    for (const event of live.recent.slice(-50)) events.add(h('li', { 'data-type': event.type }, h('time', {}, time(event.at)), ' ', describe(event)));
    const stopEvents = live.subscribe((event) => events.add(h('li', { 'data-type': event.type }, h('time', {}, time(event.at)), ' ', describe(event))));

    let source: EventSource | undefined;
    let closed = false;
    void available('/trace').then((yes) => {
      if (closed) return;
      if (!yes) {
        traceNote.textContent = 'Trace not available on this agent.';
        return;
      }
      traceNote.textContent = 'Live.';
      source = new EventSource('/trace?replay=100');
      source.onmessage = (message: MessageEvent<string>) => {
        const record = JSON.parse(message.data) as TraceRecord;
        const latency = record.latencyMs === undefined ? '' : ` ${record.latencyMs} ms`;
        // The agreed fields when present; any other record shape is shown as it came.
        const text = record.command === undefined ? JSON.stringify(record).slice(0, 300) : `${record.dir ?? ''} ${record.command} #${record.seq ?? '?'}${record.status === undefined ? '' : ` ${record.status}`}${latency}`;
        trace.add(h('li', {}, h('time', {}, time(record.at)), ` ${text}`));
      };
    });
    void available('/trace/capture').then((yes) => {
      if (!closed) capture.replaceChildren(yes ? h('a', { href: '/trace/capture', download: 'edge-sms-agent.pcap' }, 'Download the capture (pcap)') : 'Capture off (smpp.capture).');
    });
    return () => {
      closed = true;
      source?.close();
      stopEvents();
    };
  },
};
