/**
 * iputils ping's bookkeeping and printing: counters, the pipe (most probes in flight when one was
 * answered), round-trip times in microseconds with its integer arithmetic, the `time=` formats
 * and the statistics block `finish()` prints at the end.
 */

export class PingStats {
  transmitted = 0;
  received = 0;
  errors = 0;
  repeats = 0;
  pipesize = 1;
  /** Highest sequence number answered so far (iputils' `acked`). */
  private acked = 0;
  tmin = Number.MAX_SAFE_INTEGER;
  tmax = 0;
  tsum = 0;
  tsum2 = 0;
  private seen = new Set<number>();

  /** acknowledge(): a reply or error for `seq` arrived; the pipe counts what was sent after it. */
  acknowledge(seq: number): void {
    const diff = (this.transmitted - seq) & 0xffff;
    if (diff > 0x7fff) return;
    if (diff + 1 > this.pipesize) this.pipesize = diff + 1;
    if ((((seq - this.acked) << 16) >> 16) > 0) this.acked = seq;
  }

  /** gather_statistics(): counts a reply; returns whether it is a duplicate. */
  reply(seq: number, triptime: number | undefined): boolean {
    this.received++;
    this.acknowledge(seq);
    if (triptime !== undefined) {
      this.tsum += triptime;
      this.tsum2 += triptime * triptime;
      if (triptime < this.tmin) this.tmin = triptime;
      if (triptime > this.tmax) this.tmax = triptime;
    }
    if (this.seen.has(seq)) {
      this.repeats++;
      this.received--;
      return true;
    }
    this.seen.add(seq);
    return false;
  }

  /** Probes neither answered nor failed yet. */
  inFlight(): number {
    return (this.transmitted - this.acked) & 0xffff;
  }
}

/** ` time=0.045 ms` as gather_statistics prints a trip time given in microseconds. */
export function formatTime(t: number): string {
  if (t >= 100000 - 50) return `${Math.floor((t + 500) / 1000)}`;
  if (t >= 10000 - 5) return `${Math.floor((t + 50) / 1000)}.${Math.floor(((t + 50) % 1000) / 100)}`;
  if (t >= 1000) return `${Math.floor((t + 5) / 1000)}.${String(Math.floor(((t + 5) % 1000) / 10)).padStart(2, '0')}`;
  return `${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}`;
}

/** printf's %g for the loss percentage, computed as a C float. */
function percent(x: number): string {
  return String(Number(Math.fround(x).toPrecision(6)));
}

/** The integer square root iputils computes mdev with (Newton's method, rounding down). */
function llsqrt(a: number): number {
  let prev = Number.MAX_SAFE_INTEGER;
  let x = a;
  if (x > 0) {
    while (x < prev) {
      prev = x;
      x = Math.floor((x + Math.floor(a / x)) / 2);
    }
  }
  return x;
}

const ms3 = (us: number): string => `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;

/**
 * finish(): the statistics block. `elapsed` is the time from start to the last probe sent (ms);
 * `timing` is off when the payload is too small to carry a timestamp.
 */
export function finishText(host: string, s: PingStats, elapsed: number, timing: boolean): string {
  let out = `\n--- ${host} ping statistics ---\n`;
  out += `${s.transmitted} packets transmitted, ${s.received} received`;
  if (s.repeats) out += `, +${s.repeats} duplicates`;
  if (s.errors) out += `, +${s.errors} errors`;
  if (s.transmitted) {
    out += `, ${percent(((s.transmitted - s.received) * 100) / s.transmitted)}% packet loss`;
    out += `, time ${Math.round(elapsed)}ms`;
  }
  out += '\n';
  let comma = '';
  if (s.received && timing) {
    const total = s.received + s.repeats;
    const avg = Math.floor(s.tsum / total);
    // tsum2 is a double, tsum*tsum/total a long long division, the result truncated to long long.
    const variance = Math.trunc((s.tsum2 - Math.floor((s.tsum * s.tsum) / total)) / total);
    const mdev = llsqrt(variance);
    out += `rtt min/avg/max/mdev = ${ms3(s.tmin)}/${ms3(avg)}/${ms3(s.tmax)}/${ms3(mdev)} ms`;
    comma = ', ';
  }
  if (s.pipesize > 1) out += `${comma}pipe ${s.pipesize}`;
  return out + '\n';
}

/** finish()'s exit status: 1 when nothing came back, or a deadline ran out before `count` replies. */
export function finishStatus(s: PingStats, deadline: number, count: number): number {
  return !s.received || (deadline && s.received < count) ? 1 : 0;
}
