/**
 * IPVS counters and the rate estimator (ip_vs_est.c): totals of connections, packets and bytes
 * each way, and rates averaged every 2 seconds with the kernel's fixed-point EWMA (weight 1/4),
 * advanced lazily from the virtual clock so listings are deterministic.
 */

export interface IpvsStats {
  conns: number;
  inpkts: number;
  outpkts: number;
  inbytes: number;
  outbytes: number;
}

export interface IpvsRates {
  cps: number;
  inpps: number;
  outpps: number;
  inbps: number;
  outbps: number;
}

const TICK_MS = 2000;

export class StatsCounter {
  readonly total: IpvsStats = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
  /** Scaled averages (cps/pps by 2^10, bps by 2^5) and the totals at the last tick. */
  private avg = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
  private last: IpvsStats = { ...this.total };
  private tickAt: number;

  constructor(now: number) {
    this.tickAt = now;
  }

  /** Runs the estimator for every 2 s tick that passed (ip_vs_estimation_timer). */
  advance(now: number): void {
    while (now - this.tickAt >= TICK_MS) {
      this.tickAt += TICK_MS;
      const t = this.total;
      const l = this.last;
      const ewma = (avg: number, rate: number): number => avg + Math.trunc((rate - avg) / 4);
      this.avg.cps = ewma(this.avg.cps, (t.conns - l.conns) * 512);
      this.avg.inpps = ewma(this.avg.inpps, (t.inpkts - l.inpkts) * 512);
      this.avg.outpps = ewma(this.avg.outpps, (t.outpkts - l.outpkts) * 512);
      this.avg.inbps = ewma(this.avg.inbps, (t.inbytes - l.inbytes) * 16);
      this.avg.outbps = ewma(this.avg.outbps, (t.outbytes - l.outbytes) * 16);
      this.last = { ...t };
    }
  }

  rates(now: number): IpvsRates {
    this.advance(now);
    const a = this.avg;
    const per = (v: number): number => Math.max(0, (v + 0x1ff) >> 10);
    const bps = (v: number): number => Math.max(0, (v + 0xf) >> 5);
    return { cps: per(a.cps), inpps: per(a.inpps), outpps: per(a.outpps), inbps: bps(a.inbps), outbps: bps(a.outbps) };
  }

  zero(now: number): void {
    Object.assign(this.total, { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 });
    this.avg = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
    this.last = { ...this.total };
    this.tickAt = now;
  }
}
