/** What the driver's parts share: the channel, the profile, time, logging, the codec and the SMS mode in use. */
import type { Logger } from '../../logger.js';
import type { AtChannel, AtResponse, CommandOptions } from '../at/channel.js';
import type { Clock } from '../../clock.js';
import type { ModemProfile } from '../profile/types.js';
import type { SmsPduCodec } from './smsCodec.js';

export class DriverContext {
  smsMode: 'pdu' | 'text';
  /** The memory AT+CPMS last selected for reading/deleting (mem1). */
  readMemory: string | undefined;
  /** AT+CSMS=1 is active: every +CMT/+CDS needs AT+CNMA. */
  ackRequired = false;

  constructor(
    readonly channel: AtChannel,
    readonly profile: ModemProfile,
    readonly clock: Clock,
    readonly logger: Logger,
    readonly codec: SmsPduCodec,
  ) {
    this.smsMode = profile.sms.mode;
  }

  /** Sends with the profile's command timeout unless told otherwise. */
  send(command: string, options: CommandOptions = {}): Promise<AtResponse> {
    return this.channel.send(command, { timeoutMs: this.profile.timeouts.commandMs, promptTimeoutMs: this.profile.timeouts.promptMs, ...options });
  }

  /** Sends and reports failure as `false` (for optional commands whose refusal we only log). */
  async trySend(command: string, options: CommandOptions = {}): Promise<AtResponse | undefined> {
    try {
      return await this.send(command, options);
    } catch (error) {
      this.logger.warn({ command, err: error }, 'optional command failed');
      return undefined;
    }
  }

  /** Selects `memory` for reading and deleting (AT+CPMS="<mem1>"), skipping the command when it already is. */
  async selectReadMemory(memory: string): Promise<void> {
    if (this.readMemory === memory) return;
    await this.send(`AT+CPMS="${memory}"`);
    this.readMemory = memory;
  }
}
