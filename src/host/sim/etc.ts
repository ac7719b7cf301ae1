/**
 * The files a fresh simulated host starts with: Debian 12's /etc/services, /etc/protocols and
 * /etc/networks (netbase), a minimal /etc/hosts, and iproute2's name databases under
 * /etc/iproute2 (rt_tables, rt_protos, ...), read from the files beside this module.
 */
import { readFileSync } from 'node:fs';

const read = (name: string): string => readFileSync(new URL(`./etc/${name}`, import.meta.url), 'utf8');

/** iproute2 6.1's configuration files as Debian 12 installs them. */
const IPROUTE2 = ['bpf_pinning', 'ematch_map', 'group', 'nl_protos', 'rt_dsfield', 'rt_protos', 'rt_protos.d/README', 'rt_realms', 'rt_scopes', 'rt_tables', 'rt_tables.d/README'];

let cached: Record<string, string> | undefined;

export function defaultEtc(): Record<string, string> {
  cached ??= {
    '/etc/services': read('services'),
    '/etc/protocols': read('protocols'),
    '/etc/networks': read('networks'),
    '/etc/hosts': read('hosts'),
    '/etc/hostname': 'podlab\n',
    ...Object.fromEntries(IPROUTE2.map((f) => [`/etc/iproute2/${f}`, read(`iproute2/${f}`)])),
  };
  return { ...cached };
}
