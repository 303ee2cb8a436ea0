//! Python semantics that the VADER port depends on (whitespace, `isupper`, `lower`, `round`) and that the
//! outputs use to print numbers as Python does (`round`, `repr` of a float).
//!
//! The reference is CPython 3.11; these helpers make Rust agree with it byte for byte. Plain functions on
//! strings and numbers, so that the outputs format with them without reaching into a scorer.

use std::io::Write;

/// Python's `str.isspace` for one character (`str.split()` and `str.strip()` use it).
/// Rust's `char::is_whitespace` lacks the four ASCII separators U+001C..U+001F.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.isupper`: at least one uppercase character and no lowercase or titlecase one.
pub fn is_upper(s: &str) -> bool {
    if s.is_ascii() {
        let b = s.as_bytes();
        return b.iter().any(u8::is_ascii_uppercase) && !b.iter().any(u8::is_ascii_lowercase);
    }
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// Unicode general category Lt, which Python's `isupper` treats as not upper.
fn is_titlecase(c: char) -> bool {
    matches!(c,
        '\u{1C5}' | '\u{1C8}' | '\u{1CB}' | '\u{1F2}'
        | '\u{1F88}'..='\u{1F8F}' | '\u{1F98}'..='\u{1F9F}' | '\u{1FA8}'..='\u{1FAF}'
        | '\u{1FBC}' | '\u{1FCC}' | '\u{1FFC}')
}

/// Appends Python's `s.lower()` to `out`.
pub fn push_lower(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// Python's `len(s) <= 2`, counting code points without walking long strings.
pub fn at_most_two_chars(s: &str) -> bool {
    s.len() <= 2 || (s.len() <= 8 && s.chars().count() <= 2)
}

/// Python's `round(x, digits)`: round half to even on the exact binary value.
/// Rust's fixed-precision formatting rounds the exact value the same way, so format and parse back.
pub fn round(x: f64, digits: usize) -> f64 {
    // Fast path: away from a tie, rounding the scaled product gives the same integer as rounding the exact
    // value (the product's error is far below the margin), and dividing that integer by the exact power
    // of ten yields the double nearest the decimal, which is what Python returns.
    const POW: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
    if let Some(&p) = POW.get(digits) {
        let y = x * p;
        if y.abs() < 1e9 && ((y - y.trunc()).abs() - 0.5).abs() > 1e-6 {
            return y.round() / p;
        }
    }
    round_exact(x, digits)
}

/// `round` by formatting the exact binary value, for ties and near-ties.
fn round_exact(x: f64, digits: usize) -> f64 {
    let mut buf = [0u8; 48];
    let mut cursor = &mut buf[..];
    if write!(cursor, "{x:.digits$}").is_err() {
        return x; // only non-finite or huge values, which VADER's bounded scores never reach
    }
    let left = cursor.len();
    let len = buf.len() - left;
    std::str::from_utf8(&buf[..len])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(x)
}

/// `format!("{x}")` (the shortest decimal that reads back as `x`, never in exponent form), quicker for
/// the values the outputs mostly hold: VADER's scores and the statistics, rounded to at most six decimals.
///
/// When `x` is the double nearest to `k / 10^6` for an integer `k` (the division of two exact doubles is
/// correctly rounded, so `k / 1e6 == x` says so), that decimal, trailing zeros dropped, is the shortest that
/// reads back as `x`: another decimal of at most as many digits (at most 15 here) differs from it by at
/// least 10^-15 of its size, far more than the width of the doubles that read back as `x`. Anything else
/// goes to the standard library. The per-unit files and `score`'s output
/// hold millions of such numbers.
pub fn shortest(x: f64) -> String {
    let mut out = String::with_capacity(24);
    push_shortest(&mut out, x);
    out
}

/// [`shortest`] appended to `out`: the per-unit rows write their numbers in place, without a string each.
pub fn push_shortest(out: &mut String, x: f64) {
    let k = (x * 1e6).round();
    if k.abs() < 1e15 && k / 1e6 == x {
        if x.is_sign_negative() {
            out.push('-');
        }
        // |k| < 10^15, a whole number: exact as u64.
        let k = k.abs() as u64;
        out.push_str(itoa::Buffer::new().format(k / 1_000_000));
        let mut frac = k % 1_000_000;
        if frac != 0 {
            let mut digits = [b'0'; 6];
            for d in digits.iter_mut().rev() {
                *d = b'0' + (frac % 10) as u8;
                frac /= 10;
            }
            let end = 6 - digits.iter().rev().take_while(|&&d| d == b'0').count();
            out.push('.');
            // ASCII digits.
            out.push_str(std::str::from_utf8(&digits[..end]).unwrap_or_default());
        }
        return;
    }
    use std::fmt::Write;
    // Writing to a String cannot fail.
    let _ = write!(out, "{x}");
}

/// [`py_float`] appended to `out`.
pub fn push_py_float(out: &mut String, x: f64) {
    let from = out.len();
    push_shortest(out, x);
    if !out[from..].contains(['.', 'e', 'i', 'N']) {
        out.push_str(".0");
    }
}

/// Python's `repr` of a float as VADER's fields take it: `0.0`, `1.0`, `0.5106`.
pub fn py_float(x: f64) -> String {
    let mut s = String::with_capacity(24);
    push_py_float(&mut s, x);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_is_what_the_standard_library_prints() {
        // Every value of the fast path's shape around the scores' range, then doubles of any shape.
        let mut xs: Vec<f64> = (-2_000_000..=2_000_000)
            .map(|k| f64::from(k) / 1e6)
            .collect();
        xs.extend((0..200_000).map(|k| f64::from(k) * 1.37e-3 / 7.0));
        xs.extend([
            0.1 + 0.2,
            1e-7,
            123_456_789.123_456,
            999_999_999.999_999_9,
            1e15,
            1e300,
            -5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            0.000_000_5,
            -0.000_001,
        ]);
        let mut rng = crate::partial::bootstrap::SplitMix(1);
        for _ in 0..200_000 {
            let x = f64::from_bits(rng.next_u64());
            if x.is_finite() {
                xs.push(x);
                xs.push(round(x % 1000.0, rng.below(7)));
            }
        }
        let mut row = String::new();
        for x in xs {
            assert_eq!(shortest(x), format!("{x}"), "{x:e}");
            // Appended after what a row already holds.
            row.clear();
            row.push_str("id,");
            push_shortest(&mut row, x);
            assert_eq!(row, format!("id,{x}"), "{x:e}");
        }
    }

    #[test]
    fn round_matches_python_ties_to_even() {
        // Values printed by CPython 3.11 `round(v, n)`.
        assert_eq!(round(0.125, 2), 0.12);
        assert_eq!(round(0.375, 2), 0.38);
        assert_eq!(round(0.0625, 3), 0.062);
        assert_eq!(round(0.8125, 3), 0.812);
        assert_eq!(round(0.12345, 4), 0.1235);
        assert_eq!(round(0.0005, 3), 0.001);
        assert!(round(-0.0, 4).is_sign_negative());
        assert_eq!(round(2.675, 2), 2.67); // 2.675 is below the tie in binary
        assert_eq!(round(-0.12345, 4), -0.1235);
    }

    #[test]
    fn fast_path_agrees_with_exact_formatting() {
        let mut x = 0.000_123_457_f64;
        while x < 1.0 {
            for d in [3, 4] {
                for v in [x, -x] {
                    assert_eq!(
                        round(v, d).to_bits(),
                        round_exact(v, d).to_bits(),
                        "{v} {d}"
                    );
                }
            }
            x += 0.000_017_31;
        }
    }

    #[test]
    fn isupper_follows_python() {
        assert!(is_upper("GOOD"));
        assert!(is_upper("GOOD!"));
        assert!(is_upper("É"));
        assert!(!is_upper(":)"));
        assert!(!is_upper("Good"));
        assert!(!is_upper("\u{1C5}")); // Dž is titlecase
        assert!(is_upper("A1"));
    }

    #[test]
    fn python_whitespace_includes_file_separators() {
        assert!(is_space('\u{1c}'));
        assert!(is_space('\u{a0}'));
        assert!(!is_space('\u{200b}'));
    }
}
