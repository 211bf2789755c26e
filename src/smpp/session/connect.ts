/** Opening the TCP or TLS socket for a session, with a timeout and certificate checks on by default. */
import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { AgentError, ErrorCode } from '../../errors.js';
import type { Clock } from './clock.js';
import type { SmppEndpoint } from './url.js';

/**
 * A connected socket. Plain TCP sockets read into one reused buffer (net's `onread`), which
 * skips the Readable stream machinery on every read — the largest fixed cost per response when
 * an SMSC writes each PDU separately. Such a socket emits no 'data'; its bytes go to the handler
 * given to `onRead` as the reused buffer and the count read into it (no view is made per read),
 * and are only valid during that call.
 */
export interface OpenedSocket {
  readonly socket: Socket;
  readonly onRead: ((handler: (buffer: Buffer, length: number) => void) => void) | undefined;
}

export async function openSocket(endpoint: SmppEndpoint, timeoutMs: number, clock: Clock): Promise<OpenedSocket> {
  let ca: Buffer | undefined;
  if (endpoint.tls && endpoint.ca !== undefined) {
    try {
      ca = readFileSync(endpoint.ca);
    } catch (cause) {
      throw new AgentError(`cannot read the CA file ${endpoint.ca}`, ErrorCode.Smpp_Tls, { ca: endpoint.ca }, { cause });
    }
  }
  // node:tls (with its crypto bindings) is ~0.6 MB of heap that stays alive once imported; most
  // links are plain TCP, so it is loaded only for smpps:// (bench/RESULTS.md "session").
  const tlsConnect = endpoint.tls ? (await import('node:tls')).connect : undefined;
  return new Promise<OpenedSocket>((resolve, reject) => {
    const where = `${endpoint.host}:${endpoint.port}`;
    let handler: ((buffer: Buffer, length: number) => void) | undefined;
    const early: Buffer[] = [];
    const readBuffer = Buffer.allocUnsafe(64 * 1024);
    const onread = {
      buffer: readBuffer,
      callback: (bytes: number): boolean => {
        if (handler !== undefined) handler(readBuffer, bytes);
        else early.push(Buffer.from(readBuffer.subarray(0, bytes))); // before the session attached: keep a copy
        return true;
      },
    };
    const socket: Socket = tlsConnect !== undefined
      ? tlsConnect({
        host: endpoint.host,
        port: endpoint.port,
        ...(ca === undefined ? {} : { ca }),
        rejectUnauthorized: endpoint.rejectUnauthorized,
        servername: endpoint.servername ?? (/^[\d.:]+$/.test(endpoint.host) ? undefined : endpoint.host),
      })
      : netConnect({ host: endpoint.host, port: endpoint.port, onread });
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
      resolve({
        socket,
        onRead: endpoint.tls ? undefined : (h) => {
          handler = h;
          for (const chunk of early.splice(0)) h(chunk, chunk.length);
        },
      });
    });
  });
}
