/**
 * `-m owner`: the local socket's owner (uid, gid, supplementary groups) or whether a socket
 * exists at all. Only meaningful for locally generated packets (OUTPUT, POSTROUTING).
 */
import { XtError, type XtMatch } from './types.ts';
import { badValue, strtouiPrefix, x6Check } from './xtopt.ts';

const SOCKET = 1, UID = 2, GID = 4, SUPPL = 8;

/**
 * Debian 12's base-passwd users and groups, which is what getpwnam/getgrgid see on the reference
 * host. (The sim has no /etc/passwd; `Names` has no user lookups yet.)
 */
const USERS: Record<string, number> = {
  root: 0, daemon: 1, bin: 2, sys: 3, sync: 4, games: 5, man: 6, lp: 7, mail: 8, news: 9, uucp: 10,
  proxy: 13, 'www-data': 33, backup: 34, list: 38, irc: 39, _apt: 42, nobody: 65534,
};
const GROUPS: Record<string, number> = {
  root: 0, daemon: 1, bin: 2, sys: 3, adm: 4, tty: 5, disk: 6, lp: 7, mail: 8, news: 9, uucp: 10, man: 12,
  proxy: 13, kmem: 15, dialout: 20, fax: 21, voice: 22, cdrom: 24, floppy: 25, tape: 26, sudo: 27, audio: 29,
  dip: 30, 'www-data': 33, backup: 34, operator: 37, list: 38, irc: 39, src: 40, shadow: 42, utmp: 43,
  video: 44, sasl: 45, plugdev: 46, staff: 50, games: 60, users: 100, nogroup: 65534,
};

function nameOf(table: Record<string, number>, id: number): string | undefined {
  return Object.keys(table).find((k) => table[k] === id);
}

export interface OwnerData {
  uid: [number, number];
  gid: [number, number];
  match: number;
  invert: number;
  seen: string[];
}

function parseRange(arg: string, opt: string): [number, number] {
  const a = strtouiPrefix(arg, 0, 0xfffffffe);
  if (!a) throw badValue('owner', opt, arg);
  let to = a.value;
  let rest = a.rest;
  if (rest.startsWith('-') || rest.startsWith(':')) {
    const b = strtouiPrefix(rest.slice(1), 0, 0xfffffffe);
    if (!b) throw badValue('owner', opt, arg);
    to = b.value;
    rest = b.rest;
  }
  if (rest !== '') throw badValue('owner', opt, arg);
  return [a.value, to];
}

function item(d: OwnerData, label: string, flag: number, numeric: boolean): string {
  if (!(d.match & flag)) return '';
  let s = (d.invert & flag ? ' !' : '') + ` ${label}`;
  const one = (range: [number, number], table: Record<string, number>): string => {
    if (range[0] !== range[1]) return ` ${range[0]}-${range[1]}`;
    const n = numeric ? undefined : nameOf(table, range[0]);
    return ` ${n ?? range[0]}`;
  };
  if (flag === UID) s += one(d.uid, USERS);
  if (flag === GID) s += one(d.gid, GROUPS);
  return s;
}

export const owner: XtMatch<OwnerData> = {
  kind: 'match',
  name: 'owner',
  options: [
    { name: 'uid-owner', arg: true, invert: true },
    { name: 'gid-owner', arg: true, invert: true },
    { name: 'socket-exists', arg: false, invert: true },
    { name: 'suppl-groups', arg: false, invert: true },
  ],
  init: () => ({ uid: [0, 0], gid: [0, 0], match: 0, invert: 0, seen: [] }),
  parse(d, opt, arg, invert) {
    x6Check(d.seen, 'owner', opt, invert, opt !== 'suppl-groups');
    switch (opt) {
      case 'uid-owner': {
        const u = USERS[arg!];
        d.uid = u !== undefined ? [u, u] : parseRange(arg!, '--uid-owner');
        if (invert) d.invert |= UID;
        d.match |= UID;
        break;
      }
      case 'gid-owner': {
        const g = GROUPS[arg!];
        d.gid = g !== undefined ? [g, g] : parseRange(arg!, '--gid-owner');
        if (invert) d.invert |= GID;
        d.match |= GID;
        break;
      }
      case 'socket-exists':
        if (invert) d.invert |= SOCKET;
        d.match |= SOCKET;
        break;
      case 'suppl-groups':
        if (!(d.match & GID)) throw badValue('owner', '--suppl-groups', 'you need to use --gid-owner first');
        d.match |= SUPPL;
        break;
    }
  },
  final(d) {
    if (d.match === 0) throw new XtError('owner: At least one of --uid-owner, --gid-owner or --socket-exists is required');
  },
  print: (d, env) =>
    item(d, 'owner socket exists', SOCKET, env.numeric) + item(d, 'owner UID match', UID, env.numeric) +
    item(d, 'owner GID match', GID, env.numeric) + item(d, 'incl. suppl. groups', SUPPL, env.numeric),
  save(d) {
    let s = '';
    if (d.match & SOCKET) s += `${d.invert & SOCKET ? ' !' : ''} --socket-exists`;
    if (d.match & UID) s += `${d.invert & UID ? ' !' : ''} --uid-owner ${d.uid[0] === d.uid[1] ? d.uid[0] : `${d.uid[0]}-${d.uid[1]}`}`;
    if (d.match & GID) s += `${d.invert & GID ? ' !' : ''} --gid-owner ${d.gid[0] === d.gid[1] ? d.gid[0] : `${d.gid[0]}-${d.gid[1]}`}`;
    if (d.match & SUPPL) s += ' --suppl-groups';
    return s;
  },
  hooks: ['OUTPUT', 'POSTROUTING'],
  match(d, pkt) {
    // xt_owner: without a local socket only a fully inverted rule matches.
    if (pkt.uid === undefined) return (d.match ^ d.invert) === 0;
    if (d.match & d.invert & SOCKET) return false;
    const test = (flag: number, ok: boolean): boolean => !(d.match & flag) || ok !== Boolean(d.invert & flag);
    if (!test(UID, pkt.uid! >= d.uid[0] && pkt.uid! <= d.uid[1])) return false;
    if (!test(GID, pkt.gid !== undefined && pkt.gid >= d.gid[0] && pkt.gid <= d.gid[1])) return false;
    return true;
  },
};
