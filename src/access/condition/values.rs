//! The typed values condition operators compare: numbers, dates, IP
//! ranges, base-64 binaries. Each reader returns `None` for text it cannot
//! read, and the operator's answer is then unknown, never a guess.

use std::cmp::Ordering;
use std::net::IpAddr;

/// A decimal number, exactly (no floating point: `0.1` and `0.10` are
/// equal, `9007199254740993` is not `9007199254740992`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decimal {
    /// Below zero (never for zero itself).
    negative: bool,
    /// The integer digits, without leading zeros.
    whole: String,
    /// The fraction digits, without trailing zeros.
    fraction: String,
}

impl Decimal {
    /// Reads `12`, `-3`, `+4.50`, `.5`, `7.`: an optional sign, digits and
    /// an optional fraction, at least one digit. No exponent.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, digits) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
            return None;
        }
        let whole = whole.trim_start_matches('0').to_string();
        let fraction = fraction.trim_end_matches('0').to_string();
        let zero = whole.is_empty() && fraction.is_empty();
        Some(Decimal {
            negative: negative && !zero,
            whole,
            fraction,
        })
    }

    fn magnitude_cmp(&self, other: &Decimal) -> Ordering {
        self.whole
            .len()
            .cmp(&other.whole.len())
            .then_with(|| self.whole.cmp(&other.whole))
            .then_with(|| self.fraction.cmp(&other.fraction))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.magnitude_cmp(other),
            (true, true) => other.magnitude_cmp(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// An instant: seconds since 1970-01-01T00:00:00Z and nanoseconds.
pub type Instant = (i64, u32);

/// Reads a date as the Date operators take it ("IAM JSON policy elements:
/// Condition operators", Date condition operators: "one of the W3C
/// implementations of the ISO 8601 date formats or in epoch (UNIX) time"):
/// epoch seconds (`1577836801`; "AWS global condition context keys",
/// aws:EpochTime: "the number of seconds since January 1, 1970"), or `YYYY`, `YYYY-MM`, `YYYY-MM-DD`,
/// `YYYY-MM-DDThh:mmTZD`, `YYYY-MM-DDThh:mm:ssTZD`,
/// `YYYY-MM-DDThh:mm:ss.sTZD` with `TZD` = `Z` or `+hh:mm` / `-hh:mm`
/// (<http://www.w3.org/TR/NOTE-datetime>). A date without a time is its
/// first instant, in UTC. Four digits alone are `None`: a year and epoch
/// seconds read the same.
pub fn parse_date(text: &str) -> Option<Instant> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // Four digits are a year (`YYYY`) or epoch seconds: idpc cannot
        // tell which IAM reads.
        return if text.len() == 4 {
            None
        } else {
            Some((text.parse().ok()?, 0))
        };
    }
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year: i64 = number(parts.next()?, 4)?;
    let month = parts.next().map_or(Some(1), |m| number(m, 2))?;
    let day = parts.next().map_or(Some(1), |d| number(d, 2))?;
    if parts.next().is_some() || !(1..=12).contains(&month) || day < 1 {
        return None;
    }
    if day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let (seconds, nanos) = match time {
        Some(time) => parse_time(time, date.len() == 10)?,
        None => (0, 0),
    };
    Some((days * 86_400 + seconds, nanos))
}

/// `hh:mm[:ss[.s+]]TZD`: seconds from midnight UTC (may be negative or
/// past a day, as the offset moves it) and nanoseconds.
fn parse_time(time: &str, full_date: bool) -> Option<(i64, u32)> {
    if !full_date {
        return None;
    }
    let (clock, offset) = if let Some(clock) = time.strip_suffix('Z') {
        (clock, 0)
    } else {
        let at = time.rfind(['+', '-'])?;
        let (clock, zone) = time.split_at(at);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (h, m) = zone[1..].split_once(':')?;
        let (h, m): (i64, i64) = (number(h, 2)?, number(m, 2)?);
        if h > 23 || m > 59 {
            return None;
        }
        (clock, sign * (h * 3600 + m * 60))
    };
    let mut fields = clock.splitn(3, ':');
    let hour: i64 = number(fields.next()?, 2)?;
    let minute: i64 = number(fields.next()?, 2)?;
    let (second, nanos) = match fields.next() {
        None => (0, 0),
        Some(s) => {
            let (whole, fraction) = match s.split_once('.') {
                Some((w, f)) => (w, Some(f)),
                None => (s, None),
            };
            let second: i64 = number(whole, 2)?;
            let nanos = match fraction {
                None => 0,
                Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
                    let mut digits: String = f.chars().take(9).collect();
                    while digits.len() < 9 {
                        digits.push('0');
                    }
                    digits.parse().ok()?
                }
                Some(_) => return None,
            };
            (second, nanos)
        }
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some((hour * 3600 + minute * 60 + second - offset, nanos))
}

/// Exactly `width` ASCII digits.
fn number<T: std::str::FromStr>(text: &str, width: usize) -> Option<T> {
    if text.len() != width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An IP range: an address and how many leading bits must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// The address as written.
    pub address: IpAddr,
    /// The prefix length; `None` when the value gives none.
    pub prefix: Option<u8>,
}

/// Reads `203.0.113.0/24`, `2001:DB8:1234:5678::/64`, or an address alone.
pub fn parse_range(text: &str) -> Option<Range> {
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => {
            if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (address, Some(prefix.parse::<u8>().ok()?))
        }
        None => (text, None),
    };
    let address: IpAddr = address.parse().ok()?;
    let bits = if address.is_ipv4() { 32 } else { 128 };
    if prefix.is_some_and(|p| p > bits) {
        return None;
    }
    Some(Range { address, prefix })
}

/// Whether the first `prefix` bits of two addresses of one family agree
/// (`None` for different families).
pub fn same_prefix(a: IpAddr, b: IpAddr, prefix: u8) -> Option<bool> {
    let (a, b, bits) = match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            (u128::from(u32::from(a)), u128::from(u32::from(b)), 32u32)
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128u32),
        _ => return None,
    };
    let shift = bits - u32::from(prefix);
    Some(a.checked_shr(shift).unwrap_or(0) == b.checked_shr(shift).unwrap_or(0))
}

/// Decodes standard base 64 (with its `=` padding).
pub fn base64(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let sextet = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    for (i, chunk) in text.chunks(4).enumerate() {
        let last = i + 1 == text.len() / 4;
        let padding = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if padding > 2 || (padding > 0 && !last) {
            return None;
        }
        let mut word = 0u32;
        for &c in &chunk[..4 - padding] {
            word = (word << 6) | sextet(c)?;
        }
        word <<= 6 * padding as u32;
        let three = [(word >> 16) as u8, (word >> 8) as u8, word as u8];
        bytes.extend_from_slice(&three[..3 - padding]);
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_exactly() {
        let d = |s: &str| Decimal::parse(s);
        assert_eq!(d("10"), d("10.0"));
        assert_eq!(d("-0"), d("0"));
        assert!(d("9.5") < d("10"));
        assert!(d("-10") < d("-9.5"));
        assert!(d("0.5") < d("0.51"));
        assert!(d("9007199254740992") < d("9007199254740993"));
        assert_eq!(d("1e3"), None);
        assert_eq!(d(""), None);
        assert_eq!(d("."), None);
        assert_eq!(d("ten"), None);
    }

    #[test]
    fn dates_in_w3c_forms_and_epoch_seconds() {
        // The page's example value.
        assert_eq!(parse_date("2020-01-01T00:00:01Z"), Some((1_577_836_801, 0)));
        assert_eq!(parse_date("1577836801"), Some((1_577_836_801, 0)));
        assert_eq!(parse_date("2020-01-01"), Some((1_577_836_800, 0)));
        assert_eq!(parse_date("2020-01"), Some((1_577_836_800, 0)));
        assert_eq!(parse_date("2020"), None);
        assert_eq!(
            parse_date("2020-01-01T01:00:01+01:00"),
            Some((1_577_836_801, 0))
        );
        assert_eq!(parse_date("2020-01-01T00:00Z"), Some((1_577_836_800, 0)));
        assert_eq!(
            parse_date("2020-01-01T00:00:01.5Z"),
            Some((1_577_836_801, 500_000_000))
        );
        assert_eq!(parse_date("2020-02-30"), None);
        assert_eq!(parse_date("2020-01-01T00:00:01"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn ranges_and_prefixes() {
        let r = parse_range("203.0.113.0/24");
        assert_eq!(r.map(|r| r.prefix), Some(Some(24)));
        assert_eq!(parse_range("203.0.113.0/33"), None);
        assert!(parse_range("2001:DB8:1234:5678::/64").is_some());
        let ip = |s: &str| s.parse::<IpAddr>().ok();
        if let (Some(a), Some(b)) = (ip("203.0.113.7"), ip("203.0.113.0")) {
            assert_eq!(same_prefix(a, b, 24), Some(true));
            assert_eq!(same_prefix(a, b, 32), Some(false));
            assert_eq!(same_prefix(a, b, 0), Some(true));
        }
    }

    #[test]
    fn base64_decodes_the_pages_example() {
        assert_eq!(
            base64("QmluYXJ5VmFsdWVJbkJhc2U2NA=="),
            Some(b"BinaryValueInBase64".to_vec())
        );
        assert_eq!(base64("QQ=="), Some(b"A".to_vec()));
        assert_eq!(base64("QUI="), Some(b"AB".to_vec()));
        assert_eq!(base64("Q"), None);
        assert_eq!(base64("Q=Q="), None);
    }
}
