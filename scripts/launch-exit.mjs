// How `npm start` reports the app's end (scripts/start.mjs): an exit status that never reads a crash
// as success, and, for the two failures a first launch on Linux commonly meets — running as root, and
// Ubuntu's AppArmor restriction of user namespaces — what happened and how to fix it.
import { constants } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The status to exit with: the app's own exit code, else 128 + the number of the signal that ended it
 * (as shells report it: SIGTRAP, Chromium's way of dying on a FATAL check, is 133), else 1.
 * @param {number | null} code
 * @param {NodeJS.Signals | null} signal
 * @param {Readonly<Record<string, number>>} [signals]
 */
export function exitStatus(code, signal, signals = constants.signals) {
  if (code !== null && code !== undefined) return code;
  const number = signal ? signals[signal] : undefined;
  return typeof number === 'number' ? 128 + number : 1;
}

const ROOT_REFUSAL = /Running as root without --no-sandbox is not supported/;
const SANDBOX_FAILURE =
  /SUID sandbox helper binary was found, but is not configured correctly|No usable sandbox!|Failed to move to new namespace|setuid_sandbox_host/;

/**
 * What to tell the developer after the app ended with `status` (null: nothing to add).
 * @param {{
 *   status: number,
 *   stderr: string,
 *   electronPath: string,
 *   platform: NodeJS.Platform,
 *   userNamespacesRestricted: boolean,
 *   signal: NodeJS.Signals | null,
 * }} failure
 * @returns {string | null}
 */
export function launchFailureHelp(failure) {
  if (failure.status === 0) return null;
  const ended = `start: the app ended ${failure.signal ? `with ${failure.signal}` : `with code ${failure.status}`} (exit status ${failure.status}).`;
  if (failure.platform === 'linux' && SANDBOX_FAILURE.test(failure.stderr)) {
    const sandbox = join(dirname(failure.electronPath), 'chrome-sandbox');
    return [
      ended,
      "Chromium's sandbox could not start: this system does not let programs create user namespaces" +
        (failure.userNamespacesRestricted
          ? ' (kernel.apparmor_restrict_unprivileged_userns = 1: Ubuntu 23.10 and later restrict them with AppArmor)'
          : '') +
        ', and the setuid helper next to Electron is not set up. Fix one of:',
      `  - give Electron an AppArmor profile (lasting): write /etc/apparmor.d/tessera-dev-electron with`,
      '      abi <abi/4.0>,',
      '      include <tunables/global>',
      `      profile tessera-dev-electron "${failure.electronPath}" flags=(unconfined) {`,
      '        userns,',
      '        include if exists <local/tessera-dev-electron>',
      '      }',
      '    then run: sudo apparmor_parser -r /etc/apparmor.d/tessera-dev-electron',
      '  - or, until the next reboot: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0',
      `  - or set up the setuid helper: sudo chown root:root "${sandbox}" && sudo chmod 4755 "${sandbox}"`,
    ].join('\n');
  }
  if (failure.platform === 'linux' && ROOT_REFUSAL.test(failure.stderr)) {
    return [
      ended,
      'Electron (Chromium) refuses to start as root with its sandbox on ("Running as root without ' +
        '--no-sandbox is not supported"). Run `npm start` as an ordinary user.',
      "npm start does not add --no-sandbox for you: it turns the sandbox off for every page, the app's " +
        'own included. Only in a throw-away container, knowingly: npm start -- --no-sandbox',
      '(The e2e electron host adds it as root, for its tests in containers.)',
    ].join('\n');
  }
  return ended;
}
