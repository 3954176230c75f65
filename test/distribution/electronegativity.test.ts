import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  evaluateFindings,
  formatFindingsTable,
  parseAllowlist,
  readRun,
} from '../../scripts/electronegativity-report.mjs';
import { ROOT } from './source-scan';

// The gate end to end: scripts/electronegativity.mjs runs the real Electronegativity over a small
// fixture tree (--root) and compares its in-memory findings with a fixture allowlist.
describe('scripts/electronegativity.mjs', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'tessera-electronegativity-test-'));
    // Satisfies the global navigation and permission checks, so the only finding is openExternal.
    write(
      'main/index.ts',
      [
        "import { app, session, shell } from 'electron';",
        '',
        "app.on('web-contents-created', (_event, contents) => {",
        "  contents.on('will-navigate', (event) => event.preventDefault());",
        "  contents.setWindowOpenHandler(() => ({ action: 'deny' }));",
        '});',
        'session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));',
        '',
        'export function openInBrowser(url: string): Promise<void> {',
        '  return shell.openExternal(url);',
        '}',
        '',
      ].join('\n'),
    );
    write('preload/index.ts', 'export const ready = true;\n');
    write(
      'renderer/index.html',
      `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body></body></html>\n`,
    );
    // Not shipped, so not scanned, however unsafe.
    write('main/window.test.ts', 'new BrowserWindow({ webPreferences: { nodeIntegration: true } });\n');
    allow([{ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'main/index.ts', justification: 'https only, tested' }]);
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
  });

  function write(file: string, text: string): void {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    writeFileSync(join(work, file), text);
  }

  function allow(entries: Array<{ check: string; file: string; justification: string }>): void {
    write('security/electronegativity-allowlist.json', JSON.stringify({ allow: entries }));
  }

  function gate(env: NodeJS.ProcessEnv = {}) {
    return spawnSync(process.execPath, ['scripts/electronegativity.mjs', '--root', work], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
  }

  it('passes when every finding is allow-listed, and prints it with its justification', () => {
    const result = gate();
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /^allowed\s+OPEN_EXTERNAL_JS_CHECK\s+MEDIUM\s+main\/index\.ts:10\s+https only, tested$/m,
    );
    expect(result.stdout).toMatch(/electronegativity: OK — \d+ checks, 1 finding\(s\), all justified/);
    expect(result.status).toBe(0);
  });

  it('fails on a new finding and lists it first', () => {
    write(
      'main/window.ts',
      "import { BrowserWindow } from 'electron';\n\nexport const win = new BrowserWindow({ webPreferences: { nodeIntegration: true } });\n",
    );
    const result = gate();
    expect(result.status).toBe(1);
    const rows = result.stdout.split('\n').filter((row) => /^(NEW|allowed) /.test(row));
    expect(rows.at(-1)).toMatch(/^allowed\s+OPEN_EXTERNAL_JS_CHECK/);
    expect(rows.filter((row) => row.startsWith('NEW')).length).toBeGreaterThan(0);
    for (const row of rows.slice(0, -1)) expect(row).toMatch(/^NEW\s+\w+_CHECK\s+\w+\s+main\/window\.ts:3 /);
    expect(result.stdout).toMatch(/^NEW\s+CONTEXT_ISOLATION_JS_CHECK\s+HIGH\s+main\/window\.ts:3/m);
    expect(result.stderr).toMatch(
      /electronegativity: FAIL — \d+ finding\(s\) not in security\/electronegativity-allowlist\.json/,
    );
  });

  it('does not let an entry for one file allow the same check in another file', () => {
    allow([{ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'main/other.ts', justification: 'another file' }]);
    const result = gate();
    expect(result.stdout).toMatch(/^NEW\s+OPEN_EXTERNAL_JS_CHECK\s+MEDIUM\s+main\/index\.ts:10/m);
    expect(result.status).toBe(1);
  });

  it('reports allow-list entries that matched nothing, without failing', () => {
    allow([
      { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'main/index.ts', justification: 'https only, tested' },
      { check: 'SANDBOX_JS_CHECK', file: 'main/gone.ts', justification: 'file was removed' },
    ]);
    const result = gate();
    expect(result.stderr).toBe(
      'electronegativity: allowlist entry SANDBOX_JS_CHECK in main/gone.ts matched nothing; remove it.\n',
    );
    expect(result.status).toBe(0);
  });

  it('fails when a shipped file cannot be parsed (it was not checked)', () => {
    write('main/broken.ts', 'export const broken = (;\n');
    const result = gate();
    expect(result.stderr).toMatch(/1 file\(s\) could not be parsed[\s\S]*main\/broken\.ts: /);
    expect(result.status).toBe(1);
  });

  it('fails on an invalid allowlist', () => {
    write('security/electronegativity-allowlist.json', '{"allow":[{"check":"X","file":"a.ts"}]}');
    const result = gate();
    expect(result.stderr).toMatch(/cannot use security\/electronegativity-allowlist\.json: .*justification/);
    expect(result.status).toBe(1);
  });

  it('makes no network request (no translation download, no Electron release lookup)', () => {
    // Preloaded into the gate: reports every DNS lookup and socket connect it sees.
    const tripwire = join(work, 'tripwire.cjs');
    writeFileSync(
      tripwire,
      [
        "const net = require('node:net');",
        "const dns = require('node:dns');",
        "const report = (what) => process.stderr.write('NETWORK ATTEMPT: ' + what + '\\n');",
        'const connect = net.Socket.prototype.connect;',
        "net.Socket.prototype.connect = function (...args) { report('connect'); return connect.apply(this, args); };",
        'const lookup = dns.lookup;',
        "dns.lookup = function (host, ...rest) { report('lookup ' + host); return lookup.call(this, host, ...rest); };",
        '',
      ].join('\n'),
    );
    const result = gate({ NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${tripwire}`.trim() });
    expect(result.stderr).not.toMatch(/NETWORK ATTEMPT/);
    expect(result.stdout).toMatch(/electronegativity: OK/);
    expect(result.status).toBe(0);
  });
});

// Shaped like the object Electronegativity 1.10.3's run() returns (severity/confidence objects, paths
// relative to the scanned folder, global findings with file "N/A").
const severity = (name: string) => ({ name, value: 0 });
const RESULT = {
  globalChecks: 5,
  atomicChecks: 36,
  errors: [
    { file: '/tmp/src/main/a.ts', message: 'Unsupported syntax', tolerable: true },
    { file: '/tmp/src/main/b.ts', message: 'Unexpected token (1:2)', tolerable: false },
  ],
  issues: [
    {
      id: 'CSP_GLOBAL_CHECK',
      file: 'main/shell/app-protocol.ts',
      location: { line: 28, column: 28 },
      sample: undefined,
      description: 'Failed to parse CSP, it may not be valid.',
      severity: severity('LOW'),
      confidence: severity('TENTATIVE'),
    },
    {
      id: 'OPEN_EXTERNAL_JS_CHECK',
      file: 'main\\shell\\secure-window.ts',
      location: { line: 23, column: 49 },
      sample: '  void shell.openExternal(url);',
      description: 'Review the use of openExternal',
      severity: severity('MEDIUM'),
      confidence: severity('TENTATIVE'),
    },
    {
      id: 'NODE_INTEGRATION_JS_CHECK',
      file: 'main/shell/new-window.ts',
      location: { line: 10, column: 17 },
      sample: 'const w = new BrowserWindow({',
      description: 'Disable nodeIntegration for untrusted origins',
      severity: severity('HIGH'),
      confidence: severity('FIRM'),
    },
    {
      id: 'LIMIT_NAVIGATION_GLOBAL_CHECK',
      file: 'N/A',
      location: { line: 0, column: 0 },
      description: 'Missing navigation limits',
      severity: severity('HIGH'),
      confidence: severity('CERTAIN'),
    },
  ],
};

const ALLOWLIST = parseAllowlist({
  allow: [
    { check: 'CSP_GLOBAL_CHECK', file: 'main/shell/app-protocol.ts', justification: 'CSP built by csp.ts' },
    { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'main/shell/secure-window.ts', justification: 'https only' },
    { check: 'SANDBOX_JS_CHECK', file: 'main/shell/gone.ts', justification: 'file was removed' },
  ],
});

describe('readRun()', () => {
  const run = readRun(RESULT);

  it('counts the checks and reads every finding with its check, file, line and severity', () => {
    expect(run.checks).toBe(41);
    expect(run.findings.map((f) => [f.check, f.file, f.line, f.severity])).toEqual([
      ['CSP_GLOBAL_CHECK', 'main/shell/app-protocol.ts', 28, 'LOW'],
      ['OPEN_EXTERNAL_JS_CHECK', 'main/shell/secure-window.ts', 23, 'MEDIUM'],
      ['NODE_INTEGRATION_JS_CHECK', 'main/shell/new-window.ts', 10, 'HIGH'],
      ['LIMIT_NAVIGATION_GLOBAL_CHECK', 'N/A', 0, 'HIGH'],
    ]);
    expect(run.findings[0]).toMatchObject({
      sample: '',
      description: 'Failed to parse CSP, it may not be valid.',
    });
    expect(run.findings[1]?.url).toBe(
      'https://github.com/doyensec/electronegativity/wiki/OPEN_EXTERNAL_JS_CHECK',
    );
  });

  it('separates tolerable parse warnings from files that could not be parsed', () => {
    expect(run.warnings.map((e) => e.file)).toEqual(['/tmp/src/main/a.ts']);
    expect(run.unparsed).toEqual([
      { file: '/tmp/src/main/b.ts', message: 'Unexpected token (1:2)', tolerable: false },
    ]);
  });

  it('throws on anything but a complete result object (the tool changed or did not finish)', () => {
    expect(() => readRun(undefined)).toThrow(/instead of its result object/);
    expect(() => readRun({ ...RESULT, atomicChecks: undefined })).toThrow(/check counts/);
    expect(() => readRun({ ...RESULT, issues: undefined })).toThrow(/issues/);
    expect(() => readRun({ ...RESULT, errors: null })).toThrow(/errors/);
    expect(() =>
      readRun({ ...RESULT, issues: [{ id: 'X_CHECK', location: { line: 1, column: 1 } }] }),
    ).toThrow(/finding 1 has no check id or file/);
  });
});

describe('evaluateFindings()', () => {
  const evaluation = evaluateFindings(readRun(RESULT).findings, ALLOWLIST);

  it('allows findings whose check id and file are listed, whatever the line', () => {
    expect(evaluation.allowed.map((f) => [f.check, f.justification])).toEqual([
      ['CSP_GLOBAL_CHECK', 'CSP built by csp.ts'],
      ['OPEN_EXTERNAL_JS_CHECK', 'https only'],
    ]);
  });

  it('reports everything else as unexpected', () => {
    expect(evaluation.unexpected.map((f) => `${f.check} ${f.file}`)).toEqual([
      'NODE_INTEGRATION_JS_CHECK main/shell/new-window.ts',
      'LIMIT_NAVIGATION_GLOBAL_CHECK N/A',
    ]);
  });

  it('lists allowlist entries that matched nothing as stale', () => {
    expect(evaluation.stale).toEqual([
      { check: 'SANDBOX_JS_CHECK', file: 'main/shell/gone.ts', justification: 'file was removed' },
    ]);
  });

  it('prints a table with the new findings first and the justification of allowed ones', () => {
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
