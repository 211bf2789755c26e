/**
 * `edge-sms-agent run`: the agent in the foreground, as systemd runs it. READY=1 once the database
 * and config are up, WATCHDOG=1 from the health loop (src/agent/health/), STOPPING=1 and a bounded graceful stop on
 * SIGTERM or SIGINT.
 */
import { parseArgs } from 'node:util';
import { Agent, SystemdNotifier, defaultConfigPath, loadConfig, redactConfig } from '../agent/index.js';
import { createLogger } from '../logger.js';
import type { CliCommand } from './command.js';

const usage = `edge-sms-agent run [--config PATH]

Runs the agent: the outbox, the SMPP link, the modem, the router, the local API and the MQTT
mirror, until SIGTERM or SIGINT.

  --config PATH   the YAML config (default ${defaultConfigPath}, or $EDGE_SMS_CONFIG);
                  EDGE_SMS_* environment variables override its keys`;

const stopTimeoutMs = 15_000;

export const command: CliCommand = {
  path: ['run'],
  summary: 'run the agent (what systemd starts)',
  usage,
  async run(args) {
    const { values } = parseArgs({ args: [...args], options: { config: { type: 'string' } }, strict: true });
    const file = values.config ?? process.env['EDGE_SMS_CONFIG'] ?? defaultConfigPath;
    const config = loadConfig({ file });
    const logger = createLogger({ level: config.log.level });
    logger.info({ config: redactConfig(config) }, 'configuration loaded');
    const notifier = new SystemdNotifier({ onError: (error) => logger.warn({ err: error }, 'sd_notify failed') });
    // The health loop pets the watchdog (and sets STATUS=): a stuck loop stops the pets and systemd restarts us.
    const watchdog = notifier.watchdogIntervalMs === undefined ? undefined : {
      intervalMs: notifier.watchdogIntervalMs,
      pet: () => void notifier.watchdog(),
      status: (text: string) => void notifier.status(text),
    };
    const agent = new Agent({ config, logger, watchdog });
    try {
      await agent.start();
    } catch (error) {
      // Starts fully or not at all: whatever did come up (the API, a link) goes down again, so the
      // process exits 1 instead of answering 201 and /healthz ok for readings it will never send.
      await agent.stop().catch((stopError: unknown) => logger.error({ err: stopError }, 'stopping after a failed start failed'));
      throw error;
    }
    await notifier.ready('running');

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    logger.info({ signal }, 'stopping');
    await notifier.stopping();
    const deadline = setTimeout(() => {
      logger.error(`graceful stop took longer than ${stopTimeoutMs} ms; exiting`);
      process.exit(1);
    }, stopTimeoutMs);
    await agent.stop();
    clearTimeout(deadline);
    return 0;
  },
};
