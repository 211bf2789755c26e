/**
 * One SMPP connection written into a capture as a TCP conversation Wireshark believes: a
 * three-way handshake, data segments with sequence and acknowledgement numbers that add up, and a
 * FIN from each side at the end. The PDU bytes are the ones that crossed the link (passwords
 * starred, same length); segments are cut at 1460 octets, as on Ethernet, so a long PDU spans
 * segments and Wireshark's TCP reassembly puts it back together, as it would for a real capture.
 *
 * Why synthetic TCP/IP and not the exported-PDU link type (252): a pcap with TCP is what
 * `tshark -r` and Wireshark decode as SMPP with no option at all (the SMPP heuristic on TCP is on
 * by default and then claims the conversation, whatever the port), it shows the real addresses and
 * ports, and every other TCP tool (tcptrace, Zeek, capinfos' conversation stats) reads it too.
 * Exported PDUs need the dissector named inside each record and are read by Wireshark only.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { TraceDir } from './records.js';
import type { PacketSink } from './pcapFile.js';

export interface FlowEndpoint {
  readonly address: string;
  readonly port: number;
}

const mss = 1460;
const flags = { fin: 0x01, syn: 0x02, psh: 0x08, ack: 0x10 } as const;

interface Side {
  readonly ip: Buffer;
  readonly port: number;
  seq: number;
}

export class TcpFlow {
  private readonly esme: Side;
  private readonly smsc: Side;
  private readonly v6: boolean;
  private ipId = 1;
  private state: 'new' | 'open' | 'closed' = 'new';

  constructor(
    private readonly sink: PacketSink,
    esme: FlowEndpoint,
    smsc: FlowEndpoint,
  ) {
    const a = ipBytes(esme.address);
    const b = ipBytes(smsc.address);
    // One family for both ends: a v4 peer of a v6 socket is written as its v4-mapped form.
    this.v6 = a.length === 16 || b.length === 16;
    this.esme = { ip: this.v6 ? toV6(a) : a, port: esme.port, seq: randomIsn() };
    this.smsc = { ip: this.v6 ? toV6(b) : b, port: smsc.port, seq: randomIsn() };
  }

  /** The handshake: SYN, SYN-ACK, ACK. */
  open(at: number): void {
    if (this.state !== 'new') return;
    this.state = 'open';
    this.segment(at, this.esme, this.smsc, flags.syn, Buffer.alloc(0), false);
    this.esme.seq++;
    this.segment(at, this.smsc, this.esme, flags.syn | flags.ack, Buffer.alloc(0));
    this.smsc.seq++;
    this.segment(at, this.esme, this.smsc, flags.ack, Buffer.alloc(0));
  }

  /** Bytes that went `dir` (out: ESME → SMSC), in segments of at most 1460 octets. */
  data(at: number, dir: TraceDir, bytes: Buffer): void {
    if (this.state === 'new') this.open(at);
    if (this.state === 'closed') return;
    const [from, to] = dir === 'out' ? [this.esme, this.smsc] : [this.smsc, this.esme];
    for (let offset = 0; offset < bytes.length; offset += mss) {
      const payload = bytes.subarray(offset, Math.min(bytes.length, offset + mss));
      this.segment(at, from, to, flags.psh | flags.ack, payload);
      from.seq = (from.seq + payload.length) >>> 0;
    }
  }

  /** FIN from each side and the last ACK. */
  close(at: number): void {
    if (this.state !== 'open') {
      this.state = 'closed';
      return;
    }
    this.state = 'closed';
    this.segment(at, this.esme, this.smsc, flags.fin | flags.ack, Buffer.alloc(0));
    this.esme.seq = (this.esme.seq + 1) >>> 0;
    this.segment(at, this.smsc, this.esme, flags.fin | flags.ack, Buffer.alloc(0));
    this.smsc.seq = (this.smsc.seq + 1) >>> 0;
    this.segment(at, this.esme, this.smsc, flags.ack, Buffer.alloc(0));
  }

  private segment(at: number, from: Side, to: Side, tcpFlags: number, payload: Buffer, withAck = true): void {
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(from.port, 0);
    tcp.writeUInt16BE(to.port, 2);
    tcp.writeUInt32BE(from.seq >>> 0, 4);
    tcp.writeUInt32BE(withAck ? to.seq >>> 0 : 0, 8);
    tcp[12] = 5 << 4;
    tcp[13] = tcpFlags;
    tcp.writeUInt16BE(65535, 14); // window
    const ip = this.v6 ? this.ipv6Header(from.ip, to.ip, 20 + payload.length) : this.ipv4Header(from.ip, to.ip, 20 + payload.length);
    tcp.writeUInt16BE(tcpChecksum(from.ip, to.ip, tcp, payload), 16);
    this.sink.packet(at, Buffer.concat([ip, tcp, payload]));
  }

  private ipv4Header(src: Buffer, dst: Buffer, tcpLength: number): Buffer {
    const header = Buffer.alloc(20);
    header[0] = 0x45;
    header.writeUInt16BE(20 + tcpLength, 2);
    header.writeUInt16BE(this.ipId, 4);
    this.ipId = (this.ipId + 1) & 0xffff;
    header.writeUInt16BE(0x4000, 6); // don't fragment
    header[8] = 64;
    header[9] = 6; // TCP
    src.copy(header, 12);
    dst.copy(header, 16);
    header.writeUInt16BE(onesComplement(sum16(header, 0)), 10);
    return header;
  }

  private ipv6Header(src: Buffer, dst: Buffer, tcpLength: number): Buffer {
    const header = Buffer.alloc(40);
    header.writeUInt32BE(0x60000000, 0);
    header.writeUInt16BE(tcpLength, 4);
    header[6] = 6;
    header[7] = 64;
    src.copy(header, 8);
    dst.copy(header, 24);
    return header;
  }
}

function randomIsn(): number {
  return Math.floor(Math.random() * 0xffffffff) >>> 0;
}

function sum16(bytes: Buffer, start: number): number {
  let sum = start;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (even < bytes.length) sum += bytes[even]! << 8;
  return sum;
}

function onesComplement(sum: number): number {
  let folded = sum;
  while (folded > 0xffff) folded = (folded & 0xffff) + Math.floor(folded / 0x10000);
  return ~folded & 0xffff;
}

function tcpChecksum(src: Buffer, dst: Buffer, tcp: Buffer, payload: Buffer): number {
  const length = tcp.length + payload.length;
  // Pseudo-header: addresses, protocol 6 and the TCP length (same sum for v4 and v6).
  let sum = sum16(src, 0);
  sum = sum16(dst, sum);
  sum += 6 + (length & 0xffff) + Math.floor(length / 0x10000);
  sum = sum16(tcp, sum);
  // The header is 20 octets, so the payload starts on a 16-bit boundary; an odd last octet is padded.
  return onesComplement(sum16(payload, sum));
}

/** The address's octets; anything not an IP literal (a host name) is written as 0.0.0.0. */
export function ipBytes(address: string): Buffer {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const text = mapped ?? address;
  if (isIPv4(text)) return Buffer.from(text.split('.').map(Number));
  if (isIPv6(text)) return ipv6Bytes(text);
  return Buffer.alloc(4);
}

function ipv6Bytes(text: string): Buffer {
  const [head = '', tail] = text.split('::');
  const words = (part: string): number[] => (part === '' ? [] : part.split(':').map((word) => Number.parseInt(word, 16)));
  const left = words(head);
  const right = tail === undefined ? [] : words(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  all.forEach((word, i) => out.writeUInt16BE(word & 0xffff, i * 2));
  return out;
}

function toV6(ip: Buffer): Buffer {
  if (ip.length === 16) return ip;
  return Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]), ip]);
}
