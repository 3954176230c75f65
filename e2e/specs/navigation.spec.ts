import type { TesseraBridge } from '../../common/ipc';
import { expect, test } from '../fixtures';
import { HOST_EVENT_SYMBOL } from '../support/host-names';
import { skipWithReason } from '../support/skip';

test.describe('navigating while main sends a session event', () => {
  test('a link followed just as a session event arrives still opens its page', async ({ window, app }) => {
    if (app.kind !== 'browser')
      skipWithReason(
        test.info(),
        'the session event is delivered at an exact moment through the browser host',
      );
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    // The link changes the address at once; its hashchange comes a task later. A session event handled
    // in between (main's, after a refresh or a policy change) must not put the old page's address back.
    await window.evaluate(async (key) => {
      const { tessera } = globalThis as unknown as { tessera: TesseraBridge };
      const view = await tessera.auth.getSession();
      globalThis.location.hash = '#/settings';
      (globalThis as unknown as Record<symbol, (event: string, payload: unknown) => void>)[Symbol.for(key)]?.(
        'session:changed',
        view,
      );
    }, HOST_EVENT_SYMBOL);
    await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await expect(window).toHaveURL(/#\/settings$/);
  });
});
