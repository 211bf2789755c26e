import { PduLink } from '../src/smpp/index.js';
const proto = PduLink.prototype as unknown as Record<string, (this: unknown, chunk: Buffer) => void>;
const original = proto['receive']!;
const sizes: number[] = [];
proto['receive'] = function (chunk: Buffer) { sizes.push(chunk.length); original.call(this, chunk); };
process.on('exit', () => {
  const s = sizes.slice(-20000).sort((a, b) => a - b);
  process.stderr.write(`reads ${sizes.length} median ${s[s.length >> 1]} p99 ${s[Math.floor(s.length * 0.99)]} max ${s[s.length - 1]}\n`);
});
await import('./_sessionClient.ts');
