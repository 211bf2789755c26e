/**
 * Command replies: `{status: "ok", data}` or `{status: "error", error: {code, message}}`,
 * with the device id (fleet-wide commands get many replies on one response topic), the
 * command name, and the caller's `requestId` echoed for MQTT 3.1.1 correlation.
 */
import { AgentError, ErrorCode } from '../errors.js';

/** Stable, documented reply error codes; fleet tooling branches on these. */
export type ReplyErrorCode =
  /** The topic names no known command. */
  | 'unknown_command'
  /** The payload is not JSON, or not a JSON object. */
  | 'invalid_json'
  /** A field is missing, unknown, or of the wrong type. */
  | 'invalid_payload'
  /** A value is of the right type but outside its allowed range. */
  | 'out_of_range'
  /** Too many commands are already running on this device. */
  | 'busy'
  /** The handler ran and failed; the message says why. */
  | 'failed'
  /** The handler did not answer in time. */
  | 'timeout';

export interface ReplyError {
  readonly code: ReplyErrorCode;
  readonly message: string;
  /** The payload field at fault, for invalid_payload and out_of_range. */
  readonly field?: string;
  /** The agent's numeric error code when a handler failed with an AgentError. */
  readonly agentCode?: number;
}

interface ReplyHeader {
  readonly deviceId: string;
  readonly command: string;
  readonly requestId?: string | number;
}

export type CommandReply<T = unknown> =
  | (ReplyHeader & { readonly status: 'ok'; readonly data: T })
  | (ReplyHeader & { readonly status: 'error'; readonly error: ReplyError });

/** A payload the mirror refuses: thrown by validators, turned into an error reply at the edge. */
export function badCommand(code: 'invalid_json' | 'invalid_payload' | 'out_of_range', message: string, field?: string): AgentError {
  return new AgentError(message, ErrorCode.Mqtt_BadCommand, { replyCode: code, ...(field === undefined ? {} : { field }) });
}

const replyCodes: readonly ReplyErrorCode[] = ['unknown_command', 'invalid_json', 'invalid_payload', 'out_of_range', 'busy', 'failed', 'timeout'];

/** The reply error for anything a validator or handler threw. */
export function replyErrorFrom(error: unknown): ReplyError {
  if (error instanceof AgentError) {
    const replyCode = error.context['replyCode'];
    const field = error.context['field'];
    if (typeof replyCode === 'string' && (replyCodes as readonly string[]).includes(replyCode)) {
      return { code: replyCode as ReplyErrorCode, message: error.message, ...(typeof field === 'string' ? { field } : {}) };
    }
    // The agent's door policy (one for every way in) refuses with these codes; over MQTT they read as
    // the payload's fault, with the agent's code kept for tools that branch on it.
    if (error.code === ErrorCode.Store_InvalidInput || error.code === ErrorCode.Report_TooLarge) {
      const code = error.code === ErrorCode.Report_TooLarge ? 'out_of_range' : 'invalid_payload';
      return { code, message: error.describe(), agentCode: error.code, ...(typeof field === 'string' ? { field } : {}) };
    }
    return { code: error.code === ErrorCode.Mqtt_Timeout ? 'timeout' : 'failed', message: error.describe(), agentCode: error.code };
  }
  return { code: 'failed', message: error instanceof Error ? error.message : String(error) };
}

/** Parses a reply (fleet side). Returns undefined for anything that is not one. */
export function parseReply(payload: Buffer | string): CommandReply | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString());
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const reply = value as Record<string, unknown>;
  if (typeof reply['deviceId'] !== 'string' || typeof reply['command'] !== 'string') return undefined;
  if (reply['status'] === 'ok' && 'data' in reply) return value as CommandReply;
  const error = reply['error'];
  if (reply['status'] === 'error' && typeof error === 'object' && error !== null && typeof (error as Record<string, unknown>)['code'] === 'string') {
    return value as CommandReply;
  }
  return undefined;
}
