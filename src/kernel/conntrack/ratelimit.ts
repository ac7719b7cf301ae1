/**
 * The kernel's printk rate limit (___ratelimit, lib/ratelimit.c) as net_ratelimit() uses it:
 * at most `burst` messages per `interval`; when a new interval starts after messages were
 * suppressed, the count is reported first ("net_ratelimit: N callbacks suppressed").
 */

export class RateLimit {
  private begin: number | undefined;
  private printed = 0;
  private missed = 0;

  /** Defaults are net.core.message_cost (5 s) and net.core.message_burst (10). */
  constructor(
    private readonly name = 'net_ratelimit',
    private readonly interval = 5000,
    private readonly burst = 10,
  ) {}

  /** Logs `line` through `log` unless the limit is reached; returns whether it was logged. */
  log(now: number, line: string, log: (line: string) => void): boolean {
    this.begin ??= now;
    if (now > this.begin + this.interval) {
      if (this.missed) log(`${this.name}: ${this.missed} callbacks suppressed`);
      this.missed = 0;
      this.begin = now;
      this.printed = 0;
    }
    if (this.printed < this.burst) {
      this.printed++;
      log(line);
      return true;
    }
    this.missed++;
    return false;
  }
}
