/**
 * What the state adds for security and TLS: the links' last failures (with the TLS reason) and the
 * SMS command lockouts. Fields are left out when there is nothing to say, so a healthy device's
 * retained state stays as small as before.
 */
import type { AgentError } from '../../errors.js';
import type { AgentStateSnapshot, CommandsSnapshot, LinkError, MirrorTlsOptions } from '../../mqtt/index.js';
import type { AgentConfig } from '../config/index.js';
import { linkErrorOf } from './linkErrors.js';

export interface SecurityFacts {
  readonly smppError: LinkError | undefined;
  readonly mqttError: AgentError | undefined;
  readonly commands: CommandsSnapshot | undefined;
}

/** MQTT errors carry no time of their own; the first time one is seen stands for it. */
const mqttErrorSeen = new WeakMap<AgentError, string>();

export function withSecurityFacts(snapshot: AgentStateSnapshot, facts: SecurityFacts, now: number = Date.now()): AgentStateSnapshot {
  const { commands } = facts;
  const locked = commands !== undefined && (commands.lockouts.length > 0 || commands.globalUntil !== null);
  let mqttError: LinkError | undefined;
  if (facts.mqttError !== undefined) {
    const at = mqttErrorSeen.get(facts.mqttError) ?? new Date(now).toISOString();
    mqttErrorSeen.set(facts.mqttError, at);
    mqttError = { ...linkErrorOf(facts.mqttError, now), at };
  }
  return {
    ...snapshot,
    ...(facts.smppError === undefined ? {} : { smpp: { ...snapshot.smpp, lastError: facts.smppError } }),
    ...(locked ? { commands } : {}),
    ...(mqttError === undefined ? {} : { mqtt: { lastError: mqttError } }),
  };
}

/** `mqtt.caFile`, `mqtt.certFile`, `mqtt.keyFile` as the mirror takes them (certificates are always checked). */
export function mirrorTls(config: AgentConfig): MirrorTlsOptions {
  const { caFile, certFile, keyFile } = config.mqtt;
  return { ...(caFile === undefined ? {} : { caFile }), ...(certFile === undefined ? {} : { certFile }), ...(keyFile === undefined ? {} : { keyFile }) };
}
