/**
 * The Corefile: CoreDNS's configuration (Caddyfile syntax: server blocks `ZONE:PORT { ... }` of
 * directives with arguments and nested blocks), read for what the simulated server honours —
 * the listening port, the kubernetes plugin's zones and options, which plugins are present.
 * The default is the Corefile kubeadm installs.
 */
import { defaultKubernetesConfig, fqdn, type KubernetesConfig } from './lookup.ts';

/** kubeadm's CoreDNS ConfigMap (cluster.local), as `kubeadm init` writes it. */
export const KUBEADM_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

export interface Directive {
  name: string;
  args: string[];
  block: Directive[];
}

export interface ServerBlock {
  /** `.:53` → zone `.`, port 53. */
  keys: { zone: string; port: number }[];
  directives: Directive[];
}

export class CorefileError extends Error {}

/** Words and braces, with `#` comments and quoted words. */
function tokens(text: string): { word: string; line: number }[] {
  const out: { word: string; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const re = /"((?:[^"\\]|\\.)*)"|([{}])|([^\s{}"#]+)|(#.*)/g;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      if (m[4] !== undefined) break;
      out.push({ word: m[1] ?? m[2] ?? m[3], line: i + 1 });
    }
    out.push({ word: '\n', line: i + 1 });
  });
  return out;
}

function parseKey(k: string): { zone: string; port: number } {
  const m = /^(?:dns:\/\/)?([^:]*)(?::(\d+))?$/.exec(k);
  if (!m) throw new CorefileError(`invalid server block key: ${k}`);
  return { zone: fqdn(m[1] || '.'), port: m[2] ? Number(m[2]) : 53 };
}

export function parseCorefile(text: string): ServerBlock[] {
  const toks = tokens(text);
  let i = 0;
  const skipNewlines = (): void => {
    while (i < toks.length && toks[i].word === '\n') i++;
  };
  const directives = (): Directive[] => {
    const out: Directive[] = [];
    for (;;) {
      skipNewlines();
      if (i >= toks.length) throw new CorefileError('unexpected end of Corefile: missing }');
      if (toks[i].word === '}') {
        i++;
        return out;
      }
      const d: Directive = { name: toks[i++].word, args: [], block: [] };
      while (i < toks.length && toks[i].word !== '\n' && toks[i].word !== '{' && toks[i].word !== '}') d.args.push(toks[i++].word);
      if (toks[i]?.word === '{') {
        i++;
        d.block = directives();
      }
      out.push(d);
    }
  };
  const blocks: ServerBlock[] = [];
  for (;;) {
    skipNewlines();
    if (i >= toks.length) return blocks;
    const keys: string[] = [];
    while (i < toks.length && toks[i].word !== '{') {
      if (toks[i].word !== '\n') keys.push(...toks[i].word.split(',').filter(Boolean));
      i++;
    }
    if (i >= toks.length) throw new CorefileError('server block without {');
    i++;
    blocks.push({ keys: keys.map(parseKey), directives: directives() });
  }
}

/** The kubernetes directive as the plugin's setup reads it. */
export function kubernetesConfig(block: ServerBlock, localIPs: string[]): KubernetesConfig | undefined {
  const d = block.directives.find((x) => x.name === 'kubernetes');
  if (!d) return undefined;
  const zones = d.args.length ? d.args.map((z) => fqdn(z.toLowerCase())) : block.keys.map((k) => k.zone);
  const cfg = defaultKubernetesConfig({ zones, localIPs });
  for (const o of d.block) {
    switch (o.name) {
      case 'pods':
        if (o.args[0] === 'disabled' || o.args[0] === 'verified' || o.args[0] === 'insecure') cfg.podMode = o.args[0];
        break;
      case 'ttl':
        cfg.ttl = Number(o.args[0] ?? 5);
        break;
      case 'fallthrough':
        cfg.fallthrough = o.args.map((z) => fqdn(z.toLowerCase()));
        break;
      case 'namespaces':
        cfg.namespaces = o.args;
        break;
      case 'endpoint_pod_names':
        cfg.endpointPodNames = true;
        break;
    }
  }
  return cfg;
}
