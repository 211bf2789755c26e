/**
 * Decides whether an SMS command is obeyed, in this order: the allow-list (a stranger's text is an
 * ordinary message, stored and never obeyed), then the signature or the lockout and the PIN.
 *
 * A correctly signed command is obeyed even during a lockout: lockouts exist to stop guessing, and
 * a 96-bit MAC cannot be guessed; this keeps an attacker who floods the device with bad PINs from a
 * spoofed operator number from also locking the operator out. A bad signature, a replayed or stale
 * counter count as failures like a bad PIN. With `unsigned: false` only signed commands are obeyed.
 */
import { CommandGuard, type GuardState, type Lockout, type LockoutPolicy } from './commandGuard.js';
import { macMatches } from './signedCommands.js';
import {
  canonicalCommand,
  isAllowedSender,
  normaliseNumber,
  parseSmsCommand,
  pinRefusal,
  type RefusalReason,
  type SmsCommandName,
} from './smsCommands.js';

export interface CommandAuthorityOptions {
  readonly allow: readonly string[];
  readonly pin?: string | undefined;
  /** Set: signed commands are accepted (docs/signed-commands.md). */
  readonly signing?: { readonly key: string; readonly deviceId: string; readonly maxAgeMs: number } | undefined;
  /** Whether PIN (or, without a PIN, bare) commands are still obeyed. */
  readonly unsigned: boolean;
  readonly lockout: LockoutPolicy;
}

/** What is kept across restarts: the lockouts and the last signed counter obeyed. */
export interface AuthorityState extends GuardState {
  readonly lastCounter: number;
}

export type AuthorityVerdict =
  | { readonly kind: 'message' }
  | { readonly kind: 'command'; readonly name: SmsCommandName; readonly args: readonly string[]; readonly signed: boolean }
  | { readonly kind: 'refused'; readonly reason: RefusalReason; readonly lockouts: readonly Lockout[] };

/** Signed counters may run ahead of the device's clock by this much (clock skew). */
const futureSlackMs = 300_000;

export class CommandAuthority {
  private readonly guard: CommandGuard;
  private lastCounter: number;

  constructor(
    private readonly options: CommandAuthorityOptions,
    saved: AuthorityState | undefined,
    private readonly save: (state: AuthorityState) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.lastCounter = saved?.lastCounter ?? 0;
    this.guard = new CommandGuard(options.lockout, saved, (state) => this.save({ ...state, lastCounter: this.lastCounter }), now);
  }

  judge(sender: string, text: string): AuthorityVerdict {
    const parsed = parseSmsCommand(text);
    if (parsed === undefined) return { kind: 'message' };
    if (!isAllowedSender(sender, this.options.allow)) return refused('sender-not-allowed');
    const who = normaliseNumber(sender);
    const { credential } = parsed;
    if (credential.kind === 'signed') {
      const signing = this.options.signing;
      const canonical = canonicalCommand(parsed.name, parsed.args);
      let reason: RefusalReason | undefined;
      if (signing === undefined || !macMatches(signing.key, signing.deviceId, credential.counter, canonical, credential.mac)) reason = 'bad-signature';
      else if (credential.counter <= this.lastCounter) reason = 'replayed';
      else if (Math.abs(credential.counter * 1000 - this.now()) > (credential.counter * 1000 > this.now() ? futureSlackMs : signing.maxAgeMs)) reason = 'stale-signature';
      if (reason !== undefined) return this.failure(who, reason);
      this.lastCounter = credential.counter;
      this.guard.succeed(who);
      this.save({ ...this.guard.state(), lastCounter: this.lastCounter });
      return { kind: 'command', name: parsed.name, args: parsed.args, signed: true };
    }
    if (!this.options.unsigned) return this.failure(who, 'unsigned-refused');
    // Locked out: refused before the PIN is even compared, so a right guess teaches nothing.
    if (this.guard.lockedOut(who) !== undefined) return refused('locked-out');
    const refusal = pinRefusal(credential, this.options.pin);
    if (refusal !== undefined) return this.failure(who, refusal);
    this.guard.succeed(who);
    return { kind: 'command', name: parsed.name, args: parsed.args, signed: false };
  }

  /** Lockouts in force now (state, status). */
  active(): ReturnType<CommandGuard['active']> {
    return this.guard.active();
  }

  /** A failed attempt; not counted while the sender is locked out already (a flood then costs no write). */
  private failure(who: string, reason: RefusalReason): AuthorityVerdict {
    if (this.guard.lockedOut(who)?.scope === 'sender') return refused(reason);
    return { kind: 'refused', reason, lockouts: this.guard.fail(who) };
  }
}

function refused(reason: RefusalReason): AuthorityVerdict {
  return { kind: 'refused', reason, lockouts: [] };
}
