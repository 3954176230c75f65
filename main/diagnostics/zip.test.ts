import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../test/support/unzip';
import { createZip } from './zip';

describe('createZip()', () => {
  const entries = [
    { name: 'README.txt', data: 'hello\n'.repeat(100) },
    { name: 'logs/tessera.log', data: 'x' },
    { name: 'données/é.json', data: new Uint8Array([0, 1, 2, 255]) },
  ];

  it('writes an archive that reads back byte for byte, deflated where it helps', () => {
    const zip = createZip(entries, new Date(2026, 10, 30, 12, 34, 56));
    const files = readZip(zip);
    expect(files.map((f) => f.name)).toEqual(entries.map((e) => e.name));
    expect(files[0]?.data.toString()).toBe('hello\n'.repeat(100));
    expect([...(files[2]?.data ?? [])]).toEqual([0, 1, 2, 255]);
    expect(zip.length).toBeLessThan(600);
  });

  it('is accepted by the unzip tool (required; installed by .ci/run), with names, dates and contents intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-zip-'));
    try {
      const file = join(dir, 'a.zip');
      writeFileSync(file, createZip(entries, new Date(2026, 10, 30, 12, 34, 56)));
      expect(execFileSync('unzip', ['-t', file]).toString()).toMatch(/No errors detected/);
      const listing = execFileSync('unzip', ['-l', file]).toString();
      expect(listing).toContain('2026-11-30 12:34');
      expect(listing).toContain('logs/tessera.log');
      expect(execFileSync('unzip', ['-p', file, 'README.txt']).toString()).toBe('hello\n'.repeat(100));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses names that would escape the folder or repeat', () => {
    expect(() => createZip([{ name: '../x', data: '' }])).toThrow(/bad or duplicate/);
    expect(() => createZip([{ name: '/etc/x', data: '' }])).toThrow(/bad or duplicate/);
    expect(() =>
      createZip([
        { name: 'a', data: '' },
        { name: 'a', data: '' },
      ]),
    ).toThrow(/bad or duplicate/);
  });
});
