import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AtFramer, type AtToken } from '../../../src/modem/at/framer.js';

function feed(...chunks: string[]): AtToken[] {
  const framer = new AtFramer();
  return chunks.flatMap((chunk) => framer.push(Buffer.from(chunk, 'latin1')));
}

const lines = (tokens: AtToken[]): string[] => tokens.flatMap((t) => (t.kind === 'line' ? [t.text] : t.kind === 'prompt' ? ['<prompt>'] : ['<garbage>']));

describe('AtFramer', () => {
  it('splits CR LF framed lines and drops empty ones', () => {
    assert.deepEqual(lines(feed('\r\n+CMGR: 0,,24\r\n0791\r\n\r\nOK\r\n')), ['+CMGR: 0,,24', '0791', 'OK']);
  });

  it('treats echo ending in bare CR, doubled CR and bare CR as separators', () => {
    assert.deepEqual(lines(feed('AT\r\r\nOK\r\n', '\r\r\n+CMTI: "ME",1\r\r\n', 'A\rB\r')), ['AT', 'OK', '+CMTI: "ME",1', 'A', 'B']);
  });

  it('joins a line split across chunks, byte by byte', () => {
    assert.deepEqual(lines(feed(...'\r\n+CSQ: 18,99\r\n\r\nOK\r\n'.split(''))), ['+CSQ: 18,99', 'OK']);
  });

  it('yields the prompt without a terminator, in its three real shapes', () => {
    assert.deepEqual(lines(feed('AT+CMGS=24\r\r\n> ')), ['AT+CMGS=24', '<prompt>']);
    assert.deepEqual(lines(feed('\r\n>\r\n')), ['<prompt>']);
    assert.deepEqual(lines(feed('\r\n> 0791AB\r\n\r\n+CMS ERROR: 500\r\n')), ['<prompt>', '0791AB', '+CMS ERROR: 500']);
    assert.deepEqual(lines(feed('\r\n>', ' ')), ['<prompt>']);
  });

  it('discards control bytes and baud-rate noise as garbage, keeping the lines around them', () => {
    const tokens = feed('\x00\x13\r\nO\x01K\r\n\xfe\xe1\xf0\x9c\x88\r\nRDY\r\n');
    assert.deepEqual(lines(tokens), ['<garbage>', '<garbage>', 'OK', '<garbage>', 'RDY']);
  });

  it('drops high-byte noise glued to the front of a line (autobauding SIM800)', () => {
    const tokens = feed('\xff\xfe\x00AT\r\r\nOK\r\n');
    assert.deepEqual(lines(tokens), ['<garbage>', '<garbage>', '<garbage>', 'AT', 'OK']);
  });

  it('splits a final result or URC glued to the line before it by a lost newline', () => {
    assert.deepEqual(lines(feed('\r\nOK+CMTI: "SM",3\r\n')), ['OK', '+CMTI: "SM",3']);
    assert.deepEqual(lines(feed('\r\n+CSQ: 18,99+CMTI: "SM",3\r\n')), ['+CSQ: 18,99', '+CMTI: "SM",3']);
  });

  it('throws away an endless line instead of growing without bound', () => {
    const tokens = feed('A'.repeat(20000), '\r\nOK\r\n');
    assert.equal(tokens.at(-1)?.kind, 'line');
    assert.ok(tokens.some((t) => t.kind === 'garbage'));
  });
});
