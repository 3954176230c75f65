// Writes the Group Policy templates (ADMX, ADML per language) and the example macOS configuration
// profile to build/policies/ from the settings table (`npm run docs:policies`), so the OS policy schema
// cannot drift from the code; test/docs/policy-templates.test.ts fails when they have.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderPolicyTemplates } from '../main/core/config';

/** Where the generated files live, relative to the repository root. */
export const POLICY_DIR = 'build/policies';

if (process.argv[1]?.endsWith('policy-templates.ts')) {
  const root = new URL('..', import.meta.url).pathname;
  for (const [path, text] of Object.entries(renderPolicyTemplates())) {
    const file = join(root, POLICY_DIR, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`${POLICY_DIR}/${path} written`);
  }
}
