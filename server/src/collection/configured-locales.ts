/**
 * The locale codes configured in Strapi's i18n plugin, kept in memory. A lookup never waits for
 * the database: when the list is older than `ttlMs`, it is reloaded in the background and the
 * lookup answers from the list it has.
 */
export class ConfiguredLocales {
  /** Lower-cased code → the code as configured (`fr-ca` → `fr-CA`). */
  private codes = new Map<string, string>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;
  private reloadAfterLoad = false;

  constructor(
    private readonly load: () => Promise<string[]>,
    private readonly ttlMs = 60_000
  ) {}

  /** The configured code matching `locale` (case-insensitively), or null. */
  match(locale: string | null | undefined, now = Date.now()): string | null {
    if (now - this.loadedAt > this.ttlMs) void this.refresh(now);
    if (!locale) return null;
    return this.codes.get(locale.toLowerCase()) ?? null;
  }

  /** Reloads the list (one at a time); a failed load keeps the previous list until the next try. */
  refresh(now = Date.now()): Promise<void> {
    this.loading ??= this.load()
      .then((codes) => {
        this.codes = new Map(codes.map((code) => [code.toLowerCase(), code]));
      })
      .catch(() => undefined)
      .finally(() => {
        this.loadedAt = now;
        this.loading = null;
        if (this.reloadAfterLoad) {
          this.reloadAfterLoad = false;
          void this.refresh();
        }
      });
    return this.loading;
  }

  /** The list changed (a locale was added or removed here): reload it now. */
  invalidate(): void {
    if (this.loading) this.reloadAfterLoad = true;
    else void this.refresh();
  }
}
