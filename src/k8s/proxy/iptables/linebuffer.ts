/**
 * iptables-restore text built a line at a time (upstream's proxyutil.LineBuffer): words and
 * word lists joined by single spaces, and a variant that only counts (partial syncs generate
 * the rules of unchanged services to count them, then throw them away).
 */
export type Words = (string | readonly string[])[];

export interface LineSink {
  write(...words: Words): void;
  readonly lines: number;
}

export class LineBuffer implements LineSink {
  private readonly out: string[] = [];

  write(...words: Words): void {
    this.out.push(words.flat().join(' '));
  }

  get lines(): number {
    return this.out.length;
  }

  text(): string {
    return this.out.length ? `${this.out.join('\n')}\n` : '';
  }
}

export class DiscardBuffer implements LineSink {
  lines = 0;

  write(): void {
    this.lines++;
  }
}

/** `:CHAIN - [0:0]`: declares (and, under --noflush, flushes) a chain. */
export function chainLine(chain: string): string {
  return `:${chain} - [0:0]`;
}
