/** Unsigned LEB128 varints and zigzag signed integers over safe JS integers, for the binary report encoding. */
import { malformed } from './model.js';

export class ByteWriter {
  private buffer = Buffer.allocUnsafe(256);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value & 0xff;
  }

  /** Unsigned varint of a safe integer (7 bits a byte, low first). */
  uvarint(value: number): void {
    this.ensure(8);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  /** Zigzag: 0, -1, 1, -2 … → 0, 1, 2, 3 …, so small negatives stay short. */
  svarint(value: number): void {
    this.uvarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  float64(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleBE(value, this.length);
    this.length += 8;
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.uvarint(bytes.length);
    this.ensure(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  finish(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export class ByteReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  byte(): number {
    const value = this.bytes[this.offset];
    if (value === undefined) throw malformed('truncated binary report', { offset: this.offset });
    this.offset++;
    return value;
  }

  uvarint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(value)) break;
        return value;
      }
      scale *= 0x80;
    }
    throw malformed('varint too long', { offset: this.offset });
  }

  svarint(): number {
    const zigzag = this.uvarint();
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  }

  float64(): number {
    if (this.remaining < 8) throw malformed('truncated float', { offset: this.offset });
    const value = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.offset, 8).readDoubleBE(0);
    this.offset += 8;
    return value;
  }

  string(): string {
    const length = this.uvarint();
    if (length > this.remaining) throw malformed('string runs past the end', { offset: this.offset, length });
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    try {
      return strictUtf8.decode(slice);
    } catch {
      throw malformed('string is not valid UTF-8', { offset: this.offset });
    }
  }
}
