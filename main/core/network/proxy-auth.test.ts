import { describe, expect, it } from 'vitest';
import {
  type AuthChallenge,
  createProxyAuthenticator,
  type ProxyCredentials,
  type ProxyPromptRequest,
  shownRealm,
} from './proxy-auth';
import { cancelsPrompt, proxyLoginPage, readProxyLoginAnswer } from './proxy-login-page';

const challenge: AuthChallenge = {
  isProxy: true,
  scheme: 'Basic',
  host: 'proxy.corp',
  port: 8080,
  realm: 'Corp',
};
const alice: ProxyCredentials = { username: 'alice', password: 'pw-1' };

/** A prompt that answers from a script and records what it was shown. */
function scriptedPrompt(answers: (ProxyCredentials | null)[]) {
  const shown: ProxyPromptRequest[] = [];
  return {
    shown,
    prompt: async (request: ProxyPromptRequest) => {
      shown.push(request);
      return answers.shift() ?? null;
    },
  };
}

describe('createProxyAuthenticator()', () => {
  it('never answers a server (not a proxy) that asks for a password, and never prompts for it', async () => {
    const script = scriptedPrompt([alice]);
    const refused: string[] = [];
    const auth = createProxyAuthenticator({
      prompt: script.prompt,
      onRefused: (_p, why) => refused.push(why),
    });
    expect(await auth.authenticate({ ...challenge, isProxy: false })).toBeNull();
    expect(script.shown).toEqual([]);
    expect(refused).toEqual(['a server (not a proxy) asked for a password']);
  });

  it('shows the proxy host and port, its realm and the attempt, and answers with what was typed', async () => {
    const script = scriptedPrompt([alice]);
    const auth = createProxyAuthenticator({ prompt: script.prompt });
    expect(await auth.authenticate(challenge)).toEqual(alice);
    expect(script.shown).toEqual([
      { proxy: 'proxy.corp:8080', realm: 'Corp', scheme: 'basic', retry: false, attempt: 1, maxAttempts: 3 },
    ]);
  });

  it('asks once for requests waiting on the same proxy at the same time', async () => {
    const script = scriptedPrompt([alice]);
    const auth = createProxyAuthenticator({ prompt: script.prompt });
    const answers = await Promise.all([auth.authenticate(challenge), auth.authenticate(challenge)]);
    expect(answers).toEqual([alice, alice]);
    expect(script.shown).toHaveLength(1);
  });

  it('asks again, saying so, when the proxy rejects the answer, and stops after three rejections', async () => {
    let time = 0;
    const script = scriptedPrompt([alice, alice, alice, alice]);
    const auth = createProxyAuthenticator({ prompt: script.prompt, now: () => time });
    for (let i = 0; i < 3; i++) expect(await auth.authenticate(challenge)).toEqual(alice);
    // The fourth challenge: three answers were rejected, so no fourth prompt for a minute.
    expect(await auth.authenticate(challenge)).toBeNull();
    expect(script.shown.map((r) => [r.retry, r.attempt])).toEqual([
      [false, 1],
      [true, 2],
      [true, 3],
    ]);
    time += 59_000;
    expect(await auth.authenticate(challenge)).toBeNull();
    time += 2_000;
    expect(await auth.authenticate(challenge)).toEqual(alice);
    expect(script.shown).toHaveLength(4);
    expect(script.shown[3]).toMatchObject({ retry: false, attempt: 1 });
  });

  it('does not ask again for a while after the person cancels', async () => {
    let time = 0;
    const script = scriptedPrompt([null, alice]);
    const auth = createProxyAuthenticator({ prompt: script.prompt, now: () => time, cooldownMs: 1000 });
    expect(await auth.authenticate(challenge)).toBeNull();
    expect(await auth.authenticate(challenge)).toBeNull();
    expect(script.shown).toHaveLength(1);
    time = 1000;
    expect(await auth.authenticate(challenge)).toEqual(alice);
  });

  it('keeps each proxy apart and forgets everything on request', async () => {
    const script = scriptedPrompt([alice, { username: 'bob', password: 'pw-2' }, alice]);
    const auth = createProxyAuthenticator({ prompt: script.prompt });
    await auth.authenticate(challenge);
    expect(await auth.authenticate({ ...challenge, port: 3128 })).toEqual({
      username: 'bob',
      password: 'pw-2',
    });
    auth.forget();
    await auth.authenticate(challenge);
    expect(script.shown.map((r) => [r.proxy, r.retry])).toEqual([
      ['proxy.corp:8080', false],
      ['proxy.corp:3128', false],
      ['proxy.corp:8080', false],
    ]);
  });

  it('treats a prompt that fails as a cancel', async () => {
    const auth = createProxyAuthenticator({
      prompt: () => Promise.reject(new Error('window closed')),
    });
    expect(await auth.authenticate(challenge)).toBeNull();
  });

  it("bounds the proxy's realm text and strips control and format characters", () => {
    expect(shownRealm(' Corp\u0007\u202e proxy ')).toBe('Corp proxy');
    expect(shownRealm('x'.repeat(200))).toHaveLength(80);
  });
});

describe('proxyLoginPage()', () => {
  const request: ProxyPromptRequest = {
    proxy: 'proxy.corp:8080',
    realm: '<script>alert(1)</script>',
    scheme: 'basic',
    retry: true,
    attempt: 2,
    maxAttempts: 3,
  };

  it('names the proxy, escapes its realm and has no script', () => {
    const html = proxyLoginPage(request, 'en-US');
    expect(html).toContain('The proxy proxy.corp:8080 asks for a user name and password.');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Attempt 2 of 3');
    expect(proxyLoginPage(request, 'ko-KR')).toContain('프록시 proxy.corp:8080에서');
  });

  it('reads the submitted answer, a cancel, and refuses any other URL', () => {
    expect(readProxyLoginAnswer('tessera-proxy-login:answer?u=alice&p=p%26w&a=ok')).toEqual({
      username: 'alice',
      password: 'p&w',
    });
    expect(readProxyLoginAnswer('tessera-proxy-login:answer?u=&p=&a=cancel')).toBeNull();
    expect(readProxyLoginAnswer('https://evil.example/?u=a&p=b&a=ok')).toBeUndefined();
  });

  it('makes Sign in the button Enter presses: Cancel belongs to a form of its own, which carries nothing typed', () => {
    const html = proxyLoginPage(request, 'en');
    const answerForm = html.slice(html.indexOf('<form'), html.indexOf('</form>'));
    // The first button of the answer form that submits it (Cancel names another form).
    const buttons = [...answerForm.matchAll(/<button([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(buttons.filter((attributes) => !/\bform=/.test(attributes))[0]).toContain('value="ok"');
    expect(html).toContain('<form id="cancel"');
    expect(html.slice(html.indexOf('<form id="cancel"'))).not.toMatch(/name="[up]"/);
  });

  it('is cancelled by Escape alone, not while an input method composes or with a modifier', () => {
    const escapeKey = { type: 'keyDown', key: 'Escape' };
    expect(cancelsPrompt(escapeKey)).toBe(true);
    expect(cancelsPrompt({ ...escapeKey, type: 'keyUp' })).toBe(false);
    expect(cancelsPrompt({ ...escapeKey, isComposing: true })).toBe(false);
    expect(cancelsPrompt({ ...escapeKey, shift: true })).toBe(false);
    expect(cancelsPrompt({ type: 'keyDown', key: 'Enter' })).toBe(false);
  });
});
