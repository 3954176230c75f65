// A failing e2e test carries what the reference servers received and answered (e2e/fixtures.ts:
// `server requests`, `other server requests`), never a token; a passing one carries nothing. Checked by
// running Playwright for real on server-requests-attachment.pw.ts (the e2e fixtures, no app or
// browser) and reading the attachments from its JSON report.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverRequestsReport } from '../../e2e/fixtures';
import type { RecordedRequest } from '../../server/types';

const dir = mkdtempSync(join(tmpdir(), 'tessera-e2e-attachments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Attachment {
  name: string;
  contentType: string;
  body?: string;
}
interface ReportedSpec {
  title: string;
  tests: Array<{ results: Array<{ status: string; attachments: Attachment[] }> }>;
}

/** Runs the spec file through Playwright; its tests (title, status, attachments) and the tokens it saw. */
function runSpec() {
  const config = join(dir, 'playwright.config.mjs');
  const report = join(dir, 'report.json');
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(
    config,
    `export default ${JSON.stringify({
      testDir: import.meta.dirname,
      testMatch: 'server-requests-attachment.pw.ts',
      outputDir: join(dir, 'results'),
      workers: 1,
      retries: 0,
      reporter: [['json', { outputFile: report }]],
    })};\n`,
  );
  const run = spawnSync(process.execPath, ['node_modules/playwright/cli.js', 'test', '--config', config], {
    env: { ...process.env, TESSERA_ATTACHMENT_TOKENS: tokensFile, CI: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const suites = JSON.parse(readFileSync(report, 'utf8')).suites as Array<{ specs: ReportedSpec[] }>;
  const results = new Map(
    suites.flatMap((suite) => suite.specs).map((spec) => [spec.title, spec.tests[0]?.results[0]]),
  );
  return { run, results, tokens: JSON.parse(readFileSync(tokensFile, 'utf8')) as string[] };
}

/** The text of each attachment with a body, by name. */
function texts(attachments: Attachment[]): Record<string, string> {
  return Object.fromEntries(
    attachments
      .filter((attachment) => attachment.body !== undefined)
      .map((attachment) => [
        attachment.name,
        Buffer.from(attachment.body as string, 'base64').toString('utf8'),
      ]),
  );
}

describe('e2e fixtures: the servers’ requests on a failing test', () => {
  it('attach method, path, status and user for each server, without a token, and nothing when the test passes', () => {
    const { run, results, tokens } = runSpec();
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const failed = results.get('fails after requests to both servers');
    expect(failed?.status).toBe('failed');
    const attached = texts(failed?.attachments ?? []);
    // The path that carried both tokens is written redacted (the redactor may take the slashes too).
    expect(attached['server requests']).toMatch(
      /^POST \/login 401\nPOST \/login 200\nGET \/api\/user\/me 200 demo\nGET \S*\[redacted\]\S* 404\n$/,
    );
    expect(attached['other server requests']).toBe('GET /health 200\n');
    // No token, nor a piece of one, in anything attached.
    expect(tokens).toHaveLength(2);
    for (const [name, text] of Object.entries(attached)) {
      for (const token of tokens) {
        for (let at = 0; at + 16 <= token.length; at += 8) {
          expect(text.includes(token.slice(at, at + 16)), `${name} holds a piece of a token`).toBe(false);
        }
      }
    }
    const passed = results.get('passes after a request');
    expect(passed?.status).toBe('passed');
    expect(passed?.attachments.map((attachment) => attachment.name)).toEqual([]);
  }, 120_000);

  it('writes only the four fields, and redacts a token-shaped path', () => {
    expect(
      serverRequestsReport([
        { method: 'POST', path: '/login', status: 401 },
        { method: 'GET', path: '/api/user/me', status: 200, user: 'demo' },
        { method: 'GET', path: '/health', status: 0 },
      ]),
    ).toBe('POST /login 401\nGET /api/user/me 200 demo\nGET /health reset\n');
    expect(serverRequestsReport([])).toBe('(no requests)\n');
    // A field the record may gain later (here a header) is not written; a JWT in a path is redacted.
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const extra = { method: 'GET', path: '/x', status: 200, authorization: 'Bearer secret-value' };
    expect(serverRequestsReport([extra as RecordedRequest])).toBe('GET /x 200\n');
    const report = serverRequestsReport([{ method: 'GET', path: `/api/${jwt}`, status: 404 }]);
    expect(report).toContain('[redacted]');
    expect(report).not.toContain('eyJ');
  });
});
