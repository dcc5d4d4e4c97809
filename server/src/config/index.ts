import { DEFAULT_CONFIG } from './defaults';
import { assertValidConfig } from './schema';

export type { PluginConfig } from './schema';

export default {
  default: DEFAULT_CONFIG,
  validator: (config: unknown) => assertValidConfig(config),
};
