// Strict XML reading for generated files (ADMX, ADML, the .mobileconfig plist): any warning or error
// from the parser fails, so "it parses" means well-formed; plists are then read by the app's own reader.
import { DOMParser } from '@xmldom/xmldom';
import { parsePlistXml, plainPlistValue } from '../../main/core/config/plist-xml';

/** The document element of `text`, parsed strictly: every parser complaint throws. */
export function parseXmlStrict(text: string): Element {
  const fail = (level: string) => (message: string) => {
    throw new Error(`XML ${level}: ${message}`);
  };
  const document = new DOMParser({
    errorHandler: { warning: fail('warning'), error: fail('error'), fatalError: fail('fatal error') },
  }).parseFromString(text, 'text/xml');
  if (!document.documentElement) throw new Error('XML: no document element');
  return document.documentElement;
}

/** The child elements of `element` (text, comments and whitespace skipped). */
export function childElements(element: Element, name?: string): Element[] {
  const children: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling)
    if (node.nodeType === 1 && (name === undefined || (node as Element).localName === name))
      children.push(node as Element);
  return children;
}

/** Every descendant element named `name`. */
export function descendants(element: Element, name: string): Element[] {
  return Array.from(element.getElementsByTagName(name));
}

/**
 * A plist document's root value: well-formed XML (strictly, as above), read by the app's own
 * property-list reader (the one managed preferences go through on macOS).
 */
export function parsePlist(text: string): unknown {
  parseXmlStrict(text);
  return plainPlistValue(parsePlistXml(text));
}

/** `value` as `plutil -convert xml1` writes it (strings, booleans, integers, reals, dicts, arrays). */
export function toPlistXml(value: unknown): string {
  const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const node = (v: unknown): string => {
    if (typeof v === 'string') return `<string>${escapeXml(v)}</string>`;
    if (typeof v === 'boolean') return v ? '<true/>' : '<false/>';
    if (typeof v === 'number') return Number.isInteger(v) ? `<integer>${v}</integer>` : `<real>${v}</real>`;
    if (Array.isArray(v)) return `<array>${v.map(node).join('')}</array>`;
    if (v === null || typeof v !== 'object') throw new Error(`plist: no type for ${typeof v}`);
    const entries = Object.entries(v as Record<string, unknown>);
    return `<dict>\n${entries.map(([k, x]) => `\t<key>${escapeXml(k)}</key>\n\t${node(x)}\n`).join('')}</dict>`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
${node(value)}
</plist>
`;
}
