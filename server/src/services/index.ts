import collector from './collector';
import eventPipeline from './event-pipeline';
import jobLease from './job-lease';
import migrator from './migrator';
import pluginConfig from './plugin-config';
import retention from './retention';
import rollup from './rollup';
import salts from './salts';
import scheduler from './scheduler';
import stats from './stats';
import status from './status';

export default {
  collector,
  'event-pipeline': eventPipeline,
  'job-lease': jobLease,
  migrator,
  'plugin-config': pluginConfig,
  retention,
  rollup,
  salts,
  scheduler,
  stats,
  status,
};
