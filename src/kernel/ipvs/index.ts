/** IPVS in the kernel: virtual services and real servers, schedulers, connections, the packet path. */
export { ConnTable, type IpvsConn, type IpvsTimeouts } from './conn.ts';
export { ipvsOf, ipvsHook, type IpvsState } from './packet.ts';
export { SCHEDULERS } from './sched.ts';
export { DEFAULT_PERSISTENT_TIMEOUT, IpvsConfig, sameService, type DestSpec, type Forward, type IpvsDest, type IpvsService, type ServiceKey, type ServiceSpec } from './service.ts';
export { StatsCounter, type IpvsRates, type IpvsStats } from './stats.ts';
