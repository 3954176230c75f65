// Main loads ky on first use (not with its bundle, before Electron is ready): see ky-loader.ts.
import { HTTPError, TimeoutError } from 'ky';
import { describe, expect, it } from 'vitest';
import { isHTTPError, isTimeoutError, loadKy } from './ky-loader';

const request = new Request('https://api.example.com/login', { method: 'POST' });
const httpError = () => new HTTPError(new Response('{}', { status: 500 }), request, {} as never);

describe('ky-loader', () => {
  it('recognises none of ky’s errors before main has loaded ky (nothing else can have made one)', () => {
    expect(isHTTPError(httpError())).toBe(false);
    expect(isTimeoutError(new TimeoutError(request))).toBe(false);
  });

  it('imports ky once, and then recognises its errors with ky’s own guards', async () => {
    const [first, second] = await Promise.all([loadKy(), loadKy()]);
    expect(first).toBe(second);
    expect(await loadKy()).toBe(first);
    expect(typeof first.default.create).toBe('function');
    expect(isHTTPError(httpError())).toBe(true);
    expect(isTimeoutError(new TimeoutError(request))).toBe(true);
    expect(isHTTPError(new TimeoutError(request))).toBe(false);
    expect(isTimeoutError(new Error('timed out'))).toBe(false);
  });
});
