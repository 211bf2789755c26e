/**
 * The local web console, as the agent wires it: the routes it adds to the local API (commands,
 * store views, the page's files) and, when `console.lan` is set, the token-guarded LAN listener.
 * The agent calls `routes()` before the API listens, `open()` after, and `stop()` before closing it.
 */
import type { Logger } from '../../logger.js';
import type { CommandHandlers } from '../../mqtt/index.js';
import type { Store } from '../../store/index.js';
import type { ApiAddress, IngestApi, Route } from '../api/index.js';
import type { AgentConfig } from '../config/index.js';
import { assetRoutes } from './assetRoutes.js';
import { cmdRoutes } from './cmdRoutes.js';
import { dataRoutes } from './dataRoutes.js';
import { LanConsole } from './lanServer.js';

export interface ConsoleParts {
  readonly handlers: CommandHandlers;
  readonly store: () => Store;
}

export class WebConsole {
  private lan: LanConsole | undefined;

  constructor(
    private readonly config: AgentConfig,
    private readonly parts: ConsoleParts,
    private readonly logger: Logger,
  ) {}

  /** `POST /cmd/<name>` and the store views are part of the API; the page itself only when the console is enabled. */
  routes(): readonly Route[] {
    const { config, parts } = this;
    return [
      ...cmdRoutes({ handlers: parts.handlers }),
      ...dataRoutes({ store: parts.store, commands: { allow: config.commands.allow, pin: config.commands.pin } }),
      ...(config.console.enabled ? assetRoutes({ tilesUrl: config.console.tilesUrl, lan: config.console.lan !== undefined }) : []),
    ];
  }

  /** Logs where the console is, and opens the LAN door when configured (a bad token file fails the start). */
  async open(api: IngestApi, local: ApiAddress): Promise<void> {
    const { config } = this;
    if (!config.console.enabled) return;
    if (local.kind === 'tcp') this.logger.info({ address: `http://${local.host.includes(':') ? `[${local.host}]` : local.host}:${local.port}/console/` }, 'web console on loopback');
    const lan = config.console.lan;
    if (lan === undefined) return;
    this.lan = new LanConsole(api, lan, this.logger);
    await this.lan.start();
  }

  async stop(): Promise<void> {
    await this.lan?.stop();
  }
}
