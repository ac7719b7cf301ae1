/**
 * The kubeconfig for a cluster, in the shape kind writes: one cluster, one user and one
 * context, all named `kind-NAME`, the CA embedded, a bearer token for the user.
 */
import { stringify } from 'yaml';

export interface KubeconfigParams {
  /** The context, cluster and user name (`kind-iptables`). */
  context: string;
  server: string;
  caPem: string;
  token: string;
}

export function kubeconfigObject(p: KubeconfigParams): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': Buffer.from(p.caPem).toString('base64'), server: p.server }, name: p.context }],
    contexts: [{ context: { cluster: p.context, user: p.context }, name: p.context }],
    'current-context': p.context,
    kind: 'Config',
    preferences: {},
    users: [{ name: p.context, user: { token: p.token } }],
  };
}

export function kubeconfigYaml(p: KubeconfigParams): string {
  return stringify(kubeconfigObject(p));
}
