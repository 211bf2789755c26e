/** Overview: the SMPP link, the modem (with a signal history kept in the page), the outbox, the store, version and uptime; live. */
import { type AgentEvent, type AgentState, type Page, type SignalSample } from '../api.js';
import { ago, duration, fill, h, svg, time } from '../dom.js';

interface Health {
  readonly ok: boolean;
  readonly database?: boolean;
}

/** A labelled value; `data-field` names the /state path it shows (the browser test compares them). */
function fact(label: string, value: string | number, path?: string, tone?: 'good' | 'bad' | 'warn'): HTMLElement {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', { 'data-field': path, class: tone }, String(value)));
}

function sparkline(samples: readonly SignalSample[]): SVGSVGElement {
  const width = 160;
  const height = 40;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': `signal over the last ${samples.length} readings` });
  if (samples.length < 2) return chart;
  // -113 dBm (CSQ 0) to -51 dBm (CSQ 31): the range a modem reports.
  const y = (dbm: number): number => height - ((Math.min(-51, Math.max(-113, dbm)) + 113) / 62) * height;
  const x = (index: number): number => (index / (samples.length - 1)) * width;
  chart.append(svg('polyline', { points: samples.map((sample, index) => `${x(index).toFixed(1)},${y(sample.dbm).toFixed(1)}`).join(' '), class: 'spark' }));
  return chart;
}

function linkTone(state: string): 'good' | 'bad' | 'warn' {
  return state === 'bound' ? 'good' : state === 'closed' ? 'bad' : 'warn';
}

export const overviewPage: Page = {
  id: 'overview',
  title: 'Overview',
  mount(root, { live, state }) {
    const smpp = h('dl', { class: 'facts' });
    const modem = h('dl', { class: 'facts' });
    const outbox = h('div', {});
    const agent = h('dl', { class: 'facts' });
    let lastSmppError: AgentEvent | undefined = [...live.recent].reverse().find((event) => event.type === 'link-down' && event.link === 'smpp');
    let health: Health | undefined;
    root.append(
      h('h1', {}, 'Overview'),
      h('div', { class: 'cards' },
        h('section', { class: 'card', 'aria-labelledby': 'ov-smpp' }, h('h2', { id: 'ov-smpp' }, 'SMPP link'), smpp),
        h('section', { class: 'card', 'aria-labelledby': 'ov-modem' }, h('h2', { id: 'ov-modem' }, 'Modem'), modem),
        h('section', { class: 'card', 'aria-labelledby': 'ov-outbox' }, h('h2', { id: 'ov-outbox' }, 'Outbox'), outbox),
        h('section', { class: 'card', 'aria-labelledby': 'ov-agent' }, h('h2', { id: 'ov-agent' }, 'Agent'), agent),
      ),
    );

    const render = (s: AgentState): void => {
      const link = s.smpp;
      fill(smpp,
        fact('State', link.state, 'smpp.state', linkTone(link.state)),
        fact('Since', link.boundSince === null ? '—' : `${time(link.boundSince)} (${ago(link.boundSince)})`, 'smpp.boundSince'),
        fact('Last error', lastSmppError?.type === 'link-down' ? `${lastSmppError.reason} (${ago(lastSmppError.at)})` : 'none'),
        fact('Rate', link.rate === undefined ? '—' : `${link.rate}/s${link.maxRate === undefined ? '' : ` of ${link.maxRate}/s`}`),
        fact('Window', `${link.windowInUse} / ${link.windowSize}${link.throttled ? ' (throttled)' : ''}`, 'smpp.window'),
      );
      const m = s.modem;
      fill(modem,
        fact('SIM', m.sim, 'modem.sim', m.sim === 'ready' ? 'good' : 'bad'),
        fact('Registration', m.registration, 'modem.registration', m.registration === 'home' || m.registration === 'roaming' ? 'good' : 'warn'),
        fact('Operator', m.operator ?? '—', 'modem.operator'),
        fact('Signal', m.signalDbm === null ? '—' : `${m.signalDbm} dBm`, 'modem.signalDbm'),
        h('div', { class: 'fact wide' }, h('dt', {}, 'Signal history'), h('dd', {}, sparkline(state.signal))),
        fact('GNSS fix', m.gnssFix, 'modem.gnssFix'),
      );
      const o = s.outbox;
      fill(outbox,
        h('div', { class: 'scroll' }, h('table', {},
          h('caption', {}, 'Reports by state'),
          h('thead', {}, h('tr', {}, ...Object.keys(o.byState).map((name) => h('th', { scope: 'col' }, name)))),
          h('tbody', {}, h('tr', {}, ...Object.entries(o.byState).map(([name, count]) => h('td', { 'data-field': `outbox.byState.${name}` }, count)))),
        )),
        h('table', {},
          h('caption', {}, 'Waiting by priority'),
          h('thead', {}, h('tr', {}, ...Object.keys(o.queuedByPriority).map((name) => h('th', { scope: 'col' }, name)))),
          h('tbody', {}, h('tr', {}, ...Object.entries(o.queuedByPriority).map(([name, count]) => h('td', { 'data-field': `outbox.queuedByPriority.${name}` }, count)))),
        ),
        h('dl', { class: 'facts' },
          fact('Oldest waiting', duration(o.oldestQueuedAgeSeconds), 'outbox.oldestQueuedAgeSeconds'),
          fact('Dropped', o.drops, 'outbox.drops', o.drops > 0 ? 'warn' : undefined),
        ),
      );
      fill(agent,
        fact('Version', s.version, 'version'),
        fact('Uptime', duration(s.uptimeSeconds), 'uptimeSeconds'),
        fact('Store', health === undefined ? '…' : health.database === false ? 'failing' : 'ok', 'health.database', health?.database === false ? 'bad' : 'good'),
        fact('Live updates', live.connected ? 'connected' : 'reconnecting…', undefined, live.connected ? 'good' : 'warn'),
      );
    };

    const checkHealth = async (): Promise<void> => {
      // /healthz answers 503 with the same body when something is wrong; both are an answer.
      const response = await fetch('/healthz', { credentials: 'same-origin' }).catch(() => undefined);
      health = response === undefined ? { ok: false, database: false } : ((await response.json().catch(() => ({ ok: false }))) as Health);
      if (state.latest !== undefined) render(state.latest);
    };
    void checkHealth();
    const healthTimer = window.setInterval(() => void checkHealth(), 10_000);
    const stopState = state.subscribe(render);
    const stopEvents = live.subscribe((event) => {
      if (event.type === 'link-down' && event.link === 'smpp') lastSmppError = event;
    });
    const stopStatus = live.onStatus(() => state.latest !== undefined && render(state.latest));
    return () => {
      window.clearInterval(healthTimer);
      stopState();
      stopEvents();
      stopStatus();
    };
  },
};
