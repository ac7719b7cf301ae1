/**
 * Resource quantities (`100m`, `128Mi`, `16393364Ki`) parsed, summed and printed the way
 * apimachinery's resource.Quantity does, which decides how describe shows requests and capacity.
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** value × 10^scale, as int64Amount keeps it, plus the format and the original text when it was already canonical. */
export class Quantity {
  constructor(readonly value: bigint, readonly scale: number, readonly format: QuantityFormat, private readonly cached?: string) {}

  static zero(format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(0n, 0, format);
  }

  /** resource.ParseQuantity; undefined for text it rejects. */
  static parse(text: string): Quantity | undefined {
    if (text === '0') return new Quantity(0n, 0, 'DecimalSI', '0');
    const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
    const negative = m[1] === '-';
    const num = m[2] || '0';
    const denom = m[3] ?? '';
    const suf = m[4];
    let format: QuantityFormat;
    let exponent: number;
    let binary = false;
    if (suf in DECIMAL_SUFFIX) {
      format = 'DecimalSI';
      exponent = DECIMAL_SUFFIX[suf];
    } else if (suf in BINARY_SUFFIX) {
      format = 'BinarySI';
      exponent = BINARY_SUFFIX[suf];
      binary = true;
    } else if (/^[eE][+-]?[0-9]+$/.test(suf)) {
      format = 'DecimalExponent';
      exponent = Number(suf.slice(1));
    } else {
      return undefined;
    }
    const digits = BigInt(num + denom);
    let value: bigint;
    let scale: number;
    if (binary) {
      // num.denom × 2^exponent, kept in decimal: exact, as 2^-k has k decimal digits at most.
      value = digits * 2n ** BigInt(exponent);
      scale = -denom.length;
    } else {
      value = digits;
      scale = exponent - denom.length;
    }
    if (negative) value = -value;
    // More precision than nano is rounded away from zero, as inf.RoundUp does.
    if (scale < -9) {
      const div = pow10(-9 - scale);
      const q = value / div;
      value = value % div === 0n ? q : q + (value < 0n ? -1n : 1n);
      scale = -9;
    }
    // ParseQuantity keeps the text when it is already canonical (its fast path's heuristics).
    let cached: string | undefined;
    if (digits.toString().length <= 18 && denom === '' && !binary && exponent % 3 === 0 && !num.endsWith('000') && num[0] !== '0') cached = text;
    if (binary && denom === '' && (digits & 7n) !== 0n && 15 - num.length - Math.trunc(exponent * 0.3) - 1 >= 0) cached = text;
    if (!binary && denom !== '' && (exponent - denom.length) % 3 === 0 && !(num + denom).endsWith('000') && (num + denom)[0] !== '0' && exponent - denom.length >= -9) cached = text;
    return new Quantity(value, scale, format, cached);
  }

  isZero(): boolean {
    return this.value === 0n;
  }

  /** The quantity × 10^-targetScale rounded up (away from zero), as ScaledValue does. */
  scaled(targetScale: number): bigint {
    const shift = this.scale - targetScale;
    if (shift >= 0) return this.value * pow10(shift);
    const div = pow10(-shift);
    const q = this.value / div;
    return this.value % div === 0n ? q : q + (this.value < 0n ? -1n : 1n);
  }

  /** Value(): whole units, rounded up. */
  valueOf(): number {
    return Number(this.scaled(0));
  }

  milliValue(): number {
    return Number(this.scaled(-3));
  }

  cmp(o: Quantity): number {
    const s = Math.min(this.scale, o.scale);
    const a = this.value * pow10(this.scale - s);
    const b = o.value * pow10(o.scale - s);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** q.Add(y): the sum keeps q's format unless q was zero. */
  add(o: Quantity): Quantity {
    const s = Math.min(this.scale, o.scale);
    const v = this.value * pow10(this.scale - s) + o.value * pow10(o.scale - s);
    return new Quantity(v, s, this.isZero() ? o.format : this.format);
  }

  /** The canonical text (CanonicalizeBytes): `500m`, `128Mi`, `16393364Ki`, `1e3`. */
  toString(): string {
    if (this.cached !== undefined) return this.cached;
    if (this.isZero()) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      const exactUnits = this.scale >= 0 || this.value % pow10(-this.scale) === 0n;
      const abs = this.cmp(new Quantity(1024n, 0, 'DecimalSI'));
      const neg = this.cmp(new Quantity(-1024n, 0, 'DecimalSI'));
      if ((neg > 0 && abs < 0) || !exactUnits) format = 'DecimalSI';
    }
    if (format === 'BinarySI') {
      let v = this.scaled(0);
      let e = 0;
      while (v !== 0n && v % 1024n === 0n && e < 6) {
        v /= 1024n;
        e++;
      }
      return `${v}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][e]}`;
    }
    // AsCanonicalBytes: strip factors of ten, then step the exponent down to a multiple of three.
    let v = this.value;
    let e = this.scale;
    while (v !== 0n && v % 10n === 0n) {
      v /= 10n;
      e++;
    }
    const r = ((e % 3) + 3) % 3;
    v *= pow10(r);
    e -= r;
    if (format === 'DecimalExponent') return e === 0 ? `${v}` : `${v}e${e}`;
    const suffix = Object.entries(DECIMAL_SUFFIX).find(([, x]) => x === e)?.[0];
    return suffix !== undefined ? `${v}${suffix}` : `${v}e${e}`;
  }
}

/** A resource list (`{cpu: "100m"}`) parsed; unparsable entries are left out. */
export function resourceList(list: Record<string, string | number> | undefined): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = Quantity.parse(String(v));
    if (q) out.set(k, q);
  }
  return out;
}
