/**
 * The agent: one process with the outbox, the SMPP link, the modem, the router between them, the
 * local API and the MQTT mirror. The constructor does nothing; `start()` brings the parts up in
 * order (the database first: nothing is accepted before it can be stored) and `stop()` takes them
 * down in reverse, bounded in time. A part that cannot start (a missing serial port, a broker that
 * refuses us) is logged and retried by itself; the others go on.
 */
import { SerialPort } from 'serialport';
import { systemClock } from '../../clock.js';
import { agentVersion } from '../../version.js';
import type { Logger } from '../../logger.js';
import { openStore, type Store, type KindPolicy } from '../../store/index.js';
import { SmppClient, sessionOptionsFromUrl } from '../../smpp/index.js';
import { AtChannel, ModemDriver, loadProfile, smsPduCodec, type GnssReading, type OperatorInfo, type SignalQuality } from '../../modem/index.js';
import { MqttMirror, type LocationSnapshot, type MirrorEvent } from '../../mqtt/index.js';
import { reportPartCapacity } from '../../report/index.js';
import { IngestApi, parseListen } from '../api.js';
import type { AgentConfig } from '../config/index.js';
import { LocationPolicy } from '../locationPolicy.js';
import { ModemSender } from '../links/modemSender.js';
import { SmppSender } from '../links/smppSender.js';
import { classifySendError } from '../router/classify.js';
import { OutboxRouterStore } from '../router/outboxRouterStore.js';
import { Router } from '../router/router.js';
import { AgentCommands } from './commands.js';
import { InboundProcessor } from './inbound.js';
import { Ingest, plainSmsKind } from './ingest.js';
import { stateSnapshot } from './snapshot.js';
import { loadSettings, saveSettings, settingsPath, type RuntimeSettings } from './settings.js';

export interface AgentOptions {
  readonly config: AgentConfig;
  readonly logger: Logger;
  /** Modem profiles directory (default: the package's firmware-config/). */
  readonly profileDir?: string;
}

const sweepIntervalMs = 60_000;
const stateIntervalMs = 1_000;
const stopGraceMs = 5_000;

export class Agent {
  private store: Store | undefined;
  private ingest: Ingest | undefined;
  private router: Router | undefined;
  private smpp: SmppClient | undefined;
  private modem: ModemDriver | undefined;
  private port: SerialPort | undefined;
  private mirror: MqttMirror | undefined;
  private api: IngestApi | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly startedAt = Date.now();
  private smppBoundSince: number | null = null;
  private smppDownSince = Date.now();
  private throttled = false;
  private modemFacts: { operator?: OperatorInfo; signal?: SignalQuality; gnss?: GnssReading } = {};
  private lastLocation: LocationSnapshot | null = null;
  private readonly location: LocationPolicy;
  private stopping = false;
  private settings: RuntimeSettings = {};
  private locationTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AgentOptions) {
    const { location } = options.config;
    this.location = new LocationPolicy({ minDistanceM: location.minDistanceM, maxIntervalMs: location.maxIntervalS * 1000 });
  }

  get config(): AgentConfig {
    return this.options.config;
  }

  /** Opens the database and the local API; links and the mirror come up in the background. */
  async start(): Promise<void> {
    const { config, logger } = this.options;
    const store = openStore({
      path: config.store.path,
      recoverSending: true,
      outbox: {
        kinds: kindPolicies(config),
        caps: { maxQueuedRows: config.store.maxQueuedRows, maxQueuedBytes: config.store.maxQueuedBytes },
        logger: logger.child({ mod: 'store' }),
        onDrop: (drops) => drops.forEach((dropped) => this.event({ type: 'report-dropped', id: String(dropped.id ?? ''), reason: dropped.reason })),
      },
    });
    this.store = store;
    // store.recovered > 0: the store has logged it (warn, with the count) under mod=store; once is enough.
    this.ingest = new Ingest(store.outbox, config, Date.now, () => this.router?.kick());
    const commands = new AgentCommands(this, this.ingest, store, logger.child({ mod: 'commands' }));
    const inbound = new InboundProcessor(store, { allow: config.commands.allow, pin: config.commands.pin }, {
      smsReceived: (from, text, via) => this.event({ type: 'sms-received', from, text, via }),
      command: (name, args, from) => commands.smsCommand(name, args, from),
      reply: (to, text) => this.ingest?.sms(to, text, 'high'),
    }, logger.child({ mod: 'inbound' }));

    if (config.api.enabled) {
      this.api = new IngestApi({
        submitReport: (input) => {
          const result = this.requireIngest().reading(input);
          return { id: result.id, dropped: result.dropped.length };
        },
        state: () => this.snapshot(),
        health: () => ({ ok: this.store !== undefined, database: this.store !== undefined, smpp: this.smpp?.state ?? 'disabled', modem: this.modem?.status.phase ?? 'disabled' }),
      });
      await this.api.listen(parseListen(config.api.listen));
    }
    if (config.mqtt.enabled) this.startMirror(commands);
    if (config.smpp.enabled) this.startSmpp(inbound);
    if (config.modem.enabled) this.startModem(inbound);
    this.startRouter();
    this.every(sweepIntervalMs, () => store.sweep());
    this.every(stateIntervalMs, () => this.mirror?.updateState(this.snapshot()));
    this.scheduleLocation(config.location.pollS * 1000);
    const saved = loadSettings(settingsPath(config.store.path), (reason) => logger.error({ reason }, 'settings.json ignored'));
    if (Object.keys(saved).length > 0) {
      logger.info({ settings: saved }, 'settings changed at run time (settings.json) override the config file');
      this.applySettings(saved, false);
    }
    logger.info({ version: agentVersion, db: config.store.path }, 'agent started');
  }

  /** Stops taking work, lets in-flight messages finish (bounded), unbinds, publishes offline, closes the database. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    await this.api?.close();
    const unacknowledged = (await this.router?.stop(stopGraceMs)) ?? 0;
    if (unacknowledged > 0) this.options.logger.warn({ unacknowledged }, 'stopping with messages unacknowledged: they are sent again at the next start');
    await this.smpp?.stop();
    await this.modem?.stop().catch(() => undefined);
    if (this.port?.isOpen === true) await new Promise<void>((resolve) => this.port?.close(() => resolve()));
    await this.mirror?.stop();
    this.store?.close();
    this.options.logger.info('agent stopped');
  }

  snapshot(): ReturnType<typeof stateSnapshot> {
    const session = this.smpp?.session;
    return stateSnapshot({
      version: agentVersion,
      startedAt: this.startedAt,
      now: Date.now(),
      smpp: { state: this.smpp?.state ?? 'closed', boundSince: this.smppBoundSince, inFlight: session?.inFlight ?? 0, window: windowOf(this.config), throttled: this.throttled },
      modem: { status: this.modem?.status, operator: this.modemFacts.operator, signal: this.modemFacts.signal, gnss: this.modemFacts.gnss },
      outbox: this.requireStore().outbox.stats(),
      lastLocation: this.lastLocation,
    });
  }

  /** A fresh GNSS fix when there is one, else the last known location (null when there never was one). */
  async locate(): Promise<LocationSnapshot | null> {
    return (await this.readFix()) ?? this.lastLocation;
  }

  /** Asks the modem for a fix; undefined without a modem or a fix (no fix is a state, not an error). */
  private async readFix(): Promise<LocationSnapshot | undefined> {
    const reading = await this.modem?.readGnss();
    if (reading === undefined) return undefined;
    this.modemFacts.gnss = reading;
    if (reading.state !== 'fix') return undefined;
    const at = reading.fix.fixTime ?? new Date().toISOString();
    this.lastLocation = { lat: reading.fix.lat, lon: reading.fix.lon, altitudeM: reading.fix.altM, accuracyM: null, at };
    return this.lastLocation;
  }

  /** Applies the set-config safe subset now and, unless restoring, keeps it in settings.json. */
  applySettings(values: RuntimeSettings, persist = true): RuntimeSettings {
    const { config, logger } = this.options;
    this.settings = { ...this.settings, ...values };
    const merged = this.settings;
    if (values['gnss.intervalSeconds'] !== undefined) this.scheduleLocation(values['gnss.intervalSeconds'] * 1000);
    if (values['location.minDistanceMeters'] !== undefined || values['location.maxIntervalSeconds'] !== undefined) {
      this.location.setOptions({
        minDistanceM: merged['location.minDistanceMeters'] ?? config.location.minDistanceM,
        maxIntervalMs: (merged['location.maxIntervalSeconds'] ?? config.location.maxIntervalS) * 1000,
      });
    }
    if (values['router.modemFallbackAfterSeconds'] !== undefined) this.router?.setFallbackAfter(values['router.modemFallbackAfterSeconds'] * 1000);
    if (values['mqtt.stateMinIntervalMs'] !== undefined) this.mirror?.setStateMinInterval(values['mqtt.stateMinIntervalMs']);
    if (values['log.level'] !== undefined) logger.level = values['log.level'];
    if (persist) saveSettings(settingsPath(config.store.path), merged);
    return values;
  }

  /** Re-initialises the modem (the driver's own recovery: re-init, then the profile's reset command). */
  async rebootModem(): Promise<void> {
    const modem = this.modem;
    if (modem === undefined) return;
    await modem.initialise();
  }

  private async pollLocation(): Promise<void> {
    try {
      // Only a fix read now counts: an old one must not be reported again as if it were new.
      const location = await this.readFix();
      if (location === undefined) return;
      const decision = this.location.consider({ lat: location.lat, lon: location.lon, at: Date.parse(location.at) || Date.now() });
      if (!decision.report) return;
      const fields: Record<string, number> = { lat: round(location.lat, 5), lon: round(location.lon, 5) };
      if (location.altitudeM !== null) fields['alt'] = Math.round(location.altitudeM);
      this.requireIngest().reading({ kind: 'location', data: fields, time: Math.floor((Date.parse(location.at) || Date.now()) / 1000) });
    } catch (error) {
      this.options.logger.debug({ err: error }, 'GNSS poll failed');
    }
  }

  private scheduleLocation(intervalMs: number): void {
    const { config } = this.options;
    if (!config.location.enabled || !config.modem.enabled || this.stopping) return;
    if (this.locationTimer !== undefined) {
      clearInterval(this.locationTimer);
      this.timers.delete(this.locationTimer);
    }
    this.locationTimer = setInterval(() => void this.pollLocation(), intervalMs);
    this.timers.add(this.locationTimer);
  }

  private startMirror(commands: AgentCommands): void {
    const { config, logger } = this.options;
    this.mirror = new MqttMirror({
      url: config.mqtt.url,
      deviceId: config.device.id,
      prefix: config.mqtt.prefix,
      groups: config.device.groups,
      ...(config.mqtt.username === undefined ? {} : { username: config.mqtt.username }),
      ...(config.mqtt.password === undefined ? {} : { password: config.mqtt.password }),
      stateMinIntervalMs: config.mqtt.stateIntervalMs,
      handlers: commands,
      log: logger.child({ mod: 'mqtt' }),
    });
    this.mirror.start();
  }

  private startSmpp(inbound: InboundProcessor): void {
    const { config, logger } = this.options;
    const client = new SmppClient({
      ...sessionOptionsFromUrl(config.smpp.url, { responseTimeoutMs: config.smpp.responseTimeoutMs, enquireLinkMs: config.smpp.enquireLinkS * 1000, ...(config.smpp.maxRate > 0 ? { maxPerSecond: config.smpp.maxRate } : {}) }),
      logger: logger.child({ mod: 'smpp' }),
      onInbound: (message, receipt) => inbound.smpp(message, receipt),
    });
    client.on('bound', () => {
      const downFor = Date.now() - this.smppDownSince;
      this.smppBoundSince = Date.now();
      this.event({ type: 'link-up', link: 'smpp' });
      this.event({ type: 'outage-ended', link: 'smpp', durationSeconds: Math.round(downFor / 1000) });
      this.router?.kick();
    });
    client.on('disconnected', (error) => {
      if (this.smppBoundSince !== null) {
        this.smppDownSince = Date.now();
        this.event({ type: 'link-down', link: 'smpp', reason: error?.message ?? 'closed' });
        this.event({ type: 'outage-began', link: 'smpp' });
      }
      this.smppBoundSince = null;
      this.router?.kick();
    });
    client.on('bindFailed', (error, retryInMs) => logger.error({ err: error, retryInMs }, 'SMSC refused the bind'));
    client.on('throttle', (info) => {
      this.throttled = info.status !== 0;
    });
    this.smpp = client;
    client.start();
  }

  private startModem(inbound: InboundProcessor): void {
    const { config, logger } = this.options;
    const log = logger.child({ mod: 'modem' });
    const profile = loadProfile(config.modem.profile, this.options.profileDir);
    const port = new SerialPort({ path: config.modem.port, baudRate: config.modem.baudRate ?? profile.baudRate, autoOpen: false });
    this.port = port;
    const driver = new ModemDriver({
      channel: new AtChannel(port, { logger: log }),
      profile,
      codec: smsPduCodec,
      ...(config.modem.pin === undefined ? {} : { pin: config.modem.pin }),
      logger: log,
      onMessage: (sms) => inbound.modemMessage(sms),
      onStatusReport: (report) => inbound.modemStatusReport(report),
    });
    this.modem = driver;
    driver.onStatus(() => this.router?.kick());
    const open = (attempt: number): void => {
      if (this.stopping) return;
      port.open((error) => {
        if (error !== null) {
          const retryInMs = Math.min(60_000, 1000 * 2 ** attempt);
          log.error({ port: config.modem.port, retryInMs }, `cannot open the modem's serial port: ${error.message}`);
          this.later(retryInMs, () => open(attempt + 1));
          return;
        }
        driver.start().then(
          async () => {
            this.modemFacts = { ...this.modemFacts, operator: await driver.readOperator().catch(() => undefined), signal: await driver.readSignal().catch(() => undefined) };
            this.router?.kick();
          },
          (startError: unknown) => log.error({ err: startError }, 'modem did not start'),
        );
      });
    };
    open(0);
    this.every(60_000, () => {
      void driver.readSignal().then((signal) => (this.modemFacts.signal = signal), () => undefined);
    });
  }

  private startRouter(): void {
    const { config, logger } = this.options;
    const store = this.requireStore();
    const receipts = Object.values(config.reports.kinds).some((kind) => kind.receipts);
    const smpp = this.smpp;
    const modem = this.modem;
    this.router = new Router({
      store: new OutboxRouterStore(store.outbox),
      senders: {
        ...(smpp === undefined ? {} : { smpp: new SmppSender(smpp, { source: config.smpp.source, split: config.smpp.split, port: config.reports.port, maxParts: config.reports.maxParts, receipts }) }),
        ...(modem === undefined ? {} : { modem: new ModemSender(modem, { port: config.reports.port, maxParts: config.reports.maxParts, statusReports: receipts }) }),
      },
      links: () => ({ smppBound: this.smpp?.session !== undefined, smppDownSince: this.smppDownSince, modemReady: this.modem?.status.phase === 'ready' }),
      kinds: (kind) => {
        const policy = config.reports.kinds[kind];
        return { maxDelayMs: (policy?.maxDelayS ?? 0) * 1000, encoding: policy?.encoding ?? 'text', modemFallback: policy?.modemFallback ?? false };
      },
      device: config.device.alias ?? config.device.id,
      destinations: { smpp: config.smpp.destination, modem: config.modem.destination ?? config.smpp.destination },
      maxParts: config.reports.maxParts,
      capacity: {
        text: reportPartCapacity('text', { split: config.smpp.split === 'udh16' ? 'udh16' : config.smpp.split === 'udh8' ? 'udh8' : 'tlv' }),
        binary: reportPartCapacity('binary', { split: config.smpp.split === 'udh16' ? 'udh16' : 'udh8', portIn: 'udh' }),
      },
      fallbackAfterMs: config.modem.fallbackAfterS * 1000,
      windows: { smpp: windowOf(config), modem: 1 },
      classify: classifySendError,
      clock: systemClock,
      logger: logger.child({ mod: 'router' }),
      // Queued readings the planner weighs per message. It re-encodes the message once per candidate, so
      // this bounds its CPU per message; 40 per allowed part is more than a part can hold (a reading is
      // at least ~5 characters of 153). With 500 the planner took ~45 % of the CPU of a drain.
      lookahead: Math.max(64, config.reports.maxParts * 40),
    });
    this.router.start();
  }

  private event(event: MirrorEvent): void {
    this.mirror?.publishEvent(event);
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(() => {
      try {
        fn();
      } catch (error) {
        this.options.logger.error({ err: error }, 'periodic task failed');
      }
    }, ms);
    this.timers.add(timer);
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private requireStore(): Store {
    if (this.store === undefined) throw new Error('agent not started');
    return this.store;
  }

  private requireIngest(): Ingest {
    if (this.ingest === undefined) throw new Error('agent not started');
    return this.ingest;
  }
}

function windowOf(config: AgentConfig): number {
  return sessionOptionsFromUrl(config.smpp.url).window ?? 10;
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

/** The store's per-kind policy from the config's report kinds (plain SMS may always use the modem). */
function kindPolicies(config: AgentConfig): Record<string, Partial<KindPolicy>> {
  const policies: Record<string, Partial<KindPolicy>> = { [plainSmsKind]: { ttlMs: 86_400_000, maxAttempts: 20, modemFallback: true } };
  for (const [kind, policy] of Object.entries(config.reports.kinds)) {
    policies[kind] = { ttlMs: policy.ttlS * 1000, maxAttempts: policy.maxAttempts, receiptRequired: policy.receipts, modemFallback: policy.modemFallback, coalesceKeepNewest: policy.coalesce };
  }
  return policies;
}
