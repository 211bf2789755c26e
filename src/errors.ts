/**
 * One coded error type for the whole agent.
 *
 * Callers branch on `code` (through the type guards below), never on message text.
 * Codes are grouped by part in ranges of 100 so that a number in a log line names
 * the part that raised it. Protocol errors also carry the protocol's own code in
 * `context` (the SMPP command_status, the +CMS/+CME number).
 */
export const ErrorCode = {
  // 100–199: SMPP codec and text encodings (pure functions over bytes)
  Codec_InvalidCommandLength: 100,
  Codec_InvalidCommandId: 101,
  Codec_Truncated: 102,
  Codec_InvalidTlvLength: 103,
  Codec_InvalidField: 104,
  Codec_TrailingBytes: 105,
  Codec_PduTooLarge: 106,
  Codec_UnencodableText: 107,
  Codec_InvalidEncoding: 108,
  Codec_InvalidJson: 109,
  Codec_InvalidUdh: 110,
  Codec_InvalidReceipt: 111,

  // 200–299: SMPP session and SMSC simulator
  Smpp_NotBound: 200,
  Smpp_BindFailed: 201,
  Smpp_ResponseTimeout: 202,
  Smpp_ConnectionClosed: 203,
  Smpp_CommandFailed: 204,
  Smpp_InvalidUrl: 205,
  Smpp_Closing: 206,
  Smpp_Tls: 207,
  Smpp_Aborted: 208,

  // 300–399: modem (AT channel, driver, SMS PDU codec, profiles)
  Modem_Timeout: 300,
  Modem_CommandError: 301,
  Modem_CmeError: 302,
  Modem_CmsError: 303,
  Modem_PortClosed: 304,
  Modem_PortOpenFailed: 305,
  Modem_SimNotReady: 306,
  Modem_NotRegistered: 307,
  Modem_InvalidPdu: 308,
  Modem_InvalidResponse: 309,
  Modem_InvalidProfile: 310,
  Modem_Busy: 311,
  Modem_Rebooted: 312,

  // 400–499: store (outbox, inbox, migrations)
  Store_SchemaTooNew: 400,
  Store_IllegalTransition: 401,
  Store_NotFound: 402,
  Store_Full: 403,
  Store_Open: 404,
  Store_InvalidInput: 405,
  // 410+: the database's medium and file (numbers kept apart from other branches' additions)
  Store_DiskFull: 410,
  Store_Corrupt: 411,

  // 500–599: MQTT mirror and fleet commands
  Mqtt_Connect: 500,
  Mqtt_BadCommand: 501,
  Mqtt_UnknownCommand: 502,
  Mqtt_Timeout: 503,
  Mqtt_Auth: 504,
  /** The broker sent a packet over the agent's limit (mqtt.maxPayloadBytes + room for the header): dropped unread, connection closed. */
  Mqtt_PacketTooLarge: 505,

  // 600–699: configuration
  Config_Invalid: 600,
  Config_UnknownKey: 601,
  Config_FileNotFound: 602,
  Config_Parse: 603,

  // 700–799: report wire format
  Report_Malformed: 700,
  Report_UnsupportedVersion: 701,
  Report_TooLarge: 702,
  /** A queued report the router can never encode, plan or send: failed alone, never blocking the queue. */
  Report_Unsendable: 703,

  // 800–899: command line
  Cli_Usage: 800,
  Cli_Failed: 801,

  // 900–999: security (signed SMS commands, local doors)
  Security_InvalidCommand: 900,
  Security_InvalidKey: 901,
  Security_SocketInUse: 902,
  Security_NotASocket: 903,
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const codeNames = new Map<number, string>(
  Object.entries(ErrorCode).map(([name, value]) => [value, name]),
);

/** The name of a code, such as `Codec_Truncated`, for logs and JSON output. */
export function errorCodeName(code: ErrorCode): string {
  return codeNames.get(code) ?? `Unknown_${code}`;
}

/** Extra, structured facts about an error: the PDU hex, the AT line, the config key… */
export type ErrorContext = Readonly<Record<string, unknown>>;

export class AgentError extends Error {
  override readonly name = 'AgentError';

  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** `Codec_Truncated (102): …` — the form used in CLI output and logs. */
  describe(): string {
    return `${errorCodeName(this.code)} (${this.code}): ${this.message}`;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, codeName: errorCodeName(this.code), message: this.message, context: this.context };
  }
}

export function isAgentError(value: unknown): value is AgentError {
  return value instanceof AgentError;
}

/** True when `value` is an AgentError whose code lies in the part's range, e.g. `isErrorInRange(e, 100)` for the codec. */
export function isErrorInRange(value: unknown, rangeStart: 100 | 200 | 300 | 400 | 500 | 600 | 700 | 800 | 900): value is AgentError {
  return isAgentError(value) && value.code >= rangeStart && value.code < rangeStart + 100;
}

export function hasErrorCode<C extends ErrorCode>(value: unknown, code: C): value is AgentError & { code: C } {
  return isAgentError(value) && value.code === code;
}
