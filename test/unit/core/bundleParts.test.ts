import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const script = fileURLToPath(new URL('../../../scripts/bundleParts.ts', import.meta.url));

/** A dist/ as tsc would leave it: two parts and a shared top-level module, written from `files`. */
function fakeDist(files: Record<string, string>): string {
  const dist = mkdtempSync(join(tmpdir(), 'bundle-parts-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dist, path)), { recursive: true });
    writeFileSync(join(dist, path), text);
  }
  return dist;
}

function bundle(dist: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, dist], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe('scripts/bundleParts.ts (the second half of npm run build)', () => {
  let dist: string;
  before(() => {
    dist = fakeDist({
      'errors.js': 'export class PartError extends Error {}\n',
      'alpha/index.js': "export { greet } from './deep/greet.js';\nexport { PartError } from '../errors.js';\n",
      'alpha/deep/greet.js': "import { PartError } from '../../errors.js';\nexport const greet = (n) => { if (!n) throw new PartError('no name'); return `hello ${n}`; };\nexport const later = () => import('./lazy.js');\n",
      'alpha/deep/lazy.js': "export const lazy = 'loaded on demand';\n",
      'alpha/deep/greet.d.ts': 'export declare const greet: (n: string) => string;\n',
      'beta/index.js': "import { greet } from '../alpha/index.js';\nimport { PartError } from '../errors.js';\nexport const twice = (n) => greet(n) + ' ' + greet(n);\nexport { PartError };\n",
    });
  });
  after(() => rmSync(dist, { recursive: true, force: true }));

  it('makes each part one module that imports other parts through their faces, and keeps declarations', async () => {
    const result = bundle(dist);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /bundled 2 parts: alpha, beta/);
    assert.ok(!existsSync(join(dist, 'alpha/deep/greet.js')), 'the part keeps no per-file modules');
    assert.ok(existsSync(join(dist, 'alpha/deep/greet.d.ts')), 'declarations stay');
    assert.match(readFileSync(join(dist, 'beta/index.js'), 'utf8'), /from "\.\.\/alpha\/index\.js"/);

    const beta = (await import(pathToFileURL(join(dist, 'beta/index.js')).href)) as { twice(n: string): string; PartError: new () => Error };
    const alpha = (await import(pathToFileURL(join(dist, 'alpha/index.js')).href)) as { greet(n: string): string; PartError: new () => Error };
    const errors = (await import(pathToFileURL(join(dist, 'errors.js')).href)) as { PartError: new () => Error };
    assert.equal(beta.twice('pi'), 'hello pi hello pi');
    // One copy of a shared class, whichever part hands it out: instanceof works across parts.
    assert.equal(alpha.PartError, errors.PartError);
    assert.equal(beta.PartError, errors.PartError);
    assert.throws(() => alpha.greet(''), errors.PartError);
  });

  it('keeps a dynamic import lazy, as a chunk of its own', () => {
    // Besides lazy.js's chunk, esbuild may share its own helpers (keepNames' __name) as a chunk.
    const chunks = readdirSync(join(dist, 'alpha')).filter((name) => name.endsWith('.js') && name !== 'index.js');
    const holding = chunks.filter((name) => readFileSync(join(dist, 'alpha', name), 'utf8').includes('loaded on demand'));
    assert.equal(holding.length, 1, `lazy.js in one chunk; chunks: ${chunks.join(', ')}`);
    assert.doesNotMatch(readFileSync(join(dist, 'alpha/index.js'), 'utf8'), /loaded on demand/);
  });

  it("fails the build, naming the file, when a part reaches into another part's internals", () => {
    const bad = fakeDist({
      'alpha/index.js': "export { x } from './x.js';\n",
      'alpha/x.js': 'export const x = 1;\n',
      'beta/index.js': "export { x } from '../alpha/x.js';\n",
    });
    try {
      const result = bundle(bad);
      assert.notEqual(result.status, 0);
      assert.match(result.output, /beta\/index\.js imports alpha\/x\.js: another part is reached only through its index\.js/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
