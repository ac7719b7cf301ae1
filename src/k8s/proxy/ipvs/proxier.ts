/**
 * kube-proxy's IPVS proxier (upstream pkg/proxy/ipvs) on the Host contract: on each sync it
 * loads ip_vs and sets its sysctls (first time), ensures the dummy `kube-ipvs0` with every
 * service address on it, brings the ipsets to the wanted members (`ipset restore -exist`), the
 * virtual servers and real servers to the wanted ones (`ipvsadm -R`, where a real kernel would
 * use netlink), and loads its few iptables rules with `iptables-restore --noflush`. Stale
 * virtual servers, real servers, set members and addresses are removed; real servers go at once
 * (no graceful termination).
 */
import type { Host } from '../../../host/host.ts';
import { RecordingProxier } from '../state.ts';
import type { Proxier, ProxierConfig } from '../types.ts';
import { DUMMY_DEVICE, FILTER_CHAINS, IPSETS, JUMPS, NAT_CHAINS, planSync, type Plan, type VirtualServer } from './plan.ts';

const WAIT_FLAGS = ['-w', '5', '-W', '100000'];

/** The sysctls NewProxier ensures (conn_reuse_mode is left alone on kernels from 5.9). */
const SYSCTLS: readonly [string, string][] = [
  ['net.ipv4.vs.conntrack', '1'],
  ['net.ipv4.vs.expire_nodest_conn', '1'],
  ['net.ipv4.vs.expire_quiescent_template', '1'],
  ['net.ipv4.ip_forward', '1'],
];

const PROTO_FLAG: Record<VirtualServer['protocol'], string> = { TCP: '-t', UDP: '-u', SCTP: '--sctp-service' };


export class IpvsProxier extends RecordingProxier implements Proxier {
  private readonly host: Host;
  private prepared = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** The last plan written (for tests and `podlab` to inspect). */
  lastPlan: Plan | undefined;

  constructor(private readonly config: ProxierConfig) {
    super(config);
    this.host = config.host;
  }


  sync(opts: { full?: boolean } = {}): Promise<boolean> {
    const run = this.queue.then(() => this.syncProxyRules(opts.full ?? false));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private log(line: string): void {
    this.config.log?.(line);
  }

  private async run(argv: string[], stdin?: string): Promise<string> {
    const r = await this.host.run(argv, { stdin });
    if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** The IPVS proxier rewrites everything on every sync: ipsets and virtual servers are diffed against the kernel's. */
  private async syncProxyRules(_full: boolean): Promise<boolean> {
    if (!this.initialized) return false;
    this.state.update();
    if (!this.prepared) await this.prepare();
    const plan = planSync({
      ports: this.state.servicePorts().map((svc) => ({ svc, endpoints: this.state.endpointsOf(svc) })),
      nodeIPs: this.config.nodeIPs,
      scheduler: this.config.ipvsScheduler ?? 'rr',
      masqueradeAll: this.config.masqueradeAll ?? false,
      clusterCIDR: this.config.clusterCIDR,
      masqueradeBit: this.config.masqueradeBit ?? 14,
    });
    await this.ensureChains();
    const bound = await this.syncAddresses(plan.bindAddrs, 'add');
    await this.syncSets(plan);
    await this.run(['iptables-restore', ...WAIT_FLAGS, '--noflush', '--counters'], plan.iptables);
    await this.syncAddresses(plan.bindAddrs, 'del', bound);
    await this.syncServers(plan.servers);
    this.lastPlan = plan;
    return true;
  }

  /** Module loading and sysctls (NewProxier), and the dummy device (EnsureDummyDevice: left down, as upstream). */
  private async prepare(): Promise<void> {
    // ipvsadm talking to the kernel loads ip_vs (and registers its sysctls).
    await this.run(['ipvsadm', '-Ln']);
    for (const [k, v] of SYSCTLS) {
      const cur = await this.host.run(['sysctl', '-n', k]);
      if (cur.stdout.trim() !== v) await this.run(['sysctl', '-w', `${k}=${v}`]);
    }
    const link = await this.host.run(['ip', 'link', 'show', DUMMY_DEVICE]);
    if (link.code !== 0) await this.run(['ip', 'link', 'add', DUMMY_DEVICE, 'type', 'dummy']);
    this.prepared = true;
  }

  /** createAndLinkKubeChain: each chain exists and each jump is in place (iptables -N, -C then -I). */
  private async ensureChains(): Promise<void> {
    for (const [table, chains] of [['nat', NAT_CHAINS], ['filter', FILTER_CHAINS]] as const) {
      for (const c of chains) await this.host.run(['iptables', ...WAIT_FLAGS, '-N', c, '-t', table]);
    }
    for (const [table, from, to, comment] of JUMPS) {
      const rule = [from, '-t', table, '-m', 'comment', '--comment', comment, '-j', to];
      const has = await this.host.run(['iptables', ...WAIT_FLAGS, '-C', ...rule]);
      if (has.code !== 0) await this.run(['iptables', ...WAIT_FLAGS, '-I', ...rule]);
    }
  }

  /** Addresses on kube-ipvs0: new ones bound before the rules load, stale ones removed after. */
  private async syncAddresses(want: Set<string>, op: 'add' | 'del', bound?: Set<string>): Promise<Set<string>> {
    const now = bound ?? (await this.boundAddresses());
    if (op === 'add') {
      for (const a of want) if (!now.has(a)) await this.run(['ip', 'addr', 'add', `${a}/32`, 'dev', DUMMY_DEVICE]);
    } else {
      for (const a of now) if (!want.has(a)) await this.run(['ip', 'addr', 'del', `${a}/32`, 'dev', DUMMY_DEVICE]);
    }
    return now;
  }

  private async boundAddresses(): Promise<Set<string>> {
    const out = await this.run(['ip', '-4', '-o', 'addr', 'show', 'dev', DUMMY_DEVICE]);
    return new Set([...out.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]));
  }

  /** ensureIPSet + syncIPSetEntries for every set, in one `ipset restore -exist`. */
  private async syncSets(plan: Plan): Promise<void> {
    const current = new Map<string, Set<string>>();
    for (const line of (await this.run(['ipset', 'save'])).split('\n')) {
      const m = /^add (\S+) (\S+)/.exec(line);
      if (m) (current.get(m[1]) ?? current.set(m[1], new Set()).get(m[1])!).add(m[2]);
    }
    const lines: string[] = [];
    for (const s of IPSETS) {
      lines.push(`create ${s.name} ${s.type} ${s.type === 'bitmap:port' ? 'range 0-65535' : 'family inet hashsize 1024 maxelem 65536'}`);
      const want = plan.sets.get(s.name)!;
      const have = current.get(s.name) ?? new Set<string>();
      for (const e of [...have].filter((x) => !want.has(x)).sort()) lines.push(`del ${s.name} ${e}`);
      for (const e of [...want].filter((x) => !have.has(x)).sort()) lines.push(`add ${s.name} ${e}`);
    }
    await this.run(['ipset', 'restore', '-exist'], `${lines.join('\n')}\n`);
  }

  /** syncService/syncEndpoint/cleanLegacyService as one `ipvsadm -R` script, diffed against `ipvsadm -Sn`. */
  private async syncServers(want: VirtualServer[]): Promise<void> {
    const have = parseSave(await this.run(['ipvsadm', '-S', '-n']));
    const lines: string[] = [];
    const wanted = new Set<string>();
    for (const vs of want) {
      const svc = `${PROTO_FLAG[vs.protocol]} ${vs.address}:${vs.port}`;
      wanted.add(svc);
      const head = `-s ${vs.scheduler}${vs.persistent !== undefined ? ` -p ${vs.persistent}` : ''}`;
      const cur = have.get(svc);
      if (!cur) lines.push(`-A ${svc} ${head}`);
      else if (cur.head !== head) lines.push(`-E ${svc} ${head}`);
      const dests = cur?.dests ?? new Set<string>();
      for (const d of dests) if (!vs.dests.includes(d)) lines.push(`-d ${svc} -r ${d}`);
      for (const d of vs.dests) if (!dests.has(d)) lines.push(`-a ${svc} -r ${d} -m -w 1`);
    }
    for (const svc of have.keys()) if (!wanted.has(svc)) lines.push(`-D ${svc}`);
    if (lines.length) await this.run(['ipvsadm', '-R'], `${lines.join('\n')}\n`);
    this.log(`ipvs: ${lines.length} changes`);
  }
}

/** `ipvsadm -Sn` back into services (`-t a:p` → scheduler options and real servers). */
function parseSave(text: string): Map<string, { head: string; dests: Set<string> }> {
  const out = new Map<string, { head: string; dests: Set<string> }>();
  for (const line of text.split('\n')) {
    let m = /^-A (\S+ \S+) (.*)$/.exec(line);
    if (m) {
      out.set(m[1], { head: m[2], dests: new Set() });
      continue;
    }
    m = /^-a (\S+ \S+) -r (\S+) /.exec(line);
    if (m) out.get(m[1])?.dests.add(m[2]);
  }
  return out;
}
