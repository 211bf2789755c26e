/**
 * Settings changed at run time (the MQTT `set-config` safe subset): applied without a restart and
 * kept in `settings.json` beside the database, so they survive one. The YAML config stays the
 * operator's file; these override it key by key and are listed in the log at start.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { safeConfigKeys, validateCommand, type SafeConfig } from '../../mqtt/index.js';

export type RuntimeSettings = Partial<SafeConfig>;

export function settingsPath(databasePath: string): string {
  return join(dirname(databasePath), 'settings.json');
}

/**
 * The saved settings, checked by the same rules as set-config; keys this version does not know are
 * left out. A file that does not parse or breaks a rule is ignored as a whole, and `onInvalid` says why.
 */
export function loadSettings(path: string, onInvalid: (reason: string) => void = () => undefined): RuntimeSettings {
  if (!existsSync(path)) return {};
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string | number>;
    const known = Object.fromEntries(Object.entries(value).filter(([key]) => (safeConfigKeys as readonly string[]).includes(key)));
    if (Object.keys(known).length === 0) return {};
    return validateCommand('set-config', { values: known }).values;
  } catch (error) {
    onInvalid(error instanceof Error ? error.message : String(error));
    return {};
  }
}

/** Written to a temporary file and renamed over the old one: a power cut leaves the old or the new, never half. */
export function saveSettings(path: string, settings: RuntimeSettings): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
