/**
 * The text forms of rules and chains, as iptables 1.8.9 (nf_tables) prints them: the `-L`
 * table (print_header / print_firewall, with its column widths, name resolution and K/M/G
 * counters) and the save form used by `-S` and `iptables-save`.
 */
import { formatIPv4 } from '../../kernel/addr.ts';
import type { Chain } from '../../kernel/netfilter/netfilter.ts';
import type { Rule } from '../../kernel/netfilter/rule.ts';
import type { Names, PrintEnv } from '../../kernel/netfilter/xt/types.ts';
import { protoName } from './parse.ts';
import { maskSuffix } from '../../kernel/netfilter/xt/util.ts';

export interface ListFormat {
  numeric: boolean;
  verbose: boolean;
  /** -x: exact counters instead of K/M/G. */
  exact: boolean;
  lineNumbers: boolean;
}

/** xtables_print_num: a counter as `-L -v` prints it, in a column or (notable) inline. */
export function formatNum(n: bigint, exact: boolean, notable = false): string {
  if (exact) return notable ? `${n} ` : `${n}`.padStart(8) + ' ';
  if (n <= 99999n) return notable ? `${n} ` : `${n}`.padStart(5) + ' ';
  const units = ['K', 'M', 'G', 'T'];
  let v = n;
  for (let u = 0; u < units.length; u++) {
    // uint64 arithmetic, overflow included: 2^64-1 prints as 0K, as in C.
    v = ((v + 500n) & 0xffffffffffffffffn) / 1000n;
    if (v <= 9999n || u === units.length - 1) return notable ? `${v}${units[u]} ` : `${v}`.padStart(4) + units[u] + ' ';
  }
  throw new Error('unreachable');
}

export function chainHeader(chain: Chain, refs: number, f: ListFormat): string {
  let s = `Chain ${chain.name}`;
  if (chain.builtin) {
    s += ` (policy ${chain.policy}`;
    if (f.verbose) {
      s += ' ' + formatNum(chain.counters.pkts, f.exact, true) + 'packets, ' + formatNum(chain.counters.bytes, f.exact, true) + 'bytes';
    }
    s += ')\n';
  } else {
    s += ` (${refs} references)\n`;
  }
  if (f.lineNumbers) s += 'num  ';
  if (f.verbose) s += f.exact ? '    pkts      bytes ' : ' pkts bytes ';
  s += 'target    ';
  s += ' prot opt';
  if (f.verbose) s += ' in     out    ';
  s += ' source              ';
  s += ' destination         ';
  return s + '\n';
}

function listAddr(addr: number, mask: number, inv: boolean, f: ListFormat, names: Names): string {
  let text: string;
  if (mask === 0 && !f.numeric) text = 'anywhere';
  else {
    const host = f.numeric ? formatIPv4(addr) : (names.addrToName(addr) ?? formatIPv4(addr));
    text = host + maskSuffix(mask);
  }
  return (inv ? '!' : ' ') + text.padEnd(19) + ' ';
}

export function targetName(r: Rule): string {
  switch (r.target.kind) {
    case 'none': return '';
    case 'verdict': return r.target.verdict;
    case 'jump': return r.target.chain;
    case 'ext': return r.target.use.ext.listName ?? r.target.use.ext.name;
  }
}

/** One rule line of `iptables -L`. */
export function listRule(r: Rule, num: number, f: ListFormat, names: Names): string {
  const ip = r.ip;
  let s = '';
  if (f.lineNumbers) s += `${num}`.padEnd(4) + ' ';
  if (f.verbose) s += formatNum(r.counters.pkts, f.exact) + formatNum(r.counters.bytes, f.exact);
  s += targetName(r).padEnd(9) + ' ';
  s += ip.invProto ? '!' : ' ';
  const pname = f.numeric ? undefined : protoName(ip.proto, names);
  s += (pname ?? String(ip.proto)).padEnd(4) + ' ';
  s += (ip.invFrag ? '!' : '-') + (ip.frag ? 'f' : '-') + ' ';
  if (f.verbose) {
    const any = f.numeric ? '*' : 'any';
    s += ' ' + ((ip.invIn ? '!' : '') + (ip.inIface || any)).padEnd(6) + ' ';
    s += ((ip.invOut ? '!' : '') + (ip.outIface || any)).padEnd(6) + ' ';
  }
  s += listAddr(ip.src, ip.smsk, ip.invSrc, f, names);
  s += listAddr(ip.dst, ip.dmsk, ip.invDst, f, names);
  if (r.target.kind === 'jump' && r.target.goto) s += '[goto] ';
  const env: PrintEnv = { numeric: f.numeric, names, proto: ip.proto };
  for (const m of r.matches) s += m.ext.print(m.data, env);
  if (r.target.kind === 'ext') s += r.target.use.ext.print(r.target.use.data, env);
  return s + '\n';
}

/**
 * The rule specification after `-A CHAIN` in save form; `beforeTarget` is spliced in ahead of
 * the target (where `-S -v` puts ` -c PKTS BYTES`).
 */
export function saveRuleSpec(r: Rule, names: Names, beforeTarget = ''): string {
  const ip = r.ip;
  let s = '';
  if (ip.smsk !== 0 || ip.invSrc) s += `${ip.invSrc ? ' !' : ''} -s ${formatIPv4(ip.src)}${saveMask(ip.smsk)}`;
  if (ip.dmsk !== 0 || ip.invDst) s += `${ip.invDst ? ' !' : ''} -d ${formatIPv4(ip.dst)}${saveMask(ip.dmsk)}`;
  if (ip.inIface !== '') s += `${ip.invIn ? ' !' : ''} -i ${ip.inIface}`;
  if (ip.outIface !== '') s += `${ip.invOut ? ' !' : ''} -o ${ip.outIface}`;
  if (ip.proto !== 0) s += `${ip.invProto ? ' !' : ''} -p ${protoName(ip.proto, names) ?? ip.proto}`;
  if (ip.frag) s += `${ip.invFrag ? ' !' : ''} -f`;
  const env: PrintEnv = { numeric: true, names, proto: ip.proto };
  for (const m of r.matches) s += ` -m ${m.ext.name}${m.ext.save(m.data, env)}`;
  s += beforeTarget;
  switch (r.target.kind) {
    case 'verdict': s += ` -j ${r.target.verdict}`; break;
    case 'jump': s += ` -${r.target.goto ? 'g' : 'j'} ${r.target.chain}`; break;
    case 'ext': s += ` -j ${r.target.use.ext.name}${r.target.use.ext.save(r.target.use.data, env)}`; break;
    case 'none': break;
  }
  return s;
}

/** Save form of a mask: "/N" for a prefix, dotted otherwise (never omitted, even for /32). */
function saveMask(mask: number): string {
  const m = maskSuffix(mask);
  return m === '' ? '/32' : m;
}

/** `-A CHAIN ...` with optional counters (`[p:b] ` prefix for iptables-save -c, ` -c p b` before the target for -S -v). */
export function saveRule(chain: string, r: Rule, names: Names, counters: 'none' | 'prefix' | 'suffix'): string {
  if (counters === 'suffix') return `-A ${chain}${saveRuleSpec(r, names, ` -c ${r.counters.pkts} ${r.counters.bytes}`)}\n`;
  const spec = saveRuleSpec(r, names);
  if (counters === 'prefix') return `[${r.counters.pkts}:${r.counters.bytes}] -A ${chain}${spec}\n`;
  return `-A ${chain}${spec}\n`;
}
