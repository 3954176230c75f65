// The policy file, the user settings file and the account list as IT's tools and editors leave them:
// a directory or a pipe where the file should be, a file far too big, UTF-16 from Windows PowerShell,
// CRLF line ends, a byte-order mark, a symbolic link (to a file, or to nothing).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPolicyFile } from './layers';
import { JSON_FILE_LIMIT, readJsonFile } from './read-json-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-read-json-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const POLICY = { managed: { apiBaseUrl: 'https://api.corp.example', maxAccounts: 2 } };

/** Writes `bytes` to `name` in the test folder and returns its path. */
function file(name: string, bytes: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** `text` as Windows PowerShell 5.1's `Out-File` writes it: UTF-16 little-endian with a byte-order mark. */
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

describe('readJsonFile()', () => {
  it('reads UTF-8 with or without a byte-order mark, with CRLF line ends', () => {
    const crlf = JSON.stringify(POLICY, null, 2).replaceAll('\n', '\r\n');
    expect(readJsonFile(file('plain.json', crlf))).toEqual({ kind: 'ok', data: POLICY });
    expect(readJsonFile(file('bom.json', `\uFEFF${crlf}`))).toEqual({ kind: 'ok', data: POLICY });
  });

  it('reads UTF-16 with a byte-order mark (Windows PowerShell 5.1 `Out-File`, Notepad "UTF-16")', () => {
    const text = JSON.stringify({ managed: { oidcProviderName: '사내 SSO' } }, null, 2).replaceAll(
      '\n',
      '\r\n',
    );
    const le = utf16le(text);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    for (const bytes of [le, be])
      expect(readJsonFile(file('utf16.json', bytes))).toEqual({
        kind: 'ok',
        data: { managed: { oidcProviderName: '사내 SSO' } },
      });
  });

  it('says a file is empty (also only spaces, line ends or a byte-order mark) instead of a parser message', () => {
    for (const text of ['', '  \r\n', '\uFEFF\n'])
      expect(readJsonFile(file('empty.json', text))).toEqual({
        kind: 'invalid',
        reason: 'is empty (not valid JSON; {} is an empty object)',
      });
  });

  it('refuses text that is not UTF-8 (a Korean policy saved by Set-Content in code page 949) instead of garbling it', () => {
    // "회사" in code page 949, what Windows PowerShell 5.1's Set-Content writes on a Korean Windows:
    // c8 b8 happens to be UTF-8 (U+0238), bb is where it stops being UTF-8.
    const cp949 = Buffer.concat([
      Buffer.from('{"managed":{"oidcProviderName":"'),
      Buffer.from([0xc8, 0xb8, 0xbb, 0xe7]),
      Buffer.from('"}}'),
    ]);
    expect(readJsonFile(file('cp949.json', cp949))).toEqual({
      kind: 'invalid',
      reason:
        'is not UTF-8 text (byte 0xbb at offset 34 is no UTF-8; save it as UTF-8, e.g. Out-File -Encoding utf8)',
    });
  });

  it('says a file holding NUL bytes is not UTF-8 (UTF-16 without a byte-order mark) instead of a parser message', () => {
    expect(readJsonFile(file('utf16-no-bom.json', Buffer.from('{"managed":{}}', 'utf16le')))).toEqual({
      kind: 'invalid',
      reason:
        'is not UTF-8 text (it holds NUL bytes: UTF-16 without a byte-order mark?; save it as UTF-8, e.g. Out-File -Encoding utf8)',
    });
  });

  it("refuses a name given twice in one object (which value was meant is anyone's guess), at any depth", () => {
    expect(readJsonFile(file('dup.json', '{"managed":{"maxAccounts":1,"maxAccounts":20}}'))).toEqual({
      kind: 'invalid',
      reason: 'gives "maxAccounts" twice in one object (in "managed"); neither value is used',
    });
    // Written differently, still the same name; and a repeated section.
    expect(readJsonFile(file('escaped.json', '{"managed":{},"\\u006danaged":{}}'))).toMatchObject({
      kind: 'invalid',
      reason: 'gives "managed" twice in one object (at the top); neither value is used',
    });
    const nested = '{"managed":{"authContract":{"login":{"path":"/a","path":"/b"}}}}';
    expect(readJsonFile(file('nested.json', nested))).toEqual({
      kind: 'invalid',
      reason:
        'gives "path" twice in one object (in "managed" > "authContract" > "login"); neither value is used',
    });
    // The same name in two objects, in an array, or as a string value is no repetition.
    const fine = '{"a":{"x":1},"b":{"x":"\\"x\\":"},"c":[{"x":1},{"x":2}],"d":"a"}';
    expect(readJsonFile(file('fine.json', fine))).toEqual({ kind: 'ok', data: JSON.parse(fine) });
  });

  it('says on which line and column a file stops being JSON (a trailing comma, a comment), CRLF or not', () => {
    const policy = '{\n  "managed": {\n    "maxAccounts": 1,\n  }\n}\n';
    for (const text of [policy, policy.replaceAll('\n', '\r\n'), `\uFEFF${policy}`])
      expect(readJsonFile(file('comma.json', text))).toEqual({
        kind: 'invalid',
        reason: expect.stringMatching(/^is not valid JSON at line 4, column 3 \(.+\)$/),
      });
    expect(readJsonFile(file('comment.json', '{\n  // IT\n  "managed": {}\n}'))).toEqual({
      kind: 'invalid',
      reason: expect.stringMatching(/^is not valid JSON at line 2, column 3 \(/),
    });
  });

  it('never quotes the file: a value where JSON expected none is located, not shown (it may be a secret)', () => {
    const text = '{\n  "authContract": {\n    "client_secret": Zq8kLm2x-secret\n  }\n}\n';
    const read = readJsonFile(file('unquoted.json', text));
    expect(read).toEqual({
      kind: 'invalid',
      reason: 'is not valid JSON at line 3, column 22 (an unexpected character)',
    });
    expect(JSON.stringify(read)).not.toMatch(/Zq8k|secret/);
  });

  it('refuses a directory where the file should be', () => {
    mkdirSync(join(dir, 'policy.json'));
    expect(readJsonFile(join(dir, 'policy.json'))).toEqual({
      kind: 'invalid',
      reason: 'is a directory, not a file',
    });
  });

  it('refuses a file bigger than the limit without reading it, and reads one of exactly the limit', () => {
    const json = JSON.stringify(POLICY);
    const atLimit = json + ' '.repeat(JSON_FILE_LIMIT - json.length);
    expect(readJsonFile(file('limit.json', atLimit))).toEqual({ kind: 'ok', data: POLICY });
    expect(readJsonFile(file('huge.json', `${atLimit} `))).toEqual({
      kind: 'invalid',
      reason: `is ${JSON_FILE_LIMIT + 1} bytes, more than the 1024 KiB such a file may hold; not read`,
    });
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a named pipe at once instead of waiting for a writer (skipped on Windows: no mkfifo)',
    () => {
      const path = join(dir, 'policy.json');
      execFileSync('mkfifo', [path]);
      expect(readJsonFile(path)).toEqual({
        kind: 'invalid',
        reason: 'is not a regular file (a pipe, socket or device)',
      });
    },
  );

  it.skipIf(process.platform === 'win32')(
    'follows a symbolic link to a file, and tells a link to nothing from no file (skipped on Windows: links need a privilege)',
    () => {
      symlinkSync(file('real.json', JSON.stringify(POLICY)), join(dir, 'link.json'));
      expect(readJsonFile(join(dir, 'link.json'))).toEqual({ kind: 'ok', data: POLICY });
      symlinkSync(join(dir, 'gone.json'), join(dir, 'dangling.json'));
      expect(readJsonFile(join(dir, 'dangling.json'))).toEqual({
        kind: 'missing',
        danglingTo: join(dir, 'gone.json'),
      });
      expect(readJsonFile(join(dir, 'none.json'))).toEqual({ kind: 'missing' });
    },
  );
});

describe('readPolicyFile() on such files', () => {
  it('applies a policy saved as UTF-16 by Windows PowerShell', () => {
    const layers = readPolicyFile(file('policy.json', utf16le(JSON.stringify(POLICY))));
    expect(layers.fileIssues).toEqual([]);
    expect(layers.managed.values).toEqual(POLICY.managed);
  });

  it('fails closed on a policy that locks a key twice, instead of taking the last value silently', () => {
    const path = file('policy.json', '{"managed":{"maxAccounts":1,"maxAccounts":20}}');
    const layers = readPolicyFile(path);
    expect(layers.fileIssues[0]?.message).toBe(
      `policy file ${path} gives "maxAccounts" twice in one object (in "managed"); neither value is used`,
    );
    expect(layers.managed.values).toMatchObject({ maxAccounts: 1, updatesEnabled: false });
  });

  it('fails closed, naming the size, on a file too big to be a policy', () => {
    const layers = readPolicyFile(file('policy.json', ' '.repeat(JSON_FILE_LIMIT + 1)));
    expect(layers.fileIssues[0]?.message).toBe(
      `policy file ${join(dir, 'policy.json')} is ${JSON_FILE_LIMIT + 1} bytes, more than the 1024 KiB such a file may hold; not read`,
    );
    expect(layers.managed.values).toMatchObject({ updatesEnabled: false, maxAccounts: 1 });
  });

  it.skipIf(process.platform === 'win32')(
    'says so when the policy file is a symbolic link to nothing, and uses no policy file (skipped on Windows: links need a privilege)',
    () => {
      const path = join(dir, 'policy.json');
      symlinkSync('/opt/corp/tessera/policy.json', path);
      const layers = readPolicyFile(path);
      expect(layers.fileIssues.map((issue) => issue.message)).toEqual([
        `policy file ${path} is a symbolic link to "/opt/corp/tessera/policy.json", which does not exist; no policy file is used`,
      ]);
      expect(layers.managed.values).toEqual({});
    },
  );
});
