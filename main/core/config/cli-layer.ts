import type { SettingKey } from '../../../common/settings';
import type { Layer } from './layers';
import {
  assignSetting,
  describeZodError,
  parseSettingText,
  SETTINGS_TABLE,
  TABLE_KEYS,
} from './settings-table';

/** Flag name → the setting it sets; booleans also get a `--no-…` form that means false. */
const FLAGS = new Map<string, { key: SettingKey; negated: boolean }>(
  TABLE_KEYS.flatMap((key) => {
    const row = SETTINGS_TABLE[key];
    const plain: [string, { key: SettingKey; negated: boolean }] = [row.cli, { key, negated: false }];
    if (row.text !== 'boolean') return [plain];
    return [plain, [`--no-${row.cli.slice(2)}`, { key, negated: true }]];
  }),
);

/** What a boolean flag's separate value may be (`--updates-enabled false`), as its `=` value is decoded. */
const BOOLEAN_WORD = /^(?:true|false|1|0)$/i;

/**
 * The command-line layer. Unknown arguments are skipped silently: Electron and Chromium pass their own.
 * `--flag value` and `--flag=value`; boolean flags as `--flag`, `--no-flag`, `--flag=false`, and
 * `--flag false` (a following true, false, 1 or 0 is the flag's value, never a stray argument: skipped,
 * it would turn `--updates-enabled false` into true). A repeated flag: the last valid one wins. Parsing
 * stops at `--`.
 */
export function readCliLayer(argv: readonly string[]): Layer {
  const layer: Layer = { values: {}, issues: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const match = FLAGS.get(flag);
    if (match === undefined) continue;
    const { key, negated } = match;
    const row = SETTINGS_TABLE[key];
    const issue = (reason: string) =>
      layer.issues.push({
        key,
        source: 'cli',
        message: `command-line flag ${flag}: ${key} ${reason}; ignored`,
      });

    let text: string;
    if (eq !== -1) {
      if (negated) {
        issue('takes no value');
        continue;
      }
      text = arg.slice(eq + 1);
    } else if (row.text === 'boolean') {
      const next = argv[i + 1];
      if (next !== undefined && BOOLEAN_WORD.test(next)) {
        i++;
        if (negated) {
          issue(`takes no value (${next}); write ${flag} or --${flag.slice(5)}=${next}`);
          continue;
        }
        text = next;
      } else text = negated ? 'false' : 'true';
    } else {
      const next = argv[i + 1];
      // A following flag is not this flag's value: `--api-url --theme dark` is a missing URL.
      if (next === undefined || next.startsWith('--')) {
        issue('needs a value');
        continue;
      }
      text = next;
      i++;
    }
    const parsed = parseSettingText(key, text);
    if (parsed.success) assignSetting(layer.values, key, parsed.data);
    else issue(describeZodError(parsed.error));
  }
  return layer;
}
