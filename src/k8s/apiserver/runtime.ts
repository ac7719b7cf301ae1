/** What the API server needs from the nodes to serve exec, port-forward and logs: the node side implements it. */
import type { ExecHandler, PortForwardHandler } from './streams/types.ts';

export interface LogOptions {
  follow: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  previous?: boolean;
}

export interface PodRuntime {
  exec: ExecHandler;
  portForward: PortForwardHandler;
  /**
   * A container's log as text chunks. With `follow` it keeps yielding until the container stops
   * or `signal` aborts. Throws a StatusError (a container that has not started: 400) when there
   * is nothing to read.
   */
  logs(namespace: string, pod: string, container: string, opts: LogOptions, signal: AbortSignal): AsyncIterable<string>;
}
