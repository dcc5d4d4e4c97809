// Where things are: the repository, the test app, and the benchmark's (git-ignored) results.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const APP_DIR = path.join(ROOT, 'tests', 'app');
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
export const BUILD_DIR = path.join(RESULTS_DIR, '.build');
