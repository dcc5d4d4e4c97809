import migrator from './migrator';
import pluginConfig from './plugin-config';
import status from './status';

export default {
  migrator,
  'plugin-config': pluginConfig,
  status,
};
