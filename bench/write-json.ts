// Result files are written the way Biome formats JSON (short arrays on one line), so a fresh run
// leaves `npm run lint` clean.
import { writeFileSync } from 'node:fs';

const LINE_WIDTH = 110;

/** JSON with two-space indentation and arrays of plain values on one line when they fit. */
export function formatJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  const collapsed = text.replace(
    /^( *)("[^"]*": )?\[\n([^[\]{}]*?)\n *\]/gm,
    (whole, indent: string, key = '', body: string) => {
      const items = body.split(',\n').map((item) => item.trim());
      const line = `${indent}${key}[${items.join(', ')}]`;
      return line.length + 1 <= LINE_WIDTH ? line : whole;
    },
  );
  return `${collapsed}\n`;
}

/** Writes `value` to `file` as formatted JSON. */
export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, formatJson(value));
}
