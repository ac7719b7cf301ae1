/**
 * The files a fresh simulated host starts with: Debian 12's /etc/services, /etc/protocols and
 * /etc/networks (netbase) and a minimal /etc/hosts, read from the files beside this module.
 */
import { readFileSync } from 'node:fs';

const read = (name: string): string => readFileSync(new URL(`./etc/${name}`, import.meta.url), 'utf8');

let cached: Record<string, string> | undefined;

export function defaultEtc(): Record<string, string> {
  cached ??= {
    '/etc/services': read('services'),
    '/etc/protocols': read('protocols'),
    '/etc/networks': read('networks'),
    '/etc/hosts': read('hosts'),
    '/etc/hostname': 'podlab\n',
  };
  return { ...cached };
}
