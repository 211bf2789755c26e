/** Opening the TCP or TLS socket for a session, with a timeout and certificate checks on by default. */
import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { AgentError, ErrorCode } from '../../errors.js';
import type { Clock } from './clock.js';
import type { SmppEndpoint } from './url.js';

export function openSocket(endpoint: SmppEndpoint, timeoutMs: number, clock: Clock): Promise<Socket> {
  let ca: Buffer | undefined;
  if (endpoint.tls && endpoint.ca !== undefined) {
    try {
      ca = readFileSync(endpoint.ca);
    } catch (cause) {
      return Promise.reject(new AgentError(`cannot read the CA file ${endpoint.ca}`, ErrorCode.Smpp_Tls, { ca: endpoint.ca }, { cause }));
    }
  }
  return new Promise<Socket>((resolve, reject) => {
    const where = `${endpoint.host}:${endpoint.port}`;
    const socket: Socket = endpoint.tls
      ? tlsConnect({
        host: endpoint.host,
        port: endpoint.port,
        ...(ca === undefined ? {} : { ca }),
        rejectUnauthorized: endpoint.rejectUnauthorized,
        servername: endpoint.servername ?? (/^[\d.:]+$/.test(endpoint.host) ? undefined : endpoint.host),
      })
      : netConnect({ host: endpoint.host, port: endpoint.port });
    const timer = clock.setTimeout(() => {
      socket.destroy();
      reject(new AgentError(`no connection to ${where} within ${timeoutMs} ms`, ErrorCode.Smpp_ConnectionClosed, { where }));
    }, timeoutMs);
    const onError = (error: Error): void => {
      clock.clearTimeout(timer);
      socket.destroy();
      const tlsProblem = endpoint.tls && /cert|ssl|tls|self.signed|hostname|altname/i.test(`${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`);
      reject(new AgentError(`cannot connect to ${where}: ${error.message}`, tlsProblem ? ErrorCode.Smpp_Tls : ErrorCode.Smpp_ConnectionClosed,
        { where, errno: (error as NodeJS.ErrnoException).code }, { cause: error }));
    };
    socket.once('error', onError);
    socket.once(endpoint.tls ? 'secureConnect' : 'connect', () => {
      clock.clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
