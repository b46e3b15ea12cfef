import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { MAX_NS, formatDuration, parseDuration } from '../../src/grammar/duration.js';
import { refusalOf } from '../helpers/refusal.js';

const US = 1_000n;
const MS = 1_000_000n;
const S = 1_000_000_000n;
const M = 60n * S;
const H = 60n * M;
const D = 24n * H;
const W = 7n * D;

// The error parseDuration threw, checked to be a one-line UsageError.
function refusal(text: string): UsageError {
  const error = refusalOf(() => parseDuration(text));
  expect(error.code).toBe('EUSAGE');
  expect(error.message).not.toMatch(/\.$/);
  expect(error.message).toMatch(/^[a-z"]/);
  return error;
}

describe('parseDuration accepts', () => {
  it.each<[string, bigint]>([
    // a bare number is seconds
    ['90', 90n * S],
    ['0', 0n],
    ['0.5', S / 2n],
    ['.5', S / 2n],
    ['1.', S],
    ['007', 7n * S],
    ['0.000000001', 1n],
    // every unit
    ['1ns', 1n], ['1nsec', 1n], ['2nsecs', 2n], ['1nanosecond', 1n], ['3nanoseconds', 3n],
    ['1us', US], ['1µs', US], ['1μs', US], ['1usec', US], ['1usecs', US], ['1µsec', US],
    ['1microsecond', US], ['2microseconds', 2n * US],
    ['1ms', MS], ['1msec', MS], ['1msecs', MS], ['1millisecond', MS], ['250milliseconds', 250n * MS],
    ['1s', S], ['1sec', S], ['2secs', 2n * S], ['1second', S], ['5seconds', 5n * S],
    ['1m', M], ['1min', M], ['2mins', 2n * M], ['1minute', M], ['3minutes', 3n * M],
    ['1h', H], ['1hr', H], ['2hrs', 2n * H], ['1hour', H], ['4hours', 4n * H],
    ['1d', D], ['1day', D], ['2days', 2n * D],
    ['1w', W], ['1week', W], ['2weeks', 2n * W],
    // compounds, with and without spaces
    ['1h30m', H + 30n * M],
    ['1h 30min', H + 30n * M],
    ['1min 30s', 90n * S],
    ['1h15m30.918273645s', 4530918273645n],
    ['55s500ms', 55n * S + 500n * MS],
    ['1d2h3m4s5ms6us7ns', D + 2n * H + 3n * M + 4n * S + 5n * MS + 6n * US + 7n],
    ['1 h 30 min', H + 30n * M],
    ['5 s', 5n * S],
    ['1s 1s', 2n * S],
    ['1s\t2s', 3n * S],
    // fractions on any unit
    ['1.5m', 90n * S],
    ['1.5h', 90n * M],
    ['.5s', S / 2n],
    ['1.s', S],
    ['0.25d', 6n * H],
    ['1.5ms', 1_500_000n],
    ['1.000000000000000000000s', S],
    ['0.000001ms', 1n],
    ['000000000000000000000000001s', S],
    // surrounding whitespace
    ['  90  ', 90n * S],
    ['\t1h\n', H],
    // ISO 8601
    ['PT1M30S', 90n * S],
    ['P1DT2H', D + 2n * H],
    ['PT0.5S', S / 2n],
    ['PT0,5S', S / 2n],
    ['P2W', 2n * W],
    ['PT1H30M', H + 30n * M],
    ['P1W2DT3H4M5.000000006S', W + 2n * D + 3n * H + 4n * M + 5n * S + 6n],
    ['PT1.5H', 90n * M],
    ['P1.5D', 36n * H],
    ['pt1m', M],
    ['P1D', D],
    ['PT0S', 0n],
    // the limit, exactly
    [`${MAX_NS}ns`, MAX_NS],
    ['15250w1d23h47m16s854ms775us807ns', MAX_NS],
    ['9223372036.854775807s', MAX_NS],
  ])('%j = %sns', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });
});

describe('parseDuration refuses', () => {
  it.each<[string, string]>([
    ['', 'empty duration: ""'],
    ['   ', 'empty duration: "   "'],
    ['-5s', 'negative durations are not allowed: "-5s"'],
    ['-PT5S', 'negative durations are not allowed: "-PT5S"'],
    ['+5s', 'unexpected "+" in "+5s"'],
    ['5x', 'unknown unit "x" in "5x"'],
    ['5S', 'unknown unit "S" in "5S" (units are lowercase)'],
    ['5Min', 'unknown unit "Min" in "5Min" (units are lowercase)'],
    ['1h30', 'missing unit after "30" in "1h30"'],
    ['1h 30', 'missing unit after "30" in "1h 30"'],
    ['30 1h', 'missing unit after "30" in "30 1h"'],
    ['1 2', 'missing unit after "1" in "1 2"'],
    ['1e3', 'unknown unit "e" in "1e3"'],
    ['0x10', 'unknown unit "x" in "0x10"'],
    ['inf', 'missing number before "inf" in "inf"'],
    ['infinity', 'missing number before "infinity" in "infinity"'],
    ['nan', 'missing number before "nan" in "nan"'],
    ['NaN', 'missing number before "NaN" in "NaN"'],
    ['s', 'missing number before "s" in "s"'],
    ['1..5s', 'unexpected "." in "1..5s"'],
    ['1.5.5s', 'unexpected "." in "1.5.5s"'],
    ['.', 'unexpected "." in "."'],
    ['.s', 'unexpected "." in ".s"'],
    ['1h-5m', 'unexpected "-" in "1h-5m"'],
    ['1,5s', 'unexpected "," in "1,5s"'],
    ['1M', 'months and years have no fixed length: "M" in "1M"'],
    ['2months', 'months and years have no fixed length: "months" in "2months"'],
    ['1month', 'months and years have no fixed length: "month" in "1month"'],
    ['292y', 'months and years have no fixed length: "y" in "292y"'],
    ['1year', 'months and years have no fixed length: "year" in "1year"'],
    ['2years', 'months and years have no fixed length: "years" in "2years"'],
    ['P1M', 'months and years have no fixed length: "1M" in "P1M"'],
    ['P1Y', 'months and years have no fixed length: "1Y" in "P1Y"'],
    ['P', 'empty ISO 8601 duration: "P"'],
    ['PT', 'nothing after "T" in "PT"'],
    ['P1DT', 'nothing after "T" in "P1DT"'],
    ['PT30', 'missing designator after "30" in "PT30"'],
    ['PT1S2M', '"2M" is repeated or out of order in "PT1S2M"'],
    ['PT1S1S', '"1S" is repeated or out of order in "PT1S1S"'],
    ['P1H', '"1H" must come after "T" in "P1H"'],
    ['PT1D', '"1D" must come before "T" in "PT1D"'],
    ['PT1X', 'unexpected "X" in "PT1X"'],
    ['PT 1S', 'unexpected " " in "PT 1S"'],
    ['PTT1S', 'missing number before "T" in "PTT1S"'],
    ['0.0000000001s', 'finer than a nanosecond: "0.0000000001s" in "0.0000000001s"'],
    ['0.5ns', 'finer than a nanosecond: "0.5ns" in "0.5ns"'],
    ['0.0000001ms', 'finer than a nanosecond: "0.0000001ms" in "0.0000001ms"'],
    ['1.0000000000000000001w', 'finer than a nanosecond: "1.0000000000000000001w" in "1.0000000000000000001w"'],
    [`${MAX_NS + 1n}ns`, `duration too large (max about 292 years): "${MAX_NS + 1n}ns"`],
    ['15251w', 'duration too large (max about 292 years): "15251w"'],
    ['15250w 15250w', 'duration too large (max about 292 years): "15250w 15250w"'],
    ['P15251W', 'duration too large (max about 292 years): "P15251W"'],
    ['100000000000000000000ns', 'duration too large (max about 292 years): "100000000000000000000ns"'],
    ['5\u0000s', 'unexpected "\\u0000" in "5\\u0000s"'],
    ['5\u0007', 'unexpected "\\u0007" in "5\\u0007"'],
    ['5\u2028s', 'unexpected "\\u2028" in "5\\u2028s"'],
    ['5\u0085s', 'unexpected "\\u0085" in "5\\u0085s"'],
    ['5\u202es', 'unexpected "\\u202e" in "5\\u202es"'],
    ['\ufffd5s', 'unexpected "\ufffd" in "\ufffd5s"'],
    ['5\ud800', 'unexpected "\\ud800" in "5\\ud800"'],
    ['5😀', 'unexpected "😀" in "5😀"'],
    ['5"s', 'unexpected "\\"" in "5\\"s"'],
  ])('%j: %s', (text, message) => {
    expect(refusal(text).message).toBe(message);
  });

  it('cuts a long input short in the message', () => {
    const message = refusal('1s '.repeat(1000) + 'x').message;
    expect(message.length).toBeLessThan(200);
    expect(message).toContain('"x" in "1s 1s');
    expect(message).toContain('… (3001 characters)');
  });
});

describe('parseDuration is linear', () => {
  const N = 100_000;
  it.each<[string, string]>([
    ['accepted compound', '1s '.repeat(N / 3)],
    ['digits', '1'.repeat(N)],
    ['zeros then a unit', '0'.repeat(N) + 's'],
    ['fraction digits', '0.' + '0'.repeat(N) + '1s'],
    ['trailing zeros', '1.' + '0'.repeat(N) + 's'],
    ['letters', 'x'.repeat(N)],
    ['a long unit', '1' + 's'.repeat(N)],
    ['spaces inside', '1' + ' '.repeat(N) + 'x'],
    ['dots', '.'.repeat(N)],
    ['bare numbers', '1 '.repeat(N / 2)],
    ['ISO', 'PT' + '1'.repeat(N) + 'S'],
    ['ISO fraction', 'PT0.' + '5'.repeat(N) + 'S'],
    ['whitespace', ' '.repeat(N)],
    ['alternating', '1s1'.repeat(N / 3)],
  ])('answers 100,000 characters of %s fast', (_name, text) => {
    const started = performance.now();
    try {
      parseDuration(text);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
    }
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('formatDuration', () => {
  it.each<[bigint, string]>([
    [0n, '0s'],
    [1n, '1ns'],
    [250n * MS, '250ms'],
    [90n * S, '1m30s'],
    [H + 30n * M, '1h30m'],
    [D + 2n * H + 3n * M + 4n * S + 5n * MS + 6n * US + 7n, '1d2h3m4s5ms6us7ns'],
    [W, '1w'],
    [MAX_NS, '15250w1d23h47m16s854ms775us807ns'],
  ])('%sns = %s', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });

  it('refuses values a timer cannot hold', () => {
    expect(() => formatDuration(-1n)).toThrow(RangeError);
    expect(() => formatDuration(MAX_NS + 1n)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const answers = (text: string): boolean => {
    try {
      const ns = parseDuration(text);
      return typeof ns === 'bigint' && ns >= 0n && ns <= MAX_NS;
    } catch (error) {
      return error instanceof UsageError && error.exitCode === 125 && !/[\n\r]/.test(error.message);
    }
  };

  it('any string gives a duration in range or a UsageError', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    const nearMiss = fc.constantFrom(
      ...'0123456789.,-+ PTWDHMSYpt'.split(''),
      'ms', 'us', 'µs', 'μs', 'ns', 'min', 'h', 'd', 'w', 'M', 'y', 'e', 'x', '\u0000', '\ufffd',
    );
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => answers(text)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: codeUnit }), (text) => answers(text)), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.string({ unit: nearMiss, maxLength: 40 }), (text) => answers(text)),
      { numRuns: 5000 },
    );
  });

  it('parseDuration(formatDuration(n)) === n', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_NS }), (ns) => parseDuration(formatDuration(ns)) === ns),
      { numRuns: 2000 },
    );
    // Small values hit the short forms ("0s", "1ns", "999ms").
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n * S }), (ns) => parseDuration(formatDuration(ns)) === ns),
      { numRuns: 500 },
    );
  });

  it('a compound sums its components', () => {
    const units: ReadonlyArray<readonly [string, bigint]> = [
      ['ns', 1n], ['nsec', 1n], ['us', US], ['µs', US], ['μs', US], ['usec', US],
      ['ms', MS], ['msec', MS], ['s', S], ['sec', S], ['seconds', S],
      ['m', M], ['min', M], ['minutes', M], ['h', H], ['hr', H], ['hours', H],
      ['d', D], ['days', D], ['w', W], ['weeks', W],
    ];
    const component = fc.record({
      whole: fc.bigInt({ min: 0n, max: 1000n }), // 8 × 1000 weeks stays below MAX_NS
      fraction: fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), maxLength: 9 }),
      unit: fc.constantFrom(...units),
      gap: fc.constantFrom('', ' ', '  '),
      inner: fc.constantFrom('', ' '),
    });
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 8 }), (parts) => {
        let text = '';
        let expected = 0n;
        let exact = true;
        for (const { whole, fraction, unit, gap, inner } of parts) {
          const [name, size] = unit;
          text += `${gap}${whole}${fraction ? `.${fraction}` : ''}${inner}${name}`;
          const scale = 10n ** BigInt(fraction.length);
          const scaled = (whole * scale + BigInt(fraction || '0')) * size;
          if (scaled % scale !== 0n) exact = false;
          expected += scaled / scale;
        }
        if (!exact) {
          return refusal(text).message.startsWith('finer than a nanosecond: ');
        }
        return parseDuration(text) === expected;
      }),
      { numRuns: 2000 },
    );
  });
});
