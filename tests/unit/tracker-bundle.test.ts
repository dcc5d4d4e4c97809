import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { TRACKER_JS } from '../../server/src/tracker/tracker-bundle';

describe('tracker bundle', () => {
  it('is the minified tracker.js (run `npm run build:tracker` after editing it)', () => {
    const root = path.resolve(__dirname, '..', '..');
    expect(() =>
      execFileSync('node', ['scripts/build-tracker.mjs', '--check'], { cwd: root, stdio: 'pipe' })
    ).not.toThrow();
  });

  it('stays under 1.5 KB gzipped', () => {
    expect(gzipSync(TRACKER_JS, { level: 9 }).length).toBeLessThan(1536);
  });
});
