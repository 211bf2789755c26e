/**
 * Config errors and the start-up configuration dump never show a secret's value, whatever its
 * YAML type, and credentials holding `@`, `:` or `/` (percent-encoded, or a raw `@`) parse.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, redactConfig } from '../../../src/agent/config/index.js';
import { isAgentError } from '../../../src/errors.js';
import { parseSmppUrl } from '../../../src/smpp/index.js';

const minimal = 'device: { id: pi-1 }\nsmpp: { destination: "+447700900000" }\n';

/** The error's message and context as they would be logged. */
function failure(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    loadConfig({ text, env });
  } catch (error) {
    assert.ok(isAgentError(error), String(error));
    return JSON.stringify({ message: error.message, context: error.context, json: error.toJSON() });
  }
  assert.fail(`accepted: ${text}`);
}

describe('secrets in the configuration', () => {
  it('a config error never echoes a secret, whatever its YAML type', () => {
    const cases: Array<[string, string]> = [
      [`${minimal}commands: { pin: 98765 }`, '98765'],
      [`${minimal}commands: { pin: 987.65 }`, '987.65'],
      [`${minimal}commands: { pin: "98x65" }`, '98x65'],
      [`${minimal}commands: { pin: [98765] }`, '98765'],
      [`${minimal}commands: { pin: { code: 98765 } }`, '98765'],
      [`${minimal}commands: { pin: true }`, 'true'],
      [`${minimal}modem: { pin: 98765 }`, '98765'],
      [`${minimal}mqtt: { password: 314159 }`, '314159'],
      [`${minimal}mqtt: { password: [hunter2] }`, 'hunter2'],
      [`${minimal}commands: { key: "too-short-key" }`, 'too-short-key'],
      [`${minimal}commands: { key: 31415926535897932384 }`, '3141592653'],
      ['device: { id: pi-1 }\nsmpp: { destination: "+447700900000", url: "http://esme1:pa55w0rd@host" }', 'pa55w0rd'],
      ['device: { id: pi-1 }\nsmpp: { destination: "+447700900000", url: 27751234 }', '27751234'],
    ];
    for (const [text, secret] of cases) {
      const shown = failure(text);
      assert.ok(!shown.includes(secret), `${text} → ${shown}`);
      assert.match(shown, /\[redacted\]|must be/);
    }
    const fromEnv = failure(minimal, { EDGE_SMS_COMMANDS_PIN: '12ab34' });
    assert.ok(!fromEnv.includes('12ab34'), fromEnv);
    assert.match(failure(`${minimal}commands: { pin: 98765 }`), /commands\.pin: must be a string \(quote it/);
  });

  it('the configuration dump hides every secret, and a URL password with a raw @ whole', () => {
    const config = loadConfig({
      text: [
        'device: { id: pi-1 }',
        'smpp: { destination: "+447700900000", url: "smpp://esme1:p@ss:w/@127.0.0.1:2775" }',
        'modem: { pin: "2468" }',
        'mqtt: { username: dev, password: "mq-secret" }',
        'commands: { pin: "97531", key: "0123456789abcdef-key" }',
      ].join('\n'),
      env: {},
    });
    const dump = JSON.stringify(redactConfig(config));
    for (const secret of ['p@ss', 'ss:w', 'w/@', '2468', 'mq-secret', '97531', '0123456789abcdef-key']) assert.ok(!dump.includes(secret), `${secret} in ${dump}`);
    assert.match(dump, /smpp:\/\/esme1:\[redacted\]@127\.0\.0\.1:2775/);
  });

  it('SMPP credentials with @, : or / parse when percent-encoded, and a raw @ or : too', () => {
    assert.equal(parseSmppUrl('smpp://esme%401:p%40s%3A%2F1@127.0.0.1:2775').password, 'p@s:/1');
    assert.equal(parseSmppUrl('smpp://esme%401:p%40s%3A%2F1@127.0.0.1:2775').systemId, 'esme@1');
    assert.equal(parseSmppUrl('smpp://esme1:p@ss@127.0.0.1:2775').password, 'p@ss');
    assert.equal(parseSmppUrl('smpp://esme1:a:b@127.0.0.1:2775').password, 'a:b');
    assert.equal(parseSmppUrl('smpp://esme1:a%25b@127.0.0.1:2775').password, 'a%b');
  });
});
