/**
 * The IPVS connection table (ip_vs_conn.c, ip_vs_proto_tcp.c): one entry per client flow bound
 * to a real server, looked up from the client side (in) and from the server side (out), the TCP
 * state machine that moves connections between the ActiveConn and InActConn counters, the
 * per-state timeouts (`ipvsadm --set`), and persistence templates (client address → server for
 * `-p`). Entries expire lazily against the namespace clock.
 */
import type { IpvsDest, IpvsService } from './service.ts';

export type IpvsTcpState = 'NONE' | 'ESTABLISHED' | 'SYN_SENT' | 'SYN_RECV' | 'FIN_WAIT' | 'TIME_WAIT' | 'CLOSE' | 'CLOSE_WAIT' | 'LAST_ACK' | 'LISTEN' | 'SYNACK';

const STATES: readonly IpvsTcpState[] = ['NONE', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'SYNACK'];

/** tcp_states: [direction][syn, fin, ack, rst][current state index] → next state index. */
const [, ES, SS, SR, FW, TW, CL, CW, LA, LI] = STATES.map((_, i) => i);
const TCP_STATES: Record<'in' | 'out', number[][]> = {
  in: [
    [SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR],
    [CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW],
    [CL, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES],
    [CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR],
  ],
  out: [
    [SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR],
    [TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW],
    [ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES],
    [CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL],
  ],
};

/** tcp_timeouts, in seconds. */
const TCP_TIMEOUTS: Record<IpvsTcpState, number> = {
  NONE: 2, ESTABLISHED: 900, SYN_SENT: 120, SYN_RECV: 60, FIN_WAIT: 120, TIME_WAIT: 120, CLOSE: 10, CLOSE_WAIT: 60, LAST_ACK: 30, LISTEN: 120, SYNACK: 120,
};

export interface IpvsTimeouts {
  tcp: number;
  tcpfin: number;
  udp: number;
}

export interface IpvsConn {
  proto: number;
  caddr: number;
  cport: number;
  vaddr: number;
  vport: number;
  daddr: number;
  dport: number;
  dest: IpvsDest;
  svc: IpvsService;
  /** TCP state name; UDP entries are 'UDP', templates 'NONE'. */
  state: string;
  template: boolean;
  inactive: boolean;
  /** Absolute expiry (ms of the clock). */
  expires: number;
  /** The fwmark of a template for a firewall-mark service. */
  fwmark: number;
}

const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, ACK: 0x10 };

/** tcp_state_idx: which row of the table a segment's flags select (RST wins, then SYN, FIN, ACK). */
function flagRow(flags: number): number {
  if (flags & TCP_FLAG.RST) return 3;
  if (flags & TCP_FLAG.SYN) return 0;
  if (flags & TCP_FLAG.FIN) return 1;
  if (flags & TCP_FLAG.ACK) return 2;
  return -1;
}

export class ConnTable {
  private readonly conns: IpvsConn[] = [];
  readonly timeouts: IpvsTimeouts = { tcp: 900, tcpfin: 120, udp: 300 };

  constructor(private readonly now: () => number) {}

  /** Live entries in creation order (what /proc/net/ip_vs_conn lists), expired ones dropped. */
  list(): IpvsConn[] {
    this.expire();
    return [...this.conns];
  }

  /** ip_vs_conn_in_get: the entry for a packet from the client. */
  inGet(proto: number, caddr: number, cport: number, vaddr: number, vport: number): IpvsConn | undefined {
    this.expire();
    return this.conns.find((c) => !c.template && c.proto === proto && c.caddr === caddr && c.cport === cport && c.vaddr === vaddr && c.vport === vport);
  }

  /** ip_vs_conn_out_get: the entry for a packet from the real server back to the client. */
  outGet(proto: number, daddr: number, dport: number, caddr: number, cport: number): IpvsConn | undefined {
    this.expire();
    return this.conns.find((c) => !c.template && c.proto === proto && c.daddr === daddr && c.dport === dport && c.caddr === caddr && c.cport === cport);
  }

  /** The persistence template for a client of a service (ip_vs_ct_in_get with cport 0). */
  template(svc: IpvsService, caddr: number): IpvsConn | undefined {
    this.expire();
    return this.conns.find((c) => c.template && c.svc === svc && c.caddr === caddr);
  }

  /** ip_vs_conn_new: a new entry bound to `dest`, inactive until TCP reaches ESTABLISHED. */
  create(c: Omit<IpvsConn, 'expires' | 'inactive' | 'state'>): IpvsConn {
    const conn: IpvsConn = { ...c, inactive: true, state: c.template ? 'NONE' : c.proto === 6 ? 'NONE' : 'UDP', expires: this.now() + (c.template ? c.svc.persistent! * 1000 : 3000) };
    if (c.template) c.dest.persistConns++;
    else c.dest.inactConns++;
    this.conns.push(conn);
    return conn;
  }

  /** Restarts a template's timer (a new connection used it). */
  touchTemplate(t: IpvsConn): void {
    t.expires = this.now() + t.svc.persistent! * 1000;
  }

  /** A packet of the connection went by: run the protocol's state machine and restart the timer. */
  update(c: IpvsConn, dir: 'in' | 'out', tcpFlags?: number): void {
    if (c.proto !== 6) {
      c.expires = this.now() + this.timeouts.udp * 1000;
      return;
    }
    const row = flagRow(tcpFlags ?? 0);
    const cur = STATES.indexOf(c.state as IpvsTcpState);
    const next = row < 0 ? cur : TCP_STATES[dir][row][cur];
    this.setState(c, STATES[next]);
  }

  private setState(c: IpvsConn, state: IpvsTcpState): void {
    const d = c.dest;
    // set_tcp_state: only ESTABLISHED counts as active.
    if (!c.inactive && state !== 'ESTABLISHED') {
      d.activeConns--;
      d.inactConns++;
      c.inactive = true;
    } else if (c.inactive && state === 'ESTABLISHED') {
      d.activeConns++;
      d.inactConns--;
      c.inactive = false;
    }
    c.state = state;
    const secs = state === 'ESTABLISHED' ? this.timeouts.tcp : state === 'FIN_WAIT' ? this.timeouts.tcpfin : TCP_TIMEOUTS[state];
    c.expires = this.now() + secs * 1000;
  }

  /** Removes an entry now (expire_nodest_conn, `-D` of its service). */
  drop(c: IpvsConn): void {
    const i = this.conns.indexOf(c);
    if (i < 0) return;
    this.conns.splice(i, 1);
    if (c.template) c.dest.persistConns--;
    else if (c.inactive) c.dest.inactConns--;
    else c.dest.activeConns--;
  }

  /** Drops every entry of a service (its deletion) or bound to a destination. */
  dropWhere(pred: (c: IpvsConn) => boolean): void {
    for (const c of this.conns.filter(pred)) this.drop(c);
  }

  private expire(): void {
    const now = this.now();
    for (const c of this.conns.filter((x) => x.expires <= now)) this.drop(c);
  }
}
