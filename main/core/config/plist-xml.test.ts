// The XML property list reader, on plists as `plutil -convert xml1` writes them (the fixtures follow
// its output: tab indentation, the Apple DOCTYPE, <integer>/<real>, <date> in ISO 8601 UTC, <data> in
// base64 wrapped over lines) and on what must be refused.
import { describe, expect, it } from 'vitest';
import { parsePlistXml, plainPlistValue } from './plist-xml';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
`;
const plist = (body: string) => `${HEAD}${body}\n</plist>\n`;

describe('parsePlistXml()', () => {
  it('reads every type plutil writes, keeping dates and data apart from text', () => {
    const root = parsePlistXml(
      plist(`<dict>
\t<key>text</key>
\t<string>a &lt;b&gt; &amp; &quot;c&quot; &#x1F600; &#233;</string>
\t<key>empty</key>
\t<string/>
\t<key>count</key>
\t<integer>-42</integer>
\t<key>ratio</key>
\t<real>1.5</real>
\t<key>on</key>
\t<true/>
\t<key>off</key>
\t<false/>
\t<key>when</key>
\t<date>2026-11-30T09:00:00Z</date>
\t<key>blob</key>
\t<data>
\tAAECAwQF
\tBgc=
\t</data>
\t<key>list</key>
\t<array>
\t\t<string>x</string>
\t\t<integer>1</integer>
\t</array>
\t<key>nested</key>
\t<dict>
\t\t<key>login</key>
\t\t<dict>
\t\t\t<key>path</key>
\t\t\t<string>/signin</string>
\t\t</dict>
\t</dict>
\t<key>none</key>
\t<array/>
</dict>`),
    );
    expect(root.type).toBe('dict');
    const entries = root.type === 'dict' ? Object.fromEntries(root.entries) : {};
    expect(entries.text).toEqual({ type: 'string', value: 'a <b> & "c" 😀 é' });
    expect(entries.empty).toEqual({ type: 'string', value: '' });
    expect(entries.count).toEqual({ type: 'number', value: -42 });
    expect(entries.ratio).toEqual({ type: 'number', value: 1.5 });
    expect(entries.on).toEqual({ type: 'boolean', value: true });
    expect(entries.off).toEqual({ type: 'boolean', value: false });
    expect(entries.when).toEqual({ type: 'date', value: '2026-11-30T09:00:00Z' });
    expect(entries.blob).toEqual({ type: 'data', value: 'AAECAwQFBgc=' });
    expect(plainPlistValue(root)).toEqual({
      text: 'a <b> & "c" 😀 é',
      empty: '',
      count: -42,
      ratio: 1.5,
      on: true,
      off: false,
      when: '2026-11-30T09:00:00Z',
      blob: 'AAECAwQFBgc=',
      list: ['x', 1],
      nested: { login: { path: '/signin' } },
      none: [],
    });
  });

  it('skips comments and a byte order mark, and reads an empty dictionary', () => {
    const root = parsePlistXml(`\uFEFF${plist('<!-- pushed by the MDM -->\n<dict/>')}`);
    expect(root).toEqual({ type: 'dict', entries: [] });
  });

  it('keeps a "__proto__" key as a key, not a prototype', () => {
    const value = plainPlistValue(
      parsePlistXml(plist('<dict><key>__proto__</key><dict><key>polluted</key><true/></dict></dict>')),
    ) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it.each([
    ['no <plist> element', '<dict/>', /no <plist> element/],
    [
      'a value without a key',
      plist('<dict><string>x</string></dict>'),
      /<string> where a <key> was expected/,
    ],
    ['a key without a value', plist('<dict><key>a</key></dict>'), /an unexpected <\/dict>/],
    ['an element the DTD does not have', plist('<dict><key>a</key><float>1</float></dict>'), /<float>/],
    ['an unclosed string', plist('<dict><key>a</key><string>x</dict>'), /<string> that is never closed/],
    ['a mismatched close', plist('<dict><key>a</keys><true/></dict>'), /a <key> closed by <\/keys>/],
    ['markup inside text', plist('<string>a<b/>c</string>'), /markup inside <string>/],
    ['a repeated key', plist('<dict><key>a</key><true/><key>a</key><false/></dict>'), /<key> repeated/],
    ['an integer that is not whole', plist('<integer>1.5</integer>'), /not a whole number/],
    ['an integer beyond 2^53', plist('<integer>9007199254740993</integer>'), /too large/],
    ['a real that is no number', plist('<real>fast</real>'), /not a finite number/],
    ['an unknown entity', plist('<string>&nbsp;</string>'), /unknown entity &nbsp;/],
    ['a bare ampersand', plist('<string>a & b</string>'), /bare "&"/],
    ['two values', `${HEAD}<true/><false/></plist>`, /more than one value/],
    ['content after the plist', `${plist('<true/>')}<true/>`, /content after <\/plist>/],
    ['text inside <true>', plist('<true>yes</true>'), /text inside <true>/],
    ['an unterminated comment', plist('<!-- never closed <true/>'), /unterminated comment/],
  ])('refuses %s, saying what and where', (_what, text, message) => {
    expect(() => parsePlistXml(text)).toThrow(message);
    expect(() => parsePlistXml(text)).toThrow(/^not a property list: .* at character \d+$/);
  });

  it('refuses nesting deeper than 64 levels instead of running out of stack', () => {
    const deep = plist(`${'<array>'.repeat(10_000)}${'</array>'.repeat(10_000)}`);
    expect(() => parsePlistXml(deep)).toThrow(/nesting deeper than 64 levels/);
  });
});
