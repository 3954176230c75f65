import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SETTING_KEYS, type SettingKey } from '../../common/settings';
import { policyLayers, readPolicyFile } from '../../main/core/config/layers';
import {
  MANAGED_PREFERENCES_DOMAIN,
  managedPreferencesSource,
  REGISTRY_POLICY_KEY,
} from '../../main/core/config/os-policy';
import { POLICY_CATEGORY_OF, POLICY_LANGUAGES } from '../../main/core/config/policy-strings';
import {
  categoryId,
  exampleValue,
  policyShape,
  renderPolicyTemplates,
} from '../../main/core/config/policy-templates';
import { parseSetting } from '../../main/core/config/settings-table';
import { POLICY_DIR } from '../../scripts/policy-templates';
import { childElements, descendants, parsePlist, parseXmlStrict, toPlistXml } from '../support/xml';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = join(ROOT, POLICY_DIR);
const read = (path: string) => readFileSync(join(DIR, path), 'utf8');

/** Writes `text` to a new file in a fresh temporary folder. */
function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tessera-doc-policy-')), name);
  writeFileSync(path, text);
  return path;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(DIR, path).split('\\').join('/')];
  });
}

describe(`${POLICY_DIR}/`, () => {
  const generated = renderPolicyTemplates();

  it('holds exactly the generated files, up to date (npm run docs:policies rewrites them)', () => {
    expect(filesUnder(DIR).sort()).toEqual(Object.keys(generated).sort());
    for (const [path, text] of Object.entries(generated)) expect(read(path), path).toBe(text);
  });

  it.each(Object.keys(generated))('%s is well-formed XML', (path) => {
    expect(() => parseXmlStrict(read(path))).not.toThrow();
  });
});

describe('tessera.admx', () => {
  const admx = parseXmlStrict(read('tessera.admx'));
  const policies = new Map(
    descendants(admx, 'policy').map((policy) => [policy.getAttribute('name'), policy]),
  );

  it('has one policy per setting, machine and user, under Software\\Policies\\Tessera, in its category', () => {
    expect([...policies.keys()]).toEqual(SETTING_KEYS);
    for (const [name, policy] of policies) {
      expect(policy.getAttribute('class'), name ?? '').toBe('Both');
      expect(policy.getAttribute('key')).toBe(REGISTRY_POLICY_KEY);
      expect(childElements(policy, 'parentCategory')[0]?.getAttribute('ref')).toBe(
        categoryId(POLICY_CATEGORY_OF[name as SettingKey]),
      );
    }
  });

  // Written out here: what an administrator looks for under each category title.
  it('groups the policies under titles that say what they hold', () => {
    const byCategory: Record<string, string[]> = {};
    for (const [name, policy] of policies) {
      const ref = childElements(policy, 'parentCategory')[0]?.getAttribute('ref') ?? '';
      byCategory[ref] = [...(byCategory[ref] ?? []), name ?? ''];
    }
    const titles = new Map(
      descendants(parseXmlStrict(read('en-US/tessera.adml')), 'string').map((string) => [
        string.getAttribute('id'),
        string.textContent,
      ]),
    );
    const titled = Object.fromEntries(
      Object.entries(byCategory).map(([id, names]) => [titles.get(id) ?? id, names.sort()]),
    );
    expect(titled).toEqual({
      'Connection and sign-in': [
        'apiBaseUrl',
        'apiProfile',
        'authContract',
        'authMode',
        'loginPath',
        'logoutPath',
        'mePath',
        'oidcAudience',
        'oidcClientId',
        'oidcIssuer',
        'oidcProviderName',
        'oidcScopes',
        'refreshPath',
      ],
      Accounts: ['allowedApiOrigins', 'maxAccounts'],
      Network: ['proxyBypassList', 'proxyPacUrl', 'proxyServer', 'requestTimeoutMs'],
      Logging: ['logHistoryMiB', 'logLevel'],
      Updates: ['updateChannel', 'updateUrl', 'updatesEnabled'],
      Preferences: ['locale', 'staySignedIn', 'theme'],
    });
  });

  it.each(SETTING_KEYS)(
    '%s has the type, range and choices of its settings-table row, as value %s',
    (key) => {
      const policy = policies.get(key) as Element;
      const shape = policyShape(key);
      const elements = descendants(policy, 'elements')[0];
      if (shape.kind === 'boolean') {
        expect(policy.getAttribute('valueName')).toBe(key);
        expect(
          descendants(policy, 'enabledValue')[0]?.getElementsByTagName('decimal')[0]?.getAttribute('value'),
        ).toBe('1');
        expect(
          descendants(policy, 'disabledValue')[0]?.getElementsByTagName('decimal')[0]?.getAttribute('value'),
        ).toBe('0');
        expect(elements).toBeUndefined();
        return;
      }
      const [element, ...others] = childElements(elements as Element);
      expect(others).toEqual([]);
      expect(element?.getAttribute('valueName')).toBe(key);
      if (shape.kind === 'integer') {
        expect(element?.localName).toBe('decimal');
        expect([element?.getAttribute('minValue'), element?.getAttribute('maxValue')]).toEqual([
          String(shape.min),
          String(shape.max),
        ]);
      } else if (shape.kind === 'enum') {
        expect(element?.localName).toBe('enum');
        const values = descendants(element as Element, 'string').map((value) => value.textContent);
        expect(values).toEqual([...shape.options]);
      } else {
        expect(element?.localName).toBe('text');
        expect(element?.getAttribute('maxLength')).toBe(String(shape.maxLength));
      }
    },
  );

  // The editor's text box stops at maxLength (a pasted value is cut there): it must take every value
  // the app accepts, and no value the app refuses only for its length.
  it('lets each text box hold exactly as much as the app accepts', () => {
    const maxLength = (key: SettingKey) =>
      Number(descendants(policies.get(key) as Element, 'text')[0]?.getAttribute('maxLength'));
    const hosts = Array.from({ length: 160 }, (_, i) => `*.branch-${i}.corp.example`);
    const bypass = `<local>,10.0.0.0/8,${hosts.join(',')}`;
    expect(bypass.length).toBeGreaterThan(3000);
    expect(parseSetting('proxyBypassList', bypass).success).toBe(true);
    expect(bypass.length).toBeLessThanOrEqual(maxLength('proxyBypassList'));
    const origins = Array.from({ length: 90 }, (_, i) => `https://api-${i}.region.corp.example`).join(' ');
    expect(parseSetting('allowedApiOrigins', origins).success).toBe(true);
    expect(origins.length).toBeLessThanOrEqual(maxLength('allowedApiOrigins'));
    for (const key of ['oidcProviderName', 'oidcClientId', 'loginPath', 'updateChannel'] as const) {
      const tooLong = key === 'loginPath' ? `/${'a'.repeat(maxLength(key))}` : 'a'.repeat(maxLength(key) + 1);
      expect(parseSetting(key, tooLong).success, key).toBe(false);
      expect(parseSetting(key, tooLong.slice(0, maxLength(key))).success, key).toBe(true);
    }
  });

  it.each(POLICY_LANGUAGES)(
    'is fully localised in %s: every string and presentation it names exists there',
    (language) => {
      const adml = parseXmlStrict(read(`${language}/tessera.adml`));
      const strings = new Map(
        descendants(adml, 'string').map((string) => [string.getAttribute('id'), string.textContent ?? '']),
      );
      const presentations = new Map(
        descendants(adml, 'presentation').map((presentation) => [
          presentation.getAttribute('id'),
          presentation,
        ]),
      );
      const text = read('tessera.admx');
      for (const [, id] of text.matchAll(/\$\(string\.([^)]+)\)/g))
        expect(strings.get(id ?? '') ?? '', id).not.toBe('');
      for (const [, id] of text.matchAll(/\$\(presentation\.([^)]+)\)/g)) {
        const presentation = presentations.get(id ?? '');
        expect(presentation, id).toBeDefined();
        // Each control of the presentation points at the element of the same id in the policy.
        const refs = childElements(presentation as Element).map((control) => control.getAttribute('refId'));
        expect(refs).toEqual([id]);
      }
    },
  );

  // Group Policy deletes the value of a policy with elements when it is set to Disabled; only an on/off
  // policy writes 0. An administrator who disables "Update feed URL" must read that it unlocks it.
  it.each(POLICY_LANGUAGES)(
    'says in %s what Disabled does, for on/off policies and for the others',
    (language) => {
      const explain = descendants(parseXmlStrict(read(`${language}/tessera.adml`)), 'string').find(
        (string) => string.getAttribute('id') === 'updateUrl_Explain',
      )?.textContent;
      expect(explain).toContain(
        language === 'en-US'
          ? 'for any other policy, Disabled removes the value, like Not Configured'
          : '그 밖의 정책에서 사용 안 함은 값을 지우므로 구성되지 않음과 같습니다',
      );
      const updateUrl = policies.get('updateUrl') as Element;
      expect(descendants(updateUrl, 'disabledValue')).toEqual([]);
      expect(descendants(updateUrl, 'disabledList')).toEqual([]);
    },
  );

  // The IT guide sends administrators to a policy by its path in the editor (section 5: updates).
  it('has every policy the IT guide names by its editor path, under that category', () => {
    const guide = readFileSync(join(ROOT, 'docs/it-guide.md'), 'utf8');
    const titles = new Map(
      descendants(parseXmlStrict(read('en-US/tessera.adml')), 'string').map((string) => [
        string.textContent,
        string.getAttribute('id'),
      ]),
    );
    const named = [...guide.matchAll(/\*\*Tessera → ([^*→]+) → ([^*]+)\*\*(?:, \*\*([^*]+)\*\*)*/g)];
    expect(named.length).toBeGreaterThan(0);
    for (const [text, category, ...rest] of named) {
      const categoryId = titles.get(category ?? '');
      expect(categoryId, text).toMatch(/^Tessera_/);
      for (const title of rest.filter((title) => title !== undefined)) {
        const policy = policies.get(titles.get(title) ?? '');
        expect(policy, `${text}: ${title}`).toBeDefined();
        expect(childElements(policy as Element, 'parentCategory')[0]?.getAttribute('ref')).toBe(categoryId);
      }
    }
  });

  it('says every setting in Korean in the ko-KR file (titles and explanations differ from en-US)', () => {
    const strings = (language: string) =>
      new Map(
        descendants(parseXmlStrict(read(`${language}/tessera.adml`)), 'string').map((string) => [
          string.getAttribute('id'),
          string.textContent ?? '',
        ]),
      );
    const en = strings('en-US');
    const ko = strings('ko-KR');
    for (const key of SETTING_KEYS)
      for (const id of [key, `${key}_Explain`]) {
        expect(ko.get(id), id).not.toBe(en.get(id));
        expect(ko.get(id), id).toMatch(/[\uAC00-\uD7A3]/);
      }
  });
});

describe('tessera.mobileconfig', () => {
  const profile = parsePlist(read('tessera.mobileconfig')) as Record<string, unknown>;
  const [payload, ...others] = profile.PayloadContent as Record<string, unknown>[];

  it("is a configuration profile with one payload of the app's preference domain (electron-builder's appId)", () => {
    const appId = /^appId:\s*(\S+)\s*$/m.exec(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'))?.[1];
    expect(MANAGED_PREFERENCES_DOMAIN).toBe(appId);
    expect(profile).toMatchObject({
      PayloadType: 'Configuration',
      PayloadVersion: 1,
      PayloadScope: 'System',
    });
    expect(others).toEqual([]);
    expect(payload).toMatchObject({ PayloadType: appId, PayloadVersion: 1, PayloadEnabled: true });
    expect(profile.PayloadUUID).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });

  it('has every setting, and the app reads each back as valid managed preferences', () => {
    const settings = Object.keys(payload ?? {}).filter((key) => !key.startsWith('Payload'));
    expect(settings).toEqual(SETTING_KEYS);
    // The profile as macOS would install it, read by the app's own managed-preferences source
    // (plutil and the file owner are stand-ins: no Mac here) and validated by the shared rules.
    const source = managedPreferencesSource({
      user: 'ana',
      stat: (path) => {
        if (path.endsWith(`Managed Preferences/${MANAGED_PREFERENCES_DOMAIN}.plist`))
          return { uid: 0, mode: 0o100644 };
        throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      },
      toXml: () => ({ ok: true, xml: toPlistXml(payload) }),
    });
    const read = source.read();
    const layers = policyLayers(read, { managed: 'policyOs', issues: 'policyOs', label: () => read.name });
    expect([...read.problems, ...layers.fileIssues, ...layers.managed.issues]).toEqual([]);
    for (const key of SETTING_KEYS) expect(layers.managed.values[key], key).toEqual(parseValue(key));
  });
});

/** What the app makes of a key's example value (the schema normalises, e.g. authContract {} stays {}). */
function parseValue(key: SettingKey): unknown {
  return exampleValue(key);
}

describe('docs/it-guide.md, "Complete example" of the policy file', () => {
  const guide = readFileSync(join(ROOT, 'docs/it-guide.md'), 'utf8');
  const start = guide.indexOf('Complete example');
  const block = /```json\n([\s\S]*?)\n```/.exec(guide.slice(start))?.[1] ?? '';

  // The Ansible play of "Linux: the policy file": the file lands root-owned, 0644, and its validate
  // command (run by Ansible on the temporary copy before the rename) takes the example and refuses a
  // broken file, so a typo never replaces the policy in force.
  it.skipIf(spawnSync('python3', ['--version']).error !== undefined)(
    'is what the Ansible play installs, root-owned 0644, validated before it replaces the old one (skipped without python3)',
    () => {
      const play = /```yaml\n([\s\S]*?)\n```/.exec(guide.slice(guide.indexOf('With Ansible')))?.[1] ?? '';
      const task = play.slice(play.indexOf('dest: /etc/tessera/policy.json'));
      expect(task).toMatch(/owner: root\n\s+group: root\n\s+mode: "0644"\n\s+validate: (.+%s)$/);
      const validate = /validate: (.+)$/.exec(task)?.[1] ?? '';
      const run = (text: string) => {
        const path = writeTemp('policy.json', text);
        const [command = '', ...args] = validate.replace('%s', path).split(' ');
        const status = spawnSync(command, args).status;
        rmSync(dirname(path), { recursive: true });
        return status;
      };
      expect(run(block)).toBe(0);
      expect(run('{ "managed": { "theme": "dark", } }')).not.toBe(0);
    },
  );

  it('names every setting once, and the app reads it without a problem', () => {
    const policy = JSON.parse(block) as { managed: object; defaults: object };
    const keys = [...Object.keys(policy.managed), ...Object.keys(policy.defaults)];
    expect(keys.sort()).toEqual([...SETTING_KEYS].sort());
    const path = writeTemp('policy.json', block);
    const layers = readPolicyFile(path);
    rmSync(dirname(path), { recursive: true });
    expect([...layers.fileIssues, ...layers.managed.issues, ...layers.defaults.issues]).toEqual([]);
  });
});
