// The apt and dnf repository commands of docs/it-guide.md ("From your own repository"), run as written
// (read from the guide) on a stand-in deb and rpm: the repository they build must be accepted by apt
// with the guide's `signed-by` line, refused once tampered with or signed by another key, and the rpm
// must carry a signature rpm checks. dnf itself does not run on Debian: its .repo file is not exercised.
// Needs gnupg, dpkg-dev, apt-utils, rpm and createrepo-c (.ci/run installs them).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './source-scan';

const VERSION = '1.4.0';
const guide = readFileSync(join(ROOT, 'docs/it-guide.md'), 'utf8');

/** The guide's fenced block that contains `marker`, with `<version>` filled in. */
function guideBlock(marker: string): string {
  const block = [...guide.matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
    .map((match) => match[1] ?? '')
    .find((text) => text.includes(marker));
  if (block === undefined) throw new Error(`docs/it-guide.md has no sh block with ${marker}`);
  return block.replaceAll('<version>', VERSION);
}

let work = '';
let env: NodeJS.ProcessEnv = {};

function run(command: string, args: string[], cwd = work) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A private GnuPG home that never prompts: the stand-in for an administrator typing an empty passphrase. */
function gnupgHome(name: string): string {
  const home = join(work, name);
  mkdirSync(home, { mode: 0o700 });
  writeFileSync(join(home, 'gpg.conf'), 'batch\npinentry-mode loopback\npassphrase \n');
  return home;
}

/** Minimal packages named as electron-builder names them (test stand-ins, nothing inside). */
function buildStandInPackages(): void {
  const deb = join(work, 'deb-root');
  mkdirSync(join(deb, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(deb, 'DEBIAN', 'control'),
    `Package: tessera\nVersion: ${VERSION}\nArchitecture: amd64\nMaintainer: Test <t@example.invalid>\nDescription: stand-in\n`,
  );
  mkdirSync(join(work, 'dist'));
  execFileSync(
    'dpkg-deb',
    ['--build', '--root-owner-group', deb, join(work, 'dist', `tessera_${VERSION}_amd64.deb`)],
    {
      stdio: 'ignore',
    },
  );
  const top = join(work, 'rpmbuild');
  const spec = join(work, 'tessera.spec');
  writeFileSync(
    spec,
    `Name: tessera\nVersion: ${VERSION}\nRelease: 1\nSummary: stand-in\nLicense: MIT\nBuildArch: x86_64\n%description\nstand-in\n%files\n`,
  );
  execFileSync('rpmbuild', ['-bb', '--nodeps', '--define', `_topdir ${top}`, spec], { stdio: 'ignore', env });
  execFileSync('cp', [
    join(top, 'RPMS', 'x86_64', `tessera-${VERSION}-1.x86_64.rpm`),
    join(work, 'dist', `tessera-${VERSION}.x86_64.rpm`),
  ]);
}

/** apt-get / apt-cache against only our sources list, with state in the work folder. */
function apt(tool: 'apt-get' | 'apt-cache', sourceLine: string, ...args: string[]) {
  const state = join(work, 'apt-state');
  mkdirSync(join(state, 'lists', 'partial'), { recursive: true });
  mkdirSync(join(state, 'cache', 'archives', 'partial'), { recursive: true });
  mkdirSync(join(state, 'parts'), { recursive: true });
  writeFileSync(join(state, 'sources.list'), `${sourceLine}\n`);
  return run(tool, [
    '-o',
    `Dir::Etc::SourceList=${join(state, 'sources.list')}`,
    '-o',
    `Dir::Etc::SourceParts=${join(state, 'parts')}`,
    '-o',
    `Dir::State::Lists=${join(state, 'lists')}`,
    '-o',
    `Dir::Cache=${join(state, 'cache')}`,
    '-o',
    'APT::Sandbox::User=root',
    '-o',
    'Debug::NoLocking=1',
    ...args,
  ]);
}

/** The guide's client `deb [...] https://… stable main` line, pointed at the local repository. */
function clientSourceLine(keyring: string): string {
  const line =
    /"(deb \[arch=amd64 signed-by=\/etc\/apt\/keyrings\/tessera\.gpg\] https:\/\/packages\.corp\.example\/tessera\/apt stable main)"/.exec(
      guide,
    )?.[1];
  expect(line).toBeDefined();
  return (line ?? '')
    .replace('/etc/apt/keyrings/tessera.gpg', keyring)
    .replace('https://packages.corp.example/tessera/apt', `file:${join(work, 'repo', 'apt')}`);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tessera-repos-'));
  env = { ...process.env, GNUPGHOME: '' };
  env.GNUPGHOME = gnupgHome('gnupg');
  buildStandInPackages();
  const publish = run('bash', ['-euc', guideBlock('# Once: a signing key for your package repository')]);
  expect(publish.output).not.toMatch(/command not found/);
  expect(publish.status, publish.output).toBe(0);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the apt repository the guide builds', () => {
  it('is accepted by apt with the guide’s signed-by line and offers the version', () => {
    const source = clientSourceLine(join(work, 'tessera-archive-keyring.gpg'));
    const update = apt('apt-get', source, 'update');
    expect(update.status, update.output).toBe(0);
    expect(update.output).not.toMatch(/^(W|E):/m);
    const policy = apt('apt-cache', source, 'policy', 'tessera');
    expect(policy.output).toMatch(new RegExp(`Candidate: ${VERSION.replaceAll('.', '\\.')}`));
  });

  it('is refused when signed by a key the client does not trust', () => {
    const otherHome = gnupgHome('other-gnupg');
    const otherEnv = { ...env, GNUPGHOME: otherHome };
    execFileSync(
      'gpg',
      ['--quick-generate-key', 'Someone else <x@example.invalid>', 'ed25519', 'sign', '1d'],
      {
        env: otherEnv,
        stdio: 'ignore',
      },
    );
    const otherKeyring = join(work, 'other.gpg');
    writeFileSync(otherKeyring, execFileSync('gpg', ['--export', 'Someone else'], { env: otherEnv }));
    rmSync(join(work, 'apt-state', 'lists'), { recursive: true, force: true });
    const update = apt('apt-get', clientSourceLine(otherKeyring), 'update');
    expect(update.output).toMatch(/NO_PUBKEY|not signed|couldn't be verified/);
    expect(apt('apt-cache', clientSourceLine(otherKeyring), 'policy', 'tessera').output).not.toMatch(
      /Candidate: 1\.4\.0/,
    );
  });

  it('is refused when a package list changed after signing', () => {
    const packages = join(work, 'repo', 'apt', 'dists', 'stable', 'main', 'binary-amd64', 'Packages');
    const original = readFileSync(packages);
    try {
      appendFileSync(
        packages,
        '\nPackage: evil\nVersion: 9\nArchitecture: amd64\nFilename: pool/x.deb\nSize: 1\n',
      );
      rmSync(`${packages}.gz`, { force: true });
      rmSync(join(work, 'apt-state', 'lists'), { recursive: true, force: true });
      const update = apt('apt-get', clientSourceLine(join(work, 'tessera-archive-keyring.gpg')), 'update');
      expect(update.output).toMatch(/Hash Sum mismatch|unexpected size|File has unexpected size/);
    } finally {
      writeFileSync(packages, original);
    }
  });
});

describe('the rpm repository the guide builds', () => {
  it('holds the rpm signed with the repository key, which rpm verifies once the key is imported', () => {
    const rpm = join(work, 'repo', 'rpm', `tessera-${VERSION}.x86_64.rpm`);
    const db = join(work, 'rpmdb');
    mkdirSync(db);
    const before = run('rpm', ['--dbpath', db, '-K', rpm]);
    expect(before.output).toMatch(/NOKEY|signatures NOT OK|SIGNATURES NOT OK/i);
    expect(
      run('rpm', ['--dbpath', db, '--import', join(work, 'repo', 'rpm', 'RPM-GPG-KEY-tessera')]).status,
    ).toBe(0);
    const after = run('rpm', ['--dbpath', db, '-K', rpm]);
    expect(after).toMatchObject({ status: 0, output: expect.stringMatching(/digests signatures OK/) });
  });

  it('has repository metadata with a detached signature by the same key', () => {
    const repomd = join(work, 'repo', 'rpm', 'repodata', 'repomd.xml');
    expect(readFileSync(repomd, 'utf8')).toMatch(/<data type="primary">/);
    const check = run('gpg', ['--verify', `${repomd}.asc`, repomd]);
    expect(check.output).toMatch(/Good signature from "Tessera packages/);
  });
});
