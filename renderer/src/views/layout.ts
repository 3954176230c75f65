import { h, svg } from '../dom';
import type { Translator } from '../i18n';
import { hashOf, type Route } from '../routes';

/** The page frame: skip link, header with navigation, main, and (signed in) the session sidebar. */
export interface Layout {
  element: HTMLElement;
  main: HTMLElement;
  signedIn: boolean;
  /** Marks the current page's link with aria-current. */
  setRoute(route: Route): void;
  /** Puts the session panel beside main (above it, and before it in the DOM, in a narrow window). */
  setAside(aside: HTMLElement | null): void;
  /** Puts the connection banner at the top of the window, under the header. */
  setBanner(banner: HTMLElement | null): void;
  /**
   * The header's account slot (empty for now): the account switcher goes here, at the header's end,
   * so it stays visible at every width.
   */
  accountSlot: HTMLElement;
}

/**
 * Below this width the session panel is drawn above the page (base.css, `.app-body.has-aside`), so it
 * comes before `main` in the DOM too: focus and reading order follow what is drawn.
 */
export const NARROW_LAYOUT = '(max-width: 880px)';

/** The Tessera mark: four tiles, one lit. Decorative, so hidden from assistive tech. */
export function logo(): SVGElement {
  const tile = (x: string, y: string, cls: string) =>
    svg('rect', { x, y, width: '10', height: '10', rx: '2.5', class: cls });
  return svg(
    'svg',
    {
      viewBox: '0 0 24 24',
      width: '24',
      height: '24',
      'aria-hidden': 'true',
      focusable: 'false',
      class: 'logo',
    },
    tile('1', '1', 'logo-tile'),
    tile('13', '1', 'logo-tile logo-tile-accent'),
    tile('1', '13', 'logo-tile'),
    tile('13', '13', 'logo-tile'),
  );
}

/** Builds the frame; the links depend on whether someone is signed in. */
export function createLayout(t: Translator, signedIn: boolean): Layout {
  const routes: Array<[Route, string]> = signedIn
    ? [
        ['home', t('nav.home')],
        ['console', t('nav.console')],
        ['settings', t('nav.settings')],
      ]
    : [
        ['sign-in', t('nav.signIn')],
        ['settings', t('nav.settings')],
      ];
  const links = new Map(
    routes.map(([route, label]) => [route, h('a', { href: hashOf(route), class: 'nav-link' }, label)]),
  );
  const main = h('main', { id: 'main-content', tabindex: -1, class: 'app-main' });
  const body = h('div', { class: 'app-body' }, main);
  const narrow = window.matchMedia(NARROW_LAYOUT);
  let aside: HTMLElement | null = null;
  /** Puts the panel where it is drawn: before main in one column, after it beside main. */
  const arrange = () => {
    const order = aside ? (narrow.matches ? [aside, main] : [main, aside]) : [main];
    if (order.length === body.children.length && order.every((node, i) => body.children[i] === node)) return;
    // Moving a node drops the focus inside it: give it back (a window resized while working).
    const focused = document.activeElement;
    body.replaceChildren(...order);
    if (focused instanceof HTMLElement && focused !== document.activeElement && body.contains(focused))
      focused.focus({ preventScroll: true });
  };
  const onWidthChange = () => {
    // A frame replaced by a new one (sign-in, language) stops following the width.
    if (body.isConnected) arrange();
    else narrow.removeEventListener('change', onWidthChange);
  };
  narrow.addEventListener('change', onWidthChange);
  // The skip link must not change the hash: that is the router's.
  const skip = h(
    'a',
    {
      href: '#main-content',
      class: 'skip-link',
      onclick: (event: Event) => {
        event.preventDefault();
        main.focus();
      },
    },
    t('app.skipToContent'),
  );
  const accountSlot = h('div', { class: 'header-account' });
  const bannerSlot = h('div', { class: 'banner-area' });
  const header = h(
    'header',
    { class: 'app-header' },
    h(
      'div',
      { class: 'header-inner' },
      h('span', { class: 'brand' }, logo(), h('span', { class: 'brand-name' }, t('app.name'))),
      h(
        'nav',
        { 'aria-label': t('nav.label'), class: 'app-nav' },
        h(
          'ul',
          { class: 'nav-list' },
          [...links.values()].map((link) => h('li', null, link)),
        ),
      ),
      accountSlot,
    ),
  );
  return {
    element: h('div', { class: 'shell' }, skip, header, bannerSlot, body),
    main,
    signedIn,
    accountSlot,
    setRoute(route) {
      for (const [name, link] of links) {
        if (name === route) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
    },
    setAside(panel) {
      aside = panel;
      body.classList.toggle('has-aside', panel !== null);
      arrange();
    },
    setBanner(banner) {
      bannerSlot.replaceChildren(...(banner ? [banner] : []));
    },
  };
}
