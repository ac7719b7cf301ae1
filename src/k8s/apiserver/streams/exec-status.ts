/** What an exec ends with on its error channel/stream (a metav1.Status for v4/v5, bare text before), and terminal-size messages. */
import { StatusError } from '../../api/errors.ts';

/** How the command ended: an exit code, or an error before or while running it. */
export type ExecOutcome = { exitCode: number } | { error: unknown };

/** The Status the kubelet writes: kubectl turns NonZeroExitCode into `command terminated with exit code N` and exits N. */
export interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] } & Record<string, unknown>;
  code?: number;
}

/** The kubelet's wording of an exit (CRI streaming server): `error executing command [sh -c exit 3], exit code 3`. */
function exitError(command: string[], code: number): string {
  return `error executing command [${command.join(' ')}], exit code ${code}`;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The v4/v5 status for an outcome. */
export function execStatus(outcome: ExecOutcome, command: string[]): ExecStatus {
  if ('exitCode' in outcome) {
    if (outcome.exitCode === 0) return { metadata: {}, status: 'Success' };
    return {
      metadata: {}, status: 'Failure',
      message: `command terminated with non-zero exit code: ${exitError(command, outcome.exitCode)}`,
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: String(outcome.exitCode) }] },
    };
  }
  const e = outcome.error;
  if (e instanceof StatusError) {
    const s = e.status();
    return { metadata: {}, status: 'Failure', message: s.message, reason: s.reason, ...(s.details ? { details: { ...s.details } } : {}), code: s.code };
  }
  return { metadata: {}, status: 'Failure', message: errorMessage(e), reason: 'InternalError', code: 500 };
}

/** The v1–v3 error stream: empty on success, otherwise text that kubectl prints as the error. */
export function execStatusText(outcome: ExecOutcome, command: string[]): string {
  if ('exitCode' in outcome) return outcome.exitCode === 0 ? '' : `command terminated with non-zero exit code: ${exitError(command, outcome.exitCode)}`;
  return errorMessage(outcome.error);
}

export interface TerminalSize { width: number; height: number }

/** One resize message, `{"Width":100,"Height":40}`; undefined when it is not one. */
export function parseTerminalSize(text: string): TerminalSize | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { Width, Height } = v as { Width?: unknown; Height?: unknown };
  if (typeof Width !== 'number' || typeof Height !== 'number') return undefined;
  return { width: Width, height: Height };
}

/** The resize stream of the SPDY protocol is a byte stream of newline-terminated JSON (Go's json.Encoder): reassembles it. */
export class TerminalSizeDecoder {
  private partial = '';
  push(chunk: Buffer): TerminalSize[] {
    this.partial += chunk.toString('utf8');
    const lines = this.partial.split('\n');
    this.partial = lines.pop() ?? '';
    const out: TerminalSize[] = [];
    for (const line of lines) {
      const size = line.trim() ? parseTerminalSize(line) : undefined;
      if (size) out.push(size);
    }
    // A writer that omits the newline still sends whole objects.
    const last = this.partial.trim() ? parseTerminalSize(this.partial) : undefined;
    if (last) {
      out.push(last);
      this.partial = '';
    }
    return out;
  }
}
