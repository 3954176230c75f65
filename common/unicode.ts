// Text that cannot be written as UTF-8 or UTF-16: half of a surrogate pair without its other half.
// JavaScript strings may hold one (a paste, a registry value); encodeURIComponent throws on it, and
// UTF-8 output replaces it, so such text is refused where it would name or send something.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` holds no half of a UTF-16 surrogate pair on its own (String#isWellFormed, ES2024). */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
