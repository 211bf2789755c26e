/**
 * Outbind (v3.4 §2.2.1): the SMSC opens the connection to the ESME and asks it to bind, so
 * messages can be pushed to an ESME that keeps no link up. Enabled only when configured: an
 * ESME listening on a port is an exposure, and most deployments do not need it.
 */
import { createServer, type Server } from 'node:net';
import { AgentError, ErrorCode } from '../../errors.js';
import { SmppSession, type SmppSessionOptions } from './session.js';

export interface OutbindListener {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens for SMSCs that outbind; each accepted one becomes a session bound with `options`
 * (bindMode receiver or transceiver) and is handed to `onSession`. Refused outbinds (wrong
 * credentials, no outbind in time) are reported to `onError` and their connection closed.
 */
export async function listenForOutbind(
  options: SmppSessionOptions & { readonly listenHost?: string; readonly listenPort: number },
  onSession: (session: SmppSession) => void,
  onError: (error: unknown) => void = () => undefined,
): Promise<OutbindListener> {
  if (options.bindMode === 'transmitter') {
    throw new AgentError('smpp.outbind: an outbind is answered with bind_receiver or bind_transceiver, not transmitter', ErrorCode.Config_Invalid);
  }
  const sessions = new Set<SmppSession>();
  const server: Server = createServer((socket) => {
    const session = new SmppSession({ ...options, bindMode: options.bindMode ?? 'receiver' });
    sessions.add(session);
    session.once('closed', () => sessions.delete(session));
    session.acceptOutbind(socket).then(() => onSession(session), onError);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listenPort, options.listenHost ?? '0.0.0.0', resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : options.listenPort,
    close: async () => {
      await Promise.all([...sessions].map((session) => session.close()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
