/**
 * The agent's configuration: one YAML file (`/etc/edge-sms-agent/config.yaml`) plus `EDGE_SMS_*`
 * environment overrides. Units are in the key names (`…S`, `…Ms`, `…M`); every default is here.
 * The commented example that ships is `firmware-config/agent/config.example.yaml`; a test checks that it
 * parses and that it mentions every key.
 */
import { array, boolean, type Infer, number, object, oneOf, optional, record, string } from './schema.js';

const priority = oneOf(['critical', 'high', 'normal', 'low'] as const, { default: 'normal' });
const phoneNumber = string({ pattern: /^\+?[0-9]{3,20}$|^[A-Za-z0-9 ]{1,11}$/, rule: 'must be a number (+ and 3-20 digits) or an alphanumeric sender of at most 11 characters' });

export const reportKindSchema = object({
  priority,
  /** Seconds a report may wait in the outbox before it expires. */
  ttlS: number({ min: 1, max: 30 * 86400, default: 86400, unit: 's' }),
  /** Seconds a reading may be held back to share an SMS with others; 0 sends at once. */
  maxDelayS: number({ min: 0, max: 86400, default: 900, unit: 's' }),
  maxAttempts: number({ min: 1, max: 1000, default: 20 }),
  encoding: oneOf(['text', 'binary'] as const, { default: 'text' }),
  /** Whether a delivery receipt is required before the report counts as delivered. */
  receipts: boolean({ default: false }),
  /** Whether the modem may carry it as plain SMS while the SMPP link is down. */
  modemFallback: boolean({ default: false }),
  /** Keep only the newest N queued readings of this kind (0: keep all). */
  coalesce: number({ min: 0, max: 100000, default: 0 }),
});

export const agentConfigSchema = object({
  device: object({
    /** The device id: MQTT topics, report header (unless an alias is set). */
    // One MQTT topic level: no wildcards, and not the reserved levels `all` and `group`.
    id: string({ pattern: /^(?!(?:all|group)$)[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, rule: "must be 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit, and not 'all' or 'group'" }),
    /** A short id for reports, to save characters in every SMS. */
    alias: optional(string({ pattern: /^[A-Za-z0-9._:-]{1,16}$/, rule: 'must be 1-16 characters of A-Z a-z 0-9 . _ : -' })),
    groups: array(string({ pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, rule: 'must be 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit' }), { default: [], maxItems: 32 }),
  }),
  smpp: object({
    enabled: boolean({ default: true }),
    /** smpp://system_id:password@host:port?bind=trx&window=10&version=3.4, or smpps://…; required while enabled (no built-in SMSC). */
    url: optional(string({ pattern: /^smpps?:\/\//, rule: 'must be an smpp:// or smpps:// URL', secret: 'url-password' })),
    caFile: optional(string()),
    systemType: string({ default: '' }),
    /** source_addr of reports; the SMSC may override it. */
    source: string({ default: '' }),
    /** Where reports go: the centre's number or short code. */
    destination: phoneNumber,
    /** Never more submits per second than this (0: no limit of our own). */
    maxRate: number({ min: 0, max: 10000, default: 10, integer: false, unit: 'messages/s' }),
    responseTimeoutMs: number({ min: 100, max: 300000, default: 10000, unit: 'ms' }),
    /** enquire_link after this long without traffic: under the SMSC's idle-bind limit and the carrier's NAT timeout (README: cost per day). */
    enquireLinkS: number({ min: 1, max: 3600, default: 120, unit: 's' }),
    /**
     * Reconnect back-off after a dropped link: the first wait, doubling (with jitter) up to the
     * longest. A short maximum gets the link back soon after a long SMSC outage; the SMSC sees one
     * connection attempt per device per that many seconds. A refused bind keeps its own slow schedule.
     */
    reconnectMinS: number({ min: 0.1, max: 300, default: 1, integer: false, unit: 's' }),
    reconnectMaxS: number({ min: 1, max: 3600, default: 30, integer: false, unit: 's' }),
    /** How long messages are split: UDH with 8- or 16-bit reference, sar_* TLVs, or one message_payload. */
    split: oneOf(['udh8', 'udh16', 'sar', 'payload'] as const, { default: 'udh8' }),
    /** A pcap of the link (Wireshark reads it): `file` and `file.1`, each up to half of maxBytes. Off without a file. */
    capture: object({
      file: optional(string({ minLength: 1 })),
      maxBytes: number({ min: 65536, max: 2 ** 30, default: 16 * 2 ** 20, unit: 'bytes' }),
    }),
  }),
  modem: object({
    enabled: boolean({ default: true }),
    port: string({ default: '/dev/ttyUSB2' }),
    /** A file name in firmware-config/ without extension, e.g. simcom-sim7600. */
    profile: string({ default: 'generic-3gpp', pattern: /^[a-z0-9-]+$/, rule: 'must be a profile name such as simcom-sim7600' }),
    baudRate: optional(number({ min: 1200, max: 4000000 })),
    pin: optional(string({ pattern: /^[0-9]{4,8}$/, rule: 'must be 4-8 digits', secret: 'value' })),
    /** Where fallback SMS go (default: smpp.destination). */
    destination: optional(phoneNumber),
    /** SMPP must have been down this long before the modem carries reports. */
    fallbackAfterS: number({ min: 0, max: 86400, default: 300, unit: 's' }),
  }),
  location: object({
    enabled: boolean({ default: true }),
    pollS: number({ min: 5, max: 86400, default: 60, unit: 's' }),
    /** Queue a location report when the device moved more than this… */
    minDistanceM: number({ min: 0, max: 100000, default: 100, unit: 'm' }),
    /** …or when this long has passed since the last one. */
    maxIntervalS: number({ min: 10, max: 7 * 86400, default: 900, unit: 's' }),
  }),
  store: object({
    path: string({ default: '/var/lib/edge-sms-agent/agent.db' }),
    maxQueuedRows: number({ min: 100, max: 10_000_000, default: 1_000_000 }),
    maxQueuedBytes: number({ min: 65536, max: 10 * 2 ** 30, default: 256 * 2 ** 20, unit: 'bytes' }),
    inboxKeepDays: number({ min: 1, max: 3650, default: 30, unit: 'days' }),
    /** Inbox caps (messages, receipts, undecodable and incomplete entries): beyond either, the oldest go first (receipts and junk before messages), counted and published. */
    inboxMaxRows: number({ min: 100, max: 10_000_000, default: 100_000 }),
    inboxMaxBytes: number({ min: 65536, max: 2 ** 31, default: 64 * 2 ** 20, unit: 'bytes' }),
    /** Delivery receipts are kept this long (they settled the outbox when they came; the copy is for dedup and forensics). */
    inboxReceiptKeepHours: number({ min: 1, max: 87_600, default: 168, unit: 'h' }),
    /** Parts of concatenated messages still waiting for their siblings: caps in total and per sender, and how long they wait. */
    inboxPartialMaxMessages: number({ min: 1, max: 100_000, default: 1000 }),
    inboxPartialMaxBytes: number({ min: 4096, max: 2 ** 30, default: 8 * 2 ** 20, unit: 'bytes' }),
    inboxPartialMaxPerSender: number({ min: 1, max: 100_000, default: 32 }),
    inboxPartialMaxBytesPerSender: number({ min: 1024, max: 2 ** 30, default: 2 * 2 ** 20, unit: 'bytes' }),
    inboxPartialTimeoutS: number({ min: 1, max: 30 * 86400, default: 86400, unit: 's' }),
    /** How often expired reports and missing delivery receipts are looked for (and reported as events). */
    sweepS: number({ min: 1, max: 3600, default: 60, unit: 's' }),
    /** full: a reading is fsynced before POST /reports answers; batched: within batchMs (a power cut may lose that much; README "SD card"). */
    durability: oneOf(['full', 'batched'] as const, { default: 'full' }),
    batchMs: number({ min: 10, max: 10_000, default: 1000, unit: 'ms' }),
    /** Readings share a transaction for up to 10 s, each made durable by a 512-byte journal write (agent.db.intake; README "SD card"). */
    intakeJournal: boolean({ default: true }),
    /**
     * With the journal: how long readings, message builds and receipts share one SQLite transaction
     * before it is committed (default 10 s with durability full, 300 s with batched: fewer commits
     * write fewer pages; README "The SD card"). Other processes see changes this late unless they
     * knock (the CLI does: agent.db.knock), and a CLI write waits for the commit the knock asks for.
     */
    groupCommitS: optional(number({ min: 1, max: 300, unit: 's' })),
    /**
     * Delivered reports (and accepted ones of kinds without receipts) stay this long for `queue list`; 0: deleted as
     * they settle, which spares the card their rows (README "SD card"). Default 168 h with durability full, 0 with
     * batched (the card-saving mode). Failed and expired ones stay 7 days for `queue retry`.
     */
    keepDeliveredHours: optional(number({ min: 0, max: 87_600, unit: 'h' })),
  }),
  reports: object({
    maxParts: number({ min: 1, max: 10, default: 4 }),
    /** Application port for binary reports. */
    port: number({ min: 0, max: 65535, default: 49152 }),
    kinds: record(/^[a-z][a-z0-9_]{1,31}$/, reportKindSchema, {
      keyRule: 'kind names must match [a-z][a-z0-9_]{1,31}',
      default: {},
    }),
  }),
  mqtt: object({
    enabled: boolean({ default: true }),
    url: string({ pattern: /^(mqtts?|wss?):\/\//, rule: 'must be an mqtt://, mqtts://, ws:// or wss:// URL', secret: 'url-password', default: 'mqtt://127.0.0.1:1883' }),
    username: optional(string()),
    password: optional(string({ secret: 'value' })),
    caFile: optional(string()),
    certFile: optional(string()),
    keyFile: optional(string()),
    prefix: string({ default: 'edge-sms', pattern: /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/, rule: "must be topic levels of A-Z a-z 0-9 _ . - joined by '/', e.g. acme/edge-sms" }),
    stateIntervalMs: number({ min: 100, max: 3600000, default: 1000, unit: 'ms' }),
    /** MQTT keepalive: PINGREQ after this long without a packet sent; under the carrier's NAT timeout (README: cost per day). */
    keepaliveS: number({ min: 5, max: 1200, default: 240, unit: 's' }),
    /** The retained state again after this long even when nothing an operator cares about changed (0: never). */
    stateHeartbeatS: number({ min: 0, max: 86400, default: 3600, unit: 's' }),
    homeAssistant: boolean({ default: false }),
    /** Bytes of one command payload; also caps every packet the broker may send (this + 4 KiB for topic and properties). */
    maxPayloadBytes: number({ min: 1024, max: 16777216, default: 65536, unit: 'bytes' }),
    /**
     * A drain's report-submitted / report-delivered events are summed into one `events/reports` per this long
     * (data plan: one per message costs about as many bytes as the SMS); 0: one event per message.
     */
    reportEventsS: number({ min: 0, max: 3600, default: 30, unit: 's' }),
  }),
  api: object({
    enabled: boolean({ default: true }),
    /** 127.0.0.1:PORT, or unix:/path/to.sock */
    listen: string({ default: '127.0.0.1:8787', pattern: /^(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$|^unix:\/.+/, rule: 'must be 127.0.0.1:PORT or unix:/path (the API is local only)' }),
  }),
  console: object({
    /** The web console at /console/ on the local API (and on the LAN when `lan` is set). */
    enabled: boolean({ default: true }),
    /** Optional map tiles under the Location plot, e.g. https://tiles.example.net/{z}/{x}/{y}.png; without it the plot needs no network. */
    tilesUrl: optional(string({ pattern: /^https?:\/\/\S*\{z\}\S*\{x\}\S*\{y\}/, rule: 'must be an http(s) URL with {z}, {x} and {y}' })),
    /** Opt-in: the console (and the API behind it) on a LAN address, every request with the token. */
    lan: optional(
      object({
        listen: string({ pattern: /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:]+\]):\d{1,5}$/, rule: 'must be ADDRESS:PORT, e.g. 0.0.0.0:8443' }),
        /** The access token (written at install by scripts/install.sh); at least 16 characters. */
        tokenFile: string({ default: '/etc/edge-sms-agent/console.token' }),
        /** TLS: both or neither. */
        certFile: optional(string()),
        keyFile: optional(string()),
      }),
    ),
  }),
  commands: object({
    /** Senders whose SMS commands are obeyed; everyone else's messages are only stored. */
    allow: array(phoneNumber, { default: [], maxItems: 100 }),
    pin: optional(string({ pattern: /^[0-9]{4,8}$/, rule: 'must be 4-8 digits', secret: 'value' })),
    /** Per-device secret for HMAC-signed commands (docs/signed-commands.md), at least 16 characters; or keyFile. */
    key: optional(string({ minLength: 16, secret: 'value' })),
    /** A file whose first line is the key (keep it 0600); instead of key. */
    keyFile: optional(string()),
    /** Whether PIN (unsigned) commands are still obeyed; false needs key or keyFile. */
    unsigned: boolean({ default: true }),
    /** Failed attempts in a row (bad PIN or signature) before a sender is locked out. */
    maxFailures: number({ min: 1, max: 100, default: 3 }),
    /** The first lockout; each further one doubles, up to lockoutMaxS. */
    lockoutS: number({ min: 1, max: 86400, default: 60, unit: 's' }),
    lockoutMaxS: number({ min: 1, max: 30 * 86400, default: 86400, unit: 's' }),
    /** Failures from all senders within globalLockoutS that lock out every PIN command for globalLockoutS. */
    globalMaxFailures: number({ min: 1, max: 10000, default: 10 }),
    globalLockoutS: number({ min: 1, max: 7 * 86400, default: 3600, unit: 's' }),
    /** A signed command older than this (by its counter, in Unix seconds) is refused. */
    signedMaxAgeS: number({ min: 60, max: 30 * 86400, default: 86400, unit: 's' }),
  }),
  health: object({
    /** A link (SMPP, modem) not up for this long makes health degraded. */
    linkDownS: number({ min: 1, max: 7 * 86400, default: 600, unit: 's' }),
    /** Reports overdue, a link up, and none moving on for this long: the router is stuck (health degraded). */
    stallS: number({ min: 1, max: 86400, default: 300, unit: 's' }),
  }),
  log: object({
    level: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, { default: 'info' }),
    /** json (journald), pretty (a terminal), auto: pretty when standard error is a terminal. */
    format: oneOf(['auto', 'json', 'pretty'] as const, { default: 'auto' }),
  }),
});

export type AgentConfig = Infer<typeof agentConfigSchema>;
export type ReportKindConfig = Infer<typeof reportKindSchema>;

/** Built-in policies for the standard kinds; config entries replace them key by key. */
export const defaultKinds: Readonly<Record<string, Partial<ReportKindConfig>>> = {
  telemetry: { priority: 'normal', maxDelayS: 900, ttlS: 86400 },
  location: { priority: 'normal', maxDelayS: 900, ttlS: 86400, coalesce: 10 },
  alarm: { priority: 'critical', maxDelayS: 0, ttlS: 7 * 86400, modemFallback: true, receipts: true },
  reply: { priority: 'high', maxDelayS: 0, ttlS: 3600, modemFallback: true },
};
