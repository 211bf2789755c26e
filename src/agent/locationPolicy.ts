/**
 * When a GNSS fix becomes a location report: when the device has moved more than a set distance
 * since the last reported fix, or when a set time has passed (a heartbeat that shows it is alive
 * and still). No fix is a state, not an error: nothing is reported without one.
 */
export interface Fix {
  readonly lat: number;
  readonly lon: number;
  /** ms since the epoch. */
  readonly at: number;
}

export interface LocationPolicyOptions {
  readonly minDistanceM: number;
  readonly maxIntervalMs: number;
}

export type LocationDecision = { readonly report: true; readonly reason: 'first' | 'moved' | 'interval'; readonly distanceM: number } | { readonly report: false; readonly distanceM: number };

const earthRadiusM = 6_371_008.8;

/** Great-circle distance (haversine), accurate to well under a metre at the distances that matter here. */
export function distanceM(a: Pick<Fix, 'lat' | 'lon'>, b: Pick<Fix, 'lat' | 'lon'>): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export class LocationPolicy {
  private last: Fix | undefined;

  constructor(private options: LocationPolicyOptions) {}

  /** New thresholds (set-config); they apply from the next fix on. */
  setOptions(options: LocationPolicyOptions): void {
    this.options = options;
  }

  /** Decides on a new fix; when it says report, the fix becomes the one later fixes compare with. */
  consider(fix: Fix): LocationDecision {
    const last = this.last;
    if (last === undefined) {
      this.last = fix;
      return { report: true, reason: 'first', distanceM: 0 };
    }
    const moved = distanceM(last, fix);
    if (moved > this.options.minDistanceM) {
      this.last = fix;
      return { report: true, reason: 'moved', distanceM: moved };
    }
    if (fix.at - last.at >= this.options.maxIntervalMs) {
      this.last = fix;
      return { report: true, reason: 'interval', distanceM: moved };
    }
    return { report: false, distanceM: moved };
  }

  /** The last reported fix (restored from the outbox at start so a restart does not re-report). */
  get lastReported(): Fix | undefined {
    return this.last;
  }

  restore(fix: Fix): void {
    this.last = fix;
  }
}
