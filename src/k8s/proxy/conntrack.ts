/**
 * Stale UDP conntrack entries after a sync (upstream's CleanStaleEntries as of v1.30, with the
 * conntrack(8) calls of its exec-based client): UDP has no connection teardown, so an entry
 * keeps sending a client's datagrams wherever they went first. Cleared: everything to a removed
 * UDP port's cluster IP; everything to the IPs and NodePort of a UDP port that just got its
 * first serving endpoint (traffic black-holed while it had none); and the NATed flows to a
 * UDP endpoint that went away.
 */
import type { Host } from '../../host/host.ts';
import type { ServicePortInfo } from './serviceport.ts';
import type { UpdateResult } from './state.ts';

/** The argv lines cleanup runs, in upstream's order: service IPs, NodePorts, then endpoints. */
export function conntrackCleanupCommands(ports: Map<string, ServicePortInfo>, result: UpdateResult): string[][] {
  const ips = new Set(result.deletedUDPClusterIPs);
  const nodePorts = new Set<number>();
  for (const key of result.newlyActiveUDPServices) {
    const svc = ports.get(key);
    if (!svc) continue;
    for (const ip of [svc.clusterIP, ...svc.externalIPs, ...svc.loadBalancerVIPs]) ips.add(ip);
    if (svc.protocol === 'UDP' && svc.nodePort !== 0) nodePorts.add(svc.nodePort);
  }
  const out: string[][] = [];
  // ClearEntriesForIP / ClearEntriesForPort
  for (const ip of ips) out.push(['conntrack', '-D', '--orig-dst', ip, '-p', 'udp']);
  for (const port of nodePorts) out.push(['conntrack', '-D', '-p', 'udp', '--dport', String(port)]);
  for (const { port, endpoint } of result.deletedUDPEndpoints) {
    const svc = ports.get(port);
    if (!svc) continue;
    // ClearEntriesForPortNAT, then ClearEntriesForNAT for every IP the port is reached on.
    if (svc.nodePort !== 0) out.push(['conntrack', '-D', '-p', 'udp', '--dport', String(svc.nodePort), '--dst-nat', endpoint.ip]);
    for (const ip of [svc.clusterIP, ...svc.externalIPs, ...svc.loadBalancerVIPs]) {
      out.push(['conntrack', '-D', '--orig-dst', ip, '--dst-nat', endpoint.ip, '-p', 'udp']);
    }
  }
  return out;
}

/** "0 flow entries have been deleted" is conntrack's exit 1 for "nothing matched": not an error. */
const NOTHING_DELETED = /0 flow entries have been deleted/;

/** Runs the cleanup; failures are logged, never fatal (the rules are already in place). */
export async function cleanStaleUDPEntries(host: Host, ports: Map<string, ServicePortInfo>, result: UpdateResult, log?: (line: string) => void): Promise<number> {
  let n = 0;
  for (const argv of conntrackCleanupCommands(ports, result)) {
    const r = await host.run(argv);
    n++;
    if (r.code !== 0 && !NOTHING_DELETED.test(r.stderr)) log?.(`Failed to delete stale conntrack entries: ${argv.join(' ')}: ${r.stderr.trim()}`);
  }
  return n;
}
