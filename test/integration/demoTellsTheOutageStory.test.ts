/**
 * The README's first command: the demo runs the whole agent against the simulated SMSC, modem and
 * broker, cuts the SMSC, and ends with an empty backlog and far fewer SMS than readings.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runDemo } from '../../src/agent/demo/scenario.js';

describe('edge-sms-agent demo', () => {
  it('shows reports flowing, an outage buffered (alarm by modem), and the backlog drained', async () => {
    const lines: string[] = [];
    const tally = await runDemo({ scale: 0.35, write: (line) => lines.push(line) });
    const text = lines.join('\n');
    assert.match(text, /SMSC simulator +smpp:\/\/127\.0\.0\.1:\d+/);
    assert.match(text, /SMSC ⇐ report seq \d+ from device 42: \d+ telemetry/);
    assert.match(text, /SMSC ⇐ report .*\d+ location/, 'the GNSS poller queued location reports');
    assert.match(text, /✂ the SMSC goes away/);
    assert.match(text, /SMPP closed/);
    assert.match(text, /the modem sent [1-9]\d* SMS for the alarm/);
    assert.match(text, /✔ the SMSC is back/);
    const rebound = /✔ bound again (\d+\.\d) s later/.exec(text);
    assert.ok(rebound !== null && Number(rebound[1]) <= 2.5, `"the SMSC is back" is followed by "bound" within a second or two: ${rebound?.[0] ?? 'no bound line'}`);
    assert.match(text, /location reports +\d+ \(made by the agent itself/, 'the summary tells location reports from readings');
    assert.match(text, /SMS parts sent +\d+ \(SMPP \d+, modem \d+\): readings wait/);
    assert.match(text, /waiting 0, failed 0, expired 0/);
    assert.match(text, /MQTT mirror +[1-9]\d* state updates; events: .*outage-began, outage-ended/);
    assert.ok(tally.readings >= 20, `${tally.readings} readings`);
    assert.ok(tally.modemParts >= 1);
    assert.ok(tally.maxBacklog >= 5, `backlog peaked at ${tally.maxBacklog}`);
    assert.ok(tally.smppParts + tally.modemParts < tally.readings / 2, `${tally.smppParts + tally.modemParts} SMS for ${tally.readings} readings`);
  });
});
