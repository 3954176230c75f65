/** The native questions main shows on the page's behalf (a link leaving the app, a change of server). */
export interface QuestionGate {
  /** Shows `question` and answers the person's yes or no; or 'refused', without showing it. */
  ask(question: () => Promise<boolean>): Promise<boolean | 'refused'>;
}

/**
 * One question at a time, and optionally a pause after a no. The page is untrusted and may ask in a
 * loop: the questions it asks while one is shown are refused (no stack of dialogs to click through,
 * where one wrong click says yes), and for `quietAfterNoMs` after the person said no it cannot ask
 * again (no asking again and again until a tired yes; the person has time to close the window).
 */
export function createQuestionGate(
  options: { now?: () => number; quietAfterNoMs?: number } = {},
): QuestionGate {
  const now = options.now ?? Date.now;
  const quietAfterNoMs = options.quietAfterNoMs ?? 0;
  let showing = false;
  let quietUntil = Number.NEGATIVE_INFINITY;
  return {
    async ask(question) {
      if (showing || now() < quietUntil) return 'refused';
      showing = true;
      try {
        const yes = await question();
        if (!yes) quietUntil = now() + quietAfterNoMs;
        return yes;
      } finally {
        showing = false;
      }
    },
  };
}
