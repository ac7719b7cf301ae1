/** Generates kube-proxy-shaped iptables-restore text: N ClusterIP services × E endpoints each. */
import { createHash } from 'node:crypto';

function hash(s: string): string {
  // base32 (RFC 4648) of sha256, first 16 characters, as kube-proxy names its chains.
  const bytes = createHash('sha256').update(s).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export function kubeRuleset(services: number, endpoints: number): { text: string; rules: number; lastService: { ip: string; port: number } } {
  const chains: string[] = [':KUBE-SERVICES - [0:0]', ':KUBE-NODEPORTS - [0:0]', ':KUBE-POSTROUTING - [0:0]', ':KUBE-MARK-MASQ - [0:0]'];
  const rules: string[] = [
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    '-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000',
  ];
  const per: string[] = [];
  let last = { ip: '', port: 0 };
  for (let s = 0; s < services; s++) {
    const spn = `ns${s % 50}/svc${s}:http`;
    const svc = `KUBE-SVC-${hash(spn + 'tcp')}`;
    const ip = `10.96.${(s >> 8) & 255}.${s & 255}`;
    last = { ip, port: 80 };
    chains.push(`:${svc} - [0:0]`);
    rules.push(`-A KUBE-SERVICES -m comment --comment "${spn} cluster IP" -m tcp -p tcp -d ${ip} --dport 80 -j ${svc}`);
    per.push(`-A ${svc} -m comment --comment "${spn} cluster IP" -m tcp -p tcp -d ${ip} --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`);
    for (let e = 0; e < endpoints; e++) {
      const ep = `10.${244 + (e % 8)}.${(s >> 8) & 255}.${s & 255}:8080`;
      const sep = `KUBE-SEP-${hash(spn + 'tcp' + ep)}`;
      chains.push(`:${sep} - [0:0]`);
      const prob = e < endpoints - 1 ? ` -m statistic --mode random --probability ${(1 / (endpoints - e)).toFixed(10)}` : '';
      per.push(`-A ${svc} -m comment --comment "${spn} -> ${ep}"${prob} -j ${sep}`);
      per.push(`-A ${sep} -m comment --comment ${spn} -s ${ep.split(':')[0]} -j KUBE-MARK-MASQ`);
      per.push(`-A ${sep} -m comment --comment ${spn} -m tcp -p tcp -j DNAT --to-destination ${ep}`);
    }
  }
  for (const r of per) rules.push(r);
  rules.push('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
  const text = ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ...chains, ...rules, 'COMMIT', ''].join('\n');
  return { text, rules: rules.length, lastService: last };
}
