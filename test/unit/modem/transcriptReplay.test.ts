/**
 * Every transcript in test/fixtures/modem/transcripts/ is replayed against the driver: the fake port checks
 * the driver writes exactly the host lines, in order, and answers with the modem lines. A transcript without
 * a listed expectation (a capture added later) still has to replay cleanly with every URC recognised; the
 * listed ones must give the results they imply.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { replayTranscript } from '../../fakes/transcriptRunner.js';
import { expectations } from '../../fixtures/modem/transcriptExpectations.js';

const dir = fileURLToPath(new URL('../../fixtures/modem/transcripts/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

/** `actual` contains everything `expected` lists (objects by key, arrays element-wise with equal length). */
function assertContains(actual: unknown, expected: unknown, path: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((item, i) => assertContains(actual[i], item, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${path}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [key, value] of Object.entries(expected)) assertContains((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    return;
  }
  assert.deepEqual(actual, expected, path);
}

describe('transcript replay against the driver', () => {
  it('ships every transcript that has an expectation (so none is silently dropped)', () => {
    const expected = Object.keys(expectations);
    assert.ok(expected.length >= 35);
    for (const file of expected) assert.ok(files.includes(file), `${file} missing from fixtures`);
  });

  for (const file of files) {
    it(file, async () => {
      const outcome = await replayTranscript(`${dir}${file}`);
      const expectation = expectations[file] ?? {};
      let cursor = 0;
      for (const [command, value] of expectation.steps ?? []) {
        const index = outcome.results.findIndex((r, i) => i >= cursor && r.command === command);
        assert.ok(index >= 0, `${file}: no result for ${command} after step ${cursor}`);
        assertContains(outcome.results[index]?.value, value, `${file} ${command}`);
        cursor = index + 1;
      }
      if (expectation.urcs) assertContains(outcome.urcs, expectation.urcs, `${file} urcs`);
      assertContains(outcome.messages, expectation.messages ?? [], `${file} messages`);
      assertContains(outcome.reports, expectation.reports ?? [], `${file} reports`);
      // No URC the transcript shows may be left unrecognised.
      for (const urc of outcome.urcs) assert.notEqual(urc.kind, 'unknown', `${file}: unrecognised URC ${urc.line}`);
    });
  }
});
