// Pure logic of the Electronegativity gate: parse its CSV, read the allowlist, compare, print a table.
// No I/O here, so test/distribution/electronegativity.test.ts can exercise it on a sample CSV.

const EXPECTED_HEADER = [
  'issue',
  'severity',
  'confidence',
  'filename',
  'location',
  'sample',
  'description',
  'url',
];

/** Splits CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes as "", newlines). */
function splitCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ''));
}

/**
 * Parses Electronegativity's CSV report into findings. Throws when the text is empty or lacks the
 * header row: that means the tool crashed before writing its report, which must fail the gate.
 *
 * Electronegativity 1.10.3 sometimes writes a row without its location columns (seen for a CSP it
 * could not parse: `A,"Failed to parse CSP, it may not be valid.",<url>`). When `inMemory` — the same
 * run's findings as the tool returned them — has a finding at that position with the row's description,
 * that finding is used (marked `repaired`); any other malformed row still fails the gate.
 */
export function parseElectronegativityCsv(text, inMemory = []) {
  const rows = splitCsv(text);
  if (rows.length === 0) throw new Error('the CSV report is empty (Electronegativity did not finish)');
  const header = rows[0].map((name) => name.trim().toLowerCase());
  if (EXPECTED_HEADER.some((name, index) => header[index] !== name)) {
    throw new Error(`unexpected CSV header: ${rows[0].join(',')}`);
  }
  return rows.slice(1).map((fields, index) => {
    if (fields.length !== EXPECTED_HEADER.length) {
      const known = inMemory[index];
      if (known && fields.some((field) => field.trim() === known.description)) {
        return {
          check: known.id,
          severity: '',
          confidence: '',
          file: known.file.replaceAll('\\', '/'),
          line: known.location?.line ?? 0,
          column: known.location?.column ?? 0,
          sample: '',
          description: known.description,
          url: fields.at(-1)?.trim() ?? '',
          repaired: true,
        };
      }
      throw new Error(`CSV row ${index + 2} has ${fields.length} fields, expected ${EXPECTED_HEADER.length}`);
    }
    const [check, severity, confidence, file, location, sample, description, url] = fields;
    const [line = '0', column = '0'] = location.split(':');
    return {
      check: check.trim(),
      severity: severity.trim(),
      confidence: confidence.trim(),
      file: file.trim().replaceAll('\\', '/'),
      line: Number(line),
      column: Number(column),
      sample: sample === 'N/A' ? '' : sample.trim(),
      description: description.trim(),
      url: url.trim(),
    };
  });
}

/** Validates the allowlist JSON: `{ allow: [{ check, file, justification }] }`, one line each, no duplicates. */
export function parseAllowlist(json) {
  if (json === null || typeof json !== 'object' || !Array.isArray(json.allow)) {
    throw new Error('allowlist must be an object with an "allow" array');
  }
  const seen = new Set();
  return json.allow.map((entry, index) => {
    const where = `allowlist entry ${index + 1}`;
    if (entry === null || typeof entry !== 'object') throw new Error(`${where} must be an object`);
    const extra = Object.keys(entry).filter((key) => !['check', 'file', 'justification'].includes(key));
    if (extra.length > 0) throw new Error(`${where} has unknown keys: ${extra.join(', ')}`);
    for (const key of ['check', 'file', 'justification']) {
      if (typeof entry[key] !== 'string' || entry[key].trim() === '') {
        throw new Error(`${where} needs a non-empty "${key}"`);
      }
    }
    if (/[\r\n]/.test(entry.justification)) throw new Error(`${where}: justification must be one line`);
    const key = `${entry.check}|${entry.file}`;
    if (seen.has(key)) throw new Error(`${where} duplicates ${entry.check} in ${entry.file}`);
    seen.add(key);
    return { check: entry.check, file: entry.file.replaceAll('\\', '/'), justification: entry.justification };
  });
}

/**
 * Splits findings into allowed (matched by check id + file, never by line) and unexpected, and lists
 * allowlist entries that matched nothing (stale: the code changed, the entry should go).
 */
export function evaluateFindings(findings, allowlist) {
  const byKey = new Map(allowlist.map((entry) => [`${entry.check}|${entry.file}`, entry]));
  const used = new Set();
  const allowed = [];
  const unexpected = [];
  for (const finding of findings) {
    const key = `${finding.check}|${finding.file}`;
    const entry = byKey.get(key);
    if (entry) {
      used.add(key);
      allowed.push({ ...finding, justification: entry.justification });
    } else unexpected.push(finding);
  }
  const stale = allowlist.filter((entry) => !used.has(`${entry.check}|${entry.file}`));
  return { allowed, unexpected, stale };
}

function truncate(text, width) {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** A plain-text table of the findings: unexpected ones first, then the allowlisted ones with their reason. */
export function formatFindingsTable({ allowed, unexpected }) {
  const rows = [
    ...unexpected.map((f) => ['NEW', f.check, f.severity, `${f.file}:${f.line}`, f.description]),
    ...allowed.map((f) => ['allowed', f.check, f.severity, `${f.file}:${f.line}`, f.justification]),
  ];
  if (rows.length === 0) return 'No findings.';
  const head = ['status', 'check', 'severity', 'location', 'description / justification'];
  const widths = head.map((title, col) =>
    Math.max(title.length, ...rows.map((row) => Math.min(row[col].length, 60))),
  );
  const line = (cells) =>
    cells
      .map((cell, col) =>
        col === cells.length - 1 ? truncate(cell, 100) : truncate(cell, widths[col]).padEnd(widths[col]),
      )
      .join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
