/**
 * The console's shell: the header, the navigation (one link per page, `#/<page>` in the URL so a
 * page can be bookmarked and the back button works), the shared live streams, and the LAN login
 * when the agent asks for its token.
 */
import { type ApiError, LiveEvents, StatePoller, getJson, postJson, whenUnauthorized, type Context, type Page } from './api.js';
import { field, h } from './dom.js';
import { locationPage } from './pages/location.js';
import { outboxPage } from './pages/outbox.js';
import { overviewPage } from './pages/overview.js';
import { sendPage } from './pages/send.js';
import { settingsPage } from './pages/settings.js';
import { tracePage } from './pages/trace.js';

const pages: readonly Page[] = [overviewPage, outboxPage, sendPage, locationPage, tracePage, settingsPage];

function showLogin(main: HTMLElement): void {
  if (main.querySelector('#login') !== null) return;
  const token = h('input', { id: 'login-token', name: 'token', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { role: 'alert', class: 'bad' });
  const form = h('form', { id: 'login', class: 'card' }, h('h1', {}, 'Log in'), h('p', {}, 'This console is on the LAN: give the token (edge-sms-agent status shows it to the local admin).'), field('Token', token), error, h('button', { type: 'submit', class: 'primary' }, 'Log in'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void postJson('/console/login', { token: token.value }).then(
      () => location.reload(),
      (failure: ApiError) => (error.textContent = failure.message),
    );
  });
  main.replaceChildren(form);
  token.focus();
}

async function main(): Promise<void> {
  const nav = document.getElementById('nav');
  const root = document.getElementById('main');
  if (nav === null || root === null) return;
  let unauthorized = false;
  whenUnauthorized(() => {
    unauthorized = true;
    showLogin(root);
  });
  const config = await getJson<Context['config']>('/console/config.json').catch(() => ({ version: '?', lan: false, tilesUrl: null }));
  if (unauthorized) return;
  const context: Context = { live: new LiveEvents(), state: new StatePoller(), config };
  context.live.start();
  context.state.start(context.live);

  const links = pages.map((page) => h('a', { href: `#/${page.id}`, 'data-page': page.id }, page.title));
  nav.replaceChildren(h('ul', {}, ...links.map((link) => h('li', {}, link))));
  let stop: () => void = () => undefined;
  const route = (): void => {
    if (unauthorized) return;
    const id = location.hash.replace(/^#\//, '') || 'overview';
    const page = pages.find((candidate) => candidate.id === id) ?? overviewPage;
    stop();
    root.replaceChildren();
    for (const link of links) link.toggleAttribute('aria-current', link.dataset['page'] === page.id);
    for (const link of links) if (link.dataset['page'] === page.id) link.setAttribute('aria-current', 'page');
    document.title = `${page.title} · edge-sms-agent`;
    stop = page.mount(root, context);
    root.focus({ preventScroll: true });
  };
  window.addEventListener('hashchange', route);
  route();
}

void main();
