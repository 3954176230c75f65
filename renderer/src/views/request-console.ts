import {
  CONSOLE_METHODS,
  type ConsoleMethod,
  type ConsoleResponse,
  failureKind,
  isProblem,
  sendConsoleRequest,
  validateConsoleInput,
} from '../api/console-request';
import { createRequestHistory, type HistoryOutcome } from '../api/request-history';
import { type Child, h, replaceChildren, uid } from '../dom';
import { formatDuration, formatSize } from '../format';
import type { Translator } from '../i18n';
import { noticeSentence, requestErrorNotice, statusLine } from '../messages/request-errors';
import { secondsText } from '../settings-form';
import { type AppContext, type AppState, activeAccount, activeApiUrl, type View } from '../state';
import { createAccountLine } from './account-switcher';
import { createHeadersEditor } from './console-headers-editor';
import { createHistoryPanel } from './console-history';
import {
  alertSlot,
  dataTable,
  detailsDisclosure,
  field,
  focusLost,
  pageHeading,
  setBusy,
  statusRegion,
} from './parts';

function statusClass(status: number): string {
  if (status >= 500) return 'badge-error';
  if (status >= 400) return 'badge-warning';
  return status >= 300 ? 'badge-neutral' : 'badge-success';
}

/** The status line (a live region, so the outcome is announced): status, duration, content type. */
function renderSummary(result: ConsoleResponse, t: Translator): Array<HTMLElement | string> {
  return [
    h('span', { class: `badge ${statusClass(result.status)}` }, statusLine(result.status, result.statusText)),
    ' ',
    h('span', { class: 'muted' }, formatDuration(result.durationMs, t.formatLocale)),
    result.contentType ? ' ' : '',
    result.contentType ? h('span', { class: 'muted mono' }, result.contentType) : '',
  ];
}

/** Copies `text`; when the clipboard refuses, selects it so the person can copy it themselves. */
async function copyText(text: string, fallbackTarget: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const selection = window.getSelection();
    selection?.selectAllChildren(fallbackTarget);
    fallbackTarget.focus();
    return false;
  }
}

/** The response panel's content: headers and body (with "Copy body"). */
function renderResponse(result: ConsoleResponse, t: Translator): Child[] {
  const headersTable =
    result.headers.length === 0
      ? h('p', { class: 'muted' }, t('console.noHeaders'))
      : dataTable(
          'headers-table',
          t('console.headers'),
          [t('console.headerName'), t('console.headerValue')],
          result.headers.map(([name, value]) =>
            h('tr', null, h('th', { scope: 'row', class: 'mono' }, name), h('td', { class: 'mono' }, value)),
          ),
        );
  const copied = statusRegion('status copy-status', { aside: true });
  const body =
    result.body === ''
      ? h('p', { class: 'muted' }, t('console.emptyBody'))
      : // Focusable so keyboard users can scroll a long body (axe: scrollable-region-focusable).
        h(
          'pre',
          { class: 'code-block', tabindex: 0, role: 'region', 'aria-label': t('console.responseBody') },
          h('code', null, result.body),
        );
  const copy =
    result.body === ''
      ? null
      : h(
          'button',
          {
            type: 'button',
            class: 'button button-small',
            onclick: async () => {
              copied.set(null);
              const ok = await copyText(result.body, body);
              copied.set(t(ok ? 'console.copied' : 'console.copyFailed'));
            },
          },
          t('console.copyBody'),
        );
  const bodyHeading = h(
    'div',
    { class: 'response-title-row' },
    h('h3', { class: 'subheading' }, t('console.responseBody')),
    h('div', { class: 'form-actions' }, copied.element, copy),
  );
  return [
    h('h3', { class: 'subheading' }, t('console.headers')),
    headersTable,
    bodyHeading,
    result.truncatedFrom === undefined
      ? null
      : h(
          'p',
          { class: 'hint' },
          t('console.truncated', {
            size: formatSize(result.truncatedFrom, t.formatLocale),
            count: new Intl.NumberFormat(t.formatLocale).format(result.body.length),
          }),
        ),
    body,
  ];
}

/** The console's history lives as long as the page (in memory only), across visits to the console. */
const history = createRequestHistory();

/**
 * The request console: send any method, path, headers and body to the configured API as the
 * signed-in user. Ctrl/Cmd+Enter sends; a request in flight can be cancelled; the response (or why
 * there is none: timed out, unreachable, cancelled) replaces the previous one and takes focus.
 */
export function createConsoleView(ctx: AppContext): View {
  const { t } = ctx;
  const values = () => ctx.state().settings.values;
  // Where the requests go: the active account's server, which a switch in the header changes.
  const api = () => activeApiUrl(ctx.state());
  const pathHint = h('span');
  history.ownedBy(activeAccount(ctx.state()));
  const heading = pageHeading(t('console.title'));
  const method = field(
    t('console.method'),
    h(
      'select',
      { name: 'method' },
      CONSOLE_METHODS.map((name) => h('option', { value: name }, name)),
    ),
  );
  const path = field(
    t('console.path'),
    h('input', {
      name: 'path',
      value: values().mePath || '/',
      autocomplete: 'off',
      spellcheck: 'false',
      class: 'mono',
    }),
    [pathHint],
  );
  const headers = createHeadersEditor(t);
  const body = field(
    t('console.body'),
    h('textarea', {
      name: 'body',
      rows: 6,
      spellcheck: 'false',
      class: 'mono',
      placeholder: '{ "key": "value" }',
    }),
    [t('console.bodyHint')],
  );
  const send = h('button', { type: 'submit', class: 'button button-primary' }, t('console.send'));
  const cancel = h('button', { type: 'button', class: 'button', hidden: true }, t('console.cancel'));
  const shortcut = h(
    'p',
    { class: 'hint' },
    t(/Mac|iPhone|iPad/.test(navigator.platform) ? 'console.shortcutMac' : 'console.shortcut'),
  );
  const alert = alertSlot();
  const summary = h('p', { role: 'status', class: 'response-meta' });
  const responseHeading = h(
    'h2',
    { id: uid('response'), class: 'card-title', tabindex: -1 },
    t('console.response'),
  );
  const responseBody = h(
    'div',
    { class: 'response-body' },
    h('p', { class: 'muted' }, t('console.noResponse')),
  );
  let inFlight: AbortController | null = null;
  let destroyed = false;

  const showResponse = () => {
    responseHeading.focus({ preventScroll: true });
    responseHeading.scrollIntoView({ block: 'start', behavior: 'auto' });
  };

  const historyPanel = createHistoryPanel(t, history, (entry) => {
    method.control.value = entry.method;
    path.control.value = entry.path;
    path.control.focus();
  });

  const record = (request: { method: string; path: string }, outcome: HistoryOutcome, at: number) => {
    history.add({ method: request.method, path: request.path, outcome, at });
    historyPanel.update();
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (inFlight) return;
    // A new attempt: nothing of the previous one stays on screen.
    path.setError(null);
    body.setError(null);
    headers.clearErrors();
    alert.set(null);
    summary.replaceChildren();
    replaceChildren(responseBody, h('p', { class: 'muted' }, t('console.noResponse')));
    const checked = validateConsoleInput({
      method: method.control.value as ConsoleMethod,
      path: path.control.value,
      body: body.control.value,
    });
    if (isProblem(checked)) {
      if (checked.field === 'path') {
        path.setError(t(`console.${checked.kind}`));
        path.control.focus();
      } else {
        // The parser's own (English) words come after the sentence, as a detail.
        if (checked.kind === 'bodyInvalid')
          body.setError(t('console.bodyInvalid'), t('error.details', { message: checked.detail }));
        else body.setError(t('console.bodyNotAllowed', { method: method.control.value }));
        body.control.focus();
      }
      return;
    }
    const extra = headers.read();
    if (extra === null) return;
    const request = { ...checked, headers: extra };
    const controller = new AbortController();
    inFlight = controller;
    const sentFromButton = document.activeElement === send;
    setBusy(send, true, t('console.sending'), t('console.send'));
    cancel.hidden = false;
    // Send is disabled now: keyboard focus goes to what can be done meanwhile (Escape cancels too).
    if (sentFromButton || focusLost()) cancel.focus();
    replaceChildren(responseBody, h('p', { class: 'muted' }, t('console.waiting')));
    const at = Date.now();
    // The account the request goes out as: another one active when it ends (a switch in the header,
    // which also cancels it) neither sees its answer nor gets it in its history.
    const sentAs = activeAccount(ctx.state());
    let accountChanged = false;
    const otherAccount = () => {
      accountChanged = activeAccount(ctx.state()) !== sentAs;
      if (accountChanged)
        replaceChildren(responseBody, h('p', { class: 'muted' }, t('console.accountChanged')));
      return accountChanged;
    };
    try {
      const result = await sendConsoleRequest(ctx.api, request, undefined, controller.signal);
      if (destroyed || otherAccount()) return;
      replaceChildren(responseBody, renderResponse(result, t));
      replaceChildren(summary, renderSummary(result, t));
      record(request, result.status, at);
    } catch (error) {
      if (destroyed || otherAccount()) return;
      const kind = failureKind(error);
      replaceChildren(
        responseBody,
        h('p', { class: 'muted' }, t(kind === 'cancelled' ? 'console.cancelled' : 'console.failed')),
      );
      if (kind === 'timeout')
        alert.set(
          t('console.timedOut', {
            seconds: secondsText(values().requestTimeoutMs),
            url: api(),
          }),
        );
      else if (kind !== 'cancelled') {
        const notice = requestErrorNotice(error, t, { url: api() });
        alert.set([
          noticeSentence(notice),
          // A preflight the API refused looks like an unreachable server: say what else it may be.
          kind === 'network' && extra.length > 0 ? ` ${t('console.headersBlocked')}` : '',
          detailsDisclosure(t('message.details'), notice.detail),
        ]);
      }
      record(request, kind === 'other' ? 'error' : kind, at);
    } finally {
      inFlight = null;
      if (!destroyed) {
        setBusy(send, false, t('console.sending'), t('console.send'));
        cancel.hidden = true;
        // After a switch in the header, focus stays where the person is (the account button).
        if (!accountChanged || focusLost()) showResponse();
      }
    }
  };

  cancel.addEventListener('click', () => inFlight?.abort());
  const accountLine = createAccountLine(ctx);
  const update = (state: AppState) => {
    accountLine.update(state);
    // Another account is active now (a switch in the header): the history shown is its own, and a
    // request still in flight, sent as the account before, is not waited for.
    if (history.ownedBy(activeAccount(state))) {
      historyPanel.update();
      inFlight?.abort();
    }
    pathHint.textContent = t('console.pathHint', { url: activeApiUrl(state) });
  };
  update(ctx.state());

  const form = h(
    'form',
    {
      class: 'card form console-form',
      novalidate: true,
      method: 'post',
      onsubmit: (e: Event) => void onSubmit(e),
    },
    h('p', { class: 'muted' }, t('console.intro')),
    accountLine.element,
    h('div', { class: 'request-line' }, method.element, path.element),
    headers.element,
    body.element,
    h('div', { class: 'form-actions' }, send, cancel, shortcut),
  );
  // Ctrl+Enter (Cmd+Enter on a Mac) sends from anywhere in the form, the body included; Escape
  // cancels a request in flight.
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && inFlight) {
      event.preventDefault();
      inFlight.abort();
      return;
    }
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    form.requestSubmit();
  });
  const response = h(
    'section',
    { class: 'card response', 'aria-labelledby': responseHeading.id },
    responseHeading,
    alert.element,
    summary,
    responseBody,
  );

  return {
    element: h('div', { class: 'page console-page' }, heading, form, response, historyPanel.element),
    heading,
    title: t('console.title'),
    // Which account (and server) the requests go out as follows a switch in the header.
    update,
    destroy() {
      destroyed = true;
      inFlight?.abort();
    },
  };
}
