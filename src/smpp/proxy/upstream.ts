/**
 * The proxy's `--upstream` URL: `smpp://host:port` or `smpps://host:port?ca=…` — the session's URL
 * form without the account, since the proxy never binds itself (each client's own bind passes
 * through). Credentials in it are refused rather than silently ignored.
 */
import { AgentError, ErrorCode } from '../../errors.js';
import { parseSmppUrl, type SmppEndpoint } from '../session/url.js';

export function parseUpstreamUrl(text: string): SmppEndpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new AgentError('--upstream: not a URL (expected smpp://host:port or smpps://host:port)', ErrorCode.Smpp_InvalidUrl, {}, { cause });
  }
  if (url.username !== '' || url.password !== '') {
    throw new AgentError('--upstream: the proxy does not bind, its clients do: give smpp://host:port without system_id:password', ErrorCode.Smpp_InvalidUrl);
  }
  url.username = 'proxy';
  return parseSmppUrl(url.toString()).endpoint;
}
