// The retry policy's parts: strict Retry-After parsing (RFC 9110 §10.2.3: delta-seconds or an
// HTTP-date), fuzzed against a reading of the RFC's grammar written here rule by rule; backoff
// bounds; a wait that ends on abort without leaving its timer or listener behind; and, on the wire,
// an invalid Retry-After falling back to the backoff instead of a retry at once.
import { getEventListeners } from "node:events";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffMs, parseRetryAfter, sleep } from "../../src/client/retry.js";
import { createInviteClient, invitePhone } from "../../src/index.js";
import { activeTimers } from "../support/timers.js";
import { loopback, reply } from "./loopback.js";

// ---- The reference: RFC 9110 §5.6.7 (HTTP-date) and §10.2.3 (Retry-After), transcribed ----
// Retry-After = HTTP-date / delay-seconds; delay-seconds = 1*DIGIT
// IMF-fixdate  = day-name "," SP date1 SP time-of-day SP GMT      date1 = day SP month SP year
// rfc850-date  = day-name-l "," SP date2 SP time-of-day SP GMT    date2 = day "-" month "-" 2DIGIT
// asctime-date = day-name SP date3 SP time-of-day SP year         date3 = month SP ( 2DIGIT / ( SP DIGIT ))
// time-of-day  = hour ":" minute ":" second  ; 00:00:00 - 23:59:60 (leap second)
// Names are case-sensitive (%s). rfc850's two-digit year: more than 50 years ahead means the century before.
const DAY = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const DAY_L = "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const TIME = "([0-9]{2}):([0-9]{2}):([0-9]{2})";
const IMF = new RegExp(`^${DAY}, ([0-9]{2}) ${MONTH} ([0-9]{4}) ${TIME} GMT$`);
const RFC850 = new RegExp(`^${DAY_L}, ([0-9]{2})-${MONTH}-([0-9]{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([0-9]{2}| [0-9]) ${TIME} ([0-9]{4})$`);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const YEAR_MS = 365.2425 * 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function referenceInstant(y: number, monthName: string, d: number, h: number, mi: number, s: number) {
  const m = MONTHS.indexOf(monthName) + 1;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  if (d < 1 || d > days || h > 23 || mi > 59 || s > 60) return null;
  return daysFromCivil(y, m, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000;
}

function referenceRetryAfter(value: string, now: number): number | null {
  const text = value.replace(/^[ \t]+/, "").replace(/[ \t]+$/, "");
  if (/^[0-9]+$/.test(text)) return Math.min(Number(text), 2 ** 31) * 1000;
  let at: number | null = null;
  let m: RegExpExecArray | null;
  if ((m = IMF.exec(text))) at = referenceInstant(+m[4]!, m[3]!, +m[2]!, +m[5]!, +m[6]!, +m[7]!);
  else if ((m = ASCTIME.exec(text))) at = referenceInstant(+m[7]!, m[2]!, +m[3]!.trim(), +m[4]!, +m[5]!, +m[6]!);
  else if ((m = RFC850.exec(text))) {
    const century = Math.floor(new Date(now).getUTCFullYear() / 100) * 100;
    at = referenceInstant(century + +m[4]!, m[3]!, +m[2]!, +m[5]!, +m[6]!, +m[7]!);
    if (at !== null && at - now > 50 * YEAR_MS)
      at = referenceInstant(century - 100 + +m[4]!, m[3]!, +m[2]!, +m[5]!, +m[6]!, +m[7]!);
  }
  return at === null ? null : Math.max(0, at - now);
}

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-21T12:00:00Z");

  it("reads delta-seconds, around optional whitespace", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter(" 120\t", now)).toBe(120_000);
    expect(parseRetryAfter("007", now)).toBe(7000);
    expect(parseRetryAfter("9".repeat(400), now)).toBe(2 ** 31 * 1000); // RFC 9111 §1.2.2's cap, not Infinity
  });

  it("refuses what is neither delta-seconds nor an HTTP-date: -1, 1.5 and their kin", () => {
    for (const value of [
      "-1",
      "1.5",
      "+1",
      "1e3",
      "0x10",
      "١٢", // Arabic-Indic digits are not DIGIT
      "1 2",
      "\n5",
      "\u00a05",
      "soon",
      "12abc",
      "",
      "   ",
      "2026-11-21T12:00:30Z", // ISO 8601: what Date.parse reads, not an HTTP-date
      "Sat, 21 Nov 2026 12:00:30 UTC",
      "sat, 21 Nov 2026 12:00:30 GMT", // case-sensitive names
      "Sat, 21 nov 2026 12:00:30 GMT",
      "Sat, 21 Nov 2026 12:00:30 gmt",
      "Sat, 1 Nov 2026 12:00:30 GMT", // day is 2DIGIT
      "Sat, 31 Nov 2026 12:00:30 GMT", // no 31 November
      "Sat, 21 Nov 2026 24:00:00 GMT",
      "Sat, 21 Nov 2026 12:60:00 GMT",
      "Sat, 21 Nov 2026 12:00:61 GMT",
      "Sat,  21 Nov 2026 12:00:30 GMT",
      "Saturday, 21 Nov 2026 12:00:30 GMT",
    ]) {
      expect(parseRetryAfter(value, now), JSON.stringify(value)).toBeNull();
    }
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it("reads the three HTTP-date forms as the time left, never negative", () => {
    expect(parseRetryAfter("Sat, 21 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Saturday, 21-Nov-26 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sat Nov 21 12:00:30 2026", now)).toBe(30_000);
    expect(parseRetryAfter("Sat Nov  1 12:00:30 2026", now)).toBe(0); // in the past
    expect(parseRetryAfter("Sat, 21 Nov 2026 11:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("Tue, 29 Feb 2028 00:00:00 GMT", now)).toBe(Date.parse("2028-02-29T00:00:00Z") - now);
    expect(parseRetryAfter("Sat, 21 Nov 2026 12:00:60 GMT", now)).toBe(60_000); // the leap second
    // rfc850's two-digit year: 99 is 1999 (2099 is more than 50 years ahead), 30 is 2030
    expect(parseRetryAfter("Friday, 31-Dec-99 23:59:59 GMT", now)).toBe(0);
    expect(parseRetryAfter("Monday, 01-Jan-30 00:00:00 GMT", now)).toBe(Date.parse("2030-01-01T00:00:00Z") - now);
  });

  // ---- the differential fuzz: the implementation against the reference above ----
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  const dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const longNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  const dateParts = fc.record({
    dayName: fc.integer({ min: 0, max: 6 }),
    day: fc.integer({ min: 0, max: 32 }),
    month: fc.integer({ min: 0, max: 11 }),
    year: fc.oneof(fc.integer({ min: 1990, max: 2080 }), fc.integer({ min: 0, max: 9999 })),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 62 }),
  });
  const dates = fc.tuple(dateParts, fc.integer({ min: 0, max: 2 })).map(([p, form]) => {
    const time = `${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}`;
    const month = MONTHS[p.month]!;
    if (form === 0) return `${dayNames[p.dayName]}, ${pad(p.day, 2)} ${month} ${pad(p.year, 4)} ${time} GMT`;
    if (form === 1) return `${longNames[p.dayName]}, ${pad(p.day, 2)}-${month}-${pad(p.year % 100, 2)} ${time} GMT`;
    const day = p.day < 10 && p.year % 2 === 0 ? ` ${p.day}` : pad(p.day, 2);
    return `${dayNames[p.dayName]} ${month} ${day} ${time} ${pad(p.year, 4)}`;
  });
  /** One edit of a valid value: a character replaced, inserted or removed, or the case of a letter flipped. */
  const mutated = fc
    .tuple(
      dates,
      fc.nat(),
      fc.constantFrom("replace", "insert", "remove", "case"),
      fc.constantFrom(..." ,-:0159GMTmtaJ\t"),
    )
    .map(([text, at, edit, char]) => {
      const i = at % text.length;
      if (edit === "replace") return text.slice(0, i) + char + text.slice(i + 1);
      if (edit === "insert") return text.slice(0, i) + char + text.slice(i);
      if (edit === "remove") return text.slice(0, i) + text.slice(i + 1);
      const c = text[i]!;
      return text.slice(0, i) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + text.slice(i + 1);
    });
  const numbers = fc.oneof(
    fc.nat().map(String),
    fc.integer().map(String),
    fc.double({ noNaN: true }).map(String),
    fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
  );
  const withSpace = (arb: fc.Arbitrary<string>) =>
    fc
      .tuple(fc.constantFrom("", " ", "\t", "  "), arb, fc.constantFrom("", " ", "\t", "\n"))
      .map(([a, s, b]) => a + s + b);
  const anything = fc.string({ unit: fc.constantFrom(..."0123456789 ,-:+.SatMonNovJanGMT\t"), maxLength: 32 });
  const nows = fc.integer({ min: Date.parse("1990-01-01T00:00:00Z"), max: Date.parse("2090-01-01T00:00:00Z") });

  it("agrees with the RFC's grammar on generated dates, one-edit mutants, numbers and arbitrary text", () => {
    fc.assert(
      fc.property(withSpace(fc.oneof(dates, mutated, numbers, anything)), nows, (value, at) => {
        expect(parseRetryAfter(value, at)).toBe(referenceRetryAfter(value, at));
      }),
      { numRuns: 20_000 },
    );
  });

  it("accepts what the grammar generates: every valid generated date parses", () => {
    fc.assert(
      fc.property(dates, nows, (value, at) => {
        const expected = referenceRetryAfter(value, at);
        if (expected !== null) expect(parseRetryAfter(value, at)).toBe(expected);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe("an invalid Retry-After on the wire", () => {
  for (const value of ["-1", "1.5"]) {
    it(`falls back to the backoff for Retry-After: ${value} instead of retrying at once`, async () => {
      const graph = await loopback(
        reply(503, "", { "retry-after": value }),
        reply(200, { id: "op", status: "running" }),
      );
      const client = createInviteClient({
        baseUrl: `${graph.base}/v1.0`,
        getToken: () => "t",
        retry: { baseDelayMs: 400 },
      });
      await client.invite("c", invitePhone("+12345678901"));
      expect(graph.seen).toHaveLength(2);
      // The first backoff is in [base/2, base]: at least 200 ms here
      expect(graph.seen[1]!.at - graph.seen[0]!.at).toBeGreaterThanOrEqual(190);
    });
  }
});

describe("backoffMs", () => {
  it("doubles per attempt, between half the ceiling and the ceiling", () => {
    expect([1, 2, 3].map((n) => backoffMs(n, 100, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((n) => backoffMs(n, 100, () => 1))).toEqual([100, 200, 400]);
    expect(backoffMs(2, 100, () => 0.5)).toBe(150);
  });
});

describe("sleep", () => {
  it("resolves after the delay and removes its abort listener", async () => {
    const controller = new AbortController();
    const started = performance.now();
    await sleep(30, controller.signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("rejects at once with the reason of a signal already aborted", async () => {
    const reason = new Error("stop");
    await expect(sleep(60_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it("rejects when the signal aborts during the wait, and clears its timer", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    const timersBefore = activeTimers();
    const waiting = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(reason), 10);
    await expect(waiting).rejects.toBe(reason);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });
});
