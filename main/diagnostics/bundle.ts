// The diagnostics bundle (Help → Save diagnostics…, `tessera --save-diagnostics <file>`): a zip an
// administrator can attach to a support case. Electron-free: the shell only asks where to save it.
// Every file passes through the one redactor (core/redact.ts) on its way in — logs are redacted when
// written already, but a bundle must not depend on that (an older version, a hand-edited file).
import type { KeychainStatus } from '../../common/session';
import { SETTINGS_TABLE, TABLE_KEYS } from '../core/config/settings-table';
import { redactedJson as json, redactText } from '../core/redact';
import type { SessionEvent } from '../core/session/session-events';
import type { EffectiveSettingsReport } from '../effective-settings';
import type { LogFileText } from '../logging/file-sink';
import { createZip, type ZipEntry } from './zip';

/** Everything a bundle is made of, gathered by `collect.ts` from the running app or from disk. */
export interface DiagnosticsInput {
  /** Epoch ms the bundle was made. */
  generatedAt: number;
  app: { name: string; version: string };
  /** `process.versions` (electron, chrome, node, v8, …). */
  versions: Readonly<Record<string, string | undefined>>;
  os: { platform: string; release: string; arch: string; version?: string; locale?: string };
  /** The keychain as the session last saw it; `checked: false` when no session ran (the CLI). */
  keychain: KeychainStatus | { checked: false; reason: string };
  settings: EffectiveSettingsReport;
  /** The last session changes, oldest first; null when the app was not running. */
  sessionEvents: SessionEvent[] | null;
  /** The process environment; only Tessera's and the proxy variables are kept. */
  env: Readonly<Record<string, string | undefined>>;
  /** The log history, newest file first. */
  logs: LogFileText[];
}

/** Environment variables a bundle keeps: the app's own settings and the proxy variables Chromium reads. */
function keptVariable(name: string): boolean {
  return name.startsWith('TESSERA_') || /^(?:https?|all|no|ftp)_proxy$/i.test(name);
}

/** A variable whose name says its value is a secret: its value is never copied, only that it is set. */
function secretVariable(name: string): boolean {
  return /pass|token|secret|cookie|auth|key|credential/i.test(name);
}

/** The kept environment, redacted. */
export function diagnosticsEnvironment(env: DiagnosticsInput['env']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(env).filter(keptVariable).sort()) {
    const value = env[name];
    if (value === undefined) continue;
    const shown = TABLE_KEYS.find((key) => SETTINGS_TABLE[key].env === name);
    const show = shown === undefined ? undefined : SETTINGS_TABLE[shown].shown;
    out[name] = secretVariable(name) ? '[redacted]' : show ? show(value) : redactText(value);
  }
  return out;
}

const README = (input: DiagnosticsInput) => `Tessera diagnostics bundle
Made ${new Date(input.generatedAt).toISOString()} by Tessera ${input.app.version}.

about.json               versions, operating system, keychain status
effective-settings.json  every setting, its value, where it came from, and every configuration problem
environment.json         TESSERA_* and proxy variables of the process
session-events.json      the last ${input.sessionEvents === null ? '' : `${input.sessionEvents.length} `}session changes (state, reason, errors; never a token)
logs/                    the newest log history (logHistoryMiB), newest file first

Every file went through Tessera's redactor: tokens, passwords, cookies, Authorization headers,
authorization codes in URLs and passwords in URLs are replaced by [redacted].
Nothing is sent anywhere: give this file to your administrator or support contact yourself.
`;

/** The bundle's files, each redacted. */
export function diagnosticsEntries(input: DiagnosticsInput): ZipEntry[] {
  const entries: ZipEntry[] = [
    { name: 'README.txt', data: redactText(README(input)) },
    {
      name: 'about.json',
      data: json({
        generatedAt: new Date(input.generatedAt).toISOString(),
        app: input.app,
        versions: input.versions,
        os: input.os,
        keychain: input.keychain,
      }),
    },
    { name: 'effective-settings.json', data: json(input.settings) },
    { name: 'environment.json', data: json(diagnosticsEnvironment(input.env)) },
    {
      name: 'session-events.json',
      data: json(
        input.sessionEvents === null
          ? { note: 'The app was not running when this bundle was made: no session events.' }
          : input.sessionEvents.map((event) => ({ ...event, at: new Date(event.time).toISOString() })),
      ),
    },
  ];
  for (const log of input.logs) entries.push({ name: `logs/${log.name}`, data: redactText(log.text) });
  return entries;
}

/** The bundle as zip bytes (the command line: no window to keep responsive). */
export function createDiagnosticsZip(input: DiagnosticsInput): Buffer {
  return createZip(diagnosticsEntries(input), new Date(input.generatedAt));
}

/** Yields to the event loop (the app's windows) between slices of work. */
const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `redactText` over a log in line-aligned slices, yielding between them: 10 MiB take about a second
 * or two, which must not freeze the app's main process. Every redaction pattern stays within a line,
 * so slicing at line ends gives exactly `redactText(text)`.
 */
export async function redactLogText(text: string, sliceChars = 256 * 1024): Promise<string> {
  const parts: string[] = [];
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', Math.min(text.length, start + sliceChars));
    const end = newline === -1 ? text.length : newline + 1;
    parts.push(redactText(text.slice(start, end)));
    start = end;
    await yieldNow();
  }
  return parts.join('');
}

/** The same bundle as createDiagnosticsZip, built without blocking the app (Help → Save Diagnostics…). */
export async function createDiagnosticsZipAsync(input: DiagnosticsInput): Promise<Buffer> {
  const entries = diagnosticsEntries({ ...input, logs: [] });
  for (const log of input.logs)
    entries.push({ name: `logs/${log.name}`, data: await redactLogText(log.text) });
  return createZip(entries, new Date(input.generatedAt));
}

/** The suggested file name: `tessera-diagnostics-2026-11-30T21-05-00Z.zip`. */
export function diagnosticsFileName(now: number): string {
  return `tessera-diagnostics-${new Date(now)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')}.zip`;
}
