/** Checks a report before it reaches SQL, so a bad one is refused with a message naming the field. */
import { AgentError, ErrorCode } from '../errors.js';
import { isPriority, type ReportInput } from './types.js';

export function validateInput(input: ReportInput): void {
  const fail = (message: string): never => {
    throw new AgentError(message, ErrorCode.Store_InvalidInput, { kind: input.kind, priority: input.priority });
  };
  if (typeof input.kind !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(input.kind)) fail(`report kind must match [a-z][a-z0-9_-]{0,31}, got '${String(input.kind)}'`);
  if (!isPriority(input.priority)) fail(`report priority must be critical, high, normal or low, got '${String(input.priority)}'`);
  if (typeof input.payload !== 'string' && !(input.payload instanceof Uint8Array)) fail('report payload must be text or bytes');
  if (input.ttlMs !== undefined && (!Number.isInteger(input.ttlMs) || input.ttlMs < 1)) fail(`report ttl must be a positive integer (ms), got ${input.ttlMs}`);
  for (const destination of input.destinations ?? []) {
    if (!/^\+?[0-9A-Za-z]{1,20}$/.test(destination)) fail(`report destination '${destination}' is not a number or short code`);
  }
}
