/**
 * `smpp://id:pw@host` → `smpp://id:[redacted]@host`, for config dumps and config errors.
 * The user information runs to the last `@` before the query: a password holding a raw `@`, `:` or
 * even `/` (which no URL parser accepts, but which an operator may well type) is hidden whole,
 * never cut at its first `@` with the rest shown.
 */
export const redacted = '[redacted]';

export function redactUrlPassword(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (scheme === null) return url;
  const rest = url.slice(scheme[0].length);
  const queryAt = rest.search(/[?#]/);
  const authorityEnd = queryAt === -1 ? rest.length : queryAt;
  const at = rest.lastIndexOf('@', authorityEnd);
  if (at === -1) return url;
  const userInfo = rest.slice(0, at);
  const colon = userInfo.indexOf(':');
  if (colon === -1) return url;
  return `${scheme[0]}${userInfo.slice(0, colon)}:${redacted}${rest.slice(at)}`;
}
