import exportController from './export';
import health from './health';
import insights from './insights';
import listView from './list-view';
import metrics from './metrics';
import plausible from './plausible';
import { createPopularController, createViewsController } from './public-stats';
import report from './report';
import script from './script';
import settings from './settings';
import stats from './stats';
import status from './status';
import track from './track';
import umami from './umami';

export default {
  export: exportController,
  health,
  insights,
  'list-view': listView,
  metrics,
  plausible,
  popular: createPopularController,
  report,
  script,
  settings,
  stats,
  status,
  track,
  umami,
  views: createViewsController,
};
