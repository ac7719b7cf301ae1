/**
 * iproute2's output layer (json_print.c over json_writer.c): every value is printed either as
 * text (`fp`) or, with -j, as a JSON field, so one printing routine serves both. The JSON writer
 * reproduces iproute2's bytes: no spaces unless -p, where it indents by four.
 */

class JsonWriter {
  private depth = 0;
  private sep = '';
  constructor(
    private readonly put: (s: string) => void,
    private readonly pretty: boolean,
  ) {}

  private indent(): void {
    if (this.pretty) this.put('\n' + '    '.repeat(this.depth));
  }

  private eor(): void {
    if (this.sep) this.put(this.sep);
    this.sep = ',';
  }

  name(n: string): void {
    this.eor();
    this.indent();
    this.sep = '';
    this.put(quote(n) + (this.pretty ? ': ' : ':'));
  }

  private begin(c: string): void {
    this.eor();
    this.put(c);
    this.depth++;
    this.sep = '';
  }

  private end(c: string): void {
    this.depth--;
    if (this.sep) this.indent();
    this.put(c);
    this.sep = ',';
  }

  startObject(): void {
    this.begin('{');
  }

  endObject(): void {
    this.end('}');
  }

  startArray(): void {
    this.begin('[');
    if (this.pretty) this.put(' ');
  }

  endArray(): void {
    if (this.pretty && this.sep) this.put(' ');
    this.sep = '';
    this.end(']');
  }

  raw(v: string): void {
    this.eor();
    this.put(v);
  }
}

function quote(s: string): string {
  const esc: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f', '\b': '\\b', '\\': '\\\\', '"': '\\"' };
  return `"${s.replace(/[\t\n\r\f\b\\"]/g, (c) => esc[c])}"`;
}

export type JsonValue = string | number | boolean | null;

/** Where a print goes: text only, JSON only, or both (PRINT_FP, PRINT_JSON, PRINT_ANY). */
export class Printer {
  private jw?: JsonWriter;
  /** The line separator (`_SL_`): a backslash with -oneline. */
  readonly sl: string;

  constructor(
    private readonly put: (s: string) => void,
    readonly opts: { json: boolean; pretty: boolean; oneline: boolean },
  ) {
    this.sl = opts.oneline ? '\\' : '\n';
  }

  get isJson(): boolean {
    return this.jw !== undefined;
  }

  /** new_json_obj: with -j, opens the top-level array. */
  begin(): void {
    if (!this.opts.json) return;
    this.jw = new JsonWriter(this.put, this.opts.pretty);
    this.jw.startArray();
  }

  /** delete_json_obj: closes it and ends the line. */
  end(): void {
    if (!this.jw) return;
    this.jw.endArray();
    this.put('\n');
    this.jw = undefined;
  }

  /** Text only. */
  fp(text: string): void {
    if (!this.jw) this.put(text);
  }

  /** print_nl: the line separator in text mode. */
  nl(): void {
    this.fp(this.sl);
  }

  /** A value shown as `text` in text mode and as `key: value` (or an array element) in JSON. */
  any(key: string | null, text: string, value: JsonValue): void {
    if (this.jw) this.jsonValue(key, value);
    else this.put(text);
  }

  /** JSON only. */
  json(key: string | null, value: JsonValue): void {
    if (this.jw) this.jsonValue(key, value);
  }

  private jsonValue(key: string | null, value: JsonValue): void {
    const jw = this.jw!;
    if (key !== null) jw.name(key);
    jw.raw(typeof value === 'string' ? quote(value) : value === null ? 'null' : String(value));
  }

  openObject(key?: string): void {
    if (!this.jw) return;
    if (key) this.jw.name(key);
    this.jw.startObject();
  }

  closeObject(): void {
    this.jw?.endObject();
  }

  /** open_json_array: in text mode prints `text` instead (e.g. the `<` of a flag list). */
  openArray(key: string | null, text = ''): void {
    if (this.jw) {
      if (key) this.jw.name(key);
      this.jw.startArray();
    } else this.put(text);
  }

  closeArray(text = ''): void {
    if (this.jw) this.jw.endArray();
    else this.put(text);
  }
}
