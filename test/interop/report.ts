// What the interop run proves, per backend: recorded by the tests into test/interop/results.json
// (with TESSERA_INTEROP_RECORD=1) and rendered into docs/backends.md by `npm run docs:backends`.
import { readFileSync, writeFileSync } from 'node:fs';
import type { ApiProfile } from '../../common/auth-contract';

/** The steps of the walk through the app path, in the order they run. */
export const WALK_STEPS = [
  'sign-in',
  'protected call',
  'proactive refresh',
  'rotation persisted',
  'retry after an expired-token 401',
  'restart stays signed in',
  'sign-out revokes on the server',
] as const;

export type WalkStep = (typeof WALK_STEPS)[number];

/** One backend's line of the table. */
export interface BackendResult {
  /** Stable key, one per test file. */
  id: string;
  backend: string;
  /** The versions that ran, as found at run time. */
  versions: string;
  preset: ApiProfile;
  /** `real server` (started by the test) or `documented answers` (no server). */
  tested: 'real server' | 'documented answers';
  /** What passed: the walk's steps, and anything else the file checks. */
  works: string[];
}

/** The backends the interop suite covers, by id: the results must list exactly these. */
export const INTEROP_BACKENDS = [
  'simplejwt',
  'directus',
  'oauth2-password',
  'supabase',
  'pocketbase',
] as const;

export const RESULTS_FILE = new URL('./results.json', import.meta.url);

/** The recorded results, in INTEROP_BACKENDS order. */
export function readResults(): BackendResult[] {
  return JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as BackendResult[];
}

/** Collects one file's result and, when recording, writes it into results.json at the end. */
export function createRecorder(result: Omit<BackendResult, 'works'>) {
  const works: string[] = [];
  return {
    /** Marks a step as proven (call it as the step's last line, after its assertions). */
    passed(step: string): void {
      if (!works.includes(step)) works.push(step);
    },
    versions(versions: string): void {
      result.versions = versions;
    },
    /** Writes this backend's line when TESSERA_INTEROP_RECORD=1 (the files run one at a time). */
    save(): void {
      if (process.env.TESSERA_INTEROP_RECORD !== '1') return;
      let all: BackendResult[] = [];
      try {
        all = readResults();
      } catch {
        all = [];
      }
      const line: BackendResult = { ...result, works: [...works] };
      const others = all.filter((entry) => entry.id !== line.id);
      const order = (id: string) => (INTEROP_BACKENDS as readonly string[]).indexOf(id);
      const next = [...others, line].sort((a, b) => order(a.id) - order(b.id));
      writeFileSync(RESULTS_FILE, `${JSON.stringify(next, null, 2)}\n`);
    },
  };
}
