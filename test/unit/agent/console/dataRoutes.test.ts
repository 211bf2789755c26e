/** How the console's store views show inbox entries: commands found, PINs masked, binary bodies marked and bounded. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inboxItem, maskPin } from '../../../../src/agent/console/dataRoutes.js';
import type { InboxEntry } from '../../../../src/store/index.js';

const entry = (payload: string | Uint8Array, overrides: Partial<InboxEntry> = {}): InboxEntry => ({
  id: 7, type: 'mo', link: 'smpp', sender: '+447700900123', recipient: '+447700900000', payload, sentAt: null, receivedAt: Date.UTC(2026, 0, 1), partCount: 1, receiptRef: null, receiptOutcome: null, undecodable: null, ...overrides,
});
const policy = { allow: ['+447700900123'], pin: '4321' };

describe('console inbox items', () => {
  it('masks the PIN of a command, whatever its case and spacing', () => {
    assert.equal(maskPin('PIN 4321 STATUS'), 'PIN •••• STATUS');
    assert.equal(maskPin('  pin   4321 report alarm'), '  pin   •••• report alarm');
    assert.equal(maskPin('hello PIN 4321'), 'hello PIN 4321', 'only a leading PIN is a command PIN');
  });

  it('tells commands, refused commands and plain SMS apart', () => {
    assert.equal(inboxItem(entry('PIN 4321 STATUS'), policy)['kind'], 'command');
    assert.equal(inboxItem(entry('PIN 4321 STATUS'), policy)['text'], 'PIN •••• STATUS');
    assert.equal(inboxItem(entry('PIN 0000 STATUS'), policy)['kind'], 'refused-command');
    assert.equal(inboxItem(entry('STATUS', { sender: '+15550001' }), policy)['kind'], 'refused-command');
    assert.equal(inboxItem(entry('see you at 5'), policy)['kind'], 'sms');
  });

  it('marks binary bodies undecodable and bounds their hex', () => {
    const item = inboxItem(entry(new Uint8Array(300).fill(0xab)), policy);
    assert.equal(item['undecodable'], true);
    assert.equal(item['text'], null);
    assert.equal(item['hex'], `${'ab'.repeat(140)}…`);
  });

  it('marks what the inbox kept as undecodable, with its reason', () => {
    const item = inboxItem(entry(new Uint8Array([0x05, 0x00, 0x03]), { undecodable: 'bad UDH' }), policy);
    assert.equal(item['undecodable'], true);
    assert.equal(item['reason'], 'bad UDH');
  });

  it('shows a receipt by its outcome and reference', () => {
    const item = inboxItem(entry(new Uint8Array([1]), { type: 'receipt', receiptRef: 'abc', receiptOutcome: 'delivered' }), policy);
    assert.equal(item['kind'], 'receipt');
    assert.deepEqual(item['receipt'], { ref: 'abc', outcome: 'delivered' });
  });
});
