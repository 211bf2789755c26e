/**
 * The two connection URLs are checked when the config loads, not when their link first starts:
 * a URL the SMPP client or the MQTT mirror would refuse must stop the agent at start (exit 1,
 * the key and the fix), never leave a process that accepts readings it can never send.
 */
import { AgentError, ErrorCode, hasErrorCode } from '../../errors.js';
import { validateBrokerUrl } from '../../mqtt/index.js';
import { parseSmppUrl } from '../../smpp/index.js';

const smppExample = 'smpp://SYSTEM_ID:PASSWORD@HOST:2775?bind=trx&window=10';

interface UrlKeys {
  readonly smpp: { readonly enabled: boolean; readonly url?: string | undefined };
  readonly mqtt: { readonly enabled: boolean; readonly url: string };
}

export function checkUrls(config: UrlKeys): void {
  if (config.smpp.enabled) checkSmppUrl(config.smpp.url);
  // validateBrokerUrl's messages already name mqtt.url and the fix (credentials go in mqtt.username / mqtt.password).
  if (config.mqtt.enabled) validateBrokerUrl(config.mqtt.url);
}

function checkSmppUrl(url: string | undefined): void {
  if (url === undefined) {
    // No built-in default: an agent bound to a made-up SMSC would queue everything and send nothing.
    throw new AgentError(`smpp.url: is required while smpp.enabled is true: set smpp.url (or EDGE_SMS_SMPP_URL) to ${smppExample}, or set smpp.enabled: false`,
      ErrorCode.Config_Invalid, { key: 'smpp.url' });
  }
  try {
    parseSmppUrl(url);
  } catch (cause) {
    if (!hasErrorCode(cause, ErrorCode.Smpp_InvalidUrl)) throw cause;
    // parseSmppUrl never echoes the password, so its message can be shown as it is.
    const problem = cause.message.replace(/^invalid SMPP URL: /, '');
    throw new AgentError(`smpp.url: ${problem}; fix the URL, e.g. ${smppExample}`, ErrorCode.Config_Invalid, { key: 'smpp.url' }, { cause });
  }
}
