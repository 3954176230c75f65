import { monotonicNow } from '../core/timers';
/** The native questions main shows on the page's behalf (a link leaving the app, a change of server). */
export interface QuestionGate {
  /** Shows `question` and answers the person's yes or no; or 'refused', without showing it. */
  ask(question: () => Promise<boolean>): Promise<boolean | 'refused'>;
}

/**
 * Where a question is on screen. Gates that share one (every question main asks on the page's
 * behalf: PAGE_QUESTIONS) show one question at a time between them, each keeping its own pacing.
 */
export interface QuestionScreen {
  showing: boolean;
}

/** The screen of every question the page can make main ask: a link leaving the app, a change of server. */
export const PAGE_QUESTIONS: QuestionScreen = { showing: false };

/**
 * One question at a time (on `screen`: by default the gate's own), and optionally a pause after a no. The page is untrusted and may ask in a
 * loop: the questions it asks while one is shown are refused (no stack of dialogs to click through,
 * where one wrong click says yes), and for `quietAfterNoMs` after the person said no it cannot ask
 * again (no asking again and again until a tired yes; the person has time to close the window).
 * `noesBeforeQuiet` (default 1): how many noes in a row start the pause, for questions a person may
 * rightly be asked again at once after one no.
 */
export function createQuestionGate(
  options: {
    now?: () => number;
    quietAfterNoMs?: number;
    noesBeforeQuiet?: number;
    screen?: QuestionScreen;
  } = {},
): QuestionGate {
  const now = options.now ?? monotonicNow;
  const quietAfterNoMs = options.quietAfterNoMs ?? 0;
  const noesBeforeQuiet = options.noesBeforeQuiet ?? 1;
  const screen = options.screen ?? { showing: false };
  let quietUntil = Number.NEGATIVE_INFINITY;
  let noesInARow = 0;
  return {
    async ask(question) {
      if (screen.showing || now() < quietUntil) return 'refused';
      screen.showing = true;
      try {
        const yes = await question();
        noesInARow = yes ? 0 : noesInARow + 1;
        if (noesInARow >= noesBeforeQuiet) quietUntil = now() + quietAfterNoMs;
        return yes;
      } finally {
        screen.showing = false;
      }
    },
  };
}

/** The connection-change question's pacing (main/shell/confirm-connection.ts): a pause after two noes. */
export const CONNECTION_QUESTION_PACING = { quietAfterNoMs: 3_000, noesBeforeQuiet: 2 } as const;
