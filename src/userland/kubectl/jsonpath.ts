/**
 * kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath), the everyday subset:
 * `{.a.b}`, `[n]`, `[*]`, `['key']`, filters `[?(@.type=="Ready")]`, `{range …}{end}`,
 * quoted literals, text between actions; and `-o custom-columns` built on it.
 */
import { goSprint } from './print/gofmt.ts';
import { goJson } from '../../k8s/api/patch/gofmt.ts';
import { CmdError } from './errors.ts';

type Node =
  | { t: 'text'; s: string }
  | { t: 'path'; steps: Step[] }
  | { t: 'range'; steps: Step[]; body: Node[] };

type Step =
  | { t: 'field'; name: string }
  | { t: 'index'; i: number }
  | { t: 'slice'; start?: number; end?: number }
  | { t: 'all' }
  | { t: 'recursive'; name: string }
  | { t: 'filter'; path: Step[]; op: '==' | '!=' | 'exists'; value?: string | number | boolean };

function parseSteps(expr: string, template: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const s = expr.trim();
  if (s === '@' || s === '$' || s === '.') return steps;
  if (s.startsWith('$')) i = 1;
  while (i < s.length) {
    if (s.startsWith('..', i)) {
      const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i + 2));
      if (!m) throw new CmdError(`error parsing jsonpath ${template}, unrecognized character in action: U+002E '.'`);
      steps.push({ t: 'recursive', name: m[0] });
      i += 2 + m[0].length;
    } else if (s[i] === '.') {
      const m = /^[^.[\s]*/.exec(s.slice(i + 1))!;
      if (m[0] === '*') steps.push({ t: 'all' });
      else if (m[0]) steps.push({ t: 'field', name: m[0] });
      i += 1 + m[0].length;
    } else if (s[i] === '[') {
      const close = matchingBracket(s, i);
      if (close < 0) throw new CmdError(`error parsing jsonpath ${template}, unterminated array`);
      const inner = s.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') steps.push({ t: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ t: 'index', i: Number(inner) });
      else if (/^-?\d*:-?\d*$/.test(inner)) {
        const [a, b] = inner.split(':');
        steps.push({ t: 'slice', ...(a ? { start: Number(a) } : {}), ...(b ? { end: Number(b) } : {}) });
      } else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ t: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1), template));
      else throw new CmdError(`error parsing jsonpath ${template}, invalid array index ${inner}`);
    } else if (/\s/.test(s[i])) {
      i++;
    } else {
      const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i));
      if (!m) throw new CmdError(`error parsing jsonpath ${template}, unrecognized character in action: U+${s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')} '${s[i]}'`);
      steps.push({ t: 'field', name: m[0] });
      i += m[0].length;
    }
  }
  return steps;
}

function matchingBracket(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

function parseFilter(f: string, template: string): Step {
  const m = /^\s*@((?:\.[A-Za-z0-9_-]+|\[[^\]]*\])*)\s*(?:(==|!=)\s*(.+?))?\s*$/.exec(f);
  if (!m) throw new CmdError(`error parsing jsonpath ${template}, unrecognized filter ${f}`);
  const path = parseSteps(m[1] || '@', template);
  if (!m[2]) return { t: 'filter', path, op: 'exists' };
  const raw = m[3];
  let value: string | number | boolean;
  if (/^'.*'$|^".*"$/.test(raw)) value = raw.slice(1, -1);
  else if (raw === 'true' || raw === 'false') value = raw === 'true';
  else if (!Number.isNaN(Number(raw))) value = Number(raw);
  else value = raw;
  return { t: 'filter', path, op: m[2] as '==' | '!=', value };
}

/** Parses a template; text outside braces is literal. */
export function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      stack[stack.length - 1].push({ t: 'text', s: template.slice(i) });
      break;
    }
    if (open > i) stack[stack.length - 1].push({ t: 'text', s: template.slice(i, open) });
    const close = closingBrace(template, open);
    if (close < 0) throw new CmdError(`error parsing jsonpath ${template}, unclosed action`);
    const action = template.slice(open + 1, close).trim();
    i = close + 1;
    const top = stack[stack.length - 1];
    if (/^range\b/.test(action)) {
      const node: Node = { t: 'range', steps: parseSteps(action.slice(5), template), body: [] };
      top.push(node);
      stack.push(node.body);
    } else if (action === 'end') {
      if (stack.length === 1) throw new CmdError(`error parsing jsonpath ${template}, not in range, nothing to end`);
      stack.pop();
    } else if (/^(".*"|'.*')$/s.test(action)) {
      top.push({ t: 'text', s: unquote(action) });
    } else {
      top.push({ t: 'path', steps: parseSteps(action, template) });
    }
  }
  return root;
}

function closingBrace(s: string, open: number): number {
  let quote = '';
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  return -1;
}

function unquote(q: string): string {
  const body = q.slice(1, -1);
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" })[c] ?? `\\${c}`);
}

/** The values a path selects from `data` (missing fields select nothing). */
export function evalSteps(data: unknown, steps: Step[]): unknown[] {
  let cur: unknown[] = [data];
  for (const st of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (st.t === 'field') {
        if (v && typeof v === 'object' && !Array.isArray(v) && st.name in v) next.push((v as Record<string, unknown>)[st.name]);
      } else if (st.t === 'index') {
        if (Array.isArray(v)) {
          const i = st.i < 0 ? v.length + st.i : st.i;
          if (i >= 0 && i < v.length) next.push(v[i]);
        }
      } else if (st.t === 'slice') {
        if (Array.isArray(v)) next.push(...v.slice(st.start ?? 0, st.end ?? v.length));
      } else if (st.t === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (v && typeof v === 'object') next.push(...Object.keys(v).sort().map((k) => (v as Record<string, unknown>)[k]));
      } else if (st.t === 'recursive') {
        const walk = (x: unknown): void => {
          if (Array.isArray(x)) x.forEach(walk);
          else if (x && typeof x === 'object') {
            const o = x as Record<string, unknown>;
            if (st.name in o) next.push(o[st.name]);
            for (const k of Object.keys(o).sort()) walk(o[k]);
          }
        };
        walk(v);
      } else {
        const items = Array.isArray(v) ? v : [];
        for (const it of items) {
          const got = evalSteps(it, st.path);
          if (st.op === 'exists' ? got.length > 0 : got.some((g) => g === st.value || String(g) === String(st.value)) === (st.op === '==')) next.push(it);
        }
      }
    }
    cur = next;
  }
  return cur;
}

/** How jsonpath prints one value: strings bare, maps and lists as JSON. */
function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return goJson(v);
  return goSprint(v);
}

function run(nodes: Node[], data: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'text') out += n.s;
    else if (n.t === 'path') out += evalSteps(data, n.steps).map(valueText).join(' ');
    else for (const item of evalSteps(data, n.steps).flatMap((x) => (Array.isArray(x) ? x : [x]))) out += run(n.body, item);
  }
  return out;
}

/** `-o jsonpath=TEMPLATE` applied to one object (or List). */
export function jsonpath(template: string, data: unknown): string {
  return run(parseTemplate(template), data);
}

/** `-o custom-columns=NAME:.path,...`: a header row and one row per object, `<none>` for what is missing. */
export function customColumns(spec: string, objects: unknown[], noHeaders: boolean): string {
  if (!spec) throw new CmdError('custom-columns format specified but no custom columns given');
  const cols = spec.split(',').map((part) => {
    const i = part.indexOf(':');
    if (i < 0) throw new CmdError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    const path = part.slice(i + 1);
    const inner = path.startsWith('{') && path.endsWith('}') ? path.slice(1, -1) : path;
    return { header: part.slice(0, i), nodes: parseTemplate(`{${inner.startsWith('.') || inner.startsWith('[') ? inner : `.${inner}`}}`) };
  });
  const rows: string[] = [];
  if (!noHeaders) rows.push(cols.map((c) => c.header).join('\t'));
  for (const o of objects) {
    rows.push(cols.map((c) => {
      const node = c.nodes[0];
      const vals = node.t === 'path' ? evalSteps(o, node.steps) : [];
      return vals.length === 0 ? '<none>' : vals.map((v) => (v !== null && typeof v === 'object' ? goSprint(v) : valueText(v))).join(',');
    }).join('\t'));
  }
  return rows.map((r) => `${r}\n`).join('');
}
