/** A child `h()` accepts: text, an element, nothing (skipped), or a list of those. */
export type Child = Node | string | number | null | undefined | false | Child[];

type Handler = (event: Event) => void;

/** Attributes, plus `on<event>` handlers and DOM properties (`value`, `checked`, `selected`). */
export type Props = Record<string, string | number | boolean | null | undefined | Handler>;

const PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled']);

/** Appends children, flattening lists and skipping empty values. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, ...child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/**
 * Creates an element. Text is always set as text, never parsed as HTML, and no inline `style`
 * attribute is ever produced (CSP forbids `'unsafe-inline'`): styling is by class.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (PROPERTIES.has(key)) {
      (element as unknown as Record<string, unknown>)[key] = value;
    } else if (key === 'class') {
      element.className = String(value);
    } else if (key === 'style') {
      throw new Error('h(): inline style attributes are not allowed under the CSP; use a class');
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(element, ...children);
  return element;
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

let counter = 0;

/** A document-unique id for label/description wiring. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Creates an SVG element (the logo): `h()` would create it in the HTML namespace. */
export function svg(tag: string, attributes: Record<string, string>, ...children: SVGElement[]): SVGElement {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  element.append(...children);
  return element;
}

/** Sets or clears an attribute. */
export function toggleAttribute(element: Element, name: string, value: string | null): void {
  if (value === null) element.removeAttribute(name);
  else element.setAttribute(name, value);
}
