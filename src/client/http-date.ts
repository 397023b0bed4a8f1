// HTTP-date (RFC 9110 §5.6.7), strictly: IMF-fixdate and the two obsolete forms a recipient must
// still accept (rfc850-date, asctime-date). Date.parse is not used: it reads "-1", "1.5" and many
// other non-dates as dates.

const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const FIFTY_YEARS_MS = 50 * 365.2425 * 24 * 3600 * 1000;

/** `text[at, at+n)` as a number when it is exactly n ASCII digits, else -1. */
function digits(text: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

/** "hh:mm:ss" at `at` (00:00:00 to 23:59:60, the leap second included) as seconds of the day, else -1. */
function timeOfDay(text: string, at: number): number {
  if (text[at + 2] !== ":" || text[at + 5] !== ":") return -1;
  const [h, m, s] = [digits(text, at, 2), digits(text, at + 3, 2), digits(text, at + 6, 2)];
  if (h < 0 || m < 0 || s < 0 || h > 23 || m > 59 || s > 60) return -1;
  return h * 3600 + m * 60 + s;
}

/** The instant, or null when day, month and year name no calendar day. */
function instant(year: number, month: number, day: number, seconds: number): number | null {
  if (month < 0 || day < 1) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day); // not Date.UTC: it maps years 0-99 to 1900-1999
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return null; // Feb 30 and the like
  return date.getTime() + seconds * 1000;
}

/** IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`. */
function imfFixdate(text: string): number | null {
  if (text.length !== 29 || !DAY_NAMES.includes(text.slice(0, 3)) || text.slice(3, 5) !== ", ") return null;
  if (text[7] !== " " || text[11] !== " " || text[16] !== " " || text.slice(25) !== " GMT") return null;
  const day = digits(text, 5, 2);
  const year = digits(text, 12, 4);
  const seconds = timeOfDay(text, 17);
  if (day < 0 || year < 0 || seconds < 0) return null;
  return instant(year, MONTHS.indexOf(text.slice(8, 11)), day, seconds);
}

/** rfc850-date: `Sunday, 06-Nov-94 08:49:37 GMT`; a two-digit year more than 50 years ahead is the century before. */
function rfc850Date(text: string, now: number): number | null {
  const comma = text.indexOf(", ");
  if (comma < 0 || !LONG_DAY_NAMES.includes(text.slice(0, comma))) return null;
  const rest = text.slice(comma + 2);
  if (rest.length !== 22 || rest[2] !== "-" || rest[6] !== "-" || rest[9] !== " ") return null;
  if (rest.slice(18) !== " GMT") return null;
  const day = digits(rest, 0, 2);
  const yy = digits(rest, 7, 2);
  const seconds = timeOfDay(rest, 10);
  if (day < 0 || yy < 0 || seconds < 0) return null;
  const month = MONTHS.indexOf(rest.slice(3, 6));
  const century = Math.floor(new Date(now).getUTCFullYear() / 100) * 100;
  const candidate = instant(century + yy, month, day, seconds);
  if (candidate === null || candidate - now <= FIFTY_YEARS_MS) return candidate;
  return instant(century - 100 + yy, month, day, seconds);
}

/** asctime-date: `Sun Nov  6 08:49:37 1994` (the day is 2DIGIT or SP DIGIT). */
function asctimeDate(text: string): number | null {
  if (text.length !== 24 || !DAY_NAMES.includes(text.slice(0, 3)) || text[3] !== " " || text[7] !== " ") return null;
  if (text[10] !== " " || text[19] !== " ") return null;
  const day = text[8] === " " ? digits(text, 9, 1) : digits(text, 8, 2);
  const seconds = timeOfDay(text, 11);
  const year = digits(text, 20, 4);
  if (day < 0 || seconds < 0 || year < 0) return null;
  return instant(year, MONTHS.indexOf(text.slice(4, 7)), day, seconds);
}

/**
 * An HTTP-date as epoch milliseconds, or null when `text` is not one. Names of days, months and
 * `GMT` are case-sensitive (RFC 9110's `%s`); the day of the week is not checked against the date.
 * `now` decides the century of an rfc850-date's two-digit year.
 */
export function parseHttpDate(text: string, now: number): number | null {
  return imfFixdate(text) ?? asctimeDate(text) ?? rfc850Date(text, now);
}
