/**
 * GNSS per profile: power the receiver on once, poll the profile's query command, normalise the answer.
 * "No fix" (an empty answer, or a +CME code the profile lists, such as Quectel's 516) is a state; "not running"
 * (Quectel 505) powers the receiver on and asks again once; u-blox answers AT+ULOC with OK and sends the
 * position later as the +UULOC URC.
 */
import { ErrorCode, isAgentError } from '../../errors.js';
import type { DriverContext } from './context.js';
import { parseGnss, type GnssReading } from './gnssParsers.js';

export interface GnssReadOptions {
  /** Another query than the profile's (e.g. AT+CGNSSINFO on a SIM7600); the answer's prefix picks the parser. */
  readonly query?: string;
  /** false: do not manage power (no power-on commands; "not running" answers read as `off`). */
  readonly powerOn?: boolean;
}

export class GnssReader {
  private poweredOn = false;

  constructor(private readonly ctx: DriverContext) {}

  /** Forget the power state (after a modem restart the receiver is off again). */
  reset(): void {
    this.poweredOn = false;
  }

  async read(options: GnssReadOptions = {}): Promise<GnssReading> {
    const gnss = this.ctx.profile.gnss;
    if (gnss.parser === 'none' && options.query === undefined) return { state: 'unsupported' };
    if (options.powerOn === false) this.poweredOn = true;
    if (!this.poweredOn) await this.powerOn();
    const query = options.query ?? gnss.query;
    try {
      return await this.query(query);
    } catch (error) {
      const cme = isAgentError(error) ? (error.context['cme'] as number | undefined) : undefined;
      if (cme !== undefined && gnss.noFixErrors.includes(cme)) return { state: 'no-fix', reason: `+CME ERROR: ${cme}` };
      if (cme !== undefined && gnss.notRunningErrors.includes(cme)) {
        this.poweredOn = false;
        // Told not to manage power: report the receiver as off instead of switching it on.
        if (options.powerOn === false) return { state: 'off' };
        await this.powerOn();
        try {
          return await this.query(query);
        } catch (retryError) {
          const again = isAgentError(retryError) ? (retryError.context['cme'] as number | undefined) : undefined;
          if (again !== undefined && gnss.noFixErrors.includes(again)) return { state: 'no-fix', reason: `+CME ERROR: ${again}` };
          throw retryError;
        }
      }
      // A plain ERROR to the query on a family member without GNSS (SIM800 vs SIM808).
      if (isAgentError(error) && error.code === ErrorCode.Modem_CommandError) return { state: 'unsupported' };
      throw error;
    }
  }

  async powerOff(): Promise<void> {
    for (const command of this.ctx.profile.gnss.powerOff) await this.ctx.trySend(command);
    this.poweredOn = false;
  }

  private async powerOn(): Promise<void> {
    // Already-on answers (Quectel 504 "session ongoing", SIMCom ERROR) are fine: the receiver is running.
    for (const command of this.ctx.profile.gnss.powerOn) await this.ctx.trySend(command);
    this.poweredOn = true;
  }

  private async query(query: string): Promise<GnssReading> {
    const gnss = this.ctx.profile.gnss;
    if (/^AT\+ULOC=/i.test(query)) {
      const urc = this.ctx.channel.waitForUrc((u) => u.kind === 'gnss' && u.line.startsWith('+UULOC'), gnss.queryTimeoutMs);
      try {
        await this.ctx.send(query);
      } catch (error) {
        urc.catch(() => undefined);
        throw error;
      }
      try {
        const line = (await urc).line;
        return parseGnss('ublox-uloc', [line]) ?? { state: 'no-fix' };
      } catch (error) {
        if (isAgentError(error) && error.code === ErrorCode.Modem_Timeout) return { state: 'no-fix', reason: 'no +UULOC within the timeout' };
        throw error;
      }
    }
    const response = await this.ctx.send(query, { timeoutMs: gnss.queryTimeoutMs });
    return parseGnss(gnss.parser, response.lines) ?? { state: 'no-fix', reason: 'no position line in the answer' };
  }
}
