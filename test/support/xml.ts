// Strict XML reading for generated files (ADMX, ADML, the .mobileconfig plist): any warning or error
// from the parser fails, so "it parses" means well-formed, and a tiny plist reader on top.
import { DOMParser } from '@xmldom/xmldom';

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
 * A plist value read from its XML element, strictly: a dict alternates <key> and one value, and only
 * the plist DTD's value elements are accepted.
 */
export function plistValue(element: Element): unknown {
  const text = element.textContent ?? '';
  switch (element.localName) {
    case 'dict': {
      const children = childElements(element);
      const dict: Record<string, unknown> = {};
      for (let i = 0; i < children.length; i += 2) {
        const key = children[i];
        const value = children[i + 1];
        if (key?.localName !== 'key' || !value)
          throw new Error('plist: a dict must alternate <key> and a value');
        const name = key.textContent ?? '';
        if (Object.hasOwn(dict, name)) throw new Error(`plist: key ${name} repeated`);
        dict[name] = plistValue(value);
      }
      return dict;
    }
    case 'array':
      return childElements(element).map(plistValue);
    case 'string':
      return text;
    case 'integer':
      if (!/^-?\d+$/.test(text)) throw new Error(`plist: bad integer ${text}`);
      return Number(text);
    case 'real':
      return Number(text);
    case 'true':
      return true;
    case 'false':
      return false;
    default:
      throw new Error(`plist: unexpected <${element.localName}>`);
  }
}

/** A plist document's root value (the one element inside <plist version="1.0">). */
export function parsePlist(text: string): unknown {
  const root = parseXmlStrict(text);
  if (root.localName !== 'plist' || root.getAttribute('version') !== '1.0')
    throw new Error('plist: no <plist version="1.0">');
  const [value, ...rest] = childElements(root);
  if (!value || rest.length > 0) throw new Error('plist: <plist> must hold exactly one value');
  return plistValue(value);
}
