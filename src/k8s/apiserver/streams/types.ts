/** The contract between the API server and the streaming protocols: what exec and port-forward hand to podlab's pods. */

/** One `kubectl exec` as its query string describes it (PodExecOptions). */
export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The exec session's side of the streams, as the command sees them. */
export interface ExecIO {
  /** Present when stdin=true; ends at client EOF (channel 255 / stream FIN). */
  stdin?: AsyncIterable<Buffer>;
  stdout(data: Buffer | string): void;
  stderr(data: Buffer | string): void;
  onResize(fn: (size: { width: number; height: number }) => void): void;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** Runs the command; resolves to its exit code. Throws a StatusError (src/k8s/api/errors.ts) for a missing pod/container. */
export type ExecHandler = (req: ExecRequest, io: ExecIO) => Promise<number>;

/** One TCP connection to a port in a pod. */
export interface PortForwardConn {
  write(data: Buffer): void;
  end(): void;
  onData(fn: (d: Buffer) => void): void;
  onEnd(fn: () => void): void;
}

/** Opens a connection to `port` in the pod; throws (with a message kubectl shows) if nothing listens. */
export type PortForwardHandler = (namespace: string, pod: string, port: number) => Promise<PortForwardConn>;
