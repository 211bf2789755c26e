/**
 * Loads and validates modem profiles from `firmware-config/`. Every problem is refused at load time with
 * an AgentError(Modem_InvalidProfile) that names the file, the key, the value found and how to fix it,
 * e.g. `simcom-sim800.yaml: timeouts.commandMs: must be an integer 100..600000, got -1`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AgentError, ErrorCode } from '../../errors.js';
import { firmwareConfigDir } from '../../paths.js';
import { gnssParsers, registrationKinds, signalParsers, type ModemProfile } from './types.js';

/** The folder shipped with the package (`<root>/firmware-config`). */
export const defaultProfileDir = firmwareConfigDir;

export function listProfiles(dir: string = defaultProfileDir): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => basename(f, extname(f)))
    .sort();
}

/** Loads the profile `name` (a file name without extension) or a path to a profile file. */
export function loadProfile(nameOrPath: string, dir: string = defaultProfileDir): ModemProfile {
  const isPath = /[/\\]/.test(nameOrPath) || /\.(ya?ml|json)$/.test(nameOrPath);
  const file = isPath ? nameOrPath : findFile(nameOrPath, dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AgentError(`modem profile ${nameOrPath}: cannot read ${file}`, ErrorCode.Modem_InvalidProfile, { file, fix: `known profiles: ${safeList(dir)}` }, { cause });
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new AgentError(`${basename(file)}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}`, ErrorCode.Modem_InvalidProfile, { file, fix: 'fix the syntax error' }, { cause });
  }
  return validateProfile(raw, basename(file), basename(file, extname(file)));
}

function findFile(name: string, dir: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new AgentError(`modem profile name ${JSON.stringify(name)} is not a profile name`, ErrorCode.Modem_InvalidProfile, { value: name, fix: `use one of: ${safeList(dir)}` });
  }
  for (const ext of ['.yaml', '.yml', '.json']) {
    const candidate = join(dir, `${name}${ext}`);
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // try the next extension
    }
  }
  throw new AgentError(`unknown modem profile '${name}'`, ErrorCode.Modem_InvalidProfile, { value: name, fix: `use one of: ${safeList(dir)}` });
}

function safeList(dir: string): string {
  try {
    return listProfiles(dir).join(', ');
  } catch {
    return `(cannot list ${dir})`;
  }
}

/** Walks a parsed document, remembering the key path and which keys were read, so unknown keys are refused. */
class Reader {
  private readonly seen = new Set<string>();
  constructor(
    private readonly file: string,
    private readonly path: string,
    private readonly value: Record<string, unknown>,
  ) {}

  static root(file: string, raw: unknown): Reader {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, '(document)', raw, 'must be a mapping of keys to values');
    return new Reader(file, '', raw as Record<string, unknown>);
  }

  private key(name: string): string {
    return this.path === '' ? name : `${this.path}.${name}`;
  }

  private get(name: string): unknown {
    this.seen.add(name);
    return this.value[name];
  }

  has(name: string): boolean {
    this.seen.add(name);
    return this.value[name] !== undefined;
  }

  section(name: string): Reader {
    const value = this.get(name);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(this.file, this.key(name), value, 'must be a mapping (a section)');
    return new Reader(this.file, this.key(name), value as Record<string, unknown>);
  }

  string(name: string, fallback?: string): string {
    const value = this.get(name) ?? fallback;
    if (typeof value !== 'string' || value.trim() === '') fail(this.file, this.key(name), value, 'must be a non-empty string');
    return value;
  }

  command(name: string, fallback?: string): string {
    const value = this.string(name, fallback);
    if (!/^AT/i.test(value) || /[\r\n]/.test(value)) fail(this.file, this.key(name), value, 'must be one AT command starting with "AT" (no CR/LF; the driver adds it)');
    return value;
  }

  optionalCommand(name: string): string | undefined {
    return this.has(name) ? this.command(name) : (this.get(name), undefined);
  }

  integer(name: string, min: number, max: number, fallback?: number): number {
    const value = this.get(name) ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(this.file, this.key(name), value, `must be an integer ${min}..${max}`);
    return value;
  }

  boolean(name: string, fallback?: boolean): boolean {
    const value = this.get(name) ?? fallback;
    if (typeof value !== 'boolean') fail(this.file, this.key(name), value, 'must be true or false');
    return value;
  }

  oneOf<T extends string | number>(name: string, allowed: readonly T[], fallback?: T): T {
    const value = this.get(name) ?? fallback;
    if (!allowed.includes(value as T)) fail(this.file, this.key(name), value, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    return value as T;
  }

  strings(name: string, options: { min?: number; commands?: boolean; fallback?: readonly string[] } = {}): string[] {
    const value = this.get(name) ?? options.fallback;
    if (!Array.isArray(value) || value.length < (options.min ?? 0)) fail(this.file, this.key(name), value, `must be a list of strings${options.min ? ` with at least ${options.min} item(s)` : ''}`);
    return value.map((item: unknown, i) => {
      if (typeof item !== 'string' || item.trim() === '') fail(this.file, `${this.key(name)}[${i}]`, item, 'must be a non-empty string');
      if (options.commands && (!/^AT/i.test(item) || /[\r\n]/.test(item))) fail(this.file, `${this.key(name)}[${i}]`, item, 'must be one AT command starting with "AT"');
      return item;
    });
  }

  integers(name: string, fallback: readonly number[]): number[] {
    const value = this.get(name) ?? fallback;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) fail(this.file, this.key(name), value, 'must be a list of non-negative integers');
    return value as number[];
  }

  /** Refuses keys this reader never asked for: a typo must not silently fall back to a default. */
  done(): void {
    for (const key of Object.keys(this.value)) {
      if (!this.seen.has(key)) fail(this.file, this.key(key), this.value[key], `is not a known key here (known: ${[...this.seen].join(', ')})`);
    }
  }
}

function fail(file: string, key: string, value: unknown, rule: string): never {
  const shown = value === undefined ? 'nothing' : JSON.stringify(value);
  throw new AgentError(`${file}: ${key}: ${rule}, got ${shown}`, ErrorCode.Modem_InvalidProfile, { file, key, value, fix: `set ${key} so that it ${rule.replace(/^must /, '')}` });
}

const memories = ['SM', 'ME', 'MT', 'SR', 'BM', 'TA'];
const baudRates = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

export function validateProfile(raw: unknown, file: string, name: string): ModemProfile {
  const root = Reader.root(file, raw);
  const declaredName = root.string('name');
  if (declaredName !== name) fail(file, 'name', declaredName, `must equal the file name '${name}'`);

  const sms = root.section('sms');
  const storage = sms.strings('storage', { min: 3 });
  storage.forEach((m, i) => {
    if (!memories.includes(m)) fail(file, `sms.storage[${i}]`, m, `must be one of ${memories.join(', ')}`);
  });
  if (storage.length !== 3) fail(file, 'sms.storage', storage, 'must list exactly three memories (read, write, receive)');
  const cnmi = sms.strings('cnmi', { min: 1 });
  cnmi.forEach((c, i) => {
    if (!/^\d(,\d){1,4}$/.test(c)) fail(file, `sms.cnmi[${i}]`, c, 'must be AT+CNMI parameters such as "2,1,0,1,0"');
  });
  const smsSection = {
    mode: sms.oneOf('mode', ['pdu', 'text'] as const),
    textFallback: sms.boolean('textFallback', true),
    storage: [storage[0], storage[1], storage[2]] as [string, string, string],
    readStorages: sms.strings('readStorages', { min: 1, fallback: [storage[0] ?? 'SM'] }),
    cnmi,
    service: sms.oneOf('service', [0, 1] as const, 0),
    statusReports: sms.boolean('statusReports', true),
    readyTimeoutMs: sms.integer('readyTimeoutMs', 0, 600_000, 60_000),
    reassemblyTimeoutMs: sms.integer('reassemblyTimeoutMs', 1_000, 86_400_000, 600_000),
  };
  sms.done();

  const registration = root.section('registration');
  const regCommands = registration.strings('commands', { min: 1 });
  regCommands.forEach((c, i) => {
    if (!(registrationKinds as readonly string[]).includes(c)) fail(file, `registration.commands[${i}]`, c, `must be one of ${registrationKinds.join(', ')}`);
  });
  const registrationSection = { commands: regCommands as ModemProfile['registration']['commands'], urcMode: registration.oneOf('urcMode', [0, 1, 2] as const, 2) };
  registration.done();

  const signal = root.section('signal');
  const extendedCommand = signal.optionalCommand('extendedCommand');
  const signalSection = {
    command: signal.command('command', 'AT+CSQ'),
    ...(extendedCommand !== undefined ? { extendedCommand } : {}),
    extendedParser: signal.oneOf('extendedParser', signalParsers, 'none'),
  };
  if ((signalSection.extendedParser === 'none') !== (extendedCommand === undefined)) {
    fail(file, 'signal.extendedParser', signalSection.extendedParser, 'must be "none" exactly when signal.extendedCommand is absent');
  }
  signal.done();

  const identity = root.section('identity');
  const identitySection = {
    imei: identity.command('imei', 'AT+CGSN'),
    imsi: identity.command('imsi', 'AT+CIMI'),
    iccid: identity.command('iccid', 'AT+CCID'),
    firmware: identity.command('firmware', 'AT+CGMR'),
    model: identity.command('model', 'AT+CGMM'),
  };
  identity.done();

  const gnss = root.section('gnss');
  const parser = gnss.oneOf('parser', gnssParsers);
  const gnssSection = {
    parser,
    powerOn: gnss.strings('powerOn', { commands: true, fallback: [] }),
    query: parser === 'none' ? gnss.string('query', 'none') : gnss.command('query'),
    powerOff: gnss.strings('powerOff', { commands: true, fallback: [] }),
    noFixErrors: gnss.integers('noFixErrors', []),
    notRunningErrors: gnss.integers('notRunningErrors', []),
    queryTimeoutMs: gnss.integer('queryTimeoutMs', 100, 600_000, 10_000),
  };
  gnss.done();

  let cellLocation: ModemProfile['cellLocation'];
  if (root.has('cellLocation')) {
    const cell = root.section('cellLocation');
    cellLocation = { command: cell.command('command'), order: cell.oneOf('order', ['lat-lon', 'lon-lat'] as const), timeoutMs: cell.integer('timeoutMs', 1000, 600_000, 65_000) };
    cell.done();
  }

  const reset = root.section('reset');
  const resetSection = { command: reset.command('command'), bootWaitMs: reset.integer('bootWaitMs', 1_000, 600_000) };
  reset.done();

  const timeouts = root.section('timeouts');
  const timeoutSection = {
    commandMs: timeouts.integer('commandMs', 100, 600_000),
    promptMs: timeouts.integer('promptMs', 100, 600_000, 10_000),
    smsSendMs: timeouts.integer('smsSendMs', 1_000, 600_000),
  };
  timeouts.done();

  const health = root.section('health');
  const healthSection = {
    pollIntervalMs: health.integer('pollIntervalMs', 1_000, 86_400_000),
    failuresBeforeReinit: health.integer('failuresBeforeReinit', 1, 100, 2),
    reinitsBeforeReset: health.integer('reinitsBeforeReset', 0, 100, 2),
    backoffInitialMs: health.integer('backoffInitialMs', 100, 3_600_000, 5_000),
    backoffMaxMs: health.integer('backoffMaxMs', 100, 86_400_000, 300_000),
  };
  if (healthSection.backoffMaxMs < healthSection.backoffInitialMs) fail(file, 'health.backoffMaxMs', healthSection.backoffMaxMs, `must be >= health.backoffInitialMs (${healthSection.backoffInitialMs})`);
  health.done();

  const quirks = root.section('quirks');
  const quirkSection = {
    emptySlotAnswersOk: quirks.boolean('emptySlotAnswersOk', false),
    noStatusReportStorage: quirks.boolean('noStatusReportStorage', false),
    simBusyAfterPinMs: quirks.integer('simBusyAfterPinMs', 0, 120_000, 10_000),
  };
  quirks.done();

  const profile: ModemProfile = {
    name,
    description: root.string('description'),
    models: root.strings('models', { min: 1 }),
    baudRate: root.oneOf('baudRate', baudRates),
    init: root.strings('init', { commands: true, min: 1 }),
    bootUrcs: root.strings('bootUrcs', { min: 0 }),
    sms: smsSection,
    registration: registrationSection,
    signal: signalSection,
    identity: identitySection,
    gnss: gnssSection,
    ...(cellLocation ? { cellLocation } : {}),
    reset: resetSection,
    timeouts: timeoutSection,
    health: healthSection,
    quirks: quirkSection,
  };
  if (profile.health.pollIntervalMs <= profile.timeouts.commandMs) {
    fail(file, 'health.pollIntervalMs', profile.health.pollIntervalMs, `must be greater than timeouts.commandMs (${profile.timeouts.commandMs})`);
  }
  root.done();
  return Object.freeze(profile);
}
