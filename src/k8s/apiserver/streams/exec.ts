/** `kubectl exec`: the PodExecOptions query, and the upgrade that picks WebSocket (v5.channel.k8s.io) or SPDY/3.1 by the request's Upgrade header. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest } from '../../api/errors.ts';
import { execOverSpdy } from './exec-spdy.ts';
import { execOverWebSocket } from './exec-websocket.ts';
import type { ExecHandler, ExecRequest } from './types.ts';
import { isSpdyUpgrade, isWebSocketUpgrade, rejectUpgrade } from './upgrade.ts';

/** Go's strconv.ParseBool, which the API server's query decoding uses. */
function queryBool(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  if (v === null) return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False', ''].includes(v)) return false;
  throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
}

/**
 * The exec of `…/pods/{pod}/exec?command=…&container=…&stdin=true&stdout=true&stderr=true&tty=true`
 * (`command` once per argv element). Throws a BadRequest StatusError, in the API server's
 * words, for an empty command or no stream at all.
 */
export function parseExecQuery(url: URL, namespace: string, pod: string): ExecRequest {
  const req: ExecRequest = {
    namespace, pod,
    container: url.searchParams.get('container') ?? '',
    command: url.searchParams.getAll('command'),
    stdin: queryBool(url, 'stdin'),
    stdout: queryBool(url, 'stdout'),
    stderr: queryBool(url, 'stderr'),
    tty: queryBool(url, 'tty'),
  };
  if (req.command.length === 0) throw badRequest('you must specify at least 1 command');
  if (!req.stdin && !req.stdout && !req.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return req;
}

/**
 * Takes over an exec upgrade from the HTTPS server's `upgrade` event: WebSocket when the
 * request asks for it, SPDY/3.1 otherwise. The handler runs once the client's streams are
 * open; its exit code or error goes to the client as the final Status. A request that asks
 * for neither protocol gets 400.
 */
export function handleExecUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecRequest, handler: ExecHandler): void {
  if (isWebSocketUpgrade(req)) execOverWebSocket(req, socket, head, exec, handler);
  else if (isSpdyUpgrade(req)) execOverSpdy(req, socket, head, exec, handler);
  else rejectUpgrade(socket, badRequest(`unable to upgrade: unsupported protocol ${JSON.stringify(req.headers.upgrade ?? '')}`));
}
