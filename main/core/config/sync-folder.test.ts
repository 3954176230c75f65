// The folder flush after a rename, on a real file system: node:fs and node:fs/promises are the real
// modules with their open, fsync, rename and link watched (and a folder's fsync made to fail when a test
// says so), so the order of the real calls is what is checked.
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../server/db';
import { openKeyStore } from '../../../server/key-file';
import { keepBadCopy } from './keep-copy';
import { syncFolder, syncFolderSync } from './sync-folder';
import { writeFileAtomic, writeFileAtomicSync } from './write-file-atomic';

const watch = vi.hoisted(() => ({
  /** What happened, in order: `rename <to>`, `link <to>`, `fsync <path>` (the path the fd was opened on). */
  events: [] as string[],
  /** A folder's fsync throws this code when set. */
  folderSyncError: undefined as string | undefined,
  isFolder: (_path: string): boolean => false,
}));

const folderSyncFailure = () =>
  Object.assign(new Error(`${watch.folderSyncError}: fsync`), { code: watch.folderSyncError });

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const opened = new Map<number, string>();
  return {
    ...fs,
    openSync: (path: string, ...rest: [never]) => {
      const fd = fs.openSync(path, ...rest);
      opened.set(fd, String(path));
      return fd;
    },
    closeSync: (fd: number) => {
      opened.delete(fd);
      fs.closeSync(fd);
    },
    fsyncSync: (fd: number) => {
      const path = opened.get(fd) ?? '?';
      watch.events.push(`fsync ${path}`);
      if (watch.folderSyncError && watch.isFolder(path)) throw folderSyncFailure();
      fs.fsyncSync(fd);
    },
    renameSync: (from: string, to: string) => {
      fs.renameSync(from, to);
      watch.events.push(`rename ${to}`);
    },
    linkSync: (from: string, to: string) => {
      fs.linkSync(from, to);
      watch.events.push(`link ${to}`);
    },
  };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fs,
    open: async (path: string, ...rest: [never]) => {
      const handle = await fs.open(path, ...rest);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        watch.events.push(`fsync ${path}`);
        if (watch.folderSyncError && watch.isFolder(path)) throw folderSyncFailure();
        return sync();
      };
      return handle;
    },
    rename: async (from: string, to: string) => {
      await fs.rename(from, to);
      watch.events.push(`rename ${to}`);
    },
  };
});

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-sync-folder-'));
  watch.events = [];
  watch.folderSyncError = undefined;
  watch.isFolder = (path) => path === dir;
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The events from the first that starts with `prefix` on (the temp file's fsync comes before it). */
const fromFirst = (prefix: string) =>
  watch.events.slice(watch.events.findIndex((event) => event.startsWith(prefix)));

describe('syncFolderSync() / syncFolder()', () => {
  it('flushes a real folder (POSIX)', async () => {
    expect(syncFolderSync(dir, 'linux')).toBe(true);
    expect(await syncFolder(dir, 'darwin')).toBe(true);
    expect(watch.events).toEqual([`fsync ${dir}`, `fsync ${dir}`]);
  });

  it('opens nothing on Windows, where a folder cannot be opened and NTFS needs no folder flush', async () => {
    expect(syncFolderSync(dir, 'win32')).toBe(false);
    expect(await syncFolder(dir, 'win32')).toBe(false);
    expect(watch.events).toEqual([]);
  });

  it('answers false, never throws, when the folder cannot be opened or flushed', async () => {
    expect(syncFolderSync(join(dir, 'gone'), 'linux')).toBe(false);
    expect(await syncFolder(join(dir, 'gone'), 'linux')).toBe(false);
    watch.folderSyncError = 'EINVAL';
    expect(syncFolderSync(dir, 'linux')).toBe(false);
    expect(await syncFolder(dir, 'linux')).toBe(false);
  });
});

describe.skipIf(process.platform === 'win32')('the atomic writers flush the folder after the rename', () => {
  const target = () => join(dir, 'settings.json');

  it('writeFileAtomicSync: the file, then the rename, then the folder', () => {
    writeFileSync(target(), 'old');
    writeFileAtomicSync(target(), 'new');
    expect(readFileSync(target(), 'utf8')).toBe('new');
    expect(watch.events).toHaveLength(3);
    expect(watch.events[0]).toMatch(/^fsync .*settings\.json\.\d+\.[0-9a-f]+\.tmp$/);
    expect(watch.events.slice(1)).toEqual([`rename ${target()}`, `fsync ${dir}`]);
  });

  it('writeFileAtomic: the file, then the rename, then the folder', async () => {
    await writeFileAtomic(target(), 'new');
    expect(readFileSync(target(), 'utf8')).toBe('new');
    expect(watch.events).toHaveLength(3);
    expect(watch.events[0]).toMatch(/^fsync .*settings\.json\.\d+\.[0-9a-f]+\.tmp$/);
    expect(watch.events.slice(1)).toEqual([`rename ${target()}`, `fsync ${dir}`]);
  });

  it('on a first write, also flushes every folder it created, each in its parent', async () => {
    const deep = join(dir, 'a', 'b');
    watch.isFolder = () => false;
    writeFileAtomicSync(join(deep, 'settings.json'), 'sync');
    expect(fromFirst('rename')).toEqual([
      `rename ${join(deep, 'settings.json')}`,
      `fsync ${deep}`,
      `fsync ${join(dir, 'a')}`,
      `fsync ${dir}`,
    ]);
    watch.events = [];
    const deeper = join(dir, 'c', 'd');
    await writeFileAtomic(join(deeper, 'settings.json'), 'async');
    expect(fromFirst('rename')).toEqual([
      `rename ${join(deeper, 'settings.json')}`,
      `fsync ${deeper}`,
      `fsync ${join(dir, 'c')}`,
      `fsync ${dir}`,
    ]);
    // An existing folder: only it.
    watch.events = [];
    await writeFileAtomic(join(deeper, 'settings.json'), 'again');
    expect(fromFirst('rename')).toEqual([`rename ${join(deeper, 'settings.json')}`, `fsync ${deeper}`]);
  });

  it('the folder flushed is that of the file a followed link names', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'tessera-sync-folder-target-'));
    try {
      symlinkSync(join(elsewhere, 'real.json'), target());
      await writeFileAtomic(target(), 'new', { followLink: true });
      expect(fromFirst('rename')).toEqual([`rename ${join(elsewhere, 'real.json')}`, `fsync ${elsewhere}`]);
      expect(readFileSync(target(), 'utf8')).toBe('new');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('a failed folder flush does not fail a write that is in place, and leaves no temp file', async () => {
    watch.folderSyncError = 'EIO';
    writeFileSync(target(), 'old');
    writeFileAtomicSync(target(), 'sync');
    expect(readFileSync(target(), 'utf8')).toBe('sync');
    await expect(writeFileAtomic(target(), 'async')).resolves.toBeUndefined();
    expect(readFileSync(target(), 'utf8')).toBe('async');
    expect(watch.events.filter((event) => event === `fsync ${dir}`)).toHaveLength(2);
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(statSync(target()).mode & 0o777).toBe(0o600);
  });

  it('flush: false (a hint file) skips the folder flush with the file one', () => {
    writeFileAtomicSync(target(), 'hint', { flush: false });
    expect(readFileSync(target(), 'utf8')).toBe('hint');
    expect(watch.events).toEqual([`rename ${target()}`]);
  });
});

describe.skipIf(process.platform === 'win32')('the other writers that rename into place', () => {
  it("the reference server's key file: flushed after the link that creates it and the rename that updates it", () => {
    const keyFile = join(dir, 'server.db.keys.json');
    const store = openKeyStore(openDatabase(':memory:'), keyFile);
    store.add('hs256-secret', 'first');
    expect(fromFirst('link')).toEqual([`link ${keyFile}`, `fsync ${dir}`]);
    watch.events = [];
    store.add('rs256-private-key', 'second');
    expect(fromFirst('rename')).toEqual([`rename ${keyFile}`, `fsync ${dir}`]);
    expect(JSON.parse(readFileSync(keyFile, 'utf8'))).toEqual({
      'hs256-secret': 'first',
      'rs256-private-key': 'second',
    });
  });

  it('a kept bad copy is flushed, with its folder, before the caller replaces the file', () => {
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{"theme": 1');
    const name = keepBadCopy(file) as string;
    expect(watch.events).toEqual([`fsync ${join(dir, name)}`, `fsync ${dir}`]);
    expect(readFileSync(join(dir, name), 'utf8')).toBe('{"theme": 1');
  });
});
