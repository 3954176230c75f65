import type { SessionState } from '../../../common/session';
import type * as transitions from './transitions';

/** The name of a transition in transitions.ts. */
export type TransitionName = keyof typeof transitions;

/** One row of the transition table: which states it leaves from and where it leads. */
export interface TransitionRow {
  readonly name: TransitionName;
  /** What happened, in the words of the README's diagram. */
  readonly when: string;
  /** `[from, to]` pairs; empty for transitions that change the model but never the state. */
  readonly edges: readonly (readonly [SessionState, SessionState])[];
}

const ALL: readonly SessionState[] = ['signedOut', 'signingIn', 'active', 'refreshing'];
const toEach = (to: SessionState, from: readonly SessionState[] = ALL) =>
  from.map((state) => [state, to] as const);

/**
 * Every transition of the session, in one table: the unit tests check each function against its
 * row, and `docs/architecture.md`'s state diagram is generated from it (`npm run docs:session`).
 */
export const TRANSITION_TABLE: readonly TransitionRow[] = [
  {
    name: 'restoreStarted',
    when: 'start-up finds "stay signed in" on, or the keychain is read again',
    edges: [['signedOut', 'signingIn']],
  },
  {
    name: 'restoreFoundNothing',
    when: 'no stored token (or keychain unreadable)',
    edges: [['signingIn', 'signedOut']],
  },
  { name: 'storedTokenLoaded', when: 'a stored refresh token was read', edges: [] },
  { name: 'signInStarted', when: 'the person signs in', edges: toEach('signingIn') },
  { name: 'signInFailed', when: 'sign-in refused or failed', edges: [['signingIn', 'signedOut']] },
  { name: 'signInGranted', when: 'sign-in answered with tokens', edges: [] },
  { name: 'profileLoaded', when: 'the profile arrived', edges: [] },
  {
    name: 'sessionActivated',
    when: 'signed in, restored or refreshed',
    edges: toEach('active', ['signingIn', 'signedOut', 'refreshing']),
  },
  { name: 'signInCancelled', when: 'browser sign-in cancelled', edges: [['signingIn', 'signedOut']] },
  { name: 'refreshStarted', when: 'refresh due, forced or rechecked', edges: [['active', 'refreshing']] },
  { name: 'refreshSucceeded', when: 'refresh answered with tokens', edges: [] },
  {
    name: 'refreshFailedTransiently',
    when: 'offline, 5xx or 429: retry with backoff',
    edges: [
      ['refreshing', 'active'],
      ['signingIn', 'signedOut'],
      ['signedOut', 'signedOut'],
    ],
  },
  {
    name: 'refreshGaveUp',
    when: 'refresh request refused for minutes: token kept, retried every 10 min',
    edges: [
      ['refreshing', 'signedOut'],
      ['signingIn', 'signedOut'],
      ['signedOut', 'signedOut'],
    ],
  },
  {
    name: 'refreshRefused',
    when: 'refresh token refused (reused, expired, invalid, account suspended)',
    edges: toEach('signedOut', ['refreshing', 'signingIn', 'signedOut']),
  },
  { name: 'refreshScheduled', when: 'next refresh armed', edges: [] },
  { name: 'signedOut', when: 'the person signs out', edges: toEach('signedOut') },
  { name: 'apiChanged', when: 'API or sign-in method changed', edges: toEach('signedOut') },
  { name: 'settingsChanged', when: 'other settings changed', edges: [] },
  { name: 'keychainSaved', when: 'refresh token stored', edges: [] },
  { name: 'keychainFailed', when: 'keychain locked or missing', edges: [] },
  { name: 'persistenceStopped', when: '"stay signed in" turned off', edges: [] },
  { name: 'revocationFailed', when: 'sign-out could not revoke', edges: [] },
];

/**
 * The state diagram (Mermaid) drawn from the table: one arrow per pair of different states, its
 * transitions named (a transition that stays in its state is listed in the table below the diagram).
 */
function sessionDiagram(table: readonly TransitionRow[] = TRANSITION_TABLE): string {
  const arrows = new Map<string, string[]>();
  for (const row of table) {
    for (const [from, to] of row.edges) {
      if (from === to) continue;
      const key = `${from} --> ${to}`;
      arrows.set(key, [...(arrows.get(key) ?? []), row.name]);
    }
  }
  const lines = ['stateDiagram-v2', '  [*] --> signedOut'];
  for (const [arrow, names] of arrows) lines.push(`  ${arrow}: ${names.join(', ')}`);
  return lines.join('\n');
}

/** The Markdown between the diagram markers of docs/architecture.md: the diagram and the table. */
export function sessionDiagramMarkdown(table: readonly TransitionRow[] = TRANSITION_TABLE): string {
  const rows = table.map((row) => {
    const edges = row.edges.length === 0 ? 'state unchanged' : describeEdges(row.edges);
    return `| \`${row.name}\` | ${row.when} | ${edges} |`;
  });
  return [
    '```mermaid',
    sessionDiagram(table),
    '```',
    '',
    '| transition | when | state |',
    '|---|---|---|',
    ...rows,
  ].join('\n');
}

function describeEdges(edges: TransitionRow['edges']): string {
  const targets = [...new Set(edges.map(([, to]) => to))];
  if (targets.length === 1) {
    const from = edges.map(([state]) => state);
    const source = from.length === ALL.length ? 'any' : from.join(', ');
    return `${source} → ${targets[0]}`;
  }
  return edges.map(([from, to]) => `${from} → ${to}`).join('; ');
}
