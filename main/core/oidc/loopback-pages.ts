import { type Locale, type LocaleSetting, resolveLocale } from '../../../common/locale';

/** What the browser tab is told after the redirect to the loopback listener. */
export type CallbackPageKind = 'success' | 'failure' | 'cancelled' | 'wrongState' | 'notFound' | 'used';

/** The callback pages in each of the app's languages (the renderer's catalogues live in the page, not here). */
const TEXT: Record<Locale, Record<CallbackPageKind, { title: string; body: string }>> = {
  en: {
    success: {
      title: 'Signed in to Tessera',
      body: 'You are signed in. You can close this window and return to Tessera.',
    },
    failure: {
      title: 'Sign-in did not complete',
      body: 'Tessera could not finish signing you in. Close this window; Tessera shows what went wrong.',
    },
    cancelled: {
      title: 'Sign-in cancelled',
      body: 'The sign-in was cancelled in Tessera, so you are not signed in to Tessera. You can close this window.',
    },
    wrongState: {
      title: 'Not the current sign-in',
      body: 'This answer does not belong to the sign-in Tessera is waiting for. Close this window and start the sign-in from Tessera again.',
    },
    notFound: { title: 'Not found', body: 'There is nothing here.' },
    used: {
      title: 'Sign-in already handled',
      body: 'Tessera has already received an answer for this sign-in. You can close this window.',
    },
  },
  ko: {
    success: {
      title: 'Tessera에 로그인했습니다',
      body: '로그인했습니다. 이 창을 닫고 Tessera로 돌아가세요.',
    },
    failure: {
      title: '로그인을 완료하지 못했습니다',
      body: 'Tessera가 로그인을 마치지 못했습니다. 이 창을 닫으세요. 무엇이 잘못되었는지는 Tessera에 표시됩니다.',
    },
    cancelled: {
      title: '로그인이 취소되었습니다',
      body: 'Tessera에서 로그인을 취소했으므로 Tessera에 로그인되지 않았습니다. 이 창을 닫아도 됩니다.',
    },
    wrongState: {
      title: '진행 중인 로그인이 아닙니다',
      body: '이 응답은 Tessera가 기다리는 로그인의 것이 아닙니다. 이 창을 닫고 Tessera에서 다시 로그인하세요.',
    },
    notFound: { title: '찾을 수 없음', body: '여기에는 아무것도 없습니다.' },
    used: {
      title: '이미 처리된 로그인',
      body: 'Tessera가 이 로그인에 대한 응답을 이미 받았습니다. 이 창을 닫아도 됩니다.',
    },
  },
};

/** The page language: the app's locale rule, with the OS language as Node sees it for `system`. */
export function pageLocale(
  setting: LocaleSetting,
  systemLocale = Intl.DateTimeFormat().resolvedOptions().locale,
): Locale {
  return resolveLocale(setting, systemLocale);
}

/**
 * A small static page for the browser tab. It never contains the callback URL, the code or a token:
 * only fixed text, so nothing from the request is reflected into it.
 */
export function callbackPage(kind: CallbackPageKind, locale: Locale): string {
  const { title, body } = TEXT[locale][kind];
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f5f6f8;color:#1b1f24}
main{max-width:28rem;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.25rem;margin:0 0 .5rem}
@media (prefers-color-scheme:dark){body{background:#15181c;color:#e8eaed}main{background:#1f2328}}
</style>
</head>
<body><main><h1>${title}</h1><p>${body}</p></main></body>
</html>
`;
}
