/** A copy of the configuration that is safe to log or publish: secrets and URL passwords masked. */
import type { AgentConfig } from './agentConfig.js';
import { agentConfigSchema } from './agentConfig.js';
import type { Schema } from './schema.js';
import { redacted, redactUrlPassword } from './urlPassword.js';

export { redacted, redactUrlPassword } from './urlPassword.js';

export function redactConfig(config: AgentConfig): unknown {
  return redactNode(agentConfigSchema, config);
}

function redactNode(schema: Schema<unknown>, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (schema.fields !== undefined && typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      const field = schema.fields[key];
      out[key] = field === undefined ? entry : redactNode(field, entry);
    }
    return out;
  }
  if (schema.secret === 'value') return redacted;
  if (schema.secret === 'url-password' && typeof value === 'string') return redactUrlPassword(value);
  return value;
}
