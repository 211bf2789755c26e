/**
 * Child loggers without duplicate keys. pino writes a child's bindings after its parent's without
 * merging them, so `logger.child({ mod: 'smpp' }).child({ mod: 'smpp' })` would put `"mod"` twice in
 * every JSON line (which journald's JSON tools and jq show or reject). Parts that bind `mod` on a
 * logger they were given go through this. No pino import: the SMPP session uses it without pino.
 */
export interface BindableLogger<L> {
  child(bindings: Record<string, unknown>): L;
  bindings?(): Record<string, unknown>;
}

/** A child binding only the keys the parent does not already carry (the parent's value wins). */
export function childLogger<L extends BindableLogger<L>>(parent: L, bindings: Record<string, unknown>): L {
  const bound = parent.bindings?.() ?? {};
  const fresh = Object.fromEntries(Object.entries(bindings).filter(([key]) => !(key in bound)));
  return Object.keys(fresh).length === 0 ? parent : parent.child(fresh);
}
