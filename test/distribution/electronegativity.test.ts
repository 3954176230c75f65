import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  evaluateFindings,
  formatFindingsTable,
  parseAllowlist,
  parseElectronegativityCsv,
} from '../../scripts/electronegativity-report.mjs';
import { ROOT } from './source-scan';

// Shaped like Electronegativity 1.10.3's CSV (header with spaces, quoted fields, N/A for missing ones).
const SAMPLE_CSV = [
  'issue, severity, confidence, filename, location, sample, description, url',
  'CSP_GLOBAL_CHECK,"LOW","TENTATIVE","main/shell/app-protocol.ts","28:28",N/A,"Failed to parse CSP, it may not be valid.",https://github.com/doyensec/electronegativity/wiki/CSP_GLOBAL_CHECK',
  'OPEN_EXTERNAL_JS_CHECK,"MEDIUM","TENTATIVE","main/shell/secure-window.ts","23:49","if (a === \'b\') void shell.openExternal(""x"", y);","Review the use of openExternal",https://github.com/doyensec/electronegativity/wiki/OPEN_EXTERNAL_JS_CHECK',
  'NODE_INTEGRATION_JS_CHECK,"HIGH","FIRM","main/shell/new-window.ts","10:17","const w = new BrowserWindow({","Disable nodeIntegration for untrusted origins",https://github.com/doyensec/electronegativity/wiki/NODE_INTEGRATION_JS_CHECK',
  '',
].join('\r\n');

const ALLOWLIST = parseAllowlist({
  allow: [
    { check: 'CSP_GLOBAL_CHECK', file: 'main/shell/app-protocol.ts', justification: 'CSP built by csp.ts' },
    { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'main/shell/secure-window.ts', justification: 'https only' },
    { check: 'SANDBOX_JS_CHECK', file: 'main/shell/gone.ts', justification: 'file was removed' },
  ],
});

describe('parseElectronegativityCsv()', () => {
  it('reads every finding with its check, file and line', () => {
    const findings = parseElectronegativityCsv(SAMPLE_CSV);
    expect(findings.map((f) => [f.check, f.file, f.line])).toEqual([
      ['CSP_GLOBAL_CHECK', 'main/shell/app-protocol.ts', 28],
      ['OPEN_EXTERNAL_JS_CHECK', 'main/shell/secure-window.ts', 23],
      ['NODE_INTEGRATION_JS_CHECK', 'main/shell/new-window.ts', 10],
    ]);
  });

  it('keeps commas and doubled quotes inside quoted fields', () => {
    const [, openExternal] = parseElectronegativityCsv(SAMPLE_CSV);
    expect(openExternal?.sample).toBe('if (a === \'b\') void shell.openExternal("x", y);');
    expect(parseElectronegativityCsv(SAMPLE_CSV)[0]?.description).toBe(
      'Failed to parse CSP, it may not be valid.',
    );
  });

  it('accepts a report with the header and no findings', () => {
    expect(
      parseElectronegativityCsv(
        'issue, severity, confidence, filename, location, sample, description, url\n',
      ),
    ).toEqual([]);
  });

  it('fails on an empty report (the tool crashed before writing it)', () => {
    expect(() => parseElectronegativityCsv('')).toThrow(/empty/);
    expect(() => parseElectronegativityCsv('\n')).toThrow(/empty/);
  });

  it('fails on a report without the expected header or with a truncated row', () => {
    expect(() => parseElectronegativityCsv('CSP_GLOBAL_CHECK,"LOW"\n')).toThrow(/header/);
    const truncated = `${SAMPLE_CSV.split('\r\n')[0]}\nCSP_GLOBAL_CHECK,"LOW","TENTATIVE"`;
    expect(() => parseElectronegativityCsv(truncated)).toThrow(/fields/);
    expect(() => parseElectronegativityCsv(`${SAMPLE_CSV}X,"unterminated`)).toThrow(/unterminated/);
  });
});

describe("parseElectronegativityCsv() with the run's in-memory findings", () => {
  const header = SAMPLE_CSV.split('\r\n')[0];
  const garbled = `${header}\nA,"Failed to parse CSP, it may not be valid.",https://github.com/doyensec/electronegativity/wiki/CSP_GLOBAL_CHECK\n`;
  const cspFinding = {
    id: 'CSP_GLOBAL_CHECK',
    file: 'main/shell/app-protocol.ts',
    location: { line: 28, column: 28 },
    description: 'Failed to parse CSP, it may not be valid.',
  };
  const inMemory = [cspFinding];

  it("takes a row the tool wrote without its columns from the same run's result", () => {
    expect(parseElectronegativityCsv(garbled, inMemory)).toEqual([
      expect.objectContaining({
        check: 'CSP_GLOBAL_CHECK',
        file: 'main/shell/app-protocol.ts',
        line: 28,
        repaired: true,
      }),
    ]);
  });

  it('still fails on a malformed row the run does not explain', () => {
    expect(() => parseElectronegativityCsv(garbled)).toThrow(/fields/);
    const other = [{ ...cspFinding, description: 'something else' }];
    expect(() => parseElectronegativityCsv(garbled, other)).toThrow(/fields/);
  });
});

describe('evaluateFindings()', () => {
  const evaluation = evaluateFindings(parseElectronegativityCsv(SAMPLE_CSV), ALLOWLIST);

  it('allows findings whose check id and file are listed, whatever the line', () => {
    expect(evaluation.allowed.map((f) => [f.check, f.justification])).toEqual([
      ['CSP_GLOBAL_CHECK', 'CSP built by csp.ts'],
      ['OPEN_EXTERNAL_JS_CHECK', 'https only'],
    ]);
  });

  it('reports everything else as unexpected', () => {
    expect(evaluation.unexpected.map((f) => `${f.check} ${f.file}`)).toEqual([
      'NODE_INTEGRATION_JS_CHECK main/shell/new-window.ts',
    ]);
  });

  it('does not let an entry for one file allow the same check in another file', () => {
    const moved = parseElectronegativityCsv(
      SAMPLE_CSV.replace('main/shell/secure-window.ts', 'main/other.ts'),
    );
    const result = evaluateFindings(moved, ALLOWLIST);
    expect(result.unexpected.map((f) => f.file)).toContain('main/other.ts');
  });

  it('lists allowlist entries that matched nothing as stale', () => {
    expect(evaluation.stale).toEqual([
      { check: 'SANDBOX_JS_CHECK', file: 'main/shell/gone.ts', justification: 'file was removed' },
    ]);
  });

  it('prints a table with the new finding first and the justification of allowed ones', () => {
    const table = formatFindingsTable(evaluation).split('\n');
    expect(table[0]).toMatch(/^status\s+check\s+severity\s+location/);
    expect(table[2]).toMatch(/^NEW\s+NODE_INTEGRATION_JS_CHECK\s+HIGH\s+main\/shell\/new-window\.ts:10/);
    expect(table.some((row) => /^allowed .*CSP built by csp\.ts$/.test(row))).toBe(true);
    expect(formatFindingsTable({ allowed: [], unexpected: [] })).toBe('No findings.');
  });
});

describe('parseAllowlist()', () => {
  it('requires a check, a file and a one-line justification for every entry', () => {
    expect(() => parseAllowlist({ allow: [{ check: 'X', file: 'a.ts' }] })).toThrow(/justification/);
    expect(() => parseAllowlist({ allow: [{ check: 'X', file: 'a.ts', justification: 'a\nb' }] })).toThrow(
      /one line/,
    );
    expect(() =>
      parseAllowlist({ allow: [{ check: 'X', file: 'a.ts', justification: 'ok', line: 3 }] }),
    ).toThrow(/unknown keys: line/);
    expect(() => parseAllowlist({})).toThrow(/allow/);
  });

  it('refuses duplicate entries', () => {
    const entry = { check: 'X', file: 'a.ts', justification: 'ok' };
    expect(() => parseAllowlist({ allow: [entry, entry] })).toThrow(/duplicates/);
  });

  it('accepts the committed allowlist', () => {
    const committed = JSON.parse(
      readFileSync(join(ROOT, 'security', 'electronegativity-allowlist.json'), 'utf8'),
    );
    const entries = parseAllowlist(committed);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry.justification.length).toBeGreaterThan(20);
  });
});
