/**
 * The agent's modem link: the serial port and the AT driver on it, from the config and the modem's
 * profile. A port that cannot be opened (modem unplugged, wrong path, no permission) is retried with
 * back-off for as long as the agent runs: the rest of the agent goes on without it. The facts the
 * state shows (operator, signal, last GNSS reading) are kept here; signal is polled once a minute.
 */
import { SerialPort } from 'serialport';
import type { Logger } from '../../logger.js';
import { AtChannel, ModemDriver, loadProfile, smsPduCodec, type GnssReading, type OperatorInfo, type ReceivedSms, type SignalQuality, type StatusReportEvent, type UndecodableSms } from '../../modem/index.js';
import type { AgentConfig } from '../config/index.js';
import { LinkStatus } from './linkStatus.js';

export interface ModemLinkHooks {
  readonly message: (sms: ReceivedSms) => void;
  readonly statusReport: (report: StatusReportEvent) => void;
  /** A PDU that cannot be decoded: kept (inbox) before the driver deletes it from the SIM. */
  readonly undecodable?: (sms: UndecodableSms) => void;
  /** The modem's phase changed or it finished starting: the router should look again. */
  readonly changed: () => void;
}

export interface ModemLinkFacts {
  operator?: OperatorInfo | undefined;
  signal?: SignalQuality | undefined;
  gnss?: GnssReading | undefined;
}

const signalPollMs = 60_000;
const openRetryMaxMs = 60_000;

export class ModemLink {
  readonly driver: ModemDriver;
  readonly facts: ModemLinkFacts = {};
  /** The driver's phase, since when, the last error and the next port-open retry, for `status`. */
  readonly status = new LinkStatus('port-closed');
  private readonly port: SerialPort;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping = false;

  constructor(
    private readonly config: AgentConfig,
    private readonly log: Logger,
    private readonly hooks: ModemLinkHooks,
    profileDir?: string,
  ) {
    const profile = loadProfile(config.modem.profile, profileDir);
    this.port = new SerialPort({ path: config.modem.port, baudRate: config.modem.baudRate ?? profile.baudRate, autoOpen: false });
    this.driver = new ModemDriver({
      channel: new AtChannel(this.port, { logger: log }),
      profile,
      codec: smsPduCodec,
      ...(config.modem.pin === undefined ? {} : { pin: config.modem.pin }),
      logger: log,
      onMessage: hooks.message,
      onStatusReport: hooks.statusReport,
      ...(hooks.undecodable === undefined ? {} : { onUndecodable: hooks.undecodable }),
      reassembly: { maxMessages: config.store.inboxPartialMaxMessages, maxPerSender: config.store.inboxPartialMaxPerSender, maxBytes: config.store.inboxPartialMaxBytes, timeoutMs: config.store.inboxPartialTimeoutS * 1000 },
    });
    this.driver.onStatus((status) => {
      this.status.moved(status.phase);
      if (status.lastError !== undefined && status.phase !== 'ready') this.status.failed(status.lastError);
      hooks.changed();
    });
  }

  /** Opens the port (retrying in the background) and starts the driver; returns at once. */
  start(): void {
    this.open(0);
    const poll = setInterval(() => {
      void this.driver.readSignal().then((signal) => (this.facts.signal = signal), () => undefined);
    }, signalPollMs);
    this.timers.add(poll);
  }

  /** Asks the modem for a GNSS reading and keeps it as the latest fact. */
  async readGnss(): Promise<GnssReading> {
    const reading = await this.driver.readGnss();
    this.facts.gnss = reading;
    return reading;
  }

  /** Stops retrying and polling, stops the driver and closes the port. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.driver.stop().catch(() => undefined);
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  private open(attempt: number): void {
    if (this.stopping) return;
    this.port.open((error) => {
      if (error !== null) {
        const retryInMs = Math.min(openRetryMaxMs, 1000 * 2 ** attempt);
        this.status.failed(error, retryInMs);
        this.log.error({ port: this.config.modem.port, retryInMs }, `cannot open the modem's serial port: ${error.message}`);
        const retry = setTimeout(() => {
          this.timers.delete(retry);
          this.open(attempt + 1);
        }, retryInMs);
        this.timers.add(retry);
        return;
      }
      this.driver.start().then(
        async () => {
          this.facts.operator = await this.driver.readOperator().catch(() => undefined);
          this.facts.signal = await this.driver.readSignal().catch(() => undefined);
          this.hooks.changed();
        },
        (startError: unknown) => this.log.error({ err: startError }, 'modem did not start'),
      );
    });
  }
}
