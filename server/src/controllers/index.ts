import plausible from './plausible';
import script from './script';
import stats from './stats';
import status from './status';
import track from './track';
import umami from './umami';

export default { plausible, script, stats, status, track, umami };
