/**
 * The agent: one process with the outbox, the SMPP link, the modem, the router between them, the
 * local API and the MQTT mirror. The constructor does nothing; `start()` brings the parts up in
 * order (the database first: nothing is accepted before it can be stored) and `stop()` takes them
 * down in reverse, bounded in time. A part that cannot start (a missing serial port, a broker that
 * refuses us) is logged and retried by itself; the others go on.
 */
import { agentVersion } from '../../version.js';
import type { Logger } from '../../logger.js';
import { openStore, type OutboxNotice, type Store } from '../../store/index.js';
import { MqttMirror, type LocationSnapshot, type MirrorEvent } from '../../mqtt/index.js';
import { EventHub, IngestApi, parseListen } from '../api/index.js';
import { checkUrls, keysFromEnvironment, type AgentConfig } from '../config/index.js';
import type { Router } from '../router/router.js';
import { WebConsole } from '../console/webConsole.js';
import type { CommandAuthority } from '../commandAuthority.js';
import { AgentCommands } from './commands.js';
import { createCommandAuthority, lockoutEvent } from './commandSetup.js';
import { Observability } from './observability.js';
import { InboxEvents } from './inboxEvents.js';
import { InboundProcessor } from './inbound.js';
import { Ingest } from './ingest.js';
import { LocationReports } from './locationReports.js';
import { ModemLink } from './modemLink.js';
import { EarlyReceipts, earlyReceiptLimits } from './earlyReceipts.js';
import { ExternalWrites, externalWritePollMs } from './externalWrites.js';
import { dropEvents, reportEvent } from './reportEvents.js';
import { createRouter, storeOptions } from './routerSetup.js';
import { SmppLink, smppWindowOf } from './smppLink.js';
import { stateSnapshot } from './snapshot.js';
import { disabledLink, mirrorLinkStatus, type LinkStatus, type LinkStatusSet } from './linkStatus.js';
import { OperatorLog } from './operatorLog.js';
import { mirrorTls, withSecurityFacts } from './securityFacts.js';
import { apiListenFailed, storeOpenFailed } from './startErrors.js';
import { damageCondition } from './damagedStore.js';
import { openAgentStore, type OpenedStore } from './storeSetup.js';
import { lossCondition, markIntervalMs } from './lossWatch.js';
import { isDamageNews } from './liveStore.js';
import { createHealth, explainStoreError, healthyReport, type AgentHealth, type HealthReport, type WatchdogHooks } from '../health/index.js';
import { loadSettings, saveSettings, settingsPath, type RuntimeSettings } from './settings.js';

/** The state the mirror publishes and `/state` answers, with each link's status and the keys set by the environment. */
type AgentSnapshot = ReturnType<typeof stateSnapshot> & { readonly links: LinkStatusSet; readonly configFromEnvironment: readonly string[] };

export interface AgentOptions {
  readonly config: AgentConfig;
  readonly logger: Logger;
  /** Modem profiles directory (default: the package's firmware-config/). */
  readonly profileDir?: string;
  /** systemd's watchdog, petted by the health loop (absent outside systemd). */
  readonly watchdog?: WatchdogHooks | undefined;
}

const stateIntervalMs = 1_000;
const stopGraceMs = 5_000;

export class Agent {
  private store: Store | undefined;
  private opened: OpenedStore | undefined;
  private ingest: Ingest | undefined;
  private router: Router | undefined;
  private smpp: SmppLink | undefined;
  private modem: ModemLink | undefined;
  private mirror: MqttMirror | undefined;
  private api: IngestApi | undefined;
  private console: WebConsole | undefined;
  private observability: Observability | undefined;
  private inboxEvents: InboxEvents | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly startedAt = Date.now();
  private location: LocationReports | undefined;
  private health: AgentHealth | undefined;
  private stopping = false;
  private settings: RuntimeSettings = {};
  private narrator: OperatorLog | undefined;
  private mqttStatus: LinkStatus | undefined;
  /** Config keys set by EDGE_SMS_* variables (the unit's Environment=), shown by `status`. */
  private readonly fromEnvironment = keysFromEnvironment(process.env);
  private authority: CommandAuthority | undefined;
  /** Every event the agent publishes, for the local API's live stream (`GET /events`); the mirror gets them too. */
  readonly events = new EventHub<MirrorEvent>();

  constructor(private readonly options: AgentOptions) {}

  get config(): AgentConfig {
    return this.options.config;
  }

  /** Opens the database and the local API; links and the mirror come up in the background. */
  async start(): Promise<void> {
    const { config, logger } = this.options;
    // Before anything opens: a URL a link would refuse later must stop the start, not half of it.
    checkUrls(config);
    const startedAt = Date.now();
    // The integrity check, the live store that survives damage found later, and the WAL-loss mark (storeSetup.ts).
    const opened = this.openStoreOrExplain(() => openAgentStore(config.store.path, () => openStore({
      ...storeOptions(config, logger.child({ mod: 'store' }), {
        onDrop: (drops) => dropEvents(drops).forEach((event) => this.event(event)),
        // Without a mirror or a local API nobody hears them: the outbox then does not even build the notices.
        ...(config.mqtt.enabled || config.api.enabled ? { onNotice: (notice: OutboxNotice) => this.event(reportEvent(notice, Date.now())) } : {}),
      }, (notice) => this.inboxEvents?.notice(notice)),
      // With the journal the mark needs writing only when the journal starts again (lossWatch.ts).
      beforeJournalRestart: () => this.opened?.watch.update(),
      // A group commit that failed on its timer has no caller: damage found there starts the swap too.
      onBackgroundError: (error) => this.opened?.live.noteError(error),
    }), logger.child({ mod: 'store' }), (replaced) => {
      this.health?.store.replaced();
      this.event({ type: 'store-damaged', when: 'running', reason: replaced.reason, movedTo: replaced.movedTo, salvaged: replaced.salvaged, lost: replaced.lost, count: replaced.count });
      this.router?.kick();
    }));
    const { damage, loss } = opened;
    this.opened = opened;
    const store = opened.live.store;
    this.store = store;
    this.inboxEvents = new InboxEvents((event) => this.event(event), () => store.inbox.stats().dropped);
    this.narrator = new OperatorLog(logger.child({ mod: 'agent' }), { queued: () => store.outbox.stats().byState.queued.rows });
    // store.recovered > 0: the store has logged it (warn, with the count) under mod=store; once is enough.
    this.ingest = new Ingest(store.outbox, config, Date.now, () => this.router?.kick());
    const commands = new AgentCommands(this, this.ingest, store, logger.child({ mod: 'commands' }));
    const earlyReceipts = new EarlyReceipts({
      ...earlyReceiptLimits,
      now: Date.now,
      apply: (receipt) => store.outbox.receipt('smpp', receipt.ref, receipt.outcome, receipt.outcome === 'failed' ? { errorClass: 'permanent', reason: 'delivery receipt: undeliverable' } : undefined).settled,
      logger: logger.child({ mod: 'receipts' }),
    });
    this.authority = createCommandAuthority(config, logger.child({ mod: 'commands' }));
    const inbound = new InboundProcessor(store, this.authority, {
      smsReceived: (from, text, via) => this.event({ type: 'sms-received', from, text, via }),
      lockout: (lockout) => this.event(lockoutEvent(lockout)),
      earlyReceipt: (receipt) => earlyReceipts.hold(receipt),
      undecodable: (from, reason, raw, inboxId, via) => this.event({ type: 'sms-undecodable', from, via, reason, hex: raw.subarray(0, 256).toString('hex'), inboxId: String(inboxId) }),
      command: (name, args, from) => commands.smsCommand(name, args, from),
      reply: (to, text) => {
        // A refused reply is counted with the drops (report-dropped); the log says which one it was.
        try {
          if (this.ingest?.sms(to, text, 'high').id === null) logger.warn({ to }, 'outbox full: the reply SMS was not queued');
        } catch (error) {
          // The door refused it (a sender that is no phone number, a reply too long): said once, never thrown at the SMSC.
          logger.warn({ to, err: error }, 'the reply SMS was refused at the door and not queued');
        }
      },
    }, logger.child({ mod: 'inbound' }));

    this.observability = new Observability(config, { version: agentVersion, outbox: () => store.outbox.stats(), inboxCount: () => store.inbox.count(), inboxStats: () => store.inbox.stats(), snapshot: () => this.snapshot() });
    if (config.api.enabled) {
      this.api = new IngestApi({
        submitReport: (input) => {
          const result = this.storeWrite(() => this.requireIngest().reading(input));
          return {
            id: result.id,
            ...(result.ids.length > 1 ? { ids: result.ids } : {}),
            ...(result.refusedTo.length > 0 ? { refused: result.refusedTo } : {}),
            dropped: result.dropped.length,
          };
        },
        state: () => this.snapshot(),
        health: () => ({ ...this.healthReport(), database: this.store !== undefined, smpp: this.smpp?.client.state ?? 'disabled', modem: this.modem?.driver.status.phase ?? 'disabled' }),
        events: this.events,
      });
      this.console = new WebConsole(config, { handlers: commands, store: () => this.requireStore() }, logger.child({ mod: 'console' }));
      this.api.addRoutes(this.console.routes());
      this.api.addRoutes(this.observability.routes());
      const bound = await this.api.listen(parseListen(config.api.listen)).catch((error: unknown) => {
        throw apiListenFailed(error, config.api.listen);
      });
      await this.console.open(this.api, bound);
    }
    if (config.mqtt.enabled) this.startMirror(commands);
    if (damage !== undefined) this.event({ type: 'store-damaged', when: 'start', reason: damage.reason, movedTo: damage.movedTo, salvaged: damage.salvaged, lost: damage.lost, count: 0 });
    if (loss !== undefined) this.event({ type: 'store-lost-reports', lost: loss.lost, mark: loss.mark, found: loss.found });
    if (config.smpp.enabled) this.startSmpp(inbound);
    if (config.modem.enabled) this.startModem(inbound);
    this.router = createRouter(config, store, {
      ...(this.smpp === undefined ? {} : { smpp: this.smpp.client }),
      ...(this.modem === undefined ? {} : { modem: this.modem.driver }),
      states: () => ({ smppBound: this.smpp?.session !== undefined, smppDownSince: this.smpp?.downSince ?? this.startedAt, modemReady: this.modem?.driver.status.phase === 'ready' }),
      smppWindow: smppWindowOf(config),
    }, logger.child({ mod: 'router' }), {
      onUnsendable: (entry, reason) => this.event({ type: 'report-unsendable', id: String(entry.id), kind: entry.kind, reason, count: this.router?.unsendable ?? 0 }),
      onSubmitted: (refs) => earlyReceipts.release(refs),
    });
    this.router.start();
    this.health = createHealth(config, {
      smppBound: () => this.smpp?.session !== undefined,
      modemPhase: () => this.modem?.driver.status.phase,
      outbox: () => store.outbox.stats(),
      extra: (now) => [...damageCondition(damage, startedAt, now), ...opened.live.conditions(now), ...lossCondition(loss, startedAt, now)],
    }, logger.child({ mod: 'health' }), this.options.watchdog);
    this.health.monitor.start();
    this.every(config.store.sweepS * 1000, () => store.sweep());
    // With the intake journal, readings lost with the WAL come back from the journal; the mark is written when it restarts.
    if (!store.journaled) this.every(markIntervalMs, () => opened.watch.update());
    const externalWrites = new ExternalWrites(store.db);
    this.every(externalWritePollMs, () => {
      if (externalWrites.changed()) this.router?.kick();
    });
    this.every(stateIntervalMs, () => this.mirror?.updateState(this.snapshot()));
    this.location = new LocationReports(config, this.modem, (input) => this.requireIngest().reading(input), logger.child({ mod: 'location' }));
    this.location.schedule(config.location.pollS * 1000);
    const saved = loadSettings(settingsPath(config.store.path), (reason) => logger.error({ reason }, 'settings.json ignored'),
      (changes) => logger.warn({ changes }, 'settings.json migrated to the YAML key names'));
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
    this.health?.monitor.stop();
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    this.inboxEvents?.stop();
    this.narrator?.stop();
    this.location?.stop();
    await this.console?.stop();
    await this.api?.close();
    const unacknowledged = (await this.router?.stop(stopGraceMs)) ?? 0;
    if (unacknowledged > 0) this.options.logger.warn({ unacknowledged }, 'stopping with messages unacknowledged: they are sent again at the next start');
    await this.smpp?.stop();
    this.observability?.stop();
    await this.modem?.stop();
    await this.mirror?.stop();
    this.closeStore();
    this.options.logger.info('agent stopped');
  }

  snapshot(): AgentSnapshot {
    const smpp = this.smpp;
    const facts = this.modem?.facts ?? {};
    const { status, problems } = this.healthReport();
    return { ...this.partsSnapshot(smpp, facts), health: { status, problems } };
  }

  /** What the health loop last found (ok until its first tick). */
  healthReport(): HealthReport {
    return this.health?.monitor.report ?? healthyReport;
  }

  private partsSnapshot(smpp: SmppLink | undefined, facts: ModemLink['facts']): AgentSnapshot {
    const links = { smpp: this.smpp?.status.snapshot() ?? disabledLink(this.startedAt), modem: this.modem?.status.snapshot() ?? disabledLink(this.startedAt), mqtt: this.mqttStatus?.snapshot() ?? disabledLink(this.startedAt) };
    const snapshot = stateSnapshot({
      version: agentVersion,
      startedAt: this.startedAt,
      now: Date.now(),
      smpp: { state: smpp?.client.state ?? 'closed', boundSince: smpp?.boundSince ?? null, inFlight: smpp?.session?.inFlight ?? 0, window: smppWindowOf(this.config), throttled: smpp?.throttled ?? false },
      modem: { status: this.modem?.driver.status, operator: facts.operator, signal: facts.signal, gnss: facts.gnss },
      outbox: this.requireStore().outbox.stats(),
      lastLocation: this.location?.lastLocation ?? null,
      figures: this.observability?.figures(),
    });
    return { links, configFromEnvironment: this.fromEnvironment, ...withSecurityFacts(snapshot, { smppError: smpp?.lastError, mqttError: this.mirror?.status().lastError, commands: this.authority?.active() }) };
  }

  /** A fresh GNSS fix when there is one, else the last known location (null when there never was one). */
  async locate(): Promise<LocationSnapshot | null> {
    return (await this.location?.locate()) ?? null;
  }

  /** Applies the set-config safe subset now and, unless restoring, keeps it in settings.json. */
  applySettings(values: RuntimeSettings, persist = true): RuntimeSettings {
    const { config, logger } = this.options;
    this.settings = { ...this.settings, ...values };
    const merged = this.settings;
    if (values['location.pollS'] !== undefined) this.location?.schedule(values['location.pollS'] * 1000);
    if (values['location.minDistanceM'] !== undefined || values['location.maxIntervalS'] !== undefined) {
      this.location?.setPolicy({
        minDistanceM: merged['location.minDistanceM'] ?? config.location.minDistanceM,
        maxIntervalMs: (merged['location.maxIntervalS'] ?? config.location.maxIntervalS) * 1000,
      });
    }
    if (values['modem.fallbackAfterS'] !== undefined) this.router?.setFallbackAfter(values['modem.fallbackAfterS'] * 1000);
    if (values['mqtt.stateIntervalMs'] !== undefined) this.mirror?.setStateMinInterval(values['mqtt.stateIntervalMs']);
    if (values['log.level'] !== undefined) logger.level = values['log.level'];
    if (persist) saveSettings(settingsPath(config.store.path), merged);
    return values;
  }

  /** The REPORT command: readings held back by their kind's delay go now. */
  sendHeldReadings(): number {
    return this.router?.sendHeldNow() ?? 0;
  }

  /** Re-initialises the modem (the driver's own recovery: re-init, then the profile's reset command). */
  async rebootModem(): Promise<void> {
    await this.modem?.driver.initialise();
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
      tls: mirrorTls(config),
      stateMinIntervalMs: config.mqtt.stateIntervalMs,
      keepaliveSeconds: config.mqtt.keepaliveS,
      stateHeartbeatMs: config.mqtt.stateHeartbeatS * 1000,
      maxPayloadBytes: config.mqtt.maxPayloadBytes,
      reportEventsMs: config.mqtt.reportEventsS * 1000,
      handlers: commands,
      log: logger.child({ mod: 'mqtt' }),
    });
    this.mqttStatus = mirrorLinkStatus(this.mirror);
    this.mirror.start();
  }

  private startSmpp(inbound: InboundProcessor): void {
    const { config, logger } = this.options;
    this.smpp = new SmppLink(config, logger.child({ mod: 'smpp' }), {
      inbound: (message, receipt) => inbound.smpp(message, receipt),
      event: (event) => this.event(event),
      changed: () => this.router?.kick(),
    });
    this.observability?.attachSmpp(this.smpp.client);
    this.smpp.start();
  }

  private startModem(inbound: InboundProcessor): void {
    const { config, logger } = this.options;
    this.modem = new ModemLink(config, logger.child({ mod: 'modem' }), {
      message: (sms) => inbound.modemMessage(sms),
      statusReport: (report) => inbound.modemStatusReport(report),
      undecodable: (sms) => inbound.modemUndecodable(sms),
      changed: () => this.router?.kick(),
    }, this.options.profileDir);
    this.modem.driver.onStatus((status) => this.narrator?.modemStatus(status));
    this.modem.start();
  }

  private event(event: MirrorEvent): void {
    this.events.publish(event);
    this.observability?.event(event);
    this.narrator?.event(event);
    this.mirror?.publishEvent(event);
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(() => {
      try {
        fn();
      } catch (error) {
        // A damaged database is said once by the live store and kept in health, not at every tick of every task.
        if (!isDamageNews(error)) this.options.logger.error({ err: error }, 'periodic task failed');
      }
    }, ms);
    this.timers.add(timer);
  }

  /** A write to the store on a reading's behalf: its failure tells the health loop, and a full disk reads Store_DiskFull. */
  private storeWrite<T>(write: () => T): T {
    try {
      const result = write();
      this.health?.store.noteWrite();
      return result;
    } catch (error) {
      this.health?.store.noteError(error);
      throw explainStoreError(error);
    }
  }

  /** The mark's last write (nothing acknowledged goes uncounted after a clean stop), then the database. */
  private closeStore(): void {
    try {
      this.opened?.watch.close();
    } catch (error) {
      this.options.logger.error({ err: error }, 'the acknowledged high-water mark could not be written at stop');
    }
    this.store?.close();
  }

  private openStoreOrExplain<T>(open: () => T): T {
    try {
      return open();
    } catch (error) {
      throw storeOpenFailed(error, this.options.config.store.path);
    }
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
