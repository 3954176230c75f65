import { describe, expect, it } from 'vitest';
import {
  createLeave,
  DIRECT_OPEN_INTERVAL_MS,
  decideNavigation,
  QUIET_AFTER_DECLINED_LINK_MS,
} from './navigation';

const KNOWN = { apiBaseUrl: 'https://api.example.com/v1', oidcIssuer: 'https://login.example.com/realms/x' };

describe('decideNavigation()', () => {
  it('allows navigation within the app origin', () => {
    expect(decideNavigation('app://tessera/index.html#/settings', 'navigate', KNOWN)).toEqual({
      action: 'allow',
    });
  });

  it.each([
    {
      title: "opens links to the API's and the provider's own sites in the system browser at once",
      action: 'openExternal',
      url: 'https://api.example.com/docs',
      newWindow: 'https://login.example.com/account',
    },
    {
      title: 'asks the person before any other host, showing where the link goes',
      action: 'confirmExternal',
      url: 'https://example.com/help',
      newWindow: 'https://api.example.com.evil.test/',
    },
  ])('$title', ({ action, url, newWindow }) => {
    expect(decideNavigation(url, 'navigate', KNOWN)).toEqual({ action, url });
    expect(decideNavigation(newWindow, 'newWindow', KNOWN)).toMatchObject({ action });
  });

  it.each([
    'https://attacker.example/c?t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
    'https://api.example.com/cb#access_token=abc',
    'https://attacker.example/x?code=SplxlOBeZQQYbYS6WxSbIA',
    'https://attacker.example/x/QmFzZTY0LW9wYXF1ZS1yZWZyZXNoLXRva2VuLXZhbHVlLTEyMzQ1Njc4',
    'https://attacker.example/?t=eyJhbGciOiJIUzI1NiJ9%2EeyJzdWIiOiIxIn0',
    // Seen only once decoded: a percent-encoded letter in the name.
    'https://attacker.example/x?c%6Fde=SplxlOBeZQQYbYS6WxSbIA',
    'https://attacker.example/cb#access%5Ftoken=abc',
  ])('refuses a link carrying a token-shaped value: %s', (url) => {
    expect(decideNavigation(url, 'newWindow', KNOWN)).toEqual({ action: 'deny', reason: 'carriesSecret' });
  });

  it('never opens a new app window, even on the app origin', () => {
    expect(decideNavigation('app://tessera/index.html', 'newWindow', KNOWN)).toEqual({ action: 'deny' });
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'https://user:pw@example.com/',
    'https://user@example.com/',
    'https://:pw@example.com/',
    'garbage',
  ])('denies %s', (url) => {
    expect(decideNavigation(url, 'navigate', KNOWN)).toEqual({ action: 'deny' });
  });
});

describe('createLeave()', () => {
  // Electron's shell.openExternal and dialog.showMessageBox cannot run here: the stand-ins record.
  function setUp() {
    let clock = 1_000_000;
    const opened: string[] = [];
    const asked: string[] = [];
    const refused: string[] = [];
    let answer: (yes: boolean) => void = () => {};
    const leave = createLeave({
      open: async (url) => {
        opened.push(url);
      },
      confirm: (url) => {
        asked.push(url);
        return new Promise<boolean>((resolve) => {
          answer = resolve;
        });
      },
      refused: (why) => refused.push(why),
      now: () => clock,
    });
    return {
      leave,
      opened,
      asked,
      refused,
      answer: (yes: boolean) => answer(yes),
      tick: (ms: number) => {
        clock += ms;
      },
    };
  }
  const other = (n: number) => decideNavigation(`https://example.com/page${n}`, 'navigate', KNOWN);
  const docs = (n: number) => decideNavigation(`https://api.example.com/docs/${n}`, 'newWindow', KNOWN);

  it('shows one question at a time, none again right after a no: links sent meanwhile are dropped, reported once', async () => {
    const t = setUp();
    const first = t.leave(other(0));
    const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => t.leave(other(i + 1))));
    expect(burst.every((outcome) => outcome === 'dropped')).toBe(true);
    expect(t.asked).toEqual(['https://example.com/page0']);
    expect(t.refused).toEqual(['burst']);
    t.answer(false);
    expect(await first).toBe('declined');
    expect(t.opened).toEqual([]);
    // After a no, the page cannot ask again at once (a loop would ask until a tired yes).
    expect(await t.leave(other(2))).toBe('dropped');
    expect(t.asked).toEqual(['https://example.com/page0']);
    // Later, the next link is asked about again.
    t.tick(QUIET_AFTER_DECLINED_LINK_MS);
    const next = t.leave(other(2));
    t.answer(true);
    expect(await next).toBe('opened');
    expect(t.opened).toEqual(['https://example.com/page2']);
  });

  it('opens links to known sites without asking, at most one per interval', async () => {
    const t = setUp();
    expect(await t.leave(docs(1))).toBe('opened');
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => t.leave(docs(i + 2))));
    expect(burst.every((outcome) => outcome === 'dropped')).toBe(true);
    expect(t.refused).toEqual(['burst']);
    t.tick(DIRECT_OPEN_INTERVAL_MS);
    expect(await t.leave(docs(30))).toBe('opened');
    expect(t.opened).toEqual(['https://api.example.com/docs/1', 'https://api.example.com/docs/30']);
    expect(t.asked).toEqual([]);
  });

  it('refuses what decideNavigation denies, naming a token-shaped link, and opens nothing', async () => {
    const t = setUp();
    expect(await t.leave(decideNavigation('file:///etc/passwd', 'navigate', KNOWN))).toBe('denied');
    expect(
      await t.leave(
        decideNavigation('https://attacker.example/x?code=SplxlOBeZQQYbYS6WxSbIA', 'newWindow', KNOWN),
      ),
    ).toBe('denied');
    expect(t.refused).toEqual(['carriesSecret']);
    expect([...t.opened, ...t.asked]).toEqual([]);
    // A page sending such links in a loop is reported once, not once per link (the log keeps its history).
    for (let i = 0; i < 100; i++)
      await t.leave(
        decideNavigation(`https://attacker.example/x?code=Splx${i}lOBeZQQYbYS6WxSbIA`, 'newWindow', KNOWN),
      );
    expect(t.refused).toEqual(['carriesSecret']);
    // Once something else happened, the next one is reported again.
    expect(await t.leave(docs(1))).toBe('opened');
    await t.leave(
      decideNavigation('https://attacker.example/x?code=SplxlOBeZQQYbYS6WxSbIA', 'newWindow', KNOWN),
    );
    expect(t.refused).toEqual(['carriesSecret', 'carriesSecret']);
  });
});
