'use strict';

// The test app's secrets: random, generated once into tests/app/.env (git-ignored), never committed.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const APP_DIR = path.resolve(__dirname, '..', 'tests', 'app');
const ENV_FILE = path.join(APP_DIR, '.env');

const random = () => crypto.randomBytes(16).toString('base64');

function ensureAppEnv() {
  if (!fs.existsSync(ENV_FILE)) {
    const lines = [
      `APP_KEYS=${[random(), random(), random(), random()].join(',')}`,
      `API_TOKEN_SALT=${random()}`,
      `ADMIN_JWT_SECRET=${random()}`,
      `TRANSFER_TOKEN_SALT=${random()}`,
      `JWT_SECRET=${random()}`,
      `ENCRYPTION_KEY=${random()}`,
      'STRAPI_TELEMETRY_DISABLED=true',
    ];
    fs.writeFileSync(ENV_FILE, lines.join('\n') + '\n', { mode: 0o600 });
  }
  fs.mkdirSync(path.join(APP_DIR, 'public', 'uploads'), { recursive: true });
  return ENV_FILE;
}

module.exports = { APP_DIR, ENV_FILE, ensureAppEnv };
