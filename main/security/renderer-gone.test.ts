import { describe, expect, it } from 'vitest';
import { afterRendererGone, RELOAD_AGAIN_AFTER_MS, type RendererGoneReason } from './renderer-gone';

describe('afterRendererGone()', () => {
  it.each<RendererGoneReason>(['crashed', 'oom', 'killed', 'abnormal-exit', 'memory-eviction'])(
    'reloads a page whose process ended (%s), once a minute at most',
    (reason) => {
      expect(afterRendererGone(reason, null)).toBe('reload');
      expect(afterRendererGone(reason, RELOAD_AGAIN_AFTER_MS - 1)).toBe('leave');
      expect(afterRendererGone(reason, RELOAD_AGAIN_AFTER_MS)).toBe('reload');
    },
  );

  it.each<RendererGoneReason>(['clean-exit', 'launch-failed', 'integrity-failure'])(
    'leaves a page whose process ended so that a reload would not help (%s)',
    (reason) => {
      expect(afterRendererGone(reason, null)).toBe('leave');
    },
  );
});
