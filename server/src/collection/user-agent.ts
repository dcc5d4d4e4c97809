import Bowser from 'bowser';
import { isbot } from 'isbot';
import { BoundedMap } from './bounded-map';

export interface DeviceInfo {
  bot: boolean;
  device: 'desktop' | 'mobile' | 'tablet' | 'tv' | 'other';
  browser: string | null;
  os: string | null;
}

const DEVICE_TYPES = new Set(['desktop', 'mobile', 'tablet', 'tv']);
const cache = new BoundedMap<string, DeviceInfo>(2000);

const family = (name: string | undefined): string | null => (name ? name.slice(0, 32) : null);

/**
 * Reduces a user agent to what analytics keeps: bot or not, device class, browser family and OS
 * family. The user agent itself is never stored. Results are cached: real traffic repeats a few
 * hundred user agents.
 */
export function classifyUserAgent(userAgent: string): DeviceInfo {
  const cached = cache.get(userAgent);
  if (cached) return cached;
  let info: DeviceInfo;
  if (!userAgent || isbot(userAgent)) {
    info = { bot: true, device: 'other', browser: null, os: null };
  } else {
    const parsed = Bowser.parse(userAgent);
    const type = parsed.platform.type ?? '';
    info = {
      bot: false,
      device: (DEVICE_TYPES.has(type) ? type : 'other') as DeviceInfo['device'],
      browser: family(parsed.browser.name),
      os: family(parsed.os.name),
    };
  }
  cache.set(userAgent, info);
  return info;
}
