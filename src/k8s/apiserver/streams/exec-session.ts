/** One exec, independent of the wire: feeds stdin and resizes to the handler, passes its output on, and reports how it ended. */
import { AsyncQueue } from './async-queue.ts';
import type { ExecOutcome, TerminalSize } from './exec-status.ts';
import type { ExecHandler, ExecIO, ExecRequest } from './types.ts';

/** What a protocol (WebSocket channels, SPDY streams) does with the command's side of the session. */
export interface ExecOutput {
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  /** Sends the outcome (after all output) and closes the server's side. */
  finish(outcome: ExecOutcome): void;
}

export class ExecSession {
  private readonly stdin: AsyncQueue<Buffer> | undefined;
  private readonly controller = new AbortController();
  private resizeFns: ((s: TerminalSize) => void)[] = [];
  /** kubectl sends the first size as soon as it connects, maybe before the command listens. */
  private lastSize: TerminalSize | undefined;
  private done = false;

  constructor(private readonly req: ExecRequest, private readonly out: ExecOutput) {
    this.stdin = req.stdin ? new AsyncQueue<Buffer>() : undefined;
  }

  stdinData(data: Buffer): void {
    if (data.length) this.stdin?.push(data);
  }

  stdinEnd(): void {
    this.stdin?.end();
  }

  resize(size: TerminalSize): void {
    this.lastSize = size;
    for (const fn of this.resizeFns) fn(size);
  }

  /** The client went away: the command is told through the signal, and its output goes nowhere. */
  clientGone(): void {
    this.stdin?.end();
    if (!this.done) {
      this.done = true;
      this.controller.abort();
    }
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  /** Runs the handler and finishes the session with its exit code or error. */
  async run(handler: ExecHandler): Promise<void> {
    const write = (enabled: boolean, sink: (d: Buffer) => void) => (data: Buffer | string): void => {
      if (!enabled || this.done) return;
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      if (buf.length) sink(buf);
    };
    const io: ExecIO = {
      stdout: write(this.req.stdout, (d) => this.out.stdout(d)),
      // With a TTY the terminal merges stderr into stdout, as a container runtime does.
      stderr: write(this.req.stderr || this.req.tty, (d) => (this.req.tty ? this.out.stdout(d) : this.out.stderr(d))),
      onResize: (fn) => {
        this.resizeFns.push(fn);
        if (this.lastSize) fn(this.lastSize);
      },
      signal: this.controller.signal,
      ...(this.stdin ? { stdin: this.stdin } : {}),
    };
    let outcome: ExecOutcome;
    try {
      const code = await handler(this.req, io);
      outcome = { exitCode: Number.isInteger(code) ? code : 1 };
    } catch (error) {
      outcome = { error };
    }
    if (this.done) return;
    this.done = true;
    this.out.finish(outcome);
  }
}
