/**
 * The modem driver: init per profile, state queries, SMS send and receive, GNSS, and health with recovery.
 * The constructor does nothing; `start()` initialises and starts the health polls, `stop()` ends them.
 * Recovery ladder when the modem stops answering (REFERENCE G7): re-initialise; after
 * `reinitsBeforeReset` failed re-inits send the profile's reset command and wait for the boot; back off
 * exponentially between rounds. A SIM problem is a phase to report, never a reason to loop.
 */
import { randomUUID } from 'node:crypto';
import { AgentError, ErrorCode, isAgentError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { silentLogger } from '../../logger.js';
import { parseRegistration, type RegistrationKind, type RegistrationState, type Urc } from '../at/urc.js';
import { sleep, systemClock, type Clock, type TimerHandle } from '../../clock.js';
import { DriverContext } from './context.js';
import { GnssReader } from './gnss.js';
import { Inbox } from './inbox.js';
import { initialise } from './init.js';
import type { GnssReading } from './gnssParsers.js';
import { parseCops, parseCsq, parseExtendedSignal, simStateFromText, type ExtendedSignal, type OperatorInfo, type SignalQuality, type SimState, type StorageUsage } from './parsers.js';
import { readSimState } from './sim.js';
import { readModemInfo } from './info.js';
import { runRecoveryLadder } from './recovery.js';
import { SentRegistry, sendPdu, sendPdus, sendText, submitTextPart, type SendRequest } from './smsSend.js';
import { toRecords, type StoredRecord } from './records.js';
import { parseCellLocation, type CellLocation } from './cellLocation.js';
import type { GnssReadOptions } from './gnss.js';
import type { SubmitPdu } from './smsCodec.js';
import type { ModemProfile } from '../profile/types.js';
import type { AtChannel } from '../at/channel.js';
import type { ModemDriverOptions, ModemInfo, ModemPhase, ModemStatus, SendResult } from './types.js';

export class ModemDriver {
  private readonly ctx: DriverContext;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly inbox: Inbox;
  private readonly gnss: GnssReader;
  private readonly sent = new SentRegistry();
  private readonly statusListeners = new Set<(status: ModemStatus) => void>();
  private phase: ModemPhase = 'stopped';
  private sim: SimState = 'unknown';
  private registration: Partial<Record<RegistrationKind, RegistrationState>> = {};
  private storage: readonly StorageUsage[] = [];
  private lastError: string | undefined;
  private pollTimer: TimerHandle | undefined;
  private consecutiveFailures = 0;
  private recovering: Promise<void> | undefined;
  private concatReference = Math.floor(Math.random() * 256);
  private stopController = new AbortController();
  private unsubscribe: (() => void) | undefined;
  /** Echoes seen when init finished; more later means ATE0 was forgotten (a silent restart, e.g. u-blox). */
  private echoesAfterInit = 0;

  constructor(private readonly options: ModemDriverOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger();
    this.ctx = new DriverContext(options.channel, options.profile, this.clock, this.logger, options.codec);
    this.inbox = new Inbox(this.ctx, {
      onMessage: options.onMessage ?? (() => undefined),
      onStatusReport: options.onStatusReport ?? (() => undefined),
      ...(options.onUndecodable === undefined ? {} : { onUndecodable: options.onUndecodable }),
    }, this.sent, options.reassembly);
    this.gnss = new GnssReader(this.ctx);
  }

  get status(): ModemStatus {
    return {
      phase: this.phase,
      sim: this.sim,
      registration: { ...this.registration },
      smsMode: this.ctx.smsMode,
      storage: this.storage,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  onStatus(listener: (status: ModemStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Initialises the modem, reads what is already stored, and starts health polls. With `recover` (default)
   * a modem that does not answer is left to the recovery ladder and start resolves with its status;
   * without it the failure is thrown (one-shot CLI use).
   */
  async start(options: { recover?: boolean; health?: boolean } = {}): Promise<ModemStatus> {
    this.stopController = new AbortController();
    this.inbox.followStored = this.options.followStored !== false;
    this.unsubscribe ??= this.ctx.channel.onUrc((urc) => this.handleUrc(urc));
    try {
      await this.initialiseThroughBoot();
    } catch (error) {
      this.setPhase('unresponsive', describe(error));
      if (options.recover === false) throw error;
      this.startRecovery();
    }
    if (options.health !== false) this.schedulePoll();
    return this.status;
  }

  async stop(): Promise<void> {
    this.stopController.abort(new AgentError('modem driver stopped', ErrorCode.Modem_PortClosed));
    if (this.pollTimer !== undefined) this.clock.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    await this.recovering?.catch(() => undefined);
    this.inbox.flushPartials();
    await this.inbox.idle();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.setPhase('stopped');
  }

  /**
   * Init, started again when the modem's boot banner interrupts it (the agent often starts while the modem
   * is still powering up: RDY arrives in the middle of our first commands).
   */
  private async initialiseThroughBoot(attempts = 3): Promise<ModemPhase> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.initialise();
      } catch (error) {
        if (!isAgentError(error) || error.code !== ErrorCode.Modem_Rebooted || attempt >= attempts) throw error;
        this.logger.info({ line: error.context['line'] }, 'modem restarted during init; starting over');
        await sleep(this.clock, 500, this.stopController.signal);
      }
    }
  }

  /** Runs the profile's init; sweeps stored messages when the SIM is ready. */
  async initialise(): Promise<ModemPhase> {
    this.setPhase('initialising');
    this.gnss.reset();
    const outcome = await initialise(this.ctx, this.options.pin, this.stopController.signal);
    this.sim = outcome.sim;
    this.storage = outcome.storage;
    if (outcome.phase !== 'ready') {
      this.setPhase(outcome.phase, outcome.detail);
      return outcome.phase;
    }
    await this.readRegistration().catch((error: unknown) => this.logger.warn({ err: error }, 'registration query failed'));
    this.consecutiveFailures = 0;
    this.echoesAfterInit = this.ctx.channel.echoCount;
    this.setPhase('ready');
    if (this.options.sweepOnStart !== false) {
      await this.inbox.sweepAll();
      await this.inbox.idle();
    }
    return 'ready';
  }

  async readSim(): Promise<SimState> {
    this.sim = await readSimState(this.ctx);
    return this.sim;
  }

  async readRegistration(): Promise<Partial<Record<RegistrationKind, RegistrationState>>> {
    for (const kind of this.ctx.profile.registration.commands) {
      try {
        await this.readRegistrationOf(kind);
      } catch (error) {
        if (!isAgentError(error) || error.code === ErrorCode.Modem_Timeout || error.code === ErrorCode.Modem_PortClosed) throw error;
      }
    }
    return { ...this.registration };
  }

  /** One of AT+CREG? / AT+CGREG? / AT+CEREG?, parsed as the solicited form (<n>,<stat>,…). */
  async readRegistrationOf(kind: RegistrationKind): Promise<RegistrationState | undefined> {
    const line = (await this.ctx.send(`AT+${kind}?`)).lines.find((l) => l.startsWith(`+${kind}:`));
    const state = line === undefined ? undefined : parseRegistration(line, true);
    if (state) this.registration[kind] = state;
    return state;
  }

  /** True when any registration allows SMS: home, roaming, SMS-only home/roaming (stat 1, 5, 6, 7). */
  get registered(): boolean {
    return Object.values(this.registration).some((r) => r !== undefined && [1, 5, 6, 7].includes(r.stat));
  }

  async readSignal(): Promise<SignalQuality | undefined> {
    return parseCsq((await this.ctx.send(this.ctx.profile.signal.command)).lines);
  }

  async readExtendedSignal(): Promise<ExtendedSignal | undefined> {
    const { extendedCommand, extendedParser } = this.ctx.profile.signal;
    if (extendedCommand === undefined) return undefined;
    return parseExtendedSignal(extendedParser, (await this.ctx.send(extendedCommand)).lines);
  }

  /** AT+COPS? (the profiles' init sets AT+COPS=3,0 so the name is the long alphanumeric one). */
  async readOperator(): Promise<OperatorInfo | undefined> {
    return parseCops((await this.ctx.send('AT+COPS?')).lines);
  }

  async readGnss(options: GnssReadOptions = {}): Promise<GnssReading> {
    return this.gnss.read(options);
  }

  /** Cell-tower location where the profile has a command for it (lat/lon order differs by family). */
  async readCellLocation(command?: string): Promise<CellLocation | undefined> {
    const cell = this.ctx.profile.cellLocation;
    if (cell === undefined) return undefined;
    const response = await this.ctx.send(command ?? cell.command, { timeoutMs: cell.timeoutMs });
    return parseCellLocation(response.lines, cell.order);
  }

  /** Sends already-encoded SMS-SUBMIT PDUs (AT+CMGS=<n>, PDU after the prompt); the TP-MR of each. */
  async sendEncoded(parts: readonly SubmitPdu[], messageId: string = randomUUID()): Promise<number[]> {
    return sendPdus(this.ctx, parts, (reference, part, total) => {
      const decoded = safeDecode(this.ctx, parts[part - 1]?.hex ?? '');
      if (decoded?.kind === 'submit') this.sent.add({ messageId, to: decoded.destination, part, parts: total, reference });
    });
  }

  /** One text-mode AT+CMGS="<to>" with `body` typed after the prompt (number and body as the charset wants them). */
  async submitText(to: string, body: string, messageId: string = randomUUID()): Promise<number> {
    const reference = await submitTextPart(this.ctx, to, body);
    this.sent.add({ messageId, to, part: 1, parts: 1, reference });
    return reference;
  }

  /**
   * Routes URCs to the inbox without running init (replay, the AT console): direct +CMT/+CDS are decoded and
   * handed to the sinks; stored notifications (+CMTI/+CDSI) are followed only when `followStored`.
   */
  listen(options: { followStored: boolean }): () => void {
    this.inbox.followStored = options.followStored;
    this.unsubscribe ??= this.ctx.channel.onUrc((urc) => this.handleUrc(urc));
    return () => {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
    };
  }

  /** AT+CMGR=<index> (or Quectel's read-and-delete AT+CMGRD) in the current read memory, decoded. */
  async readStoredAt(index: number, options: { command?: 'AT+CMGR' | 'AT+CMGRD' } = {}): Promise<StoredRecord | undefined> {
    const response = await this.ctx.send(`${options.command ?? 'AT+CMGR'}=${index}`);
    return toRecords(this.ctx, response.lines, index)[0];
  }

  /** AT+CMGL of every message in the current read memory (or `memory`), decoded, nothing deleted. */
  async listStored(memory?: string, options: { command?: string } = {}): Promise<StoredRecord[]> {
    if (memory !== undefined) await this.ctx.selectReadMemory(memory);
    const command = options.command ?? (this.ctx.smsMode === 'pdu' ? 'AT+CMGL=4' : 'AT+CMGL="ALL"');
    const response = await this.ctx.send(command, { timeoutMs: this.ctx.profile.timeouts.smsSendMs });
    return toRecords(this.ctx, response.lines);
  }

  /** AT+CMGD=<index> in `memory`. */
  async deleteStored(memory: string, index: number): Promise<void> {
    await this.ctx.selectReadMemory(memory);
    await this.ctx.send(`AT+CMGD=${index}`);
  }

  /** The mode the modem is in (replay and the CLI set it explicitly). */
  setSmsMode(mode: 'pdu' | 'text'): void {
    this.ctx.smsMode = mode;
  }

  get profile(): ModemProfile {
    return this.ctx.profile;
  }

  get channel(): AtChannel {
    return this.ctx.channel;
  }

  /** Everything `modem info` prints; a query the modem refuses leaves its field undefined. */
  readInfo(): Promise<ModemInfo> {
    return readModemInfo(this, this.ctx);
  }

  /** Sends one SMS (several parts when long); resolves with the TP-MR of each part. */
  async sendSms(request: SendRequest): Promise<SendResult> {
    // A re-init in progress (after a restart URC) is waited for, for as long as one send may take at most.
    if (this.recovering) {
      const patience = new AbortController();
      await Promise.race([this.recovering, sleep(this.clock, this.ctx.profile.timeouts.smsSendMs, patience.signal).catch(() => undefined)]);
      patience.abort();
    }
    // 'stopped' means not managed (listen mode, a modem set up by someone else): the caller knows its state.
    if (this.phase !== 'ready' && this.phase !== 'stopped') {
      throw new AgentError(`modem not ready to send (phase ${this.phase})`, phaseErrorCode(this.phase), { phase: this.phase, lastError: this.lastError });
    }
    const messageId = request.messageId ?? randomUUID();
    const mode = this.ctx.smsMode;
    const record = (reference: number, part: number, parts: number): void => this.sent.add({ messageId, to: request.to, part, parts, reference });
    const references = mode === 'pdu' ? await sendPdu(this.ctx, request, this.nextConcatReference(), record) : await sendText(this.ctx, request, record);
    return { messageId, references, mode };
  }

  /** Reads and hands over stored messages now (what start does; also useful after `+CMTI: ,-1`). */
  async sweep(): Promise<void> {
    await this.inbox.sweepAll();
    await this.inbox.idle();
  }

  /** Waits until queued receive work (reads, hand-overs, deletes) is done. */
  idle(): Promise<void> {
    return this.inbox.idle();
  }

  /** One health poll (also run by the timer): AT, then signal and registration; failures lead to recovery. */
  async pollHealth(): Promise<void> {
    if (this.recovering) return;
    if (this.phase.startsWith('sim-')) {
      // A SIM problem is checked slowly, not retried in a loop: only a SIM that became READY re-inits.
      const state = await readSimState(this.ctx).catch(() => 'unknown' as const);
      if (state === 'ready') this.startRecovery();
      return;
    }
    try {
      await this.ctx.send('AT');
      if (this.phase === 'ready' && this.ctx.channel.echoCount > this.echoesAfterInit) {
        this.logger.warn('command echo is back: the modem restarted without a banner; re-initialising');
        this.startRecovery();
        return;
      }
      await this.readRegistration();
      this.consecutiveFailures = 0;
    } catch (error) {
      this.consecutiveFailures++;
      this.logger.warn({ err: error, failures: this.consecutiveFailures }, 'health poll failed');
      if (this.consecutiveFailures >= this.ctx.profile.health.failuresBeforeReinit) this.startRecovery();
    }
  }

  private schedulePoll(): void {
    if (this.stopController.signal.aborted) return;
    this.pollTimer = this.clock.setTimeout(() => {
      void this.pollHealth().finally(() => this.schedulePoll());
    }, this.ctx.profile.health.pollIntervalMs);
  }

  private startRecovery(): void {
    if (this.recovering || this.stopController.signal.aborted) return;
    this.recovering = runRecoveryLadder({
      profile: this.ctx.profile,
      clock: this.clock,
      signal: this.stopController.signal,
      logger: this.logger,
      initialise: () => this.initialiseThroughBoot(),
      reset: async () => {
        await this.ctx.channel.send(this.ctx.profile.reset.command, { timeoutMs: 5000 }).catch(() => undefined);
      },
      setPhase: (phase, detail) => this.setPhase(phase, detail),
    }).finally(() => {
      this.recovering = undefined;
    });
  }

  private handleUrc(urc: Urc): void {
    if (this.inbox.handleUrc(urc)) return;
    if (urc.kind === 'registration') {
      this.registration[urc.state.which] = urc.state;
      this.emitStatus();
      return;
    }
    if (urc.kind === 'sim') {
      const state = simStateFromText(urc.state);
      // Not started (only listening) or in the middle of init: note the state, do not act on it.
      if (this.phase === 'stopped' || this.phase === 'initialising' || this.phase === 'recovering') return;
      this.sim = state;
      if (state === 'not-inserted') this.setPhase('sim-missing');
      else if (state === 'ready' && this.phase.startsWith('sim-')) this.startRecovery();
      return;
    }
    if (urc.kind === 'power' && !urc.down) {
      this.logger.warn({ line: urc.line }, 'modem power warning');
      return;
    }
    // A modem that restarted has lost ATE0/CMEE/CMGF/CNMI/CPMS: init again (REFERENCE G3).
    if (this.isBootLine(urc) && (this.phase === 'ready' || this.phase === 'unresponsive')) {
      this.logger.warn({ line: urc.line }, 'modem restarted; re-initialising');
      this.ctx.readMemory = undefined;
      this.startRecovery();
    }
  }

  private isBootLine(urc: Urc): boolean {
    if (urc.kind === 'boot' || (urc.kind === 'power' && urc.down)) return true;
    return this.ctx.profile.bootUrcs.includes(urc.line);
  }

  private nextConcatReference(): number {
    this.concatReference = (this.concatReference + 1) % 256;
    return this.concatReference;
  }

  private setPhase(phase: ModemPhase, detail?: string): void {
    this.phase = phase;
    if (detail !== undefined) this.lastError = detail;
    else if (phase === 'ready') this.lastError = undefined;
    this.emitStatus();
  }

  private emitStatus(): void {
    const status = this.status;
    for (const listener of this.statusListeners) listener(status);
  }
}

function safeDecode(ctx: DriverContext, hex: string): ReturnType<DriverContext['codec']['decode']> | undefined {
  try {
    return ctx.codec.decode(hex);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function phaseErrorCode(phase: ModemPhase): ErrorCode {
  return phase.startsWith('sim-') ? ErrorCode.Modem_SimNotReady : ErrorCode.Modem_Busy;
}

