// bench/README.md: the figures of the recorded run are generated from bench/results.json, and the
// prose quotes none that the file does not hold.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECORDED_END, RECORDED_START, withRecordedFigures } from '../../bench/recorded-figures';
import type { Results } from '../../bench/report';

/**
 * Sentences that speak of the recorded run or of what bench/results.json holds: "the recorded run",
 * "recorded in `bench/results.json`", "(the run kept in results.json)", "`bench/results.json` holds".
 */
const RECORDED_RUN =
  /recorded (run|machine|one)|recorded in `?(bench\/)?results\.json|(run|figures?) (kept|recorded|held) in `?(bench\/)?results\.json|kept in `?(bench\/)?results\.json|results\.json`? (now )?holds/i;

function recordedRunSentences(markdown: string): string[] {
  const text = markdown.replace(/```[\s\S]*?```/g, '');
  return text
    .split(/\n\s*\n|(?<=[.!?])\s+(?=[A-Z*`(])/)
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
    .filter((sentence) => RECORDED_RUN.test(sentence));
}

/** Every number in `results` (medians, ranges and single figures; not the per-round lists). */
function figuresOf(results: unknown): number[] {
  const out: number[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'number' && Number.isFinite(value)) out.push(value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) Object.values(value).forEach(walk);
  };
  walk(results);
  return out;
}

/** The numbers quoted in `sentence` that no figure of `results` rounds to, as written. */
function unrecordedFigures(sentence: string, results: unknown): string[] {
  const figures = figuresOf(results);
  const quoted =
    sentence.match(/(?<![\w.])[−-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])[−-]?\d+(?:\.\d+)?/g) ?? [];
  return quoted.filter((written) => {
    const plain = written.replaceAll(',', '').replace('−', '-');
    const decimals = plain.split('.')[1]?.length ?? 0;
    return !figures.some((figure) => figure.toFixed(decimals) === Number(plain).toFixed(decimals));
  });
}

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const results = () => JSON.parse(read('bench/results.json')) as Results;

describe('bench/README.md', () => {
  it('lists the recorded run as `npm run docs:bench` generates it from bench/results.json', () => {
    const text = read('bench/README.md');
    expect(text).toBe(withRecordedFigures(text, results()));
  });

  it('quotes, where its prose speaks of the recorded run, only figures bench/results.json holds', () => {
    const text = read('bench/README.md');
    const prose = text.slice(0, text.indexOf(RECORDED_START)) + text.slice(text.indexOf(RECORDED_END));
    const sentences = recordedRunSentences(prose);
    // The prose points at the recorded run in several places: the check has something to check.
    expect(sentences.length).toBeGreaterThan(3);
    const stray = sentences.flatMap((sentence) =>
      unrecordedFigures(sentence, results()).map((figure) => `${figure} in: ${sentence}`),
    );
    expect(stray).toEqual([]);
  });
});

describe('the recorded-run figure check', () => {
  it('checks a sentence that points at the run kept in results.json, whatever its wording', () => {
    // bench/README.md said so of a run results.json no longer held (28.2 ms, 17,318 requests/s).
    const recorded = {
      silentSignIn: { freshProcess: { p50Ms: 28.2 } },
      server: { meHs256Rps: { median: 17318 } },
    };
    const prose =
      'Two runs gave 30 ms at about 10,400 requests per second, and 26 ms (the run kept in results.json) when it answered 16,700.';
    const [sentence, ...more] = recordedRunSentences(prose);
    expect(more).toEqual([]);
    expect(unrecordedFigures(sentence ?? '', recorded)).toEqual(['30', '10,400', '26', '16,700']);
    expect(recordedRunSentences('The run `bench/results.json` holds now: 28.2 ms.')).toHaveLength(1);
  });

  const recorded = {
    soakHeap: { refreshes: 42, heapBeforeMb: 16.76, slope: { median: 1.04, min: 0.98, max: 1.19 } },
  };

  it('finds a stale figure in a sentence about the recorded run, and passes the recorded ones', () => {
    const prose =
      'Before the fix it grew 3.1 MB. The run recorded in `bench/results.json` made 41 refreshes, heap 16.76 MB, ratio 1.04 (0.98–1.19).';
    const [sentence, ...more] = recordedRunSentences(prose);
    expect(more).toEqual([]);
    expect(unrecordedFigures(sentence ?? '', recorded)).toEqual(['41']);
  });
});
