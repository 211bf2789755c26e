/**
 * Reports addressed to several numbers: one outbox entry per destination.
 *
 * Why fan out at the door rather than have the router send one entry to each number: the outbox's unit
 * of state is the entry — one state, one message, one delivery receipt, one retry schedule, one expiry.
 * An entry sent to N numbers would need N messages per entry, and when one number fails (barred, unknown)
 * the entry could only be re-sent to all (duplicates for the others) or marked done (a lie). A copy per
 * destination has its own receipt, retries and failure, shows as itself in `queue list` and the events,
 * and the router keeps packing readings per destination as it does: copies bound for the same number
 * share SMS with that number's other readings.
 */
import type { ReportInput } from './types.js';

/** The entries to enqueue for `input`: one per distinct destination, or `input` itself for none or one. */
export function perDestination(input: ReportInput): ReportInput[] {
  const destinations = [...new Set(input.destinations ?? [])];
  if (destinations.length <= 1) return [input];
  return destinations.map((destination) => ({ ...input, destinations: [destination] }));
}
