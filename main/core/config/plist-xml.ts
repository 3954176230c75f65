// Apple's XML property list format (`plutil -convert xml1` output, the PropertyList-1.0 DTD), read
// into a tree that keeps each value's type. `plutil -convert json` refuses a whole plist with a
// <date> or <data> value anywhere in it; this reads every type, so the policy code can judge each key
// on its own. Only what the DTD allows is accepted; anything else is an error naming what and where.

/** A plist value with its type (integers and reals are both numbers). */
export type PlistNode =
  | { type: 'dict'; entries: Array<[string, PlistNode]> }
  | { type: 'array'; items: PlistNode[] }
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'date'; value: string }
  | { type: 'data'; value: string };

/** Nesting deeper than this is refused (a policy plist is a few levels deep). */
const MAX_DEPTH = 64;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text content with XML's entity and character references decoded; an unknown one is an error. */
function decodeText(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error('a bare "&" in text');
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (!Number.isInteger(code) || code < 1 || code > 0x10ffff) throw new Error(`the reference ${whole}`);
      return String.fromCodePoint(code);
    }
    const named = ENTITIES[ref];
    if (named === undefined) throw new Error(`the unknown entity ${whole}`);
    return named;
  });
}

/** The leading XML declaration, DOCTYPE and comments (and the whitespace around them) skipped. */
function skipProlog(text: string, from: number): number {
  let at = from;
  for (;;) {
    while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
    const close = text.startsWith('<?', at)
      ? text.indexOf('?>', at) + 2
      : text.startsWith('<!--', at)
        ? text.indexOf('-->', at) + 3
        : text.startsWith('<!DOCTYPE', at)
          ? text.indexOf('>', at) + 1
          : -1;
    if (close === -1) return at;
    if (close < at + 2) throw new Error('an unterminated declaration or comment');
    at = close;
  }
}

/**
 * Parses `text` (an XML property list) into its root value. Throws an Error whose message says what
 * is wrong and at which character offset; the text itself is never quoted beyond a tag name.
 */
export function parsePlistXml(text: string): PlistNode {
  let at = skipProlog(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);

  const fail = (what: string): never => {
    throw new Error(`not a property list: ${what} at character ${at}`);
  };

  /** Skips whitespace and comments between elements. */
  const skipSpace = () => {
    for (;;) {
      while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
      if (!text.startsWith('<!--', at)) return;
      const end = text.indexOf('-->', at);
      if (end === -1) fail('an unterminated comment');
      at = end + 3;
    }
  };

  /** The next tag: its name, whether it closes (`</x>`) or is empty (`<x/>`); attributes are skipped. */
  const readTag = (): { name: string; closing: boolean; empty: boolean } => {
    skipSpace();
    if (text[at] !== '<') fail('text where an element was expected');
    const end = text.indexOf('>', at);
    if (end === -1) fail('an unterminated tag');
    const inner = text.slice(at + 1, end);
    const match = /^(\/?)([A-Za-z][\w.-]*)(?:\s[^>]*?)?(\/?)$/.exec(inner.trim());
    if (!match) fail('a malformed tag');
    at = end + 1;
    const [, slash, name, selfClosing] = match as RegExpExecArray;
    return { name: name ?? '', closing: slash === '/', empty: selfClosing === '/' };
  };

  /** The text up to `</name>`, decoded. */
  const readText = (name: string): string => {
    const end = text.indexOf(`</${name}`, at);
    if (end === -1) fail(`a <${name}> that is never closed`);
    const raw = text.slice(at, end);
    if (raw.includes('<')) fail(`markup inside <${name}>`);
    at = end;
    const close = readTag();
    if (!close.closing || close.name !== name) fail(`a <${name}> closed by </${close.name}>`);
    try {
      return decodeText(raw);
    } catch (error) {
      return fail((error as Error).message);
    }
  };

  const readValue = (depth: number): PlistNode => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const tag = readTag();
    if (tag.closing) fail(`an unexpected </${tag.name}>`);
    switch (tag.name) {
      case 'true':
      case 'false':
        if (!tag.empty && readText(tag.name).trim() !== '') fail(`text inside <${tag.name}>`);
        return { type: 'boolean', value: tag.name === 'true' };
      case 'string':
        return { type: 'string', value: tag.empty ? '' : readText('string') };
      case 'integer': {
        const raw = tag.empty ? '' : readText('integer').trim();
        if (!/^[+-]?\d+$/.test(raw)) fail('an <integer> that is not a whole number');
        const value = Number(raw);
        if (!Number.isSafeInteger(value)) fail('an <integer> too large to read exactly');
        return { type: 'number', value };
      }
      case 'real': {
        const raw = tag.empty ? '' : readText('real').trim();
        const value = Number(raw);
        if (raw === '' || !Number.isFinite(value)) fail('a <real> that is not a finite number');
        return { type: 'number', value };
      }
      case 'date':
        return { type: 'date', value: tag.empty ? '' : readText('date').trim() };
      case 'data':
        return { type: 'data', value: tag.empty ? '' : readText('data').replace(/\s+/g, '') };
      case 'array': {
        const items: PlistNode[] = [];
        if (tag.empty) return { type: 'array', items };
        for (;;) {
          skipSpace();
          if (text.startsWith('</array', at)) {
            readTag();
            return { type: 'array', items };
          }
          items.push(readValue(depth + 1));
        }
      }
      case 'dict': {
        const entries: Array<[string, PlistNode]> = [];
        if (tag.empty) return { type: 'dict', entries };
        for (;;) {
          const key = readTag();
          if (key.closing && key.name === 'dict') return { type: 'dict', entries };
          if (key.closing || key.name !== 'key') fail(`<${key.name}> where a <key> was expected`);
          const name = key.empty ? '' : readText('key');
          // Which of two values would be meant is anyone's guess: neither is taken.
          if (entries.some(([known]) => known === name)) fail('a <key> repeated in one <dict>');
          entries.push([name, readValue(depth + 1)]);
        }
      }
      default:
        return fail(`the element <${tag.name}>`);
    }
  };

  const root = readTag();
  if (root.name !== 'plist' || root.closing || root.empty) fail('no <plist> element');
  const value = readValue(1);
  const close = readTag();
  if (!close.closing || close.name !== 'plist') fail('more than one value in <plist>');
  skipSpace();
  if (at < text.length) fail('content after </plist>');
  return value;
}

/**
 * The node as a JSON-like value, as `plutil -convert json` would give it where it can: a <date> becomes
 * its ISO 8601 text and <data> its base64 text.
 */
export function plainPlistValue(node: PlistNode): unknown {
  switch (node.type) {
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of node.entries) {
        Object.defineProperty(out, key, {
          value: plainPlistValue(value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case 'array':
      return node.items.map(plainPlistValue);
    default:
      return node.value;
  }
}
