/** An error as one line for the terminal: `Code_Name (n): message` for AgentErrors, the message otherwise. */
import { isAgentError } from '../errors.js';

export function describeError(error: unknown): string {
  if (isAgentError(error)) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}
