/**
 * Settings changed at run time (the MQTT `set-config` safe subset): applied without a restart and
 * kept in `settings.json` beside the database, so they survive one. The YAML config stays the
 * operator's file; these override it key by key and are listed in the log at start.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deprecatedConfigKeys, safeConfigKeys, validateCommand, type SafeConfig } from '../../mqtt/index.js';

export type RuntimeSettings = Partial<SafeConfig>;

export function settingsPath(databasePath: string): string {
  return join(dirname(databasePath), 'settings.json');
}

/**
 * The saved settings, checked by the same rules as set-config; keys this version does not know are
 * left out. A file that does not parse or breaks a rule is ignored as a whole, and `onInvalid` says why.
 * A file written by version 0.1 (old key names, or `log.level: trace`, which set-config no longer
 * allows) is migrated: renamed, trace lowered to debug, written back, and `onMigrated` told what changed.
 */
export function loadSettings(path: string, onInvalid: (reason: string) => void = () => undefined, onMigrated: (changes: readonly string[]) => void = () => undefined): RuntimeSettings {
  if (!existsSync(path)) return {};
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string | number>;
    const changes: string[] = [];
    const current: Record<string, string | number> = {};
    for (const [key, entry] of Object.entries(value)) {
      const renamed = deprecatedConfigKeys[key];
      if (renamed === undefined) current[key] = entry;
      else {
        changes.push(`${key} → ${renamed}`);
        if (!Object.hasOwn(value, renamed)) current[renamed] = entry;
      }
    }
    if (current['log.level'] === 'trace') {
      current['log.level'] = 'debug';
      changes.push('log.level trace → debug');
    }
    const known = Object.fromEntries(Object.entries(current).filter(([key]) => (safeConfigKeys as readonly string[]).includes(key)));
    const settings = Object.keys(known).length === 0 ? {} : validateCommand('set-config', { values: known }).values;
    if (changes.length > 0) {
      saveSettings(path, settings);
      onMigrated(changes);
    }
    return settings;
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
