/**
 * Per-kind policy (TTL, attempts, receipts, modem fallback, coalescing) and the retry
 * back-off per error class. Config gives partial policies; missing fields come from the
 * built-in defaults below, and impossible values are refused when the store opens.
 */
import { AgentError, ErrorCode } from '../errors.js';
import type { ErrorClass } from './types.js';

export interface KindPolicy {
  /** How long a report may wait before it is `expired` (ms, ≥ 1 s). */
  readonly ttlMs: number;
  /** Send attempts before `failed` (≥ 1). Throttled refusals do not count. */
  readonly maxAttempts: number;
  /** When true, `submitted` waits for a delivery receipt; when false, `submitted` is final. */
  readonly receiptRequired: boolean;
  /** How long to wait for a receipt before re-queueing (ms). Used only when receipts are required. */
  readonly receiptTimeoutMs: number;
  /** Whether the router may send it as a modem SMS when SMPP has been down too long. */
  readonly modemFallback: boolean;
  /** Keep only the newest N queued reports of this kind (0: no coalescing). */
  readonly coalesceKeepNewest: number;
}

const hour = 3_600_000;
const day = 24 * hour;

/** Defaults chosen for a field device: alarms outlive everything and may use the modem; readings go stale. */
export const defaultKindPolicies: Readonly<Record<string, KindPolicy>> = {
  default: { ttlMs: day, maxAttempts: 10, receiptRequired: false, receiptTimeoutMs: day, modemFallback: false, coalesceKeepNewest: 0 },
  telemetry: { ttlMs: day, maxAttempts: 10, receiptRequired: false, receiptTimeoutMs: day, modemFallback: false, coalesceKeepNewest: 0 },
  location: { ttlMs: 6 * hour, maxAttempts: 10, receiptRequired: false, receiptTimeoutMs: day, modemFallback: false, coalesceKeepNewest: 10 },
  alarm: { ttlMs: 7 * day, maxAttempts: 50, receiptRequired: true, receiptTimeoutMs: 6 * hour, modemFallback: true, coalesceKeepNewest: 0 },
  reply: { ttlMs: day, maxAttempts: 10, receiptRequired: false, receiptTimeoutMs: day, modemFallback: true, coalesceKeepNewest: 0 },
  sms: { ttlMs: 2 * day, maxAttempts: 10, receiptRequired: true, receiptTimeoutMs: day, modemFallback: true, coalesceKeepNewest: 0 },
};

export interface BackoffPolicy {
  /** Delay after a throttled refusal (ms): short, because the session already paces itself. */
  readonly throttledMs: number;
  /** First delay after a temporary failure (ms); doubles per attempt up to `temporaryMaxMs`. */
  readonly temporaryBaseMs: number;
  readonly temporaryMaxMs: number;
  /** ± fraction of random spread, so a fleet that lost its SMSC together does not retry in step (0..0.5). */
  readonly jitter: number;
}

export const defaultBackoff: BackoffPolicy = {
  throttledMs: 2_000,
  temporaryBaseMs: 30_000,
  temporaryMaxMs: hour,
  jitter: 0.2,
};

/**
 * Delay before the next attempt. Throttled: a short fixed delay. Temporary: exponential in
 * `attempt` (the 1-based number of the attempt that just failed), capped.
 */
export function retryDelayMs(errorClass: Exclude<ErrorClass, 'permanent'>, attempt: number, backoff: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const delay = errorClass === 'throttled' ? backoff.throttledMs : Math.min(backoff.temporaryBaseMs * 2 ** exponent, backoff.temporaryMaxMs);
  const spread = delay * backoff.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(delay + spread));
}

/** Looks up a kind's policy; unknown (configured) kinds use `default`. */
export class PolicyBook {
  private readonly policies: ReadonlyMap<string, KindPolicy>;

  constructor(overrides: Readonly<Record<string, Partial<KindPolicy>>> = {}) {
    const merged = new Map<string, KindPolicy>();
    const base = { ...defaultKindPolicies['default']!, ...overrides['default'] };
    for (const kind of new Set([...Object.keys(defaultKindPolicies), ...Object.keys(overrides)])) {
      const policy = { ...base, ...defaultKindPolicies[kind], ...overrides[kind] };
      validatePolicy(kind, policy);
      merged.set(kind, policy);
    }
    this.policies = merged;
  }

  for(kind: string): KindPolicy {
    return this.policies.get(kind) ?? this.policies.get('default')!;
  }

  /** Kinds whose policy coalesces, for the sweep. */
  kinds(): readonly string[] {
    return [...this.policies.keys()];
  }
}

function validatePolicy(kind: string, policy: KindPolicy): void {
  const checks: ReadonlyArray<readonly [keyof KindPolicy, boolean, string]> = [
    ['ttlMs', Number.isInteger(policy.ttlMs) && policy.ttlMs >= 1000, 'an integer ≥ 1000 (ms)'],
    ['maxAttempts', Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 1, 'an integer ≥ 1'],
    ['receiptTimeoutMs', Number.isInteger(policy.receiptTimeoutMs) && policy.receiptTimeoutMs >= 1000, 'an integer ≥ 1000 (ms)'],
    ['coalesceKeepNewest', Number.isInteger(policy.coalesceKeepNewest) && policy.coalesceKeepNewest >= 0, 'an integer ≥ 0'],
    ['receiptRequired', typeof policy.receiptRequired === 'boolean', 'true or false'],
    ['modemFallback', typeof policy.modemFallback === 'boolean', 'true or false'],
  ];
  for (const [key, ok, expected] of checks) {
    if (!ok) {
      throw new AgentError(`store.kinds.${kind}.${key}: must be ${expected}, got ${String(policy[key])}`, ErrorCode.Store_InvalidInput, { kind, key });
    }
  }
}

/** Refuses back-off settings that would retry in a hot loop or never. */
export function validateBackoff(backoff: BackoffPolicy): BackoffPolicy {
  const checks: ReadonlyArray<readonly [keyof BackoffPolicy, boolean, string]> = [
    ['throttledMs', Number.isInteger(backoff.throttledMs) && backoff.throttledMs >= 1, 'an integer ≥ 1 (ms)'],
    ['temporaryBaseMs', Number.isInteger(backoff.temporaryBaseMs) && backoff.temporaryBaseMs >= 1, 'an integer ≥ 1 (ms)'],
    ['temporaryMaxMs', Number.isInteger(backoff.temporaryMaxMs) && backoff.temporaryMaxMs >= backoff.temporaryBaseMs, 'an integer ≥ temporaryBaseMs (ms)'],
    ['jitter', backoff.jitter >= 0 && backoff.jitter <= 0.5, 'between 0 and 0.5'],
  ];
  for (const [key, ok, expected] of checks) {
    if (!ok) throw new AgentError(`store.backoff.${key}: must be ${expected}, got ${String(backoff[key])}`, ErrorCode.Store_InvalidInput, { key });
  }
  return backoff;
}
