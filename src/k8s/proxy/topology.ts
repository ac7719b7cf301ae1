/**
 * Which endpoints a service port uses from this node (upstream's CategorizeEndpoints, v1.30
 * zone-hint semantics): the Cluster-policy list, the Local-policy list, their union, and
 * whether the Service has usable endpoints anywhere. Usable means Ready; when no Ready one
 * exists, Serving+Terminating ones are used instead, separately for each list.
 */
import type { EndpointInfo } from './endpoints.ts';
import { usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from './serviceport.ts';

export interface CategorizedEndpoints {
  /** Cluster traffic policy endpoints (empty when the port never uses Cluster policy). */
  cluster: EndpointInfo[];
  /** Local traffic policy endpoints (empty when the port never uses Local policy). */
  local: EndpointInfo[];
  /** Every endpoint this node may send to: the union of the two, sorted by `ip:port`. */
  allReachable: EndpointInfo[];
  /** Usable endpoints exist somewhere in the cluster (even if none is reachable from here). */
  hasAny: boolean;
}

const servingTerminating = (ep: EndpointInfo): boolean => ep.serving && ep.terminating;

/** Topology (zone hints) applies when this node has a zone and every ready endpoint is hinted, one for this zone. */
function canUseTopology(endpoints: EndpointInfo[], zone: string | undefined): boolean {
  if (!zone) return false;
  let hasEndpointForZone = false;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    if (ep.zoneHints.length === 0) return false;
    if (ep.zoneHints.includes(zone)) hasEndpointForZone = true;
  }
  return hasEndpointForZone;
}

export function categorizeEndpoints(endpoints: EndpointInfo[], svc: ServicePortInfo, zone?: string): CategorizedEndpoints {
  const out: CategorizedEndpoints = { cluster: [], local: [], allReachable: [], hasAny: false };
  if (endpoints.length === 0) return out;

  let useTopology = false;
  if (usesClusterEndpoints(svc)) {
    useTopology = canUseTopology(endpoints, zone);
    out.cluster = endpoints.filter((ep) => ep.ready && (!useTopology || ep.zoneHints.includes(zone!)));
    // No ready endpoint anywhere (topology already fell back if the zone had none): try terminating ones.
    if (out.cluster.length === 0) out.cluster = endpoints.filter(servingTerminating);
    if (out.cluster.length > 0) out.hasAny = true;
  }
  if (!usesLocalEndpoints(svc)) {
    out.allReachable = out.cluster;
    return out;
  }

  let localReady = false;
  let localServingTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      out.hasAny = true;
      if (ep.isLocal) localReady = true;
    } else if (servingTerminating(ep)) {
      out.hasAny = true;
      if (ep.isLocal) localServingTerminating = true;
    }
  }
  const useServingTerminating = !localReady && localServingTerminating;
  if (localReady) out.local = endpoints.filter((ep) => ep.isLocal && ep.ready);
  else if (useServingTerminating) out.local = endpoints.filter((ep) => ep.isLocal && servingTerminating(ep));

  if (!usesClusterEndpoints(svc)) {
    out.allReachable = out.local;
    return out;
  }
  if (!useTopology && !useServingTerminating) {
    // Every ready endpoint is in the cluster list, so it contains the (ready) local ones.
    out.allReachable = out.cluster;
    return out;
  }
  const union = new Map<string, EndpointInfo>();
  for (const ep of [...out.cluster, ...out.local]) union.set(ep.endpoint, ep);
  out.allReachable = [...union.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
  return out;
}
