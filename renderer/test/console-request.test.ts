import { describe, expect, it } from 'vitest';
import { validateConsoleInput } from '../src/api/console-request';

describe('validateConsoleInput()', () => {
  it('accepts a path on the API, with or without a query', () => {
    expect(validateConsoleInput({ method: 'GET', path: ' /api/user/me ', body: '' })).toEqual({
      method: 'GET',
      path: '/api/user/me',
    });
    expect(validateConsoleInput({ method: 'GET', path: '/items?page=2', body: '' })).toMatchObject({
      path: '/items?page=2',
    });
  });

  it.each([
    ['', 'pathInvalid'],
    ['api/user/me', 'pathInvalid'],
    ['https://evil.example/x', 'pathInvalid'],
    // Each refusal names what is wrong: these do start with "/".
    ['//evil.example/x', 'pathDoubleSlash'],
    ['/a b', 'pathSpaces'],
    ['/search?q=two\twords', 'pathSpaces'],
  ])('refuses the path %j (%s)', (path, kind) => {
    expect(validateConsoleInput({ method: 'GET', path, body: '' })).toEqual({ field: 'path', kind });
  });

  it('parses a JSON body', () => {
    expect(validateConsoleInput({ method: 'POST', path: '/x', body: '{"a": [1, 2]}' })).toEqual({
      method: 'POST',
      path: '/x',
      json: { a: [1, 2] },
    });
  });

  it('explains invalid JSON', () => {
    const result = validateConsoleInput({ method: 'PUT', path: '/x', body: '{a:1}' });
    expect(result).toMatchObject({ field: 'body', kind: 'bodyInvalid' });
    expect((result as { detail: string }).detail).not.toBe('');
  });

  it('refuses a body on GET, which fetch cannot send', () => {
    expect(validateConsoleInput({ method: 'GET', path: '/x', body: '{}' })).toEqual({
      field: 'body',
      kind: 'bodyNotAllowed',
    });
  });
});
