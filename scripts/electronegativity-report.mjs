// Pure logic of the Electronegativity gate: turn the tool's in-memory result into findings, read the
// allowlist, compare, print a table. No I/O here, so test/distribution/electronegativity.test.ts can
// exercise it on a result shaped like the tool's.

const WIKI = 'https://github.com/doyensec/electronegativity/wiki/';

function describeValue(value) {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/**
 * Reads the object Electronegativity's `run()` returns —
 * `{ globalChecks, atomicChecks, errors: [{ file, message, tolerable }], issues: [...] }` — into the
 * number of checks it ran, its findings and its parse errors. Throws when the object is not of that
 * shape (the tool changed or did not finish): the gate must then fail, not pass on nothing.
 */
export function readRun(result) {
  if (result === null || typeof result !== 'object') {
    throw new Error(`Electronegativity returned ${describeValue(result)} instead of its result object`);
  }
  const { globalChecks, atomicChecks, issues, errors } = result;
  if (!Number.isInteger(globalChecks) || !Number.isInteger(atomicChecks)) {
    throw new Error("Electronegativity's result has no check counts");
  }
  if (!Array.isArray(issues)) throw new Error("Electronegativity's result has no issues list");
  if (!Array.isArray(errors)) throw new Error("Electronegativity's result has no errors list");
  const findings = issues.map((issue, index) => {
    if (
      issue === null ||
      typeof issue !== 'object' ||
      typeof issue.id !== 'string' ||
      issue.id === '' ||
      typeof issue.file !== 'string' ||
      issue.file === ''
    ) {
      throw new Error(`Electronegativity's finding ${index + 1} has no check id or file`);
    }
    return {
      check: issue.id,
      severity: issue.severity?.name ?? '',
      confidence: issue.confidence?.name ?? '',
      file: issue.file.replaceAll('\\', '/'),
      line: Number(issue.location?.line ?? 0),
      column: Number(issue.location?.column ?? 0),
      sample: typeof issue.sample === 'string' ? issue.sample.trim() : '',
      description: typeof issue.description === 'string' ? issue.description.trim() : '',
      url: `${WIKI}${issue.id}`,
    };
  });
  const parseErrors = errors.map((error) => ({
    file: String(error?.file ?? '').replaceAll('\\', '/'),
    message: String(error?.message ?? 'unknown error'),
    tolerable: error?.tolerable === true,
  }));
  return {
    checks: globalChecks + atomicChecks,
    findings,
    warnings: parseErrors.filter((error) => error.tolerable),
    unparsed: parseErrors.filter((error) => !error.tolerable),
  };
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
