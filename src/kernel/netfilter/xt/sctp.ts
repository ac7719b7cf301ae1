/** `-m sctp` (also loaded by `-p sctp`): ports and chunk types. */
import { XtError, type XtMatch } from './types.ts';
import { parsePortRange } from './util.ts';
import { printPorts } from './tcp.ts';

const CHUNKS: [string, number][] = [
  ['DATA', 0], ['INIT', 1], ['INIT_ACK', 2], ['SACK', 3], ['HEARTBEAT', 4], ['HEARTBEAT_ACK', 5], ['ABORT', 6],
  ['SHUTDOWN', 7], ['SHUTDOWN_ACK', 8], ['ERROR', 9], ['COOKIE_ECHO', 10], ['COOKIE_ACK', 11], ['ECN_ECNE', 12],
  ['ECN_CWR', 13], ['SHUTDOWN_COMPLETE', 14], ['I_DATA', 64], ['RE_CONFIG', 130], ['PAD', 132], ['ASCONF', 193],
  ['ASCONF_ACK', 128], ['FORWARD_TSN', 192], ['I_FORWARD_TSN', 194],
];

export interface SctpData {
  spts?: [number, number];
  dpts?: [number, number];
  invSrc: boolean;
  invDst: boolean;
  chunkMode?: 'any' | 'all' | 'only';
  chunks: number[];
  invChunks: boolean;
}

function chunkText(d: SctpData, numeric: boolean): string {
  const s = ` ${d.chunkMode}`;
  if (d.chunks.length === 0) return s + ' NONE';
  if (d.chunks.length === 256) return s + ' ALL';
  const names = [...d.chunks].sort((a, b) => a - b).map((c) =>
    numeric ? '0x' + c.toString(16).toUpperCase().padStart(4, '0') : (CHUNKS.find(([, v]) => v === c)?.[0] ?? String(c)));
  return s + ' ' + names.join(',');
}

export const sctp: XtMatch<SctpData> = {
  kind: 'match',
  name: 'sctp',
  options: [
    { name: 'source-port', arg: true, invert: true },
    { name: 'sport', arg: true, invert: true },
    { name: 'destination-port', arg: true, invert: true },
    { name: 'dport', arg: true, invert: true },
    { name: 'chunk-types', arg: true, invert: true },
  ],
  init: () => ({ invSrc: false, invDst: false, chunks: [], invChunks: false }),
  parse(d, opt, arg, invert, env) {
    switch (opt) {
      case 'source-port': case 'sport':
        if (d.spts) throw new XtError("Only one `--source-port' allowed");
        d.spts = parsePortRange(arg!, 'sctp', env.names);
        d.invSrc = invert;
        break;
      case 'destination-port': case 'dport':
        if (d.dpts) throw new XtError("Only one `--destination-port' allowed");
        d.dpts = parsePortRange(arg!, 'sctp', env.names);
        d.invDst = invert;
        break;
      case 'chunk-types': {
        if (d.chunkMode) throw new XtError("Only one `--chunk-types' allowed");
        const list = env.nextArg?.();
        if (list === undefined) throw new XtError('--chunk-types requires two args');
        const mode = arg!.toLowerCase();
        if (mode !== 'any' && mode !== 'all' && mode !== 'only') {
          throw new XtError('Match type has to be one of "ALL", "ANY" or "ONLY"');
        }
        const set = new Set<number>();
        for (const part of list.split(',')) {
          const name = part.split(':')[0];
          if (name.toUpperCase() === 'ALL') for (let i = 0; i < 256; i++) set.add(i);
          else if (name.toUpperCase() === 'NONE') set.clear();
          else {
            const hit = CHUNKS.find(([n]) => n.toLowerCase() === name.toLowerCase());
            if (!hit) throw new XtError(`Unknown sctp chunk \`${name}'`);
            set.add(hit[1]);
          }
        }
        d.chunkMode = mode;
        d.chunks = [...set].sort((a, b) => a - b);
        d.invChunks = invert;
        break;
      }
    }
  },
  print(d, env) {
    let s = ' sctp';
    if (d.spts) s += printPorts('spt', d.spts, d.invSrc, 'sctp', env.numeric, env.names);
    if (d.dpts) s += printPorts('dpt', d.dpts, d.invDst, 'sctp', env.numeric, env.names);
    if (d.chunkMode) s += (d.invChunks ? ' !' : '') + chunkText(d, env.numeric);
    return s;
  },
  save(d) {
    let s = '';
    const ports = (opt: string, r: [number, number], inv: boolean): string =>
      `${inv ? ' !' : ''} --${opt} ${r[0] === r[1] ? r[0] : `${r[0]}:${r[1]}`}`;
    if (d.spts) s += ports('sport', d.spts, d.invSrc);
    if (d.dpts) s += ports('dport', d.dpts, d.invDst);
    if (d.chunkMode) s += `${d.invChunks ? ' !' : ''} --chunk-types` + chunkText(d, false);
    return s;
  },
  match(d, pkt) {
    if (pkt.proto !== 132 || pkt.fragment) return false;
    const sp = pkt.sport ?? 0;
    const dp = pkt.dport ?? 0;
    if (d.spts && (sp >= d.spts[0] && sp <= d.spts[1]) === d.invSrc) return false;
    if (d.dpts && (dp >= d.dpts[0] && dp <= d.dpts[1]) === d.invDst) return false;
    // Packets carry no chunk list in podlab; a chunk test passes only when inverted.
    if (d.chunkMode) return d.invChunks;
    return true;
  },
};
