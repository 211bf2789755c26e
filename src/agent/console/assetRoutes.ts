/**
 * The web console's files:
 *   GET /                     302 → /console/
 *   GET /console/             the page (index.html); /console/app.js, /console/app.css
 *   GET /console/config.json  what the page needs to know of the config ({tilesUrl, lan, version})
 *
 * The files are built into dist/console/ by `npm run build` and read once, then served from memory
 * (gzip when the browser takes it). A Content-Security-Policy keeps the page to this origin: it
 * fetches nothing from the internet, except map tiles from `console.tilesUrl` when one is set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { consoleAssetsDir } from '../../paths.js';
import { agentVersion } from '../../version.js';
import { reply, replyFailure, type Route } from '../api/index.js';

const types: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

interface Asset {
  readonly raw: Buffer;
  readonly gzip: Buffer;
  readonly type: string;
}

export interface AssetRouteOptions {
  readonly tilesUrl: string | undefined;
  readonly lan: boolean;
  /** Where the built files are (default: the package's dist/console/). */
  readonly dir?: string;
}

export function contentSecurityPolicy(tilesUrl: string | undefined): string {
  const tiles = tilesUrl === undefined ? '' : ` ${new URL(tilesUrl.replace(/[{}]/g, '')).origin}`;
  return `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:${tiles}; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
}

export function assetRoutes(options: AssetRouteOptions): readonly Route[] {
  const dir = options.dir ?? consoleAssetsDir;
  const cache = new Map<string, Asset>();
  const csp = contentSecurityPolicy(options.tilesUrl);

  function load(name: string): Asset | undefined {
    const type = types[name];
    if (type === undefined) return undefined;
    let asset = cache.get(name);
    if (asset === undefined) {
      const raw = readFileSync(join(dir, name));
      asset = { raw, gzip: gzipSync(raw, { level: 9 }), type };
      cache.set(name, asset);
    }
    return asset;
  }

  function send(response: ServerResponse, asset: Asset, gzip: boolean, head: boolean): void {
    const body = gzip ? asset.gzip : asset.raw;
    response.writeHead(200, {
      'Content-Type': asset.type,
      'Content-Length': body.length,
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    response.end(head ? undefined : body);
  }

  return [
    {
      method: 'GET',
      path: '/',
      handle: ({ response }) => {
        response.writeHead(302, { Location: '/console/', 'Content-Length': 0 });
        response.end();
      },
    },
    {
      method: 'GET',
      path: '/console',
      handle: ({ response }) => {
        response.writeHead(301, { Location: '/console/', 'Content-Length': 0 });
        response.end();
      },
    },
    {
      method: 'GET',
      path: '/console/config.json',
      handle: ({ response }) => {
        reply(response, 200, { version: agentVersion, lan: options.lan, tilesUrl: options.tilesUrl ?? null }, { 'Cache-Control': 'no-store' });
      },
    },
    {
      method: 'GET',
      path: '/console/',
      handle: ({ request, response, url }) => {
        const name = url.pathname === '/console/' ? 'index.html' : url.pathname.slice('/console/'.length);
        let asset: Asset | undefined;
        try {
          asset = load(name);
        } catch {
          return replyFailure(response, 503, 'console-not-built', `the console's files are not in ${dir}: run npm run build`);
        }
        if (asset === undefined) return replyFailure(response, 404, 'not-found', `no console file ${name}`);
        const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
        send(response, asset, gzip, request.method === 'HEAD');
      },
    },
  ];
}
