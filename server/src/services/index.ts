import collector from './collector';
import eventPipeline from './event-pipeline';
import migrator from './migrator';
import pluginConfig from './plugin-config';
import salts from './salts';
import status from './status';

export default {
  collector,
  'event-pipeline': eventPipeline,
  migrator,
  'plugin-config': pluginConfig,
  salts,
  status,
};
