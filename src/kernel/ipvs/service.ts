/**
 * The IPVS configuration of one network namespace (ip_vs_ctl.c): virtual services keyed by
 * protocol, address and port (or firewall mark), their real servers, and the requests
 * `ipvsadm` makes over netlink with the kernel's errno for each refusal. The connection table
 * and the packet path are in conn.ts and packet.ts.
 */
import { KernelError } from '../errno.ts';
import { SCHEDULERS } from './sched.ts';
import { StatsCounter } from './stats.ts';

export type Forward = 'masq' | 'route' | 'tunnel' | 'local';

/** IP_VS_SVC_PERSISTENT_TIMEOUT: `-p` without a value. */
export const DEFAULT_PERSISTENT_TIMEOUT = 360;

export interface ServiceKey {
  /** 6 tcp, 17 udp, 132 sctp; for a firewall-mark service the kernel keeps IPPROTO_TCP. */
  proto: number;
  addr: number;
  port: number;
  fwmark: number;
}

export interface ServiceSpec extends ServiceKey {
  sched: string;
  /** Persistence timeout in seconds; undefined: not persistent. */
  persistent?: number;
  netmask: number;
  onePacket?: boolean;
}

export interface DestSpec {
  addr: number;
  port: number;
  weight: number;
  fwd: Forward;
  uThreshold: number;
  lThreshold: number;
}

export interface IpvsDest extends DestSpec {
  activeConns: number;
  inactConns: number;
  persistConns: number;
  stats: StatsCounter;
  /** Set once the destination is deleted: its connections may still point at it. */
  removed: boolean;
}

export interface IpvsService extends ServiceSpec {
  /** In the kernel's list order: a new destination goes to the head (list_add_rcu). */
  dests: IpvsDest[];
  stats: StatsCounter;
  schedState: { rrLast: number; wrrIndex: number; wrrCw: number };
}

export function sameService(a: ServiceKey, b: ServiceKey): boolean {
  return a.fwmark ? a.fwmark === b.fwmark : !b.fwmark && a.proto === b.proto && a.addr === b.addr && a.port === b.port;
}

export class IpvsConfig {
  readonly services: IpvsService[] = [];

  constructor(private readonly now: () => number) {}

  find(k: ServiceKey): IpvsService | undefined {
    return this.services.find((s) => sameService(s, k));
  }

  /** The service a packet addresses: by mark first (fwmark services), then by protocol, address and port. */
  lookup(proto: number, addr: number, port: number, mark: number): IpvsService | undefined {
    if (mark) {
      const byMark = this.services.find((s) => s.fwmark === mark);
      if (byMark) return byMark;
    }
    return this.services.find((s) => !s.fwmark && s.proto === proto && s.addr === addr && s.port === port) ??
      // A port-zero service takes every port of its address (persistent services only).
      this.services.find((s) => !s.fwmark && s.proto === proto && s.addr === addr && s.port === 0);
  }

  private must(k: ServiceKey): IpvsService {
    const s = this.find(k);
    if (!s) throw new KernelError('ESRCH');
    return s;
  }

  addService(spec: ServiceSpec): void {
    if (!SCHEDULERS.has(spec.sched)) throw new KernelError('ENOENT');
    if (this.find(spec)) throw new KernelError('EEXIST');
    this.services.push({ ...spec, dests: [], stats: new StatsCounter(this.now()), schedState: { rrLast: -1, wrrIndex: -1, wrrCw: 0 } });
  }

  editService(spec: ServiceSpec): void {
    if (!SCHEDULERS.has(spec.sched)) throw new KernelError('ENOENT');
    const s = this.must(spec);
    if (s.sched !== spec.sched) s.schedState = { rrLast: -1, wrrIndex: -1, wrrCw: 0 };
    Object.assign(s, { sched: spec.sched, persistent: spec.persistent, netmask: spec.netmask, onePacket: spec.onePacket });
  }

  delService(k: ServiceKey): IpvsService {
    const s = this.must(k);
    this.services.splice(this.services.indexOf(s), 1);
    for (const d of s.dests) d.removed = true;
    return s;
  }

  flush(): IpvsService[] {
    const all = this.services.splice(0);
    for (const s of all) for (const d of s.dests) d.removed = true;
    return all;
  }

  zero(k?: ServiceKey): void {
    const now = this.now();
    for (const s of k ? [this.must(k)] : this.services) {
      s.stats.zero(now);
      for (const d of s.dests) d.stats.zero(now);
    }
  }

  findDest(s: IpvsService, addr: number, port: number): IpvsDest | undefined {
    return s.dests.find((d) => d.addr === addr && d.port === port);
  }

  addDest(k: ServiceKey, spec: DestSpec): void {
    const s = this.must(k);
    if (this.findDest(s, spec.addr, spec.port)) throw new KernelError('EEXIST');
    s.dests.unshift({ ...spec, activeConns: 0, inactConns: 0, persistConns: 0, stats: new StatsCounter(this.now()), removed: false });
    s.schedState.rrLast = -1;
  }

  editDest(k: ServiceKey, spec: DestSpec): void {
    const s = this.must(k);
    const d = this.findDest(s, spec.addr, spec.port);
    if (!d) throw new KernelError('ENOENT');
    Object.assign(d, spec);
  }

  delDest(k: ServiceKey, addr: number, port: number): IpvsDest {
    const s = this.must(k);
    const d = this.findDest(s, addr, port);
    if (!d) throw new KernelError('ENOENT');
    s.dests.splice(s.dests.indexOf(d), 1);
    d.removed = true;
    s.schedState.rrLast = -1;
    return d;
  }
}
