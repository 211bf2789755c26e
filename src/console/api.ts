/**
 * The console's view of the agent: JSON requests to the local API, fleet commands through
 * `POST /cmd/<name>` (the MQTT commands, same validation and replies), the agent's events over
 * Server-Sent Events and its state, polled and refreshed when an event says something moved.
 */
// The wire contract's types only (erased by the bundler): the state and event shapes the MQTT part defines.
import type { AgentStateSnapshot } from '../mqtt/state.js';
import type { MirrorEvent } from '../mqtt/events.js';

export type AgentState = AgentStateSnapshot & { readonly smpp: AgentStateSnapshot['smpp'] & { readonly rate?: number; readonly maxRate?: number } };
export type AgentEvent = MirrorEvent & { readonly at: string };

/** The events about outbox reports: the ones the outbox and send pages describe. */
export type ReportEvent = Extract<AgentEvent, { readonly type: `report-${string}` }>;

export function isReportEvent(event: AgentEvent): event is ReportEvent {
  return event.type.startsWith('report-');
}

/** The outbox ids an event is about (most carry `ids`, one message's worth; report-unsendable carries one `id`). */
export function idsOf(event: AgentEvent): readonly string[] {
  if ('ids' in event) return event.ids;
  if (event.type === 'report-unsendable') return [event.id];
  return [];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Called on 401: the page asks for the LAN token. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

interface ErrorBody {
  readonly error?: { readonly code?: string; readonly message?: string; readonly field?: string };
}

async function parse<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & ErrorBody & { status?: string };
  if (response.status === 401) onUnauthorized();
  if (!response.ok || body.status === 'error') {
    throw new ApiError(response.status, body.error?.code ?? 'http', body.error?.message ?? `HTTP ${response.status}`, body.error?.field);
  }
  return body;
}

export async function getJson<T>(path: string): Promise<T> {
  return parse<T>(await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } }));
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return parse<T>(await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
}

/** Runs a fleet command; resolves with its `data`, rejects with ApiError(code, message, field). */
export async function command<T>(name: string, payload: Record<string, unknown>): Promise<T> {
  return (await postJson<{ status: 'ok'; data: T }>(`/cmd/${name}`, payload)).data;
}

/**
 * Whether a path answers (the trace may be absent on an agent without it). A GET whose body is
 * dropped as soon as the status is known: a HEAD on an event stream would hold the stream open on
 * the agent, and the capture need not be downloaded to know it is there.
 */
export async function available(path: string): Promise<boolean> {
  const controller = new AbortController();
  const response = await fetch(path, { credentials: 'same-origin', signal: controller.signal }).catch(() => undefined);
  controller.abort();
  return response !== undefined && response.ok && !response.redirected;
}

type Listener<T> = (item: T) => void;

/** One EventSource for the app, shared by every page; keeps the last events for pages opened later. */
export class LiveEvents {
  readonly recent: AgentEvent[] = [];
  private readonly listeners = new Set<Listener<AgentEvent>>();
  private readonly statusListeners = new Set<Listener<boolean>>();
  private source: EventSource | undefined;
  connected = false;

  start(): void {
    this.source?.close();
    const source = new EventSource('/events?replay=200');
    this.source = source;
    source.onopen = () => this.setConnected(true);
    source.onerror = () => this.setConnected(false);
    source.onmessage = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as AgentEvent;
      this.recent.push(event);
      if (this.recent.length > 500) this.recent.shift();
      for (const listener of this.listeners) listener(event);
    };
  }

  subscribe(listener: Listener<AgentEvent>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: Listener<boolean>): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setConnected(connected: boolean): void {
    this.connected = connected;
    for (const listener of this.statusListeners) listener(connected);
  }
}

export interface SignalSample {
  readonly at: number;
  readonly dbm: number;
}

/** `GET /state` every few seconds and soon after any event; keeps a short signal history and the fixes seen. */
export class StatePoller {
  latest: AgentState | undefined;
  readonly signal: SignalSample[] = [];
  readonly fixes: NonNullable<AgentState['lastLocation']>[] = [];
  private readonly listeners = new Set<Listener<AgentState>>();
  private timer: number | undefined;
  private soon: number | undefined;

  constructor(private readonly everyMs = 3000) {}

  start(live: LiveEvents): void {
    void this.refresh();
    this.timer = window.setInterval(() => void this.refresh(), this.everyMs);
    live.subscribe(() => {
      // Events come in bursts during a drain: one refresh per burst is enough.
      if (this.soon === undefined) this.soon = window.setTimeout(() => ((this.soon = undefined), void this.refresh()), 300);
    });
  }

  subscribe(listener: Listener<AgentState>): () => void {
    this.listeners.add(listener);
    if (this.latest !== undefined) listener(this.latest);
    return () => this.listeners.delete(listener);
  }

  addFix(fix: NonNullable<AgentState['lastLocation']>): void {
    if (this.fixes.some((known) => known.at === fix.at)) return;
    this.fixes.push(fix);
    if (this.fixes.length > 200) this.fixes.shift();
  }

  async refresh(): Promise<void> {
    const state = await getJson<AgentState>('/state').catch(() => undefined);
    if (state === undefined) return;
    this.latest = state;
    if (state.modem.signalDbm !== null) {
      this.signal.push({ at: Date.now(), dbm: state.modem.signalDbm });
      if (this.signal.length > 60) this.signal.shift();
    }
    if (state.lastLocation !== null) this.addFix(state.lastLocation);
    for (const listener of this.listeners) listener(state);
  }
}

export interface Context {
  readonly live: LiveEvents;
  readonly state: StatePoller;
  readonly config: { readonly version: string; readonly lan: boolean; readonly tilesUrl: string | null };
}

/** A page: builds itself into `root`, returns what stops it. */
export interface Page {
  readonly id: string;
  readonly title: string;
  mount(root: HTMLElement, context: Context): () => void;
}
