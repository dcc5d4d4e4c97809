import plausible from './plausible';
import script from './script';
import status from './status';
import track from './track';
import umami from './umami';

export default { plausible, script, status, track, umami };
