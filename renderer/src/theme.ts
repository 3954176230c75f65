import type { Settings } from '../../common/settings';

/**
 * Applies the theme setting. `system` leaves the choice to the `prefers-color-scheme` media query
 * in styles.css; `light`/`dark` pin it through the `data-theme` attribute on <html>.
 */
export function applyTheme(theme: Settings['theme'], root: HTMLElement = document.documentElement): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
