/**
 * `edge-sms-agent run`: the agent in the foreground, as systemd runs it. READY=1 once the database
 * and config are up, WATCHDOG=1 from the event loop, STOPPING=1 and a bounded graceful stop on
 * SIGTERM or SIGINT.
 */
import { parseArgs } from 'node:util';
import { Agent, SystemdNotifier, defaultConfigPath, loadConfig, redactConfig } from '../agent/index.js';
import { createLogger } from '../logger.js';
import { isErrorInRange } from '../errors.js';
import type { CliCommand } from './command.js';

const usage = `edge-sms-agent run [--config PATH]

Runs the agent: the outbox, the SMPP link, the modem, the router, the local API and the MQTT
mirror, until SIGTERM or SIGINT.

  --config PATH   the YAML config (default ${defaultConfigPath}, or $EDGE_SMS_CONFIG);
                  EDGE_SMS_* environment variables override its keys`;

const stopTimeoutMs = 15_000;
/** sysexits EX_CONFIG; the systemd unit's RestartPreventExitStatus. */
export const configErrorExit = 78;

export const command: CliCommand = {
  path: ['run'],
  summary: 'run the agent (what systemd starts)',
  usage,
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { config: { type: 'string' } }, strict: true });
    const file = values.config ?? process.env['EDGE_SMS_CONFIG'] ?? defaultConfigPath;
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig({ file });
    } catch (error) {
      if (!isErrorInRange(error, 600)) throw error;
      // A broken config is not fixed by restarting: the unit's RestartPreventExitStatus=78 stops systemd
      // from trying, and this line in the journal says what to do.
      io.stderr.write(`edge-sms-agent run: ${error.describe()}\nThe configuration is broken; not restarting until it is fixed (exit ${configErrorExit}). Fix ${file} (or the EDGE_SMS_* environment), then: sudo systemctl restart edge-sms-agent\n`);
      return configErrorExit;
    }
    const logger = createLogger({ level: config.log.level, format: config.log.format });
    logger.info({ config: redactConfig(config) }, 'configuration loaded');
    const notifier = new SystemdNotifier({ onError: (error) => logger.warn({ err: error }, 'sd_notify failed') });
    const agent = new Agent({ config, logger });
    await agent.start();
    await notifier.ready('running');
    const watchdog = notifier.watchdogIntervalMs === undefined ? undefined : setInterval(() => void notifier.watchdog(), notifier.watchdogIntervalMs);

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    logger.info({ signal }, 'stopping');
    await notifier.stopping();
    if (watchdog !== undefined) clearInterval(watchdog);
    const deadline = setTimeout(() => {
      logger.error(`graceful stop took longer than ${stopTimeoutMs} ms; exiting`);
      process.exit(1);
    }, stopTimeoutMs);
    await agent.stop();
    clearTimeout(deadline);
    return 0;
  },
};
