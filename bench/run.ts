// npm run bench: podlab against the real iptables on the same work, each figure beside its
// comparison measured in the same run. Not part of the tests (timing varies by machine).
import { performance } from 'node:perf_hooks';
import { parseIPv4 } from '../src/kernel/addr.ts';
import { evalContext } from '../src/kernel/netfilter/context.ts';
import { walkTable } from '../src/kernel/netfilter/eval.ts';
import type { Packet } from '../src/kernel/netfilter/packet.ts';
import { Rng } from '../src/kernel/rng.ts';
import { realUnavailable, withNetns } from '../test/support/real.ts';
import { SimHost, simRun } from '../test/support/sim.ts';
import { kubeRuleset } from './kube-rules.ts';
import { forwardedConnections, realPods, simPods } from './netns.ts';

const services = Number(process.env.BENCH_SERVICES ?? 10000);
const endpoints = Number(process.env.BENCH_ENDPOINTS ?? 5);
const { text, rules, lastService } = kubeRuleset(services, endpoints);
console.log(`ruleset: ${services} services x ${endpoints} endpoints = ${rules} rules, ${(text.length / 1e6).toFixed(1)} MB of iptables-restore text`);

// 1. Load and save back.
const host = new SimHost();
let t0 = performance.now();
const r = simRun(host, ['iptables-restore'], text);
const simLoad = performance.now() - t0;
if (r.status !== 0) throw new Error(r.stderr);
t0 = performance.now();
const saved = simRun(host, ['iptables-save']).stdout;
const simSave = performance.now() - t0;
console.log(`podlab: iptables-restore ${simLoad.toFixed(0)} ms, iptables-save ${simSave.toFixed(0)} ms (${saved.split('\n').length} lines)`);

const why = realUnavailable();
if (why) console.log(`real iptables: skipped (${why})`);
else {
  withNetns((ns) => {
    let t = performance.now();
    const rr = ns.run('iptables-restore', text);
    const realLoad = performance.now() - t;
    if (rr.status !== 0) throw new Error(rr.stderr);
    t = performance.now();
    ns.run('iptables-save >/dev/null');
    const realSave = performance.now() - t;
    console.log(`real:   iptables-restore ${realLoad.toFixed(0)} ms, iptables-save ${realSave.toFixed(0)} ms (nf_tables, fresh namespace, incl. ~5 ms process start)`);
    console.log(`ratio:  load+save podlab/real = ${((simLoad + simSave) / (realLoad + realSave)).toFixed(2)} (goal < 1)`);
  });
}

// 2. One packet to the last service of KUBE-SERVICES (the worst case of a linear walk).
const nat = host.nf.table('nat');
const view = { local: new Set([parseIPv4('192.168.0.2')!]), rng: new Rng(1), now: () => 0, state: new Map() };
const ctx = evalContext(view, 'PREROUTING', 'nat');
const pkt = (): Packet => ({ src: parseIPv4('10.244.0.5')!, dst: parseIPv4(lastService.ip)!, proto: 6, sport: 40000, dport: lastService.port, len: 60, ttl: 64, mark: 0 });
const first = walkTable(nat, 'PREROUTING', pkt(), ctx);
const n = 200;
t0 = performance.now();
for (let i = 0; i < n; i++) walkTable(nat, 'PREROUTING', pkt(), ctx);
const per = ((performance.now() - t0) / n) * 1000;
console.log(`podlab: packet to the last of ${services} services: ${per.toFixed(0)} µs per packet (goal < 1000 µs), verdict ${first.verdict} ${first.nat?.kind ?? ''}, ${first.steps.length} rules in its record`);

// 3. Pods: namespace + veth on a bridge + address + default route, in the model and for real.
const pods = Number(process.env.BENCH_PODS ?? 1000);
const simMs = simPods(pods);
console.log(`podlab: ${pods} pods on a bridge in ${simMs.toFixed(0)} ms = ${((pods / simMs) * 1000).toFixed(0)} pods/s`);
const real = realPods(pods);
if (typeof real === 'string') console.log(`real pods: skipped (${real})`);
else {
  console.log(`real:   ${pods} pods with ip -batch in ${real.toFixed(0)} ms = ${((pods / real) * 1000).toFixed(0)} pods/s`);
  console.log(`ratio:  pods/s podlab/real = ${(real / simMs).toFixed(1)} (goal > 1)`);
}

// 4. TCP connections forwarded through a node carrying the ruleset above.
const conns = Number(process.env.BENCH_CONNS ?? 200);
const eps = Array.from({ length: endpoints }, (_, e) => `10.${244 + (e % 8)}.${((services - 1) >> 8) & 255}.${(services - 1) & 255}`);
const connMs = await forwardedConnections(text, lastService, eps, conns);
console.log(`podlab: ${conns} TCP connections through a node with ${rules} rules: ${((conns / connMs) * 1000).toFixed(0)} connections/s (${(connMs / conns).toFixed(2)} ms each)`);

// 5. The control plane (list, apply, watch).
await import('./k8s.ts');
