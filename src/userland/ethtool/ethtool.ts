/**
 * `ethtool` (6.1) for the virtual devices the model has: link settings (`ethtool DEV`), driver
 * information (`-i`), NIC statistics (`-S`, where a veth tells its peer's ifindex) and offload
 * features (`-k`), with the texts and exit statuses the real tool gives for each kind of device
 * and for missing ones.
 */
import type { Command } from '../command.ts';
import type { Link } from '../../kernel/link.ts';
import { featuresOf } from './features.ts';

interface Driver {
  driver: string;
  version: string;
  firmware: string;
  bus: string;
  stats: boolean;
}

/** What each kind's get_drvinfo fills in; loopback (and the tunnels) have none. */
function driverInfo(link: Link): Driver | undefined {
  switch (link.kind) {
    case 'veth':
      return { driver: 'veth', version: '1.0', firmware: '', bus: '', stats: true };
    case 'bridge':
      return { driver: 'bridge', version: '2.3', firmware: 'N/A', bus: 'N/A', stats: false };
    case 'vxlan':
      return { driver: 'vxlan', version: '0.1', firmware: '', bus: '', stats: false };
    case 'macvlan':
      return { driver: 'macvlan', version: '0.1', firmware: '', bus: '', stats: false };
    case 'dummy':
      return { driver: 'dummy', version: '', firmware: '', bus: '', stats: false };
    default:
      return undefined;
  }
}

function showDriver(link: Link): string {
  const d = driverInfo(link)!;
  return (
    `driver: ${d.driver}\nversion: ${d.version}\nfirmware-version: ${d.firmware}\nexpansion-rom-version: \nbus-info: ${d.bus}\n` +
    `supports-statistics: ${d.stats ? 'yes' : 'no'}\nsupports-test: no\nsupports-eeprom-access: no\nsupports-register-dump: no\nsupports-priv-flags: no\n`
  );
}

/**
 * veth's statistics: its peer's ifindex, then per-queue XDP counters for its one rx queue and
 * the one tx queue it feeds on the peer (nothing here runs XDP, so they stay zero).
 */
function showStats(link: Link): string {
  const names = [
    'rx_queue_0_xdp_packets', 'rx_queue_0_xdp_bytes', 'rx_queue_0_drops', 'rx_queue_0_xdp_redirect', 'rx_queue_0_xdp_drops',
    'rx_queue_0_xdp_tx', 'rx_queue_0_xdp_tx_errors', 'tx_queue_0_xdp_xmit', 'tx_queue_0_xdp_xmit_errors',
  ];
  return `NIC statistics:\n     peer_ifindex: ${link.peer?.ifindex ?? 0}\n` + names.map((n) => `     ${n}: 0\n`).join('');
}

/** Link settings as the kind's get_link_ksettings reports them (veth and macvlan claim 10Gb/s full duplex twisted pair). */
function showSettings(link: Link): string {
  let s = `Settings for ${link.name}:\n`;
  if (link.kind !== 'loopback' && link.kind !== 'ipip') {
    let speed = 'Unknown!';
    let duplex = 'Unknown! (255)';
    let port = 'Other';
    if (link.kind === 'veth' || link.kind === 'macvlan') {
      speed = '10000Mb/s';
      duplex = 'Full';
      port = 'Twisted Pair';
    } else if (link.kind === 'bridge') {
      // br_get_link_ksettings: the fastest port that is not disabled; veths report 10000.
      if (link.ports().some((p) => p.running && link.adminUp)) speed = '10000Mb/s';
    }
    s +=
      '\tSupported ports: [  ]\n\tSupported link modes:   Not reported\n\tSupported pause frame use: No\n\tSupports auto-negotiation: No\n' +
      '\tSupported FEC modes: Not reported\n\tAdvertised link modes:  Not reported\n\tAdvertised pause frame use: No\n' +
      '\tAdvertised auto-negotiation: No\n\tAdvertised FEC modes: Not reported\n' +
      `\tSpeed: ${speed}\n\tDuplex: ${duplex}\n\tAuto-negotiation: off\n\tPort: ${port}\n\tPHYAD: 0\n\tTransceiver: internal\n`;
    if (port === 'Twisted Pair') s += '\tMDI-X: Unknown\n';
  }
  return s + `\tLink detected: ${link.carrier ? 'yes' : 'no'}\n`;
}

const BAD_ARGS = 'ethtool: bad command line argument(s)\nFor more information run ethtool -h\n';

/** What a settings query prints for a device the kernel does not know: each netlink request fails twice, then "No data available" on stdout. */
const NO_DEVICE_SETTINGS = 'netlink error: no device matches name (offset 24)\nnetlink error: No such device\n'.repeat(5);

const MODES: Record<string, 'driver' | 'stats' | 'features'> = {
  '-i': 'driver', '--driver': 'driver', '-S': 'stats', '--statistics': 'stats',
  '-k': 'features', '--show-features': 'features', '--show-offload': 'features',
};

/**
 * ethtool's command line: either `DEVNAME` (link settings; anything after it is ignored) or one
 * mode option followed by DEVNAME, where these modes take no further parameters.
 */
export const ethtool: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  let mode: 'settings' | 'driver' | 'stats' | 'features' = 'settings';
  let dev = args[0];
  if (dev === undefined || (dev.startsWith('-') && !MODES[dev])) {
    ctx.stderr(BAD_ARGS);
    return 1;
  }
  if (MODES[dev]) {
    const opt = dev;
    mode = MODES[opt];
    dev = args[1];
    if (dev === undefined) {
      ctx.stderr(BAD_ARGS);
      return 1;
    }
    if (args.length > 2) {
      ctx.stderr(`ethtool (${opt}): unknown parameter '${args[2]}'\n`);
      return 1;
    }
  }
  const link = ctx.sys.netns().link(dev);
  switch (mode) {
    case 'driver':
      if (!link || !driverInfo(link)) {
        ctx.stderr(`Cannot get driver information: ${link ? 'Operation not supported' : 'No such device'}\n`);
        return 71;
      }
      ctx.stdout(showDriver(link));
      return 0;
    case 'features':
      if (!link || !featuresOf(link)) {
        ctx.stderr('netlink error: no device matches name (offset 24)\nnetlink error: No such device\n');
        return 1;
      }
      ctx.stdout(`Features for ${link.name}:\n${featuresOf(link)}`);
      return 0;
    case 'stats':
      if (!link) {
        ctx.stderr('Cannot get stats strings information: No such device\n');
        return 96;
      }
      if (link.kind !== 'veth') {
        ctx.stderr('no stats available\n');
        return 94;
      }
      ctx.stdout(showStats(link));
      return 0;
    default:
      if (!link) {
        ctx.stderr(NO_DEVICE_SETTINGS);
        ctx.stdout('No data available\n');
        return 75;
      }
      ctx.stdout(showSettings(link));
      return 0;
  }
};
