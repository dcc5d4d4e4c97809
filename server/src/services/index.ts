import collector from './collector';
import eventPipeline from './event-pipeline';
import exportService from './export';
import health from './health';
import insights from './insights';
import jobLease from './job-lease';
import listView from './list-view';
import metrics from './metrics';
import migrator from './migrator';
import monitoring from './monitoring';
import monitoringRollup from './monitoring-rollup';
import pluginConfig from './plugin-config';
import publicStats from './public-stats';
import reportMailer from './report-mailer';
import reportSettings from './report-settings';
import retention from './retention';
import rollup from './rollup';
import salts from './salts';
import scheduler from './scheduler';
import settings from './settings';
import stats from './stats';
import status from './status';

export default {
  collector,
  'event-pipeline': eventPipeline,
  export: exportService,
  health,
  insights,
  'job-lease': jobLease,
  'list-view': listView,
  metrics,
  migrator,
  monitoring,
  'monitoring-rollup': monitoringRollup,
  'plugin-config': pluginConfig,
  'public-stats': publicStats,
  'report-mailer': reportMailer,
  'report-settings': reportSettings,
  retention,
  rollup,
  salts,
  scheduler,
  settings,
  stats,
  status,
};
