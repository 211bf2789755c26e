/**
 * What the session needs of a logger; pino's Logger (src/logger.ts) fits it. The default is a
 * silent stand-in that needs no pino, so a session made without a logger (a library user, the
 * benchmark's client) does not load pino at all: ~1 MB of heap, and enough objects surviving the
 * first young-generation collections at start-up that V8 doubled its young generation for good
 * (bench/session measured the client's peak RSS 4–5 MiB higher at windows 1 and 10).
 */
type LogMethod = (objectOrMessage: unknown, message?: string) => void;

export interface SessionLogger {
  child(bindings: Record<string, unknown>): SessionLogger;
  /** The keys already bound (pino has it): lets a child skip them instead of writing them twice. */
  bindings?(): Record<string, unknown>;
  isLevelEnabled(level: 'trace' | 'debug'): boolean;
  readonly debug: LogMethod;
  /** Optional: a logger made for tests may leave it out (the session then logs what it learns at debug). */
  readonly info?: LogMethod;
  readonly warn: LogMethod;
  readonly trace: LogMethod;
}

const ignore: LogMethod = () => undefined;

export const silentSessionLogger: SessionLogger = {
  child: () => silentSessionLogger,
  isLevelEnabled: () => false,
  debug: ignore,
  info: ignore,
  warn: ignore,
  trace: ignore,
};
