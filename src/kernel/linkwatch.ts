/**
 * The kernel's link watch: what happens after a device's carrier bit changes, in the order the
 * events were queued. Each event sets the device's operational state (rfc2863_policy with
 * default_operstate) and, if the device is up, runs the NETDEV_CHANGE notifiers: the bridge
 * re-checks a port (which can change the bridge's own carrier, queueing its event), macvlans
 * take their lower device's carrier, neighbours are forgotten on carrier loss, addrconf
 * configures a device that just became operational. Commands call `settle` once they have
 * changed what they change, so its results are as the real kernel leaves them a moment later.
 */
import type { Kernel } from './kernel.ts';
import type { Link, Oper } from './link.ts';

/**
 * default_operstate: UP with carrier; without, LOWERLAYERDOWN only when the device sits on
 * another one — the device at its iflink *in its own namespace*, which for a veth whose peer is
 * elsewhere is whatever device has that number here — and that one has no carrier either.
 */
function defaultOperstate(l: Link): Oper {
  if (l.rawCarrier) return 'UP';
  const iflink = l.iflink;
  if (iflink === l.ifindex) return 'DOWN';
  const lower = l.ns.links.get(iflink);
  if (!lower) return 'DOWN';
  return lower.rawCarrier ? 'DOWN' : 'LOWERLAYERDOWN';
}

const alive = (l: Link): boolean => l.ns.links.get(l.ifindex) === l && l.ns.kernel.namespaces.has(l.ns);

/**
 * Processes the carrier events pending after a change: `changed` first (in the order their
 * carriers changed), then any other device whose carrier bit differs from what was last seen.
 */
export function settle(kernel: Kernel, changed: Link[]): void {
  const queue: Link[] = [];
  const enqueue = (l: Link): void => {
    if (!queue.includes(l)) queue.push(l);
  };
  for (const l of changed) if (alive(l) && l.rawCarrier !== l.lastCarrier) enqueue(l);
  for (const ns of kernel.namespaces) for (const l of ns.sortedLinks()) if (l.rawCarrier !== l.lastCarrier) enqueue(l);
  while (queue.length) {
    const l = queue.shift()!;
    if (!alive(l)) continue;
    const ns = l.ns;
    const bit = l.rawCarrier;
    if (bit !== l.lastCarrier) l.carrierChanges++;
    l.lastCarrier = bit;
    l.operRaw = defaultOperstate(l);
    // The RTM_NEWLINK this sends numbers the namespace the device links to, as every one does.
    const other = l.peer?.ns ?? l.lower?.ns;
    if (other && other !== ns) ns.nsid(other);
    if (!l.adminUp) continue;
    // neigh_carrier_down: a device losing carrier forgets all but its permanent neighbours.
    if (!bit) ns.neigh.flushDev(l, true);
    // br_port_carrier_check: the port is enabled or disabled, the bridge's carrier follows.
    if (l.master) {
      const before = l.master.rawCarrier;
      ns.bridgeSync(l.master);
      if (l.master.rawCarrier !== before) enqueue(l.master);
    }
    // netif_stacked_transfer_operstate: macvlans on this device take its carrier.
    for (const m of ns.links.values()) {
      if (m.kind !== 'macvlan' || m.lower !== l || m.carrierBit === bit) continue;
      m.carrierBit = bit;
      enqueue(m);
    }
    ns.inet6.notify(l);
  }
  // NETDEV_UP: devices that were operational when they came up are configured now too.
  for (const ns of kernel.namespaces) for (const l of ns.sortedLinks()) ns.inet6.notify(l);
}
