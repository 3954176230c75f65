import { NetworkError, TimeoutError } from 'ky';
import { describe, expect, it } from 'vitest';
import { validateHeaders } from '../src/api/console-headers';
import { failureKind } from '../src/api/console-request';
import { createRequestHistory, HISTORY_LIMIT } from '../src/api/request-history';

describe('validateHeaders()', () => {
  it('sends named rows trimmed and skips empty ones', () => {
    expect(
      validateHeaders([
        { name: ' X-Trace-Id ', value: ' qa-42 ' },
        { name: '', value: '' },
        { name: 'Accept', value: 'application/json' },
      ]),
    ).toEqual({
      headers: [
        ['X-Trace-Id', 'qa-42'],
        ['Accept', 'application/json'],
      ],
      problems: [],
    });
  });

  it('refuses Authorization in any case: Tessera adds it', () => {
    expect(validateHeaders([{ name: 'authorization', value: 'Bearer mine' }]).problems).toEqual([
      { index: 0, kind: 'authorization' },
    ]);
    expect(validateHeaders([{ name: 'AUTHORIZATION', value: '' }]).problems[0]?.kind).toBe('authorization');
  });

  it('names each problem by row: a missing or invalid name, a header the browser forbids, a value that breaks the line', () => {
    const { headers, problems } = validateHeaders([
      { name: '', value: 'x' },
      { name: 'X Bad', value: 'x' },
      { name: 'Cookie', value: 'a=b' },
      { name: 'Sec-Fetch-Mode', value: 'cors' },
      { name: 'X-Ok', value: 'a\r\nInjected: 1' },
      { name: 'X-Fine', value: 'ok' },
    ]);
    expect(problems).toEqual([
      { index: 0, kind: 'nameMissing' },
      { index: 1, kind: 'nameInvalid' },
      { index: 2, kind: 'forbidden' },
      { index: 3, kind: 'forbidden' },
      { index: 4, kind: 'valueInvalid' },
    ]);
    expect(headers).toEqual([['X-Fine', 'ok']]);
  });

  it('refuses a value with characters a header cannot carry (outside ISO-8859-1), before fetch would throw', () => {
    const { headers, problems } = validateHeaders([
      { name: 'X-Note', value: '안녕' },
      { name: 'X-Quote', value: '“quoted”' },
      { name: 'X-Latin', value: 'café\tcrème' },
    ]);
    expect(problems).toEqual([
      { index: 0, kind: 'valueCharacters' },
      { index: 1, kind: 'valueCharacters' },
    ]);
    expect(headers).toEqual([['X-Latin', 'café\tcrème']]);
    // What validateHeaders lets through, the Headers constructor accepts.
    expect(() => new Headers(headers)).not.toThrow();
    expect(() => new Headers([['X-Note', '안녕']])).toThrow();
  });

  it('refuses a method override naming CONNECT, TRACE or TRACK, which the browser drops without a word', () => {
    // Fetch's forbidden request-header rule, checked in Chromium: the header never left the page.
    const { headers, problems } = validateHeaders([
      { name: 'X-HTTP-Method-Override', value: 'TRACE' },
      { name: 'x-method-override', value: 'get, connect' },
      { name: 'X-HTTP-Method', value: 'track' },
      { name: 'X-HTTP-Method-Override', value: 'PATCH' },
      { name: 'X-Other', value: 'TRACE' },
    ]);
    expect(problems).toEqual([
      { index: 0, kind: 'valueForbidden' },
      { index: 1, kind: 'valueForbidden' },
      { index: 2, kind: 'valueForbidden' },
    ]);
    expect(headers).toEqual([
      ['X-HTTP-Method-Override', 'PATCH'],
      ['X-Other', 'TRACE'],
    ]);
  });
});

describe('failureKind()', () => {
  const request = new Request('http://127.0.0.1/x');
  it('tells a timeout from an unreachable server, and both from a cancel', () => {
    expect(failureKind(new TimeoutError(request))).toBe('timeout');
    expect(failureKind(new NetworkError(request, { cause: new TypeError('Failed to fetch') }))).toBe(
      'network',
    );
    expect(failureKind(new DOMException('The operation was aborted.', 'AbortError'))).toBe('cancelled');
    expect(failureKind(new Error('something else'))).toBe('other');
  });
});

describe('createRequestHistory()', () => {
  it(`keeps the last ${HISTORY_LIMIT} requests, newest first, without bodies or headers`, () => {
    const history = createRequestHistory();
    for (let n = 1; n <= HISTORY_LIMIT + 1; n += 1)
      history.add({ method: 'GET', path: `/x?n=${n}`, outcome: 200, at: n, ...{ body: 'secret' } });
    const entries = history.entries();
    expect(entries).toHaveLength(HISTORY_LIMIT);
    expect(entries[0]).toEqual({
      method: 'GET',
      path: `/x?n=${HISTORY_LIMIT + 1}`,
      outcome: 200,
      at: HISTORY_LIMIT + 1,
    });
    expect(entries.at(-1)?.path).toBe('/x?n=2');
    history.clear();
    expect(history.entries()).toEqual([]);
  });

  it('forgets another account’s requests, and says when it did', () => {
    const history = createRequestHistory();
    history.ownedBy('u1');
    history.add({ method: 'GET', path: '/a', outcome: 'timeout', at: 1 });
    expect(history.ownedBy('u1')).toBe(false);
    expect(history.entries()).toHaveLength(1);
    expect(history.ownedBy('u2')).toBe(true);
    expect(history.entries()).toEqual([]);
  });
});
