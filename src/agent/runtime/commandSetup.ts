/** The SMS command authority made from the config: allow-list, PIN, key, lockout policy, saved state. */
import type { Logger } from '../../logger.js';
import type { MirrorEvent } from '../../mqtt/index.js';
import type { AgentConfig } from '../config/index.js';
import { CommandAuthority } from '../commandAuthority.js';
import type { Lockout } from '../commandGuard.js';
import { checkKey, readKeyFile } from '../signedCommands.js';
import { commandStatePath, loadCommandState, saveCommandState } from './commandState.js';

export function createCommandAuthority(config: AgentConfig, logger: Logger, now: () => number = Date.now): CommandAuthority {
  const { commands } = config;
  const key = commands.keyFile !== undefined ? readKeyFile(commands.keyFile) : commands.key === undefined ? undefined : checkKey(commands.key);
  const lockout = {
    maxFailures: commands.maxFailures,
    lockoutMs: commands.lockoutS * 1000,
    lockoutMaxMs: commands.lockoutMaxS * 1000,
    globalMaxFailures: commands.globalMaxFailures,
    globalLockoutMs: commands.globalLockoutS * 1000,
  };
  const path = commandStatePath(config.store.path);
  const saved = loadCommandState(path, now() + lockout.globalLockoutMs, (reason) =>
    logger.error({ file: path, reason }, 'command-guard.json unreadable: PIN commands are locked out for commands.globalLockoutS to be safe'));
  return new CommandAuthority({
    allow: commands.allow,
    pin: commands.pin,
    unsigned: commands.unsigned,
    lockout,
    ...(key === undefined ? {} : { signing: { key, deviceId: config.device.id, maxAgeMs: commands.signedMaxAgeS * 1000 } }),
  }, saved, (state) => {
    try {
      saveCommandState(path, state);
    } catch (error) {
      // Kept in memory all the same: the lockout holds until a restart.
      logger.error({ err: error, file: path }, 'lockout state not saved');
    }
  }, now);
}

export function lockoutEvent(lockout: Lockout): MirrorEvent {
  return {
    type: 'command-lockout',
    scope: lockout.scope,
    ...(lockout.sender === undefined ? {} : { sender: lockout.sender }),
    until: new Date(lockout.until).toISOString(),
    failures: lockout.failures,
  };
}
