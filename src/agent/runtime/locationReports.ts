/**
 * Location reports from the modem's GNSS: a fix is read every poll interval, and a `location` reading
 * is queued when the device moved further than the configured distance or the configured time passed
 * since the last one (LocationPolicy). The last fix is kept for the state, LOCATE and `locate`.
 */
import { systemClock, type Clock, type TimerHandle } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { GnssReading } from '../../modem/index.js';
import type { LocationSnapshot } from '../../mqtt/index.js';
import type { AgentConfig } from '../config/index.js';
import { LocationPolicy } from '../locationPolicy.js';
import type { ReadingInput } from '../readingInput.js';

/** Where fixes come from: the modem link. */
export interface GnssSource {
  readGnss(): Promise<GnssReading>;
}

export class LocationReports {
  private last: LocationSnapshot | null = null;
  private readonly policy: LocationPolicy;
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly config: AgentConfig,
    private readonly modem: GnssSource | undefined,
    private readonly queue: (input: ReadingInput) => void,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.policy = new LocationPolicy({ minDistanceM: config.location.minDistanceM, maxIntervalMs: config.location.maxIntervalS * 1000 });
  }

  /** The last fix read, or null when there never was one. */
  get lastLocation(): LocationSnapshot | null {
    return this.last;
  }

  /** A fresh GNSS fix when there is one, else the last known location (null when there never was one). */
  async locate(): Promise<LocationSnapshot | null> {
    return (await this.readFix()) ?? this.last;
  }

  /** Polls every `intervalMs` from now on (set-config may change it); nothing when location or the modem is off. */
  schedule(intervalMs: number): void {
    if (!this.config.location.enabled || this.modem === undefined || this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    const tick = (): void => {
      if (this.stopped) return;
      this.timer = this.clock.setTimeout(tick, intervalMs);
      void this.poll();
    };
    this.timer = this.clock.setTimeout(tick, intervalMs);
  }

  setPolicy(options: { readonly minDistanceM: number; readonly maxIntervalMs: number }): void {
    this.policy.setOptions(options);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Asks the modem for a fix; undefined without a modem or a fix (no fix is a state, not an error). */
  private async readFix(): Promise<LocationSnapshot | undefined> {
    const reading = await this.modem?.readGnss();
    if (reading === undefined || reading.state !== 'fix') return undefined;
    const at = reading.fix.fixTime ?? new Date().toISOString();
    this.last = { lat: reading.fix.lat, lon: reading.fix.lon, altitudeM: reading.fix.altM, accuracyM: null, at };
    return this.last;
  }

  private async poll(): Promise<void> {
    try {
      // Only a fix read now counts: an old one must not be reported again as if it were new.
      const location = await this.readFix();
      if (location === undefined) return;
      const at = Date.parse(location.at) || Date.now();
      if (!this.policy.consider({ lat: location.lat, lon: location.lon, at }).report) return;
      const fields: Record<string, number> = { lat: round(location.lat, 5), lon: round(location.lon, 5) };
      if (location.altitudeM !== null) fields['alt'] = Math.round(location.altitudeM);
      this.queue({ kind: 'location', data: fields, time: Math.floor(at / 1000) });
    } catch (error) {
      this.logger.debug({ err: error }, 'GNSS poll failed');
    }
  }
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
