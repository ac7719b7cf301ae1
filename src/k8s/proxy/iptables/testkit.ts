/**
 * Test helpers for the iptables proxier: a proxier on a simulated node (upstream's fake node
 * `test-node`, 192.168.0.2), upstream's sortIPTablesRules normalisation of restore text, and a
 * packet-flow tracer in the spirit of upstream's runPacketFlowTests that runs podlab's own
 * netfilter over the rules the proxier loaded.
 */
import { formatIPv4, parseIPv4 } from '../../../kernel/addr.ts';
import { evalContext, type HostView } from '../../../kernel/netfilter/context.ts';
import { walkHook, type TraceStep } from '../../../kernel/netfilter/eval.ts';
import type { Packet } from '../../../kernel/netfilter/packet.ts';
import type { Hook } from '../../../kernel/netfilter/tables.ts';
import { Rng } from '../../../kernel/rng.ts';
import { SimHost } from '../../../host/sim/host.ts';
import { allCommands } from '../../../userland/registry.ts';
import type { KObject } from '../../api/object.ts';
import type { ProxierConfig } from '../types.ts';
import { TEST_NODE } from '../testkit.ts';
import { IptablesProxier, type IptablesProxierOptions } from './proxier.ts';

export const NODE_IP = '192.168.0.2';
export const ALT_NODE_IP = '192.168.1.2';
/** The external IP upstream's fake node has as a local address. */
export const LOCAL_EXTERNAL_IP = '192.168.99.11';

/** Upstream's test settings the sim can load: mark 0x4000 as its tests inject, no --random-fully as its fake reports. */
export const UPSTREAM_TEST: IptablesProxierOptions = { masqueradeMark: '0x4000', randomFully: false };
/**
 * All of upstream's fake: also both nfacct counters. The sim (like a node without xt_nfacct
 * counters) cannot load `-m nfacct`, so this goes with `fakeRestore`.
 */
export const UPSTREAM_FAKE: IptablesProxierOptions = { ...UPSTREAM_TEST, nfacct: { ctInvalid: true, localhostNodePorts: true } };

export interface TestNode {
  host: SimHost;
  proxier: IptablesProxier;
  /** Commands the proxier ran, argv joined by spaces. */
  commands: string[];
}

/**
 * A simulated node with the proxier on it, fed `objects` and marked synced (not yet synced).
 * `fakeRestore`: iptables-restore succeeds without loading anything, as upstream's fake iptables.
 */
export function testNode(objects: KObject[], config: Partial<ProxierConfig> = {}, opts: IptablesProxierOptions = {}, fakeRestore = false): TestNode {
  const host = new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 1), hostname: TEST_NODE, commands: allCommands() });
  const commands: string[] = [];
  const run = host.run.bind(host);
  host.run = (argv, o) => {
    commands.push(argv.join(' '));
    if (fakeRestore && argv[0] === 'iptables-restore') return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    return run(argv, o);
  };
  const proxier = new IptablesProxier({ host, nodeName: TEST_NODE, nodeIPs: [NODE_IP], clusterCIDR: '10.0.0.0/8', ...config }, opts);
  for (const o of objects) {
    if (o.kind === 'Service') proxier.onServiceAdd(o);
    else proxier.onEndpointSliceAdd(o);
  }
  proxier.onSynced();
  return { host, proxier, commands };
}

/** Upstream's chain order: KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-* by name, then the rest by name. */
function chainRank(name: string): string {
  if (name === 'KUBE-NODEPORTS') return '0';
  if (name === 'KUBE-SERVICES') return '1';
  return name.startsWith('KUBE-') ? `2${name}` : `3${name}`;
}

/** The Service a KUBE-SERVICES/KUBE-NODEPORTS rule is for, from its comment (`ns/svc:port ...`); '' for others. */
function serviceOfRule(rule: string): string {
  const m = /--comment (?:"([^"]*)"|(\S+))/.exec(rule);
  const comment = m ? (m[1] ?? m[2]) : '';
  const word = comment.split(' ')[0];
  return word.includes('/') ? word : '';
}

/**
 * sortIPTablesRules: tables by name, chains in upstream's order with their rules grouped under
 * them, KUBE-SERVICES and KUBE-NODEPORTS rules stably sorted by Service (rules naming none, like
 * the final nodeports jump, last), `-X` lines at the end of their table. Order within any other
 * chain is kept: it is meaningful.
 */
export function sortRestoreText(text: string): string {
  const tables: { name: string; chains: string[]; rules: Map<string, string[]>; deletes: string[] }[] = [];
  let cur: (typeof tables)[number] | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) tables.push((cur = { name: line.slice(1), chains: [], rules: new Map(), deletes: [] }));
    else if (line === 'COMMIT' || !cur) continue;
    else if (line.startsWith(':')) cur.chains.push(line);
    else if (line.startsWith('-X ')) cur.deletes.push(line);
    else {
      const chain = line.split(' ')[1];
      if (!cur.rules.has(chain)) cur.rules.set(chain, []);
      cur.rules.get(chain)!.push(line);
    }
  }
  const out: string[] = [];
  for (const t of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    out.push(`*${t.name}`);
    const chainName = (l: string): string => l.slice(1).split(' ')[0];
    t.chains.sort((a, b) => (chainRank(chainName(a)) < chainRank(chainName(b)) ? -1 : 1));
    out.push(...t.chains);
    const order = [...new Set([...t.chains.map(chainName), ...[...t.rules.keys()].sort((a, b) => (chainRank(a) < chainRank(b) ? -1 : 1))])];
    for (const chain of order) {
      const rules = t.rules.get(chain) ?? [];
      if (chain === 'KUBE-SERVICES' || chain === 'KUBE-NODEPORTS') {
        const keyed = rules.map((r, i) => ({ r, i, s: serviceOfRule(r) }));
        keyed.sort((a, b) => (a.s === b.s ? a.i - b.i : a.s === '' ? 1 : b.s === '' ? -1 : a.s < b.s ? -1 : 1));
        out.push(...keyed.map((k) => k.r));
      } else out.push(...rules);
    }
    out.push(...t.deletes.sort(), 'COMMIT');
  }
  return `${out.join('\n')}\n`;
}

export interface FlowCase {
  src: string;
  dst: string;
  dport: number;
  proto?: 'tcp' | 'udp' | 'sctp';
}

export interface FlowResult {
  /** As upstream's tracer prints it: DNAT destinations (every one the statistic rules can pick), or ACCEPT/DROP/REJECT from a kube-proxy filter rule, or ''. */
  output: string;
  masq: boolean;
  /** Chains entered by the first run, as table:chain. */
  chains: string[];
}

const PROTO = { tcp: 6, udp: 17, sctp: 132 } as const;
const ip = (s: string): number => parseIPv4(s)!;

/**
 * Sends the first packet of a connection through the node's netfilter as the kernel would:
 * from the node itself (a LOCAL source) through OUTPUT (and INPUT when it stays local), else
 * arriving on eth0 through PREROUTING, then INPUT if the (possibly DNATed) destination is
 * local, else FORWARD. Runs it
 * `runs` times with the node's seeded generator so every statistic branch shows up.
 */
export function traceFlow(t: TestNode, c: FlowCase, local: string[] = [NODE_IP, ALT_NODE_IP, LOCAL_EXTERNAL_IP], runs = 64): FlowResult {
  const view: HostView = { local: new Set(local.map(ip)), rng: new Rng(7), now: () => 0, state: new Map() };
  const isLocal = (a: number): boolean => view.local.has(a) || (a >>> 24) === 127;
  const dnats = new Set<string>();
  let verdicts = new Set<string>();
  let masq = false;
  let chains: string[] = [];
  for (let i = 0; i < runs; i++) {
    const proto = PROTO[c.proto ?? 'tcp'];
    const fromNode = isLocal(ip(c.src));
    const pkt: Packet = {
      src: ip(c.src), dst: ip(c.dst), proto, sport: 40000 + i, dport: c.dport, tcpFlags: proto === 6 ? 0x02 : undefined, len: 60, ttl: 64, mark: 0,
      ...(fromNode ? { outIface: 'eth0' } : { inIface: 'eth0' }),
      ct: { state: 'NEW', status: new Set(), dir: 'ORIGINAL', proto, origSrc: ip(c.src), origDst: ip(c.dst), replSrc: ip(c.dst), replDst: ip(c.src), mark: 0 },
    };
    const steps: TraceStep[] = [];
    const walk = (hook: Hook): string => {
      const r = walkHook(t.host.nf, hook, pkt, (table) => evalContext(view, hook, table));
      steps.push(...r.steps);
      const nat = r.natRequests.find((n) => n.kind === 'DNAT');
      if (nat) {
        pkt.dst = nat.minIp!;
        if (nat.minPort !== undefined) pkt.dport = nat.minPort;
        dnats.add(`${formatIPv4(pkt.dst)}:${pkt.dport}`);
      }
      return r.verdict;
    };
    let verdict = walk(fromNode ? 'OUTPUT' : 'PREROUTING');
    if (verdict === 'ACCEPT') {
      // The node's packet to itself comes back in on lo; anyone else's is delivered or forwarded.
      if (fromNode && isLocal(pkt.dst)) {
        pkt.inIface = 'lo';
        verdict = walk('INPUT');
      } else if (!fromNode) verdict = walk(isLocal(pkt.dst) ? 'INPUT' : 'FORWARD');
    }
    if (verdict === 'ACCEPT') verdict = acceptedByKubeRule(t, steps) ? 'ACCEPT' : '';
    verdicts.add(verdict);
    masq ||= (pkt.mark & 0x4000) !== 0;
    if (i === 0) chains = [...new Set(steps.map((s) => `${s.table}:${s.chain}`))];
  }
  verdicts = new Set([...verdicts].filter((v) => v !== ''));
  const output = dnats.size ? [...dnats].sort().join(', ') : [...verdicts].join(', ');
  return { output, masq, chains };
}

/** Whether the packet ended on an explicit ACCEPT in one of kube-proxy's filter chains (health check ports). */
function acceptedByKubeRule(t: TestNode, steps: TraceStep[]): boolean {
  const last = [...steps].reverse().find((s) => s.table === 'filter' && s.kind === 'rule');
  if (!last || !last.chain.startsWith('KUBE-')) return false;
  const rule = t.host.nf.table('filter').chain(last.chain)?.rules[last.num - 1];
  return rule?.target.kind === 'verdict' && rule.target.verdict === 'ACCEPT';
}
