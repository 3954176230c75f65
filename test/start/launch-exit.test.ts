// scripts/launch-exit.mjs: the exit status and the advice `npm start` gives when the app ends.
import { describe, expect, it } from 'vitest';
import { exitStatus, type LaunchFailure, launchFailureHelp } from '../../scripts/launch-exit.mjs';

const ROOT_LINE =
  '[1:FATAL:zygote_host_impl_linux.cc(127)] Running as root without --no-sandbox is not supported. See https://crbug.com/638180.';
const SUID_LINE =
  "[1:FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make sure that /repo/node_modules/electron/dist/chrome-sandbox is owned by root and has mode 4755.";

const crashed: LaunchFailure = {
  status: 133,
  stderr: '',
  electronPath: '/repo/node_modules/electron/dist/electron',
  platform: 'linux',
  userNamespacesRestricted: false,
  signal: 'SIGTRAP',
};

describe('exitStatus()', () => {
  it('is the exit code when there is one', () => {
    expect(exitStatus(0, null)).toBe(0);
    expect(exitStatus(3, null)).toBe(3);
  });

  it('is 128 + the signal number for a crash, never 0', () => {
    expect(exitStatus(null, 'SIGTRAP')).toBe(133);
    expect(exitStatus(null, 'SIGABRT')).toBe(134);
    expect(exitStatus(null, 'SIGKILL')).toBe(137);
    expect(exitStatus(null, 'SIGSEGV')).toBe(139);
  });

  it('is 1 when the signal has no number here, or nothing is known', () => {
    expect(exitStatus(null, 'SIGBREAK', {})).toBe(1);
    expect(exitStatus(null, null)).toBe(1);
  });
});

describe('launchFailureHelp()', () => {
  it('says nothing after a clean exit', () => {
    expect(launchFailureHelp({ ...crashed, status: 0, signal: null })).toBeNull();
  });

  it('explains the root refusal: run as a user; --no-sandbox only knowingly, never added by start', () => {
    const help = launchFailureHelp({ ...crashed, stderr: `noise\n${ROOT_LINE}\n` });
    expect(help).toContain('the app ended with SIGTRAP (exit status 133)');
    expect(help).toContain('Run `npm start` as an ordinary user');
    expect(help).toContain('npm start -- --no-sandbox');
  });

  it('explains the AppArmor user-namespace restriction with the sysctl, the profile and the setuid fix', () => {
    const help = launchFailureHelp({ ...crashed, stderr: SUID_LINE, userNamespacesRestricted: true }) ?? '';
    expect(help).toContain('kernel.apparmor_restrict_unprivileged_userns = 1');
    expect(help).toContain('sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0');
    expect(help).toContain('profile tessera-dev-electron "/repo/node_modules/electron/dist/electron"');
    expect(help).toContain('userns,');
    expect(help).toContain('sudo apparmor_parser -r /etc/apparmor.d/tessera-dev-electron');
    expect(help).toContain('sudo chmod 4755 "/repo/node_modules/electron/dist/chrome-sandbox"');
  });

  it('does not blame AppArmor where the sysctl is not set, but still gives the fixes', () => {
    const help = launchFailureHelp({ ...crashed, stderr: 'No usable sandbox! Update your kernel' }) ?? '';
    expect(help).not.toContain('= 1');
    expect(help).toContain('apparmor_parser');
  });

  it('reports any other failure with its code, without advice that does not apply', () => {
    expect(launchFailureHelp({ ...crashed, status: 3, signal: null, stderr: 'Error: boom' })).toBe(
      'start: the app ended with code 3 (exit status 3).',
    );
    expect(launchFailureHelp({ ...crashed, platform: 'darwin', stderr: ROOT_LINE })).toBe(
      'start: the app ended with SIGTRAP (exit status 133).',
    );
  });
});
