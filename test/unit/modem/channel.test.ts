import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AtChannel } from '../../../src/modem/at/channel.js';
import type { Urc } from '../../../src/modem/at/urc.js';
import { hasErrorCode, ErrorCode, AgentError } from '../../../src/errors.js';
import { ManualClock } from '../../fakes/manualClock.js';
import { openMockModemPort, flushIo } from '../../fakes/mockSerial.js';

async function setup(): Promise<{ channel: AtChannel; modem: Awaited<ReturnType<typeof openMockModemPort>>; urcs: Urc[]; clock: ManualClock }> {
  const modem = await openMockModemPort();
  const clock = new ManualClock();
  const channel = new AtChannel(modem.port, { clock, timeoutMs: 1000 });
  const urcs: Urc[] = [];
  channel.onUrc((u) => urcs.push(u));
  return { channel, modem, urcs, clock };
}

describe('AtChannel over MockBinding', () => {
  it('assembles a response split into tiny chunks, dropping the echo', async () => {
    const { channel, modem } = await setup();
    const pending = channel.send('AT+CSQ');
    await modem.waitForWrite('AT+CSQ\r');
    for (const part of ['AT+CS', 'Q\r\r\n+CS', 'Q: 18,', '99\r\n\r\nO', 'K\r\n']) {
      modem.emit(part);
      await flushIo();
    }
    assert.deepEqual((await pending).lines, ['+CSQ: 18,99']);
    channel.close();
    await modem.close();
  });

  it('hands a URC that arrives inside a response to listeners, not to the command', async () => {
    const { channel, modem, urcs } = await setup();
    const pending = channel.send('AT+CPMS="SM","SM","SM"');
    await modem.waitForWrite('\r');
    modem.emit('\r\n+CPMS: 0,30,0,30,0,30\r\n\r\n+CMTI: "SM",1\r\n\r\nRING\r\n\r\nOK\r\n');
    assert.deepEqual((await pending).lines, ['+CPMS: 0,30,0,30,0,30']);
    assert.deepEqual(urcs.map((u) => u.kind), ['new-message', 'ring']);
    assert.equal(urcs[0]?.kind === 'new-message' && urcs[0].index, 1);
    channel.close();
    await modem.close();
  });

  it('tells the answer to AT+CREG? from an unsolicited +CREG in the same response', async () => {
    const { channel, modem, urcs } = await setup();
    const pending = channel.send('AT+CREG?');
    await modem.waitForWrite('\r');
    modem.emit('\r\n+CREG: 1,"1F00","79D903",7\r\n\r\n+CREG: 2,1,"1F00","79D903",7\r\n\r\nOK\r\n');
    assert.deepEqual((await pending).lines, ['+CREG: 2,1,"1F00","79D903",7']);
    assert.equal(urcs[0]?.kind === 'registration' && urcs[0].state.stat, 1);
    channel.close();
    await modem.close();
  });

  it('answers the > prompt with the PDU and Ctrl-Z and returns +CMGS', async () => {
    const { channel, modem } = await setup();
    const pdu = '0001000B917228001011F100000CC8329BFD065DDF72363904';
    const pending = channel.send('AT+CMGS=24', { data: pdu, timeoutMs: 60000 });
    await modem.waitForWrite('AT+CMGS=24\r');
    assert.ok(!modem.written().includes(pdu), 'PDU must wait for the prompt');
    modem.emit('\r\n> ');
    await modem.waitForWrite(`${pdu}\x1a`);
    modem.emit(`${pdu}\r\n\r\n+CMGS: 192\r\n\r\nOK\r\n`);
    assert.deepEqual((await pending).lines, ['+CMGS: 192']);
    channel.close();
    await modem.close();
  });

  it('times out on a silent modem with Modem_Timeout, and sends ESC when the prompt never came', async () => {
    const { channel, modem, clock } = await setup();
    const pending = channel.send('AT+CMGS=24', { data: '00', promptTimeoutMs: 500 });
    await modem.waitForWrite('AT+CMGS=24\r');
    clock.advance(499);
    clock.advance(1);
    await assert.rejects(pending, (e: unknown) => hasErrorCode(e, ErrorCode.Modem_Timeout));
    await modem.waitForWrite('\x1b');
    const next = channel.send('AT+CSQ');
    // The modem answers the ESC with OK; the next command waits out the drain gap, so that OK is not its answer.
    modem.emit('\r\nOK\r\n');
    await flushIo();
    assert.ok(!modem.written().includes('AT+CSQ'), 'next command held back during the drain gap');
    clock.advance(500);
    await modem.waitForWrite('AT+CSQ\r', modem.written().indexOf('\x1b'));
    modem.emit('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    assert.deepEqual((await next).lines, ['+CSQ: 20,99']);
    assert.equal(clock.pending, 0);
    channel.close();
    await modem.close();
  });

  it('turns +CME/+CMS errors into coded AgentErrors, numeric, text and empty', async () => {
    const { channel, modem } = await setup();
    const cases: Array<[string, number, number | undefined]> = [
      ['+CME ERROR: SIM busy', ErrorCode.Modem_CmeError, 14],
      ['+CME ERROR: 10', ErrorCode.Modem_CmeError, 10],
      ['+CMS ERROR: 500', ErrorCode.Modem_CmsError, 500],
      ['+CMS ERROR:', ErrorCode.Modem_CmsError, undefined],
      ['ERROR', ErrorCode.Modem_CommandError, undefined],
    ];
    for (const [line, code, number] of cases) {
      const pending = channel.send('AT+CPIN?');
      await modem.waitForWrite('\r', modem.written().length - 1);
      modem.emit(`\r\n${line}\r\n`);
      await assert.rejects(pending, (e: unknown) => {
        assert.ok(e instanceof AgentError);
        assert.equal(e.code, code);
        if (code !== ErrorCode.Modem_CommandError) assert.equal(e.context['cme'] ?? e.context['cms'], number);
        return true;
      });
    }
    channel.close();
    await modem.close();
  });

  it('fails the command in flight at once when the modem reboots', async () => {
    const { channel, modem, urcs } = await setup();
    const pending = channel.send('AT+COPS?');
    await modem.waitForWrite('\r');
    modem.emit('\r\nRDY\r\n\r\n+CFUN: 1\r\n');
    await assert.rejects(pending, (e: unknown) => hasErrorCode(e, ErrorCode.Modem_Rebooted));
    await flushIo();
    assert.deepEqual(urcs.map((u) => u.kind), ['boot', 'vendor']);
    channel.close();
    await modem.close();
  });

  it('collects +CMT and +CDS PDUs, also when a URC is injected inside the PDU line', async () => {
    const { modem, urcs, channel } = await setup();
    modem.emit('\r\n+CMT: ,23\r\n07918497483252F0840B918496\r\n^RSSI:19\r\n445078F700007121320144744004D4F29C0E\r\n');
    modem.emit('\r\n+CDS: 25\r\n07914875215652F006360B914892347527F3817003018104808170030181448000\r\n');
    await flushIo();
    assert.deepEqual(urcs.map((u) => u.kind), ['vendor', 'message', 'status-report']);
    const message = urcs[1];
    assert.ok(message?.kind === 'message' && message.mode === 'pdu');
    assert.equal(message.pdu, '07918497483252F0840B918496445078F700007121320144744004D4F29C0E');
    channel.close();
    await modem.close();
  });

  it('re-joins a +CMGR PDU split by an injected URC and keeps +CMGL records apart', async () => {
    const { channel, modem, urcs } = await setup();
    const pending = channel.send('AT+CMGL=4');
    await modem.waitForWrite('\r');
    modem.emit('\r\n+CMGL: 0,1,,23\r\n07918497483252F0840B918496\r\n^BOOT:91409020,0,0,0,6\r\n445078F700007121320144744004D4F29C0E\r\n+CMGL: 1,1,,23\r\n07918497483252F0840B918496445078F700007121320144744004D4F29C0E\r\n\r\nOK\r\n');
    assert.deepEqual((await pending).lines, [
      '+CMGL: 0,1,,23',
      '07918497483252F0840B918496445078F700007121320144744004D4F29C0E',
      '+CMGL: 1,1,,23',
      '07918497483252F0840B918496445078F700007121320144744004D4F29C0E',
    ]);
    assert.equal(urcs[0]?.kind, 'vendor');
    channel.close();
    await modem.close();
  });

  it('lets a caller wait for a URC with a timeout (awaiter registry)', async () => {
    const { channel, modem, clock } = await setup();
    const ready = channel.waitForUrc((u) => u.kind === 'ready' && u.what === 'sms', 10000);
    modem.emit('\r\n+QIND: SMS DONE\r\n');
    assert.equal((await ready).kind, 'ready');
    const never = channel.waitForUrc((u) => u.kind === 'ring', 100);
    clock.advance(100);
    await assert.rejects(never, (e: unknown) => hasErrorCode(e, ErrorCode.Modem_Timeout));
    channel.close();
    await modem.close();
  });

  it('fails pending commands with Modem_PortClosed when the port closes', async () => {
    const { channel, modem } = await setup();
    const pending = channel.send('AT');
    await modem.waitForWrite('AT\r');
    await modem.close();
    await assert.rejects(pending, (e: unknown) => hasErrorCode(e, ErrorCode.Modem_PortClosed));
    await assert.rejects(channel.send('AT'), (e: unknown) => hasErrorCode(e, ErrorCode.Modem_PortClosed));
  });
  it('text-mode +CMT with the standard 27.005 header (AT+CSDH=1): a multi-line body arrives whole, its length honoured', async () => {
    const { channel, modem, urcs } = await setup();
    const header = (length: number): string => `+CMT: "+447700900123",,"24/01/02,10:20:30+04",145,4,0,0,"+447785016005",145,${length}`;
    // LF inside the text: 8 + 1 + 6 characters.
    modem.emit(`\r\n${header(15)}\r\nline one\nline 2\r\n`);
    await flushIo();
    assert.equal(urcs.length, 1);
    assert.deepEqual(urcs[0]?.kind === 'message' && urcs[0].mode === 'text' ? urcs[0].text : undefined, 'line one\nline 2');
    // CR LF inside the text counts two; the body is complete when the next line could not belong to it,
    // and that line (a command's OK) is not swallowed.
    const pending = channel.send('AT');
    await modem.waitForWrite('AT\r');
    modem.emit(`\r\n${header(16)}\r\nline one\r\nline 2\r\n\r\nOK\r\n`);
    assert.deepEqual((await pending).lines, []);
    assert.equal(urcs.length, 2);
    assert.deepEqual(urcs[1]?.kind === 'message' && urcs[1].mode === 'text' ? [urcs[1].text, urcs[1].fields[0]] : undefined, ['line one\nline 2', '+447700900123']);
    channel.close();
    await modem.close();
  });

  it('a damaged +CMT announcing a huge length never wedges the channel: the body is one line and the next command works', async () => {
    const { channel, modem, urcs } = await setup();
    modem.emit('\r\n+CMT: "+447700900123",,"24/01/02,10:20:30+04",145,4,0,0,"+447785016005",145,4294967295\r\nhello\r\n');
    await flushIo();
    const pending = channel.send('AT+CSQ');
    await modem.waitForWrite('AT+CSQ\r');
    modem.emit('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    assert.deepEqual((await pending).lines, ['+CSQ: 20,99']);
    assert.deepEqual(urcs.map((urc) => (urc.kind === 'message' && urc.mode === 'text' ? urc.text : urc.kind)), ['hello']);
    channel.close();
    await modem.close();
  });

  it('a +CMT body that never completes is handed on after its time, and the channel goes on', async () => {
    const { channel, modem, urcs, clock } = await setup();
    modem.emit('\r\n+CMT: "+447700900123",,"24/01/02,10:20:30+04",145,4,0,0,"+447785016005",145,300\r\npart of it\r\n');
    await flushIo();
    assert.equal(urcs.length, 0, 'still waiting for the rest');
    clock.advance(2000);
    assert.deepEqual(urcs.map((urc) => (urc.kind === 'message' && urc.mode === 'text' ? urc.text : urc.kind)), ['part of it']);
    const pending = channel.send('AT');
    await modem.waitForWrite('AT\r');
    modem.emit('\r\nOK\r\n');
    assert.deepEqual((await pending).lines, []);
    channel.close();
    await modem.close();
  });
});
