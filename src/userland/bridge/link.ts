/**
 * `bridge link`: the ports of the namespace's bridges as a PF_BRIDGE link dump shows them
 * (`5: veth1@eth0: <...> mtu 1500 master cni0 state forwarding priority 32 cost 2 `), and
 * `bridge link set dev PORT ...` changing a port's flags, cost, priority or state.
 */
import type { BridgePort, Link } from '../../kernel/link.ts';
import type { NetNs } from '../../kernel/netns.ts';
import { netlinkFlags, portState } from '../../kernel/ifinfo.ts';
import { Args, duparg, Exit, flagNames, JsonWriter, matches, nameAndLink, rtnlErrno, type BridgeOpts, type Out } from './common.ts';

const PORT_STATES: BridgePort['state'][] = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];

/** Port flags the model's BridgePort does not keep (or keeps optionally); their defaults are the kernel's (new_nbp). */
export interface PortExtras {
  guard: boolean;
  root_block: boolean;
  fastleave: boolean;
  mcast_flood: boolean;
  bcast_flood: boolean;
  mcast_router: number;
  mcast_to_unicast: boolean;
  neigh_suppress: boolean;
  vlan_tunnel: boolean;
  isolated: boolean;
  locked: boolean;
  learning_sync: boolean;
}

const extras = new WeakMap<Link, PortExtras>();

export function portExtras(port: Link): PortExtras {
  let e = extras.get(port);
  if (!e) {
    e = {
      guard: false, root_block: false, fastleave: false, mcast_flood: true, bcast_flood: true, mcast_router: 1,
      mcast_to_unicast: false, neigh_suppress: false, vlan_tunnel: false, isolated: false, locked: false, learning_sync: false,
    };
    extras.set(port, e);
  }
  return e;
}

const LINK_USAGE = `Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]
`;

function usage(io: Out): never {
  io.err(LINK_USAGE);
  throw new Exit(255);
}

/** The -d line's on/off flags, in print_protinfo's order. */
function detailFlags(port: Link): [string, boolean | number][] {
  const p = port.port!;
  const x = portExtras(port);
  return [
    ['hairpin', p.hairpin], ['guard', x.guard], ['root_block', x.root_block], ['fastleave', x.fastleave],
    ['learning', p.learning], ['flood', p.flood], ['mcast_flood', p.mcastFlood ?? x.mcast_flood], ['bcast_flood', p.bcastFlood ?? x.bcast_flood],
    ['mcast_router', x.mcast_router], ['mcast_to_unicast', x.mcast_to_unicast], ['neigh_suppress', p.neighSuppress ?? x.neigh_suppress],
    ['vlan_tunnel', x.vlan_tunnel], ['isolated', p.isolated ?? x.isolated], ['locked', x.locked],
  ];
}

function showLinks(ns: NetNs, opts: BridgeOpts, args: Args, io: Out): number {
  let filter: string | undefined;
  for (; args.more; args.i++) {
    if (args.cur === 'dev') {
      const v = args.next();
      if (filter !== undefined) duparg(io, 'dev', v);
      filter = v;
    }
  }
  let only: Link | undefined;
  if (filter !== undefined) {
    only = ns.link(filter);
    if (!only) {
      io.err(`Cannot find device "${filter}"\n`);
      return 255;
    }
  }
  // The dump answers for every bridge port (AF_BRIDGE messages); other devices send nothing.
  const ports = [...ns.links.values()].filter((l) => l.master && l.port && (!only || l === only));
  if (opts.json) {
    const j = new JsonWriter(opts.pretty).startArray();
    for (const l of ports) {
      const nl = nameAndLink(ns, l);
      j.startObject().field('ifindex', l.ifindex);
      if (nl.link !== undefined) j.field('link', nl.link);
      j.field('ifname', l.name).name('flags').startArray();
      for (const f of flagNames(netlinkFlags(l), nl.mdown)) j.value(f);
      j.endArray().field('mtu', l.mtu).field('master', l.master!.name);
      j.field('state', portState(l)).field('priority', l.port!.priority).field('cost', l.port!.cost);
      if (opts.details) for (const [k, v] of detailFlags(l)) j.field(k, v);
      j.endObject();
    }
    io.out(j.endArray().done());
    return 0;
  }
  let text = '';
  for (const l of ports) {
    const nl = nameAndLink(ns, l);
    text += `${l.ifindex}: ${nl.link !== undefined ? `${nl.name}@${nl.link}` : nl.name}: <${flagNames(netlinkFlags(l), nl.mdown).join(',')}> `;
    text += `mtu ${l.mtu} master ${l.master!.name} state ${portState(l)} priority ${l.port!.priority} cost ${l.port!.cost} `;
    if (opts.details) text += '\n    ' + detailFlags(l).map(([k, v]) => `${k} ${typeof v === 'number' ? v : v ? 'on' : 'off'} `).join('');
    text += '\n';
  }
  io.out(text);
  return 0;
}

/** parse_on_off as this iproute2 words it; the status is -EINVAL's low byte. */
function onOff(io: Out, key: string, v: string): boolean {
  if (v === 'on') return true;
  if (v === 'off') return false;
  io.err(`Error: argument of "${key}" must be one of "off", "on", not "${v}"\n`);
  throw new Exit(234);
}

const ON_OFF = new Set(['guard', 'hairpin', 'fastleave', 'root_block', 'learning', 'learning_sync', 'flood', 'mcast_flood', 'bcast_flood', 'mcast_to_unicast', 'neigh_suppress', 'vlan_tunnel', 'isolated', 'locked']);

function setLink(ns: NetNs, args: Args, io: Out): number {
  let dev: string | undefined;
  const bools = new Map<string, boolean>();
  let cost: number | undefined;
  let priority: number | undefined;
  let state: number | undefined;
  let mcastRouter: number | undefined;
  for (; args.more; args.i++) {
    const w = args.cur;
    if (w === 'dev') dev = args.next();
    else if (ON_OFF.has(w)) bools.set(w, onOff(io, w, args.next()));
    else if (w === 'cost') cost = parseInt(args.next(), 10) || 0;
    else if (w === 'priority') priority = parseInt(args.next(), 10) || 0;
    else if (w === 'mcast_router') mcastRouter = parseInt(args.next(), 10) || 0;
    else if (w === 'state') {
      const v = args.next();
      state = /^-?\d+$/.test(v) ? Number(v) : PORT_STATES.indexOf(v as BridgePort['state']);
      if (state < 0) {
        io.err('Error: invalid STP port state\n');
        return 255;
      }
    } else if (w === 'hwmode') {
      const v = args.next();
      if (v !== 'vepa' && v !== 'veb') {
        io.err('Mode argument must be "vepa" or "veb".\n');
        return 255;
      }
    } else if (w === 'backup_port') args.next();
    else if (w !== 'self' && w !== 'master' && w !== 'nobackup_port') usage(io);
  }
  if (dev === undefined) {
    io.err('Device is a required argument.\n');
    return 255;
  }
  const link = ns.link(dev);
  if (!link) {
    io.err(`Cannot find bridge device "${dev}"\n`);
    return 255;
  }
  const nothing = !bools.size && cost === undefined && priority === undefined && state === undefined && mcastRouter === undefined;
  if (nothing) return 0;
  if (!link.master || !link.port) rtnlErrno(io, 'EOPNOTSUPP');
  const p = link.port;
  // br_setport validates everything before changing anything.
  if (state !== undefined) {
    if (state > 4) rtnlErrno(io, 'EINVAL');
    if (link.master.bridge?.stp) rtnlErrno(io, 'EBUSY');
    if (!link.master.adminUp || (!link.running && state !== 0)) rtnlErrno(io, 'ENETDOWN');
  }
  if (priority !== undefined && priority > 63) rtnlErrno(io, 'ERANGE');
  const x = portExtras(link);
  for (const [k, v] of bools) {
    if (k === 'hairpin') p.hairpin = v;
    else if (k === 'learning') p.learning = v;
    else if (k === 'flood') p.flood = v;
    else if (k === 'mcast_flood') p.mcastFlood = v;
    else if (k === 'bcast_flood') p.bcastFlood = v;
    else if (k === 'neigh_suppress') p.neighSuppress = v;
    else if (k === 'isolated') p.isolated = v;
    else (x as unknown as Record<string, boolean>)[k] = v;
  }
  if (cost !== undefined && cost > 0) p.cost = cost;
  if (priority !== undefined) p.priority = priority;
  if (state !== undefined) p.state = PORT_STATES[state];
  if (mcastRouter !== undefined) x.mcast_router = mcastRouter;
  return 0;
}

export function doLink(ns: NetNs, opts: BridgeOpts, args: Args, io: Out): number {
  if (!args.more) return showLinks(ns, opts, args, io);
  const w = args.cur;
  args.i++;
  if (matches(w, 'set') || matches(w, 'change')) return setLink(ns, args, io);
  if (matches(w, 'show') || matches(w, 'lst') || matches(w, 'list')) return showLinks(ns, opts, args, io);
  if (matches(w, 'help')) usage(io);
  io.err(`Command "${w}" is unknown, try "bridge link help".\n`);
  return 255;
}
