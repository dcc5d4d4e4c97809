import { visitorHash } from './visitor-hash';

/**
 * Remembers the visitor hashes computed under one salt, by client IP and user agent, so a
 * returning visitor costs a map lookup instead of a SHA-256. Bounded (the least recently added
 * entry goes first) and emptied whenever the salt changes, so it never outlives the day whose
 * hashes it holds; it lives in memory only, like the request it spares.
 */
export class VisitorHashCache {
  private salt: string | null = null;
  private readonly map = new Map<string, string>();

  constructor(
    private readonly site: string,
    private readonly limit = 20_000
  ) {}

  hash(salt: string, ip: string, userAgent: string): string {
    if (salt !== this.salt) {
      this.map.clear();
      this.salt = salt;
    }
    // An IP never contains a newline, so the key is unambiguous.
    const key = `${ip}\n${userAgent}`;
    let hash = this.map.get(key);
    if (hash === undefined) {
      hash = visitorHash(salt, this.site, ip, userAgent);
      if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value as string);
      this.map.set(key, hash);
    }
    return hash;
  }

  get size(): number {
    return this.map.size;
  }
}
