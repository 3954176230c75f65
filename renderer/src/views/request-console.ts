import {
  CONSOLE_METHODS,
  type ConsoleMethod,
  type ConsoleResponse,
  isProblem,
  sendConsoleRequest,
  validateConsoleInput,
} from '../api/console-request';
import { type Child, h, replaceChildren, uid } from '../dom';
import { formatDuration, formatSize } from '../format';
import type { Translator } from '../i18n';
import { requestErrorMessage, statusLine } from '../messages/request-errors';
import type { AppContext, View } from '../state';
import { alertSlot, dataTable, field, pageHeading, setBusy } from './parts';

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
    h('span', { class: 'muted' }, formatDuration(result.durationMs, t.locale)),
    result.contentType ? ' ' : '',
    result.contentType ? h('span', { class: 'muted mono' }, result.contentType) : '',
  ];
}

/** The response panel's content: headers and body. */
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
  const bodyHeading = h('h3', { class: 'subheading' }, t('console.responseBody'));
  const body =
    result.body === ''
      ? h('p', { class: 'muted' }, t('console.emptyBody'))
      : // Focusable so keyboard users can scroll a long body (axe: scrollable-region-focusable).
        h('pre', { class: 'code-block', tabindex: 0 }, h('code', null, result.body));
  return [
    h('h3', { class: 'subheading' }, t('console.headers')),
    headersTable,
    bodyHeading,
    result.truncatedFrom === undefined
      ? null
      : h('p', { class: 'hint' }, t('console.truncated', { size: formatSize(result.body.length, t.locale) })),
    body,
  ];
}

/** The request console: send any method and path to the configured API as the signed-in user. */
export function createConsoleView(ctx: AppContext): View {
  const { t } = ctx;
  const values = () => ctx.state().settings.values;
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
    [t('console.pathHint', { url: values().apiBaseUrl })],
  );
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
  const alert = alertSlot();
  const summary = h('p', { role: 'status', class: 'response-meta' });
  const responseHeading = h('h2', { id: uid('response'), class: 'card-title' }, t('console.response'));
  const responseBody = h(
    'div',
    { class: 'response-body' },
    h('p', { class: 'muted' }, t('console.noResponse')),
  );
  let busy = false;
  let destroyed = false;

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    path.setError(null);
    body.setError(null);
    alert.set(null);
    const checked = validateConsoleInput({
      method: method.control.value as ConsoleMethod,
      path: path.control.value,
      body: body.control.value,
    });
    if (isProblem(checked)) {
      if (checked.field === 'path') {
        path.setError(t('console.pathInvalid'));
        path.control.focus();
      } else {
        body.setError(
          checked.kind === 'bodyInvalid'
            ? t('console.bodyInvalid', { message: checked.detail })
            : t('console.bodyNotAllowed', { method: method.control.value }),
        );
        body.control.focus();
      }
      return;
    }
    busy = true;
    setBusy(send, true, t('console.sending'), t('console.send'));
    summary.replaceChildren();
    try {
      const result = await sendConsoleRequest(ctx.api, checked);
      if (destroyed) return;
      replaceChildren(responseBody, renderResponse(result, t));
      replaceChildren(summary, renderSummary(result, t));
    } catch (error) {
      if (destroyed) return;
      replaceChildren(responseBody, h('p', { class: 'muted' }, t('console.failed')));
      alert.set(requestErrorMessage(error, t, { url: values().apiBaseUrl }));
    } finally {
      busy = false;
      if (!destroyed) setBusy(send, false, t('console.sending'), t('console.send'));
    }
  };

  const form = h(
    'form',
    {
      class: 'card form console-form',
      novalidate: true,
      method: 'post',
      onsubmit: (e: Event) => void onSubmit(e),
    },
    h('p', { class: 'muted' }, t('console.intro')),
    h('div', { class: 'request-line' }, method.element, path.element),
    body.element,
    h('div', { class: 'form-actions' }, send),
  );
  const response = h(
    'section',
    { class: 'card response', 'aria-labelledby': responseHeading.id },
    responseHeading,
    summary,
    responseBody,
  );

  return {
    element: h('div', { class: 'page' }, heading, form, alert.element, response),
    heading,
    title: t('console.title'),
    destroy() {
      destroyed = true;
    },
  };
}
