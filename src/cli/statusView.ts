/**
 * `status` as a person reads it: each link with why it is where it is (the last error, since when,
 * the next retry), the modem's real state or "disabled", the outbox with the oldest waiting report's
 * age, store health, SMS command lockouts, and which config keys came from the environment.
 *
 * It reads the JSON of `GET /state` and `GET /healthz` as plain data and renders what is there:
 * fields other parts add later (health reasons, lockouts) show up when present, and a field that
 * is missing never breaks the view.
 */
type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** "09:12:03 (4 min ago)" for a time today, the date too otherwise. */
export function when(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const date = new Date(at);
  const clock = date.toISOString().slice(11, 19);
  const day = new Date(now).toISOString().slice(0, 10) === date.toISOString().slice(0, 10) ? clock : `${date.toISOString().slice(0, 10)} ${clock}`;
  return `${day} UTC (${ago(now - at)})`;
}

function ago(ms: number): string {
  if (ms < 0) return `in ${duration(-ms)}`;
  return `${duration(ms)} ago`;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/** One link: `smpp: closed since … / last error … / next retry in …`. */
export function describeLink(name: string, link: Json | undefined, detail: string, now: number): string[] {
  if (link === undefined) return [`${name}: ${detail}`];
  const state = text(link['state']) ?? 'unknown';
  if (state === 'disabled') return [`${name}: disabled (${name}.enabled: false)`];
  const since = text(link['since']);
  const lines = [`${name}: ${state}${since === undefined ? '' : ` since ${when(since, now)}`}${detail === '' ? '' : `, ${detail}`}`];
  const error = object(link['lastError']);
  const up = state === 'bound' || state === 'ready' || state === 'connected';
  if (error !== undefined) {
    const code = text(error['code']);
    const at = text(error['at']);
    const reason = text(error['reason']);
    lines.push(`    ${up ? 'previous error' : 'last error'}: ${code === undefined ? '' : `${code}: `}${text(error['message']) ?? '?'}${reason === undefined ? '' : ` [${reason}]`}${at === undefined ? '' : ` (${when(at, now)})`}`);
  }
  const retry = text(link['nextRetryAt']);
  if (retry !== undefined && !up) {
    const inMs = Date.parse(retry) - now;
    lines.push(`    next retry ${inMs > 0 ? `in ${Math.max(1, Math.round(inMs / 1000))} s` : 'now'} (${retry.slice(11, 19)} UTC)`);
  }
  return lines;
}

function smppDetail(smpp: Json | undefined): string {
  if (smpp === undefined) return '';
  if (smpp['state'] !== 'bound') return '';
  const throttled = smpp['throttled'] === true ? ', throttled by the SMSC' : '';
  return `window ${num(smpp['windowInUse']) ?? '?'}/${num(smpp['windowSize']) ?? '?'}${throttled}`;
}

function modemDetail(modem: Json | undefined): string {
  if (modem === undefined) return '';
  const operator = text(modem['operator']);
  const signal = num(modem['signalDbm']);
  return [`SIM ${text(modem['sim']) ?? '?'}`, `network ${text(modem['registration']) ?? '?'}${operator === undefined ? '' : ` on ${operator}`}`, ...(signal === undefined ? [] : [`${signal} dBm`]), `GNSS ${text(modem['gnssFix']) ?? '?'}`].join(', ');
}

export function describeOutbox(value: unknown): string[] {
  const outbox = object(value);
  if (outbox === undefined) return ['outbox: unknown'];
  const byState = object(outbox['byState']) ?? {};
  const counts = Object.entries(byState).map(([state, count]) => `${state} ${num(count) ?? '?'}`).join(', ');
  const waiting = Object.entries(object(outbox['queuedByPriority']) ?? {}).filter(([, count]) => (num(count) ?? 0) > 0).map(([priority, count]) => `${priority} ${num(count) ?? '?'}`).join(', ');
  const oldest = num(outbox['oldestQueuedAgeSeconds']);
  const lines = [`outbox: ${counts}; dropped ${num(outbox['drops']) ?? 0}`];
  if (waiting !== '') lines.push(`    waiting: ${waiting}${oldest === undefined ? '' : `; the oldest for ${duration(oldest * 1000)}`}`);
  return lines;
}

/** The inbox's figures (`figures.inbox` in the state): what it holds, waits for, and what its caps removed or gave up. */
export function describeInbox(value: unknown): string[] {
  const inbox = object(value);
  if (inbox === undefined) return [];
  const waiting = num(inbox['partialMessages']) ?? 0;
  return [`inbox: ${num(inbox['rows']) ?? '?'} entries, ${num(inbox['bytes']) ?? '?'} bytes${waiting > 0 ? `; ${waiting} concatenated SMS waiting for parts` : ''}; ` +
    `removed by the caps ${num(inbox['dropped']) ?? 0}, kept incomplete ${num(inbox['incomplete']) ?? 0}`];
}

/** Health as the agent reports it: ok, and whatever reasons or checks it lists. */
export function describeHealth(health: Json | undefined): string[] {
  if (health === undefined) return [];
  const ok = health['ok'] === true;
  const lines = [`health: ${ok ? 'ok' : 'NOT OK'}`];
  const reasons = health['reasons'];
  if (Array.isArray(reasons)) {
    for (const reason of reasons) {
      const entry = object(reason);
      lines.push(`    ${entry === undefined ? String(text(reason) ?? JSON.stringify(reason)) : [text(entry['check']) ?? text(entry['code']), text(entry['message']) ?? text(entry['reason'])].filter((part) => part !== undefined).join(': ')}`);
    }
  }
  const store = object(health['store']) ?? (typeof health['database'] === 'boolean' ? { ok: health['database'] } : undefined);
  if (store !== undefined) lines.push(`    store: ${store['ok'] === false ? `NOT OK${text(store['reason']) === undefined ? '' : ` (${text(store['reason']) ?? ''})`}` : 'ok'}`);
  return lines;
}

/** SMS command lockouts, wherever the state carries them (`lockouts`, or `commands.lockouts`). */
export function describeLockouts(state: Json): string[] {
  const list = state['lockouts'] ?? object(state['commands'])?.['lockouts'];
  if (!Array.isArray(list) || list.length === 0) return [];
  return [`SMS command lockouts: ${list.length}`, ...list.slice(0, 10).map((item) => {
    const entry = object(item) ?? {};
    const until = text(entry['until']);
    return `    ${text(entry['sender']) ?? text(entry['from']) ?? '?'}${until === undefined ? '' : ` until ${until}`}`;
  })];
}

/** The whole view of a running agent. */
export function describeRunning(stateValue: unknown, healthValue: unknown, now: number): string {
  const state = object(stateValue) ?? {};
  const links = object(state['links']) ?? {};
  const smpp = object(state['smpp']);
  const lines = [`agent: running ${text(state['version']) ?? '?'}, up ${duration((num(state['uptimeSeconds']) ?? 0) * 1000)}`];
  lines.push(...describeLink('smpp', object(links['smpp']), smppDetail(smpp) || (object(links['smpp']) === undefined ? text(smpp?.['state']) ?? '?' : ''), now));
  const modemLink = object(links['modem']);
  lines.push(...describeLink('modem', modemLink, modemLink?.['state'] === 'ready' || modemLink === undefined ? modemDetail(object(state['modem'])) : '', now));
  const mqtt = object(links['mqtt']);
  if (mqtt !== undefined) lines.push(...describeLink('mqtt', mqtt, '', now));
  lines.push(...describeOutbox(object(state['outbox'])));
  lines.push(...describeInbox(object(state['figures'])?.['inbox']));
  lines.push(...describeHealth(object(healthValue)));
  lines.push(...describeLockouts(state));
  const location = object(state['lastLocation']);
  if (location !== undefined) lines.push(`location: ${num(location['lat'])?.toFixed(5) ?? '?'},${num(location['lon'])?.toFixed(5) ?? '?'} at ${text(location['at']) ?? '?'}`);
  const fromEnv = state['configFromEnvironment'];
  if (Array.isArray(fromEnv) && fromEnv.length > 0) lines.push(`config from the environment (EDGE_SMS_*): ${fromEnv.map((key) => text(key) ?? '?').join(', ')}`);
  return `${lines.join('\n')}\n`;
}
