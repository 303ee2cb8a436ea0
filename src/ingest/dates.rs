//! Dates: ISO 8601 strings pass through, Unix seconds become ISO 8601 UTC date-times, and RFC 2822 dates
//! (mail, RSS) and Twitter's `created_at` become ISO 8601 date-times with their offset.

/// Normalises `s` to ISO 8601, or `None` when it is none of ISO 8601, Unix seconds, RFC 2822 or Twitter's
/// `created_at`.
pub fn to_iso(s: &str) -> Option<String> {
    let s = s.trim();
    // Eight digits that are a date from 1900 to 2100 are ISO 8601's basic form (20180706), as exports
    // write it: as Unix seconds they would fall in August 1970, before any comment section.
    if let Some(iso) = basic_date(s) {
        return Some(iso);
    }
    // Unix seconds from 10^8 (1973-03-03): smaller numbers are no comment's date but what exports write
    // for none (0), a year (2018), a year and month (201807) or a basic date that does not exist
    // (20180231), each of which became a wrong date in 1970 in every table.
    if let Ok(secs) = s.parse::<f64>() {
        if secs.is_finite() && (UNIX_FROM..1e11).contains(&secs) {
            return Some(from_unix(secs.floor() as i64));
        }
        return None;
    }
    // ISO 8601 as jiff reads it: a calendar date that exists (no 2018-02-31), optionally a time and an
    // offset, and nothing after them (no 2018-07-06xyz). The text passes through as written (its clock
    // time and offset kept), except that a space between date and time becomes ISO 8601's `T`.
    let valid = s.parse::<jiff::civil::Date>().is_ok()
        || s.parse::<jiff::civil::DateTime>().is_ok()
        || s.parse::<jiff::Timestamp>().is_ok();
    if valid && s.as_bytes().get(4) == Some(&b'-') {
        let mut iso = s.to_string();
        if matches!(iso.as_bytes().get(10), Some(b' ' | b't')) {
            iso.replace_range(10..11, "T");
        }
        return Some(iso);
    }
    with_offset(s)
}

/// Why `s`, shaped as an RFC 2822 date (a weekday and a comma, or a day and a month name) or as
/// Twitter's (a weekday and a month name), is not one [`to_iso`] reads: jiff's reason (a weekday the date
/// does not fall on, a day the month does not have). `None` for any other shape.
pub fn offset_reason(s: &str) -> Option<String> {
    let b = s.trim().as_bytes();
    let alpha = |r: std::ops::Range<usize>| {
        b.get(r)
            .is_some_and(|x| x.iter().all(u8::is_ascii_alphabetic))
    };
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let rfc = (alpha(0..3) && b.get(3) == Some(&b','))
        || ((1..=2).contains(&digits)
            && b.get(digits) == Some(&b' ')
            && alpha(digits + 1..digits + 4));
    let twitter = alpha(0..3) && b.get(3) == Some(&b' ') && alpha(4..7) && b.get(7) == Some(&b' ');
    let s = s.trim();
    // jiff's reason without the layers of its parsers' context, which name jiff's own types.
    let plain = |e: jiff::Error, context: &[&str]| {
        let mut why = e.to_string();
        for c in context {
            if let Some(rest) = why.strip_prefix(c) {
                why = rest.to_string();
            }
        }
        why
    };
    if rfc {
        let e = jiff::fmt::rfc2822::parse(s).err()?;
        Some(format!(
            "not an RFC 2822 date: {}",
            plain(
                e,
                &["failed to parse RFC 2822 datetime into Jiff zoned datetime: "]
            )
        ))
    } else if twitter {
        let e = jiff::fmt::strtime::parse(TWITTER, s)
            .and_then(|t| t.to_zoned())
            .err()?;
        let context = [
            "datetime required to parse zoned datetime: ",
            "date required to parse datetime: ",
            "strptime parsing failed: ",
        ];
        Some(format!(
            "not a date in Twitter's form (Tue Jun 05 10:00:00 +0000 2018): {}",
            plain(e, &context)
        ))
    } else {
        None
    }
}

/// Twitter's `created_at` as jiff's strptime reads it.
const TWITTER: &str = "%a %b %d %H:%M:%S %z %Y";

/// The weekdays as RFC 2822 and Twitter abbreviate them.
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// RFC 2822 (`Tue, 05 Jun 2018 10:00:00 +0000`, as mail and RSS feeds write dates) or Twitter's
/// `created_at` (`Tue Jun 05 10:00:00 +0000 2018`, as the v1.1 API and its archives write them), read by
/// jiff (a day the month does not have is refused), as ISO 8601: the clock time as written and its offset,
/// `Z` for UTC.
fn with_offset(s: &str) -> Option<String> {
    // Both open with a weekday or a day: a letter or a digit, never a sign or a space.
    if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let twitter =
        |s: &str, format: &str| jiff::fmt::strtime::parse(format, s).ok()?.to_zoned().ok();
    // A weekday that the date does not fall on is read past, as Python's email.utils and feedparser
    // read it: the day, month and year say the date, and feeds that write it wrong are common.
    let weekday = s
        .get(..3)
        .filter(|w| WEEKDAYS.iter().any(|d| d.eq_ignore_ascii_case(w)));
    let zoned = jiff::fmt::rfc2822::parse(s)
        .ok()
        .or_else(|| twitter(s, TWITTER))
        .or_else(|| {
            weekday?;
            let rest = s[3..].strip_prefix(',').unwrap_or(&s[3..]).trim_start();
            jiff::fmt::rfc2822::parse(rest)
                .ok()
                .or_else(|| twitter(rest, "%b %d %H:%M:%S %z %Y"))
        })?;
    let utc = zoned.offset().seconds() == 0;
    // Written as jiff formats it: `%:z` is `+05:30`.
    Some(
        zoned
            .strftime(if utc {
                "%Y-%m-%dT%H:%M:%SZ"
            } else {
                "%Y-%m-%dT%H:%M:%S%:z"
            })
            .to_string(),
    )
}

/// What an ISO 8601 date from [`to_iso`] stands for when it is a placeholder for no date: the first day
/// of year 1 (Go's zero time, .NET's `DateTime.MinValue`) or the Unix epoch, as exports write an unset
/// date (the epoch is Unix seconds 0, which [`to_iso`] does not read either): at midnight without an
/// offset, or the same instant in any offset (1969-12-31T19:00:00-05:00).
pub fn placeholder(iso: &str) -> Option<&'static str> {
    let day = iso.get(..10)?;
    if day == "0001-01-01" {
        return Some("year 1's first day, Go's and .NET's zero time");
    }
    // Every record's date comes here: only the days the epoch falls on in some offset (jiff reads up to
    // ±25:59:59) are parsed again.
    if !("1969-12-30"..="1970-01-02").contains(&day) {
        return None;
    }
    let epoch = match iso.parse::<jiff::Timestamp>() {
        Ok(t) => t == jiff::Timestamp::UNIX_EPOCH,
        Err(_) => iso
            .parse::<jiff::civil::DateTime>()
            .is_ok_and(|t| t == jiff::civil::date(1970, 1, 1).at(0, 0, 0, 0)),
    };
    epoch.then_some("the Unix epoch (Unix seconds 0)")
}

/// The least number read as Unix seconds: 10^8, 1973-03-03T09:46:40Z.
pub const UNIX_FROM: f64 = 1e8;

/// Whether `s` is four digits from 1900 to 2100: a year.
pub fn year_alone(s: &str) -> bool {
    s.len() == 4 && s.parse::<u16>().is_ok_and(|y| (1900..=2100).contains(&y))
}

/// `YYYYMMDD`, a date that exists from 1900 to 2100, as `YYYY-MM-DD`.
fn basic_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) || !matches!(&s[..2], "19" | "20" | "21") {
        return None;
    }
    let iso = format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..]);
    let date = iso.parse::<jiff::civil::Date>().ok()?;
    (1900..=2100).contains(&date.year()).then_some(iso)
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC).
pub fn from_unix(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (h, min, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let year = match u32::try_from(y) {
        Ok(year) if year < 10_000 => year,
        _ => return format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z"),
    };
    // Years 0 to 9999 digit by digit: a record's date is formatted once per record, and fmt's machinery
    // was a few per cent of `score --raw` on a corpus with Unix dates.
    let digit = |v: u32| b'0' + (v % 10) as u8;
    let two = |v: u32| [digit(v / 10), digit(v)];
    let (h, min, s) = (h as u32, min as u32, s as u32);
    let mut out = [0u8; 20];
    out[..4].copy_from_slice(&[
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
    ]);
    out[4] = b'-';
    out[5..7].copy_from_slice(&two(m));
    out[7] = b'-';
    out[8..10].copy_from_slice(&two(d));
    out[10] = b'T';
    out[11..13].copy_from_slice(&two(h));
    out[13] = b':';
    out[14..16].copy_from_slice(&two(min));
    out[16] = b':';
    out[17..19].copy_from_slice(&two(s));
    out[19] = b'Z';
    out.iter().map(|&b| char::from(b)).collect()
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_and_twitter_dates_keep_their_clock_time_and_offset() {
        for (written, iso) in [
            ("Tue, 05 Jun 2018 10:00:00 +0000", "2018-06-05T10:00:00Z"),
            (
                "Tue, 5 Jun 2018 10:00:00 -0400",
                "2018-06-05T10:00:00-04:00",
            ),
            // RFC 2822's optional weekday and seconds, and its named zones.
            ("05 Jun 2018 10:00 GMT", "2018-06-05T10:00:00Z"),
            (
                " Tue, 05 Jun 2018 10:00:00 EST ",
                "2018-06-05T10:00:00-05:00",
            ),
            ("Tue Jun 05 10:00:00 +0000 2018", "2018-06-05T10:00:00Z"),
            (
                "Tue Jun 05 23:59:59 +0530 2018",
                "2018-06-05T23:59:59+05:30",
            ),
        ] {
            assert_eq!(to_iso(written).as_deref(), Some(iso), "{written}");
            assert_eq!(offset_reason(written), None, "{written}");
        }
        // A weekday the date does not fall on is read past, as feed readers do.
        for (written, iso) in [
            ("Wed, 05 Jun 2018 10:00:00 +0000", "2018-06-05T10:00:00Z"),
            (
                "Mon Jun 05 10:00:00 -0400 2018",
                "2018-06-05T10:00:00-04:00",
            ),
        ] {
            assert_eq!(to_iso(written).as_deref(), Some(iso), "{written}");
        }
        // A day the month does not have, a bad hour: refused, with jiff's reason.
        for (written, why) in [
            ("Tue, 31 Jun 2018 10:00:00 +0000", "day"),
            ("Sun Feb 29 10:00:00 +0000 2018", "day"),
            ("31 Jun 2018 10:00 GMT", "day"),
            ("Tue, 05 Jun 2018 25:00:00 +0000", "hour"),
        ] {
            assert_eq!(to_iso(written), None, "{written}");
            let reason = offset_reason(written).unwrap_or_default();
            assert!(reason.contains(why), "{written}: {reason}");
        }
        // Other shapes are not these dates, and have no such reason.
        for written in [
            "June 5, 2018",
            "last tuesday",
            "-Tue, 05 Jun 2018 10:00:00 +0000",
        ] {
            assert_eq!(to_iso(written), None, "{written}");
            assert_eq!(offset_reason(written), None, "{written}");
        }
    }

    #[test]
    fn eight_digit_dates_are_the_basic_iso_form() {
        assert_eq!(to_iso("20180706").as_deref(), Some("2018-07-06"));
        assert_eq!(to_iso(" 19991231 ").as_deref(), Some("1999-12-31"));
        // Not a date that exists, or out of range: no date (as Unix seconds they fell in 1970).
        assert_eq!(to_iso("20180231"), None);
        assert_eq!(to_iso("30000101"), None);
        assert_eq!(to_iso("21010101"), None);
        assert_eq!(
            to_iso("1530835200").as_deref(),
            Some("2018-07-06T00:00:00Z")
        );
    }

    #[test]
    fn unix_seconds_print_as_fmt_prints_them() {
        let fmt = |secs: i64| {
            let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
            let (y, m, d) = civil_from_days(days);
            format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
                rem / 3600,
                rem % 3600 / 60,
                rem % 60
            )
        };
        let mut rng = crate::partial::bootstrap::SplitMix(9);
        let edges = [
            0,
            -1,
            59,
            86_399,
            86_400,
            253_402_300_799,
            253_402_300_800,
            -62_167_219_200,
            -62_167_219_201,
            1_530_000_000,
        ];
        for secs in edges.into_iter().chain((0..200_000).map(|k| {
            let span = [1u64 << 31, 1 << 35, 1 << 40][k % 3];
            (rng.next_u64() % (2 * span)) as i64 - span as i64
        })) {
            assert_eq!(from_unix(secs), fmt(secs), "{secs}");
        }
    }

    #[test]
    fn unix_seconds_to_iso() {
        assert_eq!(from_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(from_unix(1_530_835_200), "2018-07-06T00:00:00Z");
        assert_eq!(from_unix(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(
            to_iso("1530835200.0").as_deref(),
            Some("2018-07-06T00:00:00Z")
        );
    }

    #[test]
    fn iso_passes_and_junk_fails() {
        assert_eq!(to_iso("2018-07-06").as_deref(), Some("2018-07-06"));
        assert_eq!(
            to_iso("2018-07-06T10:00:00+02:00").as_deref(),
            Some("2018-07-06T10:00:00+02:00")
        );
        assert_eq!(
            to_iso("2018-07-06 10:00:00").as_deref(),
            Some("2018-07-06T10:00:00")
        );
        assert_eq!(to_iso("July 6"), None);
        assert_eq!(to_iso("2018-13-01"), None);
        assert_eq!(to_iso("2018-02-31"), None);
        assert_eq!(to_iso("2018-07-06xyz"), None);
        assert_eq!(to_iso("2016-02-29").as_deref(), Some("2016-02-29"));
        assert_eq!(
            to_iso("2018-07-06T10:00:00Z").as_deref(),
            Some("2018-07-06T10:00:00Z")
        );
        assert_eq!(to_iso("99999999999999999999"), None);
        // Numbers below 10^8 are no Unix seconds: a year, a placeholder for no date, and the like.
        for n in [
            "2018",
            " 1999 ",
            "1000",
            "0",
            "-0.0",
            "00000000",
            "201807",
            "99999999.9",
            "1e3",
        ] {
            assert_eq!(to_iso(n), None, "{n}");
        }
        assert_eq!(to_iso("2018-07"), None);
        for (iso, is_placeholder) in [
            ("0001-01-01T00:00:00Z", true),
            ("0001-01-01", true),
            ("1970-01-01T00:00:00Z", true),
            ("1970-01-01T00:00:00.000+00:00", true),
            ("1970-01-01 00:00", true),
            ("1970-01-01", true),
            ("1970-01-01T00:00:01Z", false),
            ("1970-01-01T10:00:00Z", false),
            ("1970-01-01T00:00:00+02:00", false),
            ("1969-12-31T19:00:00-05:00", true),
            ("1970-01-01T02:00:00+02:00", true),
            ("1969-12-31T19:00:01-05:00", false),
            // The farthest offsets jiff reads put the epoch on the day before or after 31 December 1969
            // and 1 January 1970.
            ("1970-01-02T01:00:00+25:00", true),
            ("1969-12-30T23:00:00-25:00", true),
            ("1969-12-30T23:00:01-25:00", false),
            ("2018-07-06T00:00:00Z", false),
            ("0001-01-02", false),
        ] {
            assert_eq!(placeholder(iso).is_some(), is_placeholder, "{iso}");
        }
        assert_eq!(to_iso("100000000").as_deref(), Some("1973-03-03T09:46:40Z"));
    }
}

/// Days since 1970-01-01 of an ISO date's first 10 characters (`YYYY-MM-DD`).
pub fn days(iso: &str) -> Option<i64> {
    let y: i64 = iso.get(0..4)?.parse().ok()?;
    let m: i64 = iso.get(5..7)?.parse().ok()?;
    let d: i64 = iso.get(8..10)?.parse().ok()?;
    // Howard Hinnant's days-from-civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The hour of day of an ISO date-time as written (`YYYY-MM-DDTHH…` or with a space), if it has one.
pub fn hour(iso: &str) -> Option<i64> {
    if !matches!(iso.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    iso.get(11..13)?
        .parse()
        .ok()
        .filter(|h| (0..24).contains(h))
}

/// The ISO 8601 week (`YYYY-Www`) of a day count.
pub fn iso_week(days: i64) -> String {
    let weekday = (days + 3).rem_euclid(7); // 0 = Monday; 1970-01-01 was a Thursday
    let thursday = days - weekday + 3;
    let (year, _, _) = civil_from_days(thursday);
    let jan1 = self::days(&format!("{year:04}-01-01")).unwrap_or(thursday);
    format!("{year:04}-W{:02}", (thursday - jan1) / 7 + 1)
}

#[cfg(test)]
mod week_tests {
    use super::*;

    #[test]
    fn days_and_iso_weeks() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2018-07-06T12:00:00Z"), Some(17_718));
        assert_eq!(
            from_unix(days("2000-02-29").unwrap() * 86_400),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(iso_week(days("2018-07-06").unwrap()), "2018-W27");
        assert_eq!(hour("2018-07-06T09:30:00+02:00"), Some(9));
        assert_eq!(hour("2018-07-06 23:00"), Some(23));
        assert_eq!(hour("2018-07-06"), None);
        assert_eq!(iso_week(days("2021-01-03").unwrap()), "2020-W53");
        assert_eq!(iso_week(days("2024-12-30").unwrap()), "2025-W01");
    }
}
