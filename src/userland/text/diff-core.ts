/**
 * The comparison behind diff: a minimal edit script by Myers' O(ND) algorithm, then GNU diff's
 * shift_boundaries pass so changed runs land where GNU puts them (slid down, merged, aligned).
 */

/** For each line of each side: whether it is deleted (a) or inserted (b). */
export interface Changes {
  a: boolean[];
  b: boolean[];
}

/** Compares two sequences of line keys (equal keys mean equal lines), as GNU diff's analyze.c. */
export function compareLines(a: readonly number[], b: readonly number[], context = 0): Changes {
  const ca = new Array<boolean>(a.length).fill(false);
  const cb = new Array<boolean>(b.length).fill(false);
  // Common prefix and suffix never change; GNU trims them before anything else.
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
  let ha = a.length;
  let hb = b.length;
  while (ha > lo && hb > lo && a[ha - 1] === b[hb - 1]) {
    ha--;
    hb--;
  }
  // GNU keeps `context` lines of the common prefix and suffix (needed for output) in the
  // compared region, where they count for discarding and runs may slide into them; so the
  // script depends on the output format's context.
  const keep = Math.min(context, a.length - ha);
  ha += keep;
  hb += keep;
  lo = Math.max(0, lo - context);
  const ma = a.slice(lo, ha);
  const mb = b.slice(lo, hb);
  const cma = new Array<boolean>(ma.length).fill(false);
  const cmb = new Array<boolean>(mb.length).fill(false);
  // Lines with no counterpart are changed for sure; leaving them out of the search steers it
  // to the same script as GNU's.
  const [keepA, keepB] = discardConfusingLines(ma, mb);
  const ua = keepA.map((k) => ma[k]);
  const ub = keepB.map((k) => mb[k]);
  const cua = new Array<boolean>(ua.length).fill(false);
  const cub = new Array<boolean>(ub.length).fill(false);
  myers(ua, ub, 0, cua, cub);
  const keptA = new Set(keepA);
  const keptB = new Set(keepB);
  for (let k = 0; k < ma.length; k++) if (!keptA.has(k)) cma[k] = true;
  for (let k = 0; k < mb.length; k++) if (!keptB.has(k)) cmb[k] = true;
  cua.forEach((c, k) => c && (cma[keepA[k]] = true));
  cub.forEach((c, k) => c && (cmb[keepB[k]] = true));
  shiftBoundaries(ma, cma, cmb);
  shiftBoundaries(mb, cmb, cma);
  cma.forEach((c, k) => (ca[lo + k] = c));
  cmb.forEach((c, k) => (cb[lo + k] = c));
  return { a: ca, b: cb };
}

/** GNU diff's discard_confusing_lines: the indexes of lines of each side to keep in the search. */
function discardConfusingLines(a: readonly number[], b: readonly number[]): [number[], number[]] {
  const sides = [a, b];
  const counts = sides.map((s) => {
    const m = new Map<number, number>();
    for (const e of s) m.set(e, (m.get(e) ?? 0) + 1);
    return m;
  });
  const discards = sides.map((s, f) => {
    const other = counts[1 - f];
    let many = 5;
    let tem = Math.floor(s.length / 64);
    while ((tem >>= 2) > 0) many *= 2;
    return s.map((e) => {
      const nmatch = other.get(e) ?? 0;
      return nmatch === 0 ? 1 : nmatch > many ? 2 : 0;
    });
  });
  for (const d of discards) {
    const end = d.length;
    for (let i = 0; i < end; i++) {
      if (d[i] === 2) d[i] = 0;
      else if (d[i] !== 0) {
        let j;
        let provisional = 0;
        for (j = i; j < end; j++) {
          if (d[j] === 0) break;
          if (d[j] === 2) ++provisional;
        }
        while (j > i && d[j - 1] === 2) {
          d[--j] = 0;
          --provisional;
        }
        const length = j - i;
        if (provisional * 4 > length) {
          while (j > i) if (d[--j] === 2) d[j] = 0;
        } else {
          let minimum = 1;
          let t = length >> 2;
          while (0 < (t >>= 2)) minimum <<= 1;
          minimum++;
          let consec = 0;
          for (j = 0; j < length; j++) {
            if (d[i + j] !== 2) consec = 0;
            else if (minimum === ++consec) j -= consec;
            else if (minimum < consec) d[i + j] = 0;
          }
          for (j = 0, consec = 0; j < length; j++) {
            if (j >= 8 && d[i + j] === 1) break;
            if (d[i + j] === 2) {
              consec = 0;
              d[i + j] = 0;
            } else if (d[i + j] === 0) consec = 0;
            else consec++;
            if (consec === 3) break;
          }
          i += length - 1;
          for (j = 0, consec = 0; j < length; j++) {
            if (j >= 8 && d[i - j] === 1) break;
            if (d[i - j] === 2) {
              consec = 0;
              d[i - j] = 0;
            } else if (d[i - j] === 0) consec = 0;
            else consec++;
            if (consec === 3) break;
          }
        }
      }
    }
  }
  const keep = (d: number[]) => d.flatMap((x, k) => (x === 0 ? [k] : []));
  return [keep(discards[0]), keep(discards[1])];
}

/**
 * Marks the lines outside a longest common subsequence of a and b (offset by `off`), choosing
 * among equally short scripts as GNU diff does: its divide-and-conquer compareseq/diag from
 * diffseq.h (the middle-snake search), without the heuristics GNU only uses on huge inputs.
 */
function myers(a: readonly number[], b: readonly number[], off: number, ca: boolean[], cb: boolean[]): void {
  const n = a.length;
  const m = b.length;
  const shift = m + 1;
  const fd = new Float64Array(n + m + 3);
  const bd = new Float64Array(n + m + 3);

  const diag = (xoff: number, xlim: number, yoff: number, ylim: number): [number, number] => {
    const dmin = xoff - ylim;
    const dmax = xlim - yoff;
    const fmid = xoff - yoff;
    const bmid = xlim - ylim;
    let fmin = fmid;
    let fmax = fmid;
    let bmin = bmid;
    let bmax = bmid;
    const odd = ((fmid - bmid) & 1) !== 0;
    fd[fmid + shift] = xoff;
    bd[bmid + shift] = xlim;
    while (true) {
      if (fmin > dmin) fd[--fmin - 1 + shift] = -1;
      else ++fmin;
      if (fmax < dmax) fd[++fmax + 1 + shift] = -1;
      else --fmax;
      for (let d = fmax; d >= fmin; d -= 2) {
        const tlo = fd[d - 1 + shift];
        const thi = fd[d + 1 + shift];
        let x = tlo < thi ? thi : tlo + 1;
        let y = x - d;
        while (x < xlim && y < ylim && a[x] === b[y]) {
          x++;
          y++;
        }
        fd[d + shift] = x;
        if (odd && bmin <= d && d <= bmax && bd[d + shift] <= x) return [x, y];
      }
      if (bmin > dmin) bd[--bmin - 1 + shift] = Infinity;
      else ++bmin;
      if (bmax < dmax) bd[++bmax + 1 + shift] = Infinity;
      else --bmax;
      for (let d = bmax; d >= bmin; d -= 2) {
        const tlo = bd[d - 1 + shift];
        const thi = bd[d + 1 + shift];
        let x = tlo < thi ? tlo : thi - 1;
        let y = x - d;
        while (xoff < x && yoff < y && a[x - 1] === b[y - 1]) {
          x--;
          y--;
        }
        bd[d + shift] = x;
        if (!odd && fmin <= d && d <= fmax && x <= fd[d + shift]) return [x, y];
      }
    }
  };

  // Explicit stack instead of recursion: deep inputs must not overflow the JS stack.
  const stack: [number, number, number, number][] = [[0, n, 0, m]];
  while (stack.length) {
    let [xoff, xlim, yoff, ylim] = stack.pop()!;
    while (xoff < xlim && yoff < ylim && a[xoff] === b[yoff]) {
      xoff++;
      yoff++;
    }
    while (xoff < xlim && yoff < ylim && a[xlim - 1] === b[ylim - 1]) {
      xlim--;
      ylim--;
    }
    if (xoff === xlim) for (let y = yoff; y < ylim; y++) cb[off + y] = true;
    else if (yoff === ylim) for (let x = xoff; x < xlim; x++) ca[off + x] = true;
    else {
      const [xmid, ymid] = diag(xoff, xlim, yoff, ylim);
      stack.push([xmid, xlim, ymid, ylim], [xoff, xmid, yoff, ymid]);
    }
  }
}

/** GNU diff's shift_boundaries for one side (see analyze.c); `ch` has implicit 0 sentinels. */
function shiftBoundaries(equivs: readonly number[], changed: boolean[], otherChanged: boolean[]): void {
  const end = changed.length;
  const c = (i: number) => i >= 0 && i < end && changed[i];
  const oc = (j: number) => j >= 0 && j < otherChanged.length && otherChanged[j];
  let i = 0;
  let j = 0;
  while (true) {
    while (i < end && !changed[i]) {
      while (oc(j++));
      i++;
    }
    if (i === end) break;
    let start = i;
    while (c(++i));
    while (oc(j)) j++;
    let runLength: number;
    let corresponding: number;
    do {
      runLength = i - start;
      while (start && equivs[start - 1] === equivs[i - 1]) {
        changed[--start] = true;
        changed[--i] = false;
        while (c(start - 1)) start--;
        while (oc(--j));
      }
      corresponding = oc(j - 1) ? i : end;
      while (i !== end && equivs[start] === equivs[i]) {
        changed[start++] = false;
        changed[i++] = true;
        while (c(i)) i++;
        while (oc(++j)) corresponding = i;
      }
    } while (runLength !== i - start);
    while (corresponding < i) {
      changed[--start] = true;
      changed[--i] = false;
      while (oc(--j));
    }
  }
}

/** A hunk of change: lines [a0, a1) of the first file replaced by [b0, b1) of the second. */
export interface Hunk {
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

export function hunks(ch: Changes): Hunk[] {
  const out: Hunk[] = [];
  let i = 0;
  let j = 0;
  const n = ch.a.length;
  const m = ch.b.length;
  while (i < n || j < m) {
    if (i < n && j < m && !ch.a[i] && !ch.b[j]) {
      i++;
      j++;
      continue;
    }
    const a0 = i;
    const b0 = j;
    while (i < n && ch.a[i]) i++;
    while (j < m && ch.b[j]) j++;
    if (i === a0 && j === b0) {
      // Unpaired unchanged lines can only happen at the ends; treat as done.
      break;
    }
    out.push({ a0, a1: i, b0, b1: j });
  }
  return out;
}
