/**
 * AT commands that carry a SIM secret (PIN, PUK, facility passwords) shown without it, for trace
 * logs, line listeners and error messages: `AT+CPIN="1234"` → `AT+CPIN=***`. The modem's echo of
 * the command is redacted the same way on the way in.
 */
const secretCommand = /(AT\+C(?:PIN|PWD|LCK|PIN2)=)[^\r\n]*/gi;

export function redactAtText(text: string): string {
  return text.replace(secretCommand, '$1***');
}

/** Raw bytes read from or written to the port, redacted when they hold a secret command. */
export function redactAtBytes(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  const redacted = redactAtText(text);
  return redacted === text ? bytes : Buffer.from(redacted, 'latin1');
}
