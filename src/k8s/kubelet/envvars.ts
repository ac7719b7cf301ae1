/**
 * The environment the kubelet gives a container: the Docker-links-style variables of every
 * service in the pod's namespace (and the master services), then the container's own env with
 * `$(VAR)` references expanded, as pkg/kubelet/envvars and kubelet_pods do.
 */
import type { Pod, Service } from '../controllers/util.ts';
import type { KObject } from '../api/object.ts';

const envName = (s: string): string => s.toUpperCase().replace(/-/g, '_');

/** FromServices: the variables of the services a pod sees (services with a cluster IP only). */
export function serviceEnv(services: Service[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const svc of [...services].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') continue;
    const name = envName(svc.metadata.name!);
    const ports = svc.spec?.ports ?? [];
    if (!ports.length) continue;
    env[`${name}_SERVICE_HOST`] = ip;
    env[`${name}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) env[`${name}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
    const proto = (ports[0].protocol ?? 'TCP').toLowerCase();
    env[`${name}_PORT`] = `${proto}://${ip}:${ports[0].port}`;
    for (const p of ports) {
      const pr = (p.protocol ?? 'TCP').toLowerCase();
      const prefix = `${name}_PORT_${p.port}_${pr.toUpperCase()}`;
      env[prefix] = `${pr}://${ip}:${p.port}`;
      env[`${prefix}_PROTO`] = pr;
      env[`${prefix}_PORT`] = String(p.port);
      env[`${prefix}_ADDR`] = ip;
    }
  }
  return env;
}

/** Expands `$(VAR)` with earlier values; `$$(VAR)` stays literal `$(VAR)`. */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => (m === '$$' ? '$' : name !== undefined && name in env ? env[name] : m));
}

type Container = NonNullable<Pod['spec']>['containers'][number];

/**
 * The container's environment: service variables (when enableServiceLinks, the default) and
 * the master service's always, then env entries in order (value, fieldRef to pod fields,
 * configMapKeyRef/secretKeyRef from the given objects).
 */
export function containerEnv(pod: Pod, c: Container, o: { services: Service[]; podIP: string; hostIP: string; nodeName: string; configMaps?: Map<string, KObject> }): Record<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const links = pod.spec?.enableServiceLinks !== false;
  const visible = o.services.filter((s) => (links && s.metadata.namespace === ns) || (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes'));
  const env: Record<string, string> = serviceEnv(visible);
  const field = (path: string): string | undefined => {
    switch (path) {
      case 'metadata.name': return pod.metadata.name;
      case 'metadata.namespace': return ns;
      case 'metadata.uid': return pod.metadata.uid;
      case 'spec.nodeName': return o.nodeName;
      case 'spec.serviceAccountName': return pod.spec?.serviceAccountName;
      case 'status.podIP': return o.podIP;
      case 'status.hostIP': return o.hostIP;
      default: {
        const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
        return m ? (pod.metadata[m[1] as 'labels' | 'annotations'] ?? {})[m[2]] : undefined;
      }
    }
  };
  for (const cm of c.envFrom ?? []) {
    const ref = cm.configMapRef?.name;
    const data = ref ? (o.configMaps?.get(`${ns}/${ref}`)?.data as Record<string, string> | undefined) : undefined;
    for (const [k, v] of Object.entries(data ?? {})) env[`${cm.prefix ?? ''}${k}`] = v;
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = expand(e.value, env);
    else if (e.valueFrom?.fieldRef) env[e.name] = field(e.valueFrom.fieldRef.fieldPath) ?? '';
    else if (e.valueFrom?.configMapKeyRef) {
      const data = o.configMaps?.get(`${ns}/${e.valueFrom.configMapKeyRef.name}`)?.data as Record<string, string> | undefined;
      const v = data?.[e.valueFrom.configMapKeyRef.key];
      if (v !== undefined) env[e.name] = v;
    } else env[e.name] = '';
  }
  return env;
}
