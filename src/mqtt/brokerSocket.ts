/**
 * The socket to the broker for mqtt:// and mqtts:// URLs, opened by us and handed to MqttClient.
 *
 * mqtt.js's `connect()` builds its table of transports on first use and, whatever the URL,
 * requires its WebSocket transport (ws, with zlib, https and crypto) and its SOCKS client (socks,
 * ip-address, smart-buffer): 36 modules and ~1.5 MiB of a ~70 MiB idle agent that speaks plain TCP
 * or TLS (bench/RESULTS.md "agent"). For these two schemes we open the socket as mqtt.js's own tcp
 * and tls transports do. Everything else keeps going through `connect()`: ws:// and wss://, a
 * SOCKS proxy (mqtt.js reads MQTTJS_SOCKS_PROXY), and mqtt:// with a client certificate, which
 * mqtt.js quietly turns into TLS.
 */
import { createConnection, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { ResolvedTls } from './options.js';

/** Opens one connection to the broker; undefined: leave the URL to mqtt.js's `connect()`. */
export function brokerSocketFor(url: string, tls: ResolvedTls, env: NodeJS.ProcessEnv = process.env): (() => Duplex) | undefined {
  if (env['MQTTJS_SOCKS_PROXY'] !== undefined && env['MQTTJS_SOCKS_PROXY'] !== '') return undefined;
  const parsed = new URL(url);
  // URL keeps an IPv6 host in brackets; sockets want it bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (parsed.protocol === 'mqtt:') {
    if (tls.cert !== undefined && tls.key !== undefined) return undefined;
    const port = Number(parsed.port) || 1883;
    return () => createConnection({ host, port });
  }
  if (parsed.protocol === 'mqtts:') {
    const port = Number(parsed.port) || 8883;
    // As mqtt.js: SNI with the host name (never with an address); an unverified certificate is an
    // 'error' on the socket (node's own rejectUnauthorized), which MqttClient passes on as 'error'.
    return () => tlsConnect({ ...tls, host, port, ...(isIP(host) === 0 ? { servername: host } : {}) });
  }
  return undefined;
}
