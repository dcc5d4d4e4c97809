/** Logs each kind of message at most once per interval, so a failing database cannot flood the log. */
export class RateLimitedLog {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly log: { warn(message: string): void; error(message: string): void },
    private readonly intervalMs: number
  ) {}

  warn(kind: string, message: string, now = Date.now()): void {
    if (this.allow(kind, now)) this.log.warn(message);
  }

  error(kind: string, message: string, now = Date.now()): void {
    if (this.allow(kind, now)) this.log.error(message);
  }

  private allow(kind: string, now: number): boolean {
    const last = this.last.get(kind) ?? -Infinity;
    if (now - last < this.intervalMs) return false;
    this.last.set(kind, now);
    return true;
  }
}
