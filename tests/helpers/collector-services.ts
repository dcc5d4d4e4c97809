import type { Core } from '@strapi/strapi';
import type { EventRow } from '../../server/src/collection/event-row';
import { DEFAULT_CONFIG } from '../../server/src/config/defaults';
import type { PluginConfig } from '../../server/src/config/schema';
import createCollector from '../../server/src/services/collector';
import type { DropReason } from '../../server/src/services/event-pipeline';

/**
 * The real collector without a Strapi app: around it, what it asks of the plugin's other services
 * and nothing more — a configuration (the defaults, with `config` over them), one salt per UTC day
 * (`salt-of-<day>`), and a write buffer that keeps the queued rows in `rows` (refusing rows past
 * `capacity`, as a full buffer does) and the counted drops in `drops`. `strapi` also serves the
 * collector itself, for the request middleware, and keeps the errors it logs in `logged`.
 */
export function collectorWithServices(
  config: Partial<PluginConfig> = {},
  { capacity = Infinity }: { capacity?: number } = {}
) {
  const rows: EventRow[] = [];
  const drops: DropReason[] = [];
  const logged: string[] = [];
  const salts = new Map<string, string>();
  const effective: PluginConfig = { ...DEFAULT_CONFIG, ...config };
  const services: Record<string, unknown> = {
    'plugin-config': { get: () => effective },
    salts: {
      saltFor: (day: string) => {
        if (!salts.has(day)) salts.set(day, `salt-of-${day}`);
        return salts.get(day);
      },
      hasSalt: (day: string) => salts.has(day),
    },
    'event-pipeline': {
      pushEvent: (row: EventRow) => rows.length < capacity && rows.push(row) > 0,
      countDrop: (reason: DropReason) => drops.push(reason),
    },
  };
  const strapi = {
    plugin: () => ({ service: (name: string) => services[name] }),
    log: { error: (message: string) => logged.push(message) },
  } as unknown as Core.Strapi;
  const collector = createCollector({ strapi });
  services.collector = collector;
  return { strapi, collector, rows, drops, logged };
}
