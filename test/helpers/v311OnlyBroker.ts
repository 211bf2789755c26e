/**
 * Stands in for an old, MQTT 3.1.1-only broker in front of a real Mosquitto: a CONNECT asking for
 * protocol level 5 gets the 3.1.1 refusal (CONNACK return code 0x01, "unacceptable protocol
 * version") and a closed socket, as Mosquitto 1.x does; any other CONNECT is piped through.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class V311OnlyBroker {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
    /** When each MQTT 5 CONNECT was refused. */
    readonly refusedV5: readonly number[],
  ) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  static async start(upstreamPort: number): Promise<V311OnlyBroker> {
    const sockets = new Set<Socket>();
    const refused: number[] = [];
    const server = createServer((client) => {
      sockets.add(client);
      client.once('close', () => sockets.delete(client));
      client.once('data', (first: Buffer) => {
        if (protocolLevel(first) === 5) {
          refused.push(Date.now());
          client.end(Buffer.from([0x20, 0x02, 0x00, 0x01]));
          return;
        }
        const upstream = createConnection({ host: '127.0.0.1', port: upstreamPort });
        sockets.add(upstream);
        upstream.once('close', () => sockets.delete(upstream));
        upstream.write(first);
        client.pipe(upstream).pipe(client);
        const closeBoth = (): void => {
          client.destroy();
          upstream.destroy();
        };
        client.once('error', closeBoth);
        upstream.once('error', closeBoth);
        client.once('close', closeBoth);
        upstream.once('close', closeBoth);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return new V311OnlyBroker(server, address.port, sockets, refused);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The protocol level byte of a CONNECT packet (after the fixed header and the protocol name). */
function protocolLevel(packet: Buffer): number | undefined {
  if ((packet[0] ?? 0) >> 4 !== 1) return undefined;
  let offset = 1;
  while (offset < 5 && ((packet[offset] ?? 0) & 0x80) !== 0) offset++;
  offset++;
  const nameLength = packet.readUInt16BE(offset);
  return packet[offset + 2 + nameLength];
}
