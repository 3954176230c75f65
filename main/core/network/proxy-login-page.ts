// The proxy sign-in prompt as a page without any script: a plain HTML form whose submission
// navigates to `tessera-proxy-login:` — a URL the shell's window intercepts (will-navigate) and never
// loads. So the window needs no preload and no IPC, and JavaScript stays off; Escape, which such a
// page cannot act on, is read by the window (cancelsPrompt). Electron-free, tested.
import type { ProxyCredentials, ProxyPromptRequest } from './proxy-auth';

/** The scheme the form submits to; the prompt window cancels the navigation and reads the answer. */
export const PROXY_LOGIN_SCHEME = 'tessera-proxy-login:';

/**
 * The prompt window's content size in CSS px (the shell asks for it with useContentSize, so the title
 * bar and frame come on top): room for the most the page says — a retry line and the longest realm
 * main shows (shownRealm: 80 characters), in Korean's wide letters — with Sign in in view
 * (e2e/specs/reflow.spec.ts checks it in Chromium). The window can still be made larger.
 */
export const PROXY_PROMPT_SIZE = { width: 440, height: 380 } as const;

/** A key the prompt window got before its page (Electron's `before-input-event` input). */
export interface PromptKey {
  type: string;
  key: string;
  isComposing?: boolean;
  alt?: boolean;
  control?: boolean;
  meta?: boolean;
  shift?: boolean;
}

/**
 * Whether `input` cancels the prompt: Escape pressed alone, not while an input method is composing
 * (there Escape drops the composition). A page without script cannot act on a key itself, so the
 * prompt window reads its keys before the page does and cancels on this one.
 */
export function cancelsPrompt(input: PromptKey): boolean {
  return (
    input.type === 'keyDown' &&
    input.key === 'Escape' &&
    !input.isComposing &&
    !input.alt &&
    !input.control &&
    !input.meta &&
    !input.shift
  );
}

/** The prompt's words (English and Korean, like the rest of the app). */
const WORDS = {
  en: {
    title: 'Proxy sign-in',
    asks: (proxy: string) => `The proxy ${proxy} asks for a user name and password.`,
    realm: (realm: string) => `It says: “${realm}”`,
    retry: (attempt: number, max: number) => `The proxy did not accept that. Attempt ${attempt} of ${max}.`,
    kept: 'Tessera keeps them in memory until it quits; they are never saved.',
    username: 'User name',
    password: 'Password',
    ok: 'Sign in',
    cancel: 'Cancel',
  },
  ko: {
    title: '프록시 로그인',
    asks: (proxy: string) => `프록시 ${proxy}에서 사용자 이름과 비밀번호를 요청합니다.`,
    realm: (realm: string) => `프록시 메시지: “${realm}”`,
    retry: (attempt: number, max: number) =>
      `프록시가 받아들이지 않았습니다. ${max}번 중 ${attempt}번째 시도입니다.`,
    kept: 'Tessera를 끌 때까지 메모리에만 보관하며 저장하지 않습니다.',
    username: '사용자 이름',
    password: '비밀번호',
    ok: '로그인',
    cancel: '취소',
  },
} as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The prompt page's HTML for `request`, in Korean when `locale` starts with ko, else English. Enter in
 * a field answers Sign in: Cancel, first on screen, submits a form of its own (its `form` attribute),
 * so the answer form's first submit button, the one Enter presses, is Sign in; and Cancel sends
 * nothing that was typed. Escape cancels through the window (cancelsPrompt).
 */
export function proxyLoginPage(request: ProxyPromptRequest, locale: string): string {
  const w = locale.toLowerCase().startsWith('ko') ? WORDS.ko : WORDS.en;
  const lines = [w.asks(request.proxy)];
  if (request.realm) lines.push(w.realm(request.realm));
  if (request.retry) lines.push(w.retry(request.attempt, request.maxAttempts));
  lines.push(w.kept);
  return `<!doctype html>
<html lang="${w === WORDS.ko ? 'ko' : 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action ${PROXY_LOGIN_SCHEME}">
<title>${escapeHtml(w.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:16px;overflow-wrap:anywhere}label{display:block;margin-top:8px}input{width:100%;box-sizing:border-box}p{margin:4px 0}.b{margin-top:12px;text-align:right}</style>
</head><body>
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<form method="get" action="${PROXY_LOGIN_SCHEME}answer" autocomplete="off">
<label>${escapeHtml(w.username)}<input name="u" required autofocus autocomplete="off"></label>
<label>${escapeHtml(w.password)}<input name="p" type="password" autocomplete="off"></label>
<div class="b"><button form="cancel">${escapeHtml(w.cancel)}</button> <button name="a" value="ok">${escapeHtml(w.ok)}</button></div>
</form>
<form id="cancel" method="get" action="${PROXY_LOGIN_SCHEME}answer"><input type="hidden" name="a" value="cancel"></form>
</body></html>`;
}

/**
 * The answer in a navigation of the prompt window: credentials, null for Cancel, or undefined when the
 * URL is not the form's submission (the window refuses any other navigation).
 */
export function readProxyLoginAnswer(url: string): ProxyCredentials | null | undefined {
  if (!url.startsWith(`${PROXY_LOGIN_SCHEME}answer`)) return undefined;
  const query = new URLSearchParams(url.slice(url.indexOf('?') + 1));
  if (query.get('a') !== 'ok') return null;
  const username = query.get('u') ?? '';
  if (username === '') return null;
  return { username, password: query.get('p') ?? '' };
}
