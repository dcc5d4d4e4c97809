import health from './health';
import metrics from './metrics';
import plausible from './plausible';
import script from './script';
import settings from './settings';
import stats from './stats';
import status from './status';
import track from './track';
import umami from './umami';

export default { health, metrics, plausible, script, settings, stats, status, track, umami };
