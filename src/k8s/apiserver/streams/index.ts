/** The streaming endpoints of the API server: exec, port-forward and logs. */
export type { ExecHandler, ExecIO, ExecRequest, PortForwardConn, PortForwardHandler } from './types.ts';
export { handleExecUpgrade, parseExecQuery } from './exec.ts';
export { handlePortForwardUpgrade, PORT_FORWARD_PROTOCOL, PORT_FORWARD_TUNNEL_PROTOCOL } from './portforward.ts';
export { parseLogQuery, streamLogs, tailLines, type LogQuery } from './logs.ts';
export { rejectUpgrade } from './upgrade.ts';
