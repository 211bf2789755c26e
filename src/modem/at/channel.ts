/**
 * The AT channel: one command in flight on the serial line, each with its own timeout; the `> ` prompt
 * of AT+CMGS answered with the PDU and Ctrl-Z; URCs pulled out of the byte stream (also from the middle of
 * a response, and from the middle of a PDU line, as Huawei sticks do) and handed to listeners; an awaiter
 * registry for code that waits for a particular URC. A modem that reboots mid-command fails that command
 * at once with Modem_Rebooted instead of letting it time out.
 */
import type { Duplex } from 'node:stream';
import { AgentError, ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { silentLogger } from '../../logger.js';
import { sleep, systemClock, type Clock, type TimerHandle } from '../../clock.js';
import { AtFramer, type AtToken } from './framer.js';
import { isHexLine, splitPrefix } from './fields.js';
import { isCallControl, parseFinalResult, type FinalResult } from './results.js';
import { expectedPduChars, isSolicitedRegistration, parseUrc, urcBody, urcKindOf, type Urc } from './urc.js';
import { commandShape, finalToError, isEcho, pduHeaderLength } from './responseShape.js';
import { redactAtBytes, redactAtText } from './redact.js';

export interface AtChannelOptions {
  /** Default per-command timeout in ms (>= 1, default 5000). */
  readonly timeoutMs?: number;
  /**
   * After a timeout, how long to keep the line quiet before the next command, in ms (default 500): a late
   * answer to the timed-out command (or the OK to the ESC that left message entry) then falls in the gap
   * and is dropped, instead of being taken for the next command's answer.
   */
  readonly drainAfterTimeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface CommandOptions {
  /** Timeout for the final result in ms; defaults to the channel's. */
  readonly timeoutMs?: number;
  /** Data for the `> ` prompt (PDU hex or text); sent followed by Ctrl-Z. */
  readonly data?: string;
  /** What ends the data: Ctrl-Z sends (default), ESC abandons the message (the modem answers OK). */
  readonly terminator?: '\x1a' | '\x1b';
  /** How long to wait for the prompt, in ms (default 10000). */
  readonly promptTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface AtResponse {
  readonly command: string;
  /** Information lines (echo removed, URCs removed, PDU lines re-joined). */
  readonly lines: readonly string[];
}

export type UrcListener = (urc: Urc) => void;

interface InFlight {
  readonly command: string;
  readonly prefix: string | undefined;
  readonly isQuery: boolean;
  readonly options: CommandOptions;
  phase: 'awaitingPrompt' | 'awaitingFinal';
  readonly lines: string[];
  /** A PDU header was seen: hex lines extend the last line until it holds `length` TPDU octets. */
  pdu: { readonly length: number; index: number } | undefined;
  timer: TimerHandle | undefined;
  resolve(response: AtResponse): void;
  reject(error: AgentError): void;
  cleanup(): void;
}

interface PendingUrc {
  readonly header: string;
  readonly body: ReturnType<typeof urcBody>;
  text: string;
  /** A body that has not arrived by then never will: what came is handed on and the channel goes on. */
  readonly timer: TimerHandle;
}

/** How long a URC's body may take after its header (a 160-character SMS at 9600 baud takes ~170 ms). */
const urcBodyTimeoutMs = 2000;

interface Awaiter {
  readonly predicate: (urc: Urc) => boolean;
  resolve(urc: Urc): void;
}

const CTRL_Z = '\x1a';
const ESC = '\x1b';

export class AtChannel {
  private readonly framer = new AtFramer();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly urcListeners = new Set<UrcListener>();
  private readonly lineListeners = new Set<(line: string, dir: 'in' | 'out') => void>();
  private readonly awaiters = new Set<Awaiter>();
  private inFlight: InFlight | undefined;
  private pendingUrc: PendingUrc | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private echoes = 0;
  private readonly drainMs: number;
  /** Clock time before which no new command is written (see drainAfterTimeoutMs). */
  private quietUntil = 0;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onClose = (): void => this.close();

  constructor(
    private readonly port: Duplex,
    options: AtChannelOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger();
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.drainMs = options.drainAfterTimeoutMs ?? 500;
    if (!(this.timeoutMs >= 1)) throw new AgentError(`timeoutMs: must be >= 1, got ${this.timeoutMs}`, ErrorCode.Config_Invalid, { timeoutMs: this.timeoutMs });
    port.on('data', this.onData);
    port.on('close', this.onClose);
  }

  /** Sends one command (without the trailing CR) and resolves with its information lines on OK. */
  send(command: string, options: CommandOptions = {}): Promise<AtResponse> {
    const run = (): Promise<AtResponse> => this.execute(command, options);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Listens for URCs; returns the function that stops listening. */
  onUrc(listener: UrcListener): () => void {
    this.urcListeners.add(listener);
    return () => this.urcListeners.delete(listener);
  }

  /** Every line in and out, for the interactive console and wire logs. */
  onLine(listener: (line: string, dir: 'in' | 'out') => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Resolves with the first URC matching `predicate`; rejects with Modem_Timeout after `timeoutMs`. */
  waitForUrc(predicate: (urc: Urc) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<Urc> {
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        this.awaiters.delete(awaiter);
        this.clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const awaiter: Awaiter = {
        predicate,
        resolve: (urc) => {
          finish();
          resolve(urc);
        },
      };
      const timer = this.clock.setTimeout(() => {
        finish();
        reject(new AgentError(`no matching URC within ${timeoutMs} ms`, ErrorCode.Modem_Timeout, { timeoutMs }));
      }, timeoutMs);
      const onAbort = (): void => {
        finish();
        reject(new AgentError('wait for URC aborted', ErrorCode.Modem_Timeout, { aborted: true }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.awaiters.add(awaiter);
    });
  }

  /** Writes raw text as typed (the console); bypasses the queue. */
  writeRaw(text: string): void {
    this.write(text);
  }

  /** Command echoes seen so far: after ATE0 a new echo means the modem restarted with its defaults. */
  get echoCount(): number {
    return this.echoes;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops listening to the port and fails the command in flight. Does not close the port itself. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.off('data', this.onData);
    this.port.off('close', this.onClose);
    if (this.pendingUrc !== undefined) this.clock.clearTimeout(this.pendingUrc.timer);
    this.pendingUrc = undefined;
    this.fail(new AgentError('serial port closed', ErrorCode.Modem_PortClosed));
    for (const awaiter of [...this.awaiters]) this.awaiters.delete(awaiter);
  }

  private async execute(command: string, options: CommandOptions): Promise<AtResponse> {
    const wait = this.quietUntil - this.clock.now();
    if (wait > 0 && !this.closed) await sleep(this.clock, wait, options.signal).catch(() => undefined);
    return this.start(command, options);
  }

  private start(command: string, options: CommandOptions): Promise<AtResponse> {
    if (this.closed) return Promise.reject(new AgentError('serial port closed', ErrorCode.Modem_PortClosed, { command }));
    if (options.signal?.aborted) return Promise.reject(new AgentError(`${command} aborted`, ErrorCode.Modem_Timeout, { command, aborted: true }));
    return new Promise<AtResponse>((resolve, reject) => {
      const onAbort = (): void => this.fail(new AgentError(`${command} aborted`, ErrorCode.Modem_Timeout, { command, aborted: true }));
      const flight: InFlight = {
        command,
        ...commandShape(command),
        options,
        phase: options.data === undefined ? 'awaitingFinal' : 'awaitingPrompt',
        lines: [],
        pdu: undefined,
        timer: undefined,
        resolve,
        reject,
        cleanup: () => {
          if (flight.timer !== undefined) this.clock.clearTimeout(flight.timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.inFlight = flight;
      this.arm(flight, flight.phase === 'awaitingPrompt' ? (options.promptTimeoutMs ?? 10000) : (options.timeoutMs ?? this.timeoutMs));
      this.write(`${command}\r`);
    });
  }

  private arm(flight: InFlight, ms: number): void {
    if (flight.timer !== undefined) this.clock.clearTimeout(flight.timer);
    flight.timer = this.clock.setTimeout(() => {
      if (this.inFlight !== flight) return;
      // Leave message entry mode, or the modem would read our next command as message text.
      if (flight.phase === 'awaitingPrompt') this.write(ESC);
      this.quietUntil = this.clock.now() + this.drainMs;
      const waitingFor = flight.phase === 'awaitingPrompt' ? 'the > prompt' : 'a final result';
      const shown = redactAtText(flight.command);
      this.fail(new AgentError(`${shown}: no ${waitingFor} within ${ms} ms`, ErrorCode.Modem_Timeout, { command: shown, timeoutMs: ms, lines: flight.lines }));
    }, ms);
  }

  private write(text: string): void {
    if (this.closed) return;
    const shown = redactAtText(text);
    for (const listener of this.lineListeners) listener(shown, 'out');
    this.logger.trace({ dir: 'out', hex: Buffer.from(shown, 'latin1').toString('hex') }, 'at write');
    this.port.write(Buffer.from(text, 'latin1'));
  }

  private receive(chunk: Buffer): void {
    if (this.logger.isLevelEnabled('trace')) this.logger.trace({ dir: 'in', hex: redactAtBytes(chunk).toString('hex') }, 'at read');
    for (const token of this.framer.push(chunk)) this.handleToken(token);
  }

  private handleToken(token: AtToken): void {
    switch (token.kind) {
      case 'garbage':
        this.logger.debug({ dir: 'in', hex: token.bytes.toString('hex') }, 'discarded garbage bytes');
        return;
      case 'prompt':
        for (const listener of this.lineListeners) listener('>', 'in');
        this.handlePrompt();
        return;
      case 'line':
        for (const listener of this.lineListeners) listener(token.text, 'in');
        this.handleLine(token.text);
        return;
    }
  }

  private handlePrompt(): void {
    const flight = this.inFlight;
    if (flight === undefined || flight.phase !== 'awaitingPrompt') {
      this.logger.debug('prompt with no command waiting for it');
      return;
    }
    flight.phase = 'awaitingFinal';
    this.arm(flight, flight.options.timeoutMs ?? this.timeoutMs);
    this.write(`${flight.options.data ?? ''}${flight.options.terminator ?? CTRL_Z}`);
  }

  private handleLine(line: string): void {
    if (this.pendingUrc !== undefined && this.feedPendingUrc(line)) return;
    const flight = this.inFlight;
    if (flight === undefined) {
      this.handleUnsolicited(line);
      return;
    }
    if (isEcho(line, flight)) {
      this.echoes++;
      return;
    }
    const final = parseFinalResult(line, isCallControl(flight.command));
    if (final !== undefined) {
      this.finish(flight, final);
      return;
    }
    if (flight.pdu !== undefined && isHexLine(line)) {
      this.extendPdu(flight, line);
      return;
    }
    if (this.isSolicited(line, flight)) {
      flight.lines.push(line);
      flight.pdu = pduHeaderLength(line);
      return;
    }
    if (urcKindOf(line) !== undefined) {
      this.handleUnsolicited(line);
      return;
    }
    flight.lines.push(line);
  }

  private isSolicited(line: string, flight: InFlight): boolean {
    if (flight.prefix === undefined) return false;
    const { prefix } = splitPrefix(line);
    if (prefix !== flight.prefix) return false;
    // +CREG/+CPIN/… are URCs too: only a query (`?`, `=?`, or an action like AT+CPIN?) claims them.
    if (urcKindOf(line) === undefined) return true;
    if (!flight.isQuery) return false;
    if (/^\+C(E|G)?REG$/.test(prefix)) return isSolicitedRegistration(line) && !flight.lines.some((l) => splitPrefix(l).prefix === prefix);
    return true;
  }

  private extendPdu(flight: InFlight, hex: string): void {
    const pdu = flight.pdu;
    if (pdu === undefined) return;
    if (pdu.index < 0) {
      flight.lines.push(hex);
      pdu.index = flight.lines.length - 1;
    } else {
      flight.lines[pdu.index] = (flight.lines[pdu.index] ?? '') + hex;
    }
    const joined = flight.lines[pdu.index] ?? '';
    const expected = expectedPduChars(pdu.length, joined);
    if (expected === undefined || joined.length >= expected) flight.pdu = undefined;
  }

  private handleUnsolicited(line: string): void {
    const body = urcBody(line);
    if (body.kind !== 'none') {
      const timer = this.clock.setTimeout(() => {
        if (this.pendingUrc?.timer !== timer) return;
        this.logger.warn({ header: line, received: this.pendingUrc.text.length }, 'URC body incomplete after its time: handed on as it is');
        this.completePendingUrc();
      }, urcBodyTimeoutMs);
      this.pendingUrc = { header: line, body, text: '', timer };
      return;
    }
    if (urcKindOf(line) === undefined && /^(OK|ERROR|\+CM[ES] ERROR)/.test(line)) {
      // A late answer to a command that already timed out: nothing is waiting for it.
      this.logger.debug({ line }, 'stray final result');
      return;
    }
    this.dispatch(parseUrc(line));
  }

  /** Feeds a line to the URC whose body we are collecting; false when the line is not part of it. */
  private feedPendingUrc(line: string): boolean {
    const pending = this.pendingUrc;
    if (pending === undefined) return false;
    if (pending.body.kind === 'text') {
      const { length } = pending.body;
      // A further body line adds a line break and at least one character. When that would pass the
      // announced length, the body is complete (the modem's blank lines are dropped by the framer, and a
      // CR LF inside the text counts two): this line is the next response or URC, not more of the SMS.
      if (length !== undefined && pending.text !== '' && pending.text.length + 2 > length) {
        this.completePendingUrc();
        return false;
      }
      pending.text = pending.text === '' ? line : `${pending.text}\n${line}`;
      if (length === undefined || pending.text.length >= length) this.completePendingUrc();
      return true;
    }
    if (pending.body.kind === 'pdu' && isHexLine(line)) {
      pending.text += line;
      const expected = expectedPduChars(pending.body.length, pending.text);
      if (expected !== undefined && pending.text.length >= expected) this.completePendingUrc();
      return true;
    }
    // A URC injected inside the PDU (G4): dispatch it and keep collecting.
    if (pending.text !== '' && urcKindOf(line) !== undefined && urcBody(line).kind === 'none') {
      this.dispatch(parseUrc(line));
      return true;
    }
    this.logger.warn({ header: pending.header, line }, 'URC body cut short');
    this.completePendingUrc();
    return false;
  }

  private completePendingUrc(): void {
    const pending = this.pendingUrc;
    this.pendingUrc = undefined;
    if (pending === undefined) return;
    this.clock.clearTimeout(pending.timer);
    this.dispatch(parseUrc(pending.header, pending.text));
  }

  private dispatch(urc: Urc): void {
    this.logger.debug({ urc: urc.kind, line: urc.line }, 'urc');
    if (urc.kind === 'boot' || (urc.kind === 'power' && urc.down)) {
      const flight = this.inFlight;
      if (flight !== undefined) {
        this.fail(new AgentError(`${redactAtText(flight.command)}: modem restarted (${urc.line})`, ErrorCode.Modem_Rebooted, { command: redactAtText(flight.command), line: urc.line }));
      }
    }
    for (const awaiter of [...this.awaiters]) {
      if (awaiter.predicate(urc)) awaiter.resolve(urc);
    }
    for (const listener of this.urcListeners) {
      try {
        listener(urc);
      } catch (error) {
        this.logger.error({ err: error, line: urc.line }, 'URC listener threw');
      }
    }
  }

  private finish(flight: InFlight, final: FinalResult): void {
    if (final.kind === 'ok') {
      this.inFlight = undefined;
      flight.cleanup();
      flight.resolve({ command: flight.command, lines: flight.lines });
      return;
    }
    this.fail(finalToError(flight, final));
  }

  private fail(error: AgentError): void {
    const flight = this.inFlight;
    if (flight === undefined) return;
    this.inFlight = undefined;
    flight.cleanup();
    flight.reject(error);
  }
}
