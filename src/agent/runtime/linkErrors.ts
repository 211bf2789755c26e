/**
 * A link's failure as `status` and `/state` show it: `{message, code?, reason?, at}`. TLS failures
 * are named by their reason, read from the OpenSSL / node error code found on the error or its
 * causes, so an operator sees "unknown-ca" rather than a bare "handshake failed".
 */
import { errorCodeName, isAgentError } from '../../errors.js';
import type { LinkError } from '../../mqtt/index.js';

export type TlsReason = 'unknown-ca' | 'expired' | 'not-yet-valid' | 'wrong-host' | 'client-certificate-refused' | 'tls';

const reasons: ReadonlyArray<[RegExp, TlsReason]> = [
  [/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE|unknown ca|self[- ]signed|unable to verify/i, 'unknown-ca'],
  [/CERT_HAS_EXPIRED|certificate has expired/i, 'expired'],
  [/CERT_NOT_YET_VALID|not yet valid/i, 'not-yet-valid'],
  [/ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH|altnames|does not match certificate/i, 'wrong-host'],
  [/CERTIFICATE_REQUIRED|BAD_CERTIFICATE|certificate required|bad certificate|HANDSHAKE_FAILURE/i, 'client-certificate-refused'],
  [/ERR_SSL|ERR_TLS|EPROTO|ssl|tls/i, 'tls'],
];

/** The TLS reason of an error, or undefined when it is not a TLS failure. */
export function tlsReason(error: unknown): TlsReason | undefined {
  const text = describeChain(error);
  for (const [pattern, reason] of reasons) if (pattern.test(text)) return reason;
  return undefined;
}

export function linkErrorOf(error: unknown, at: number): LinkError {
  const message = error instanceof Error ? error.message : String(error);
  const reason = tlsReason(error);
  return {
    message,
    ...(isAgentError(error) ? { code: errorCodeName(error.code) } : {}),
    ...(reason === undefined ? {} : { reason }),
    at: new Date(at).toISOString(),
  };
}

/** Codes and messages of an error and its causes, joined, for matching. */
function describeChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const { code } = current as { code?: unknown };
    parts.push(typeof code === 'string' ? code : '', current.message);
    current = current.cause;
  }
  return parts.join(' ');
}
