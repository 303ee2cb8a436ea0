//! Numbers written for people, the same way in the report, the findings and the charts: `1,234`,
//! `29.6 %`, `−0.04` (a true minus sign, and never "−0.0").

/// A count with thousands separators: `1,234,567`.
pub fn count(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 && digits.bytes().any(|b| b != b'0') {
        out.insert(0, '−');
    }
    out
}

/// A count and its noun, singular for exactly one: `1 unit`, `2 units`, `1,234 units`.
pub fn counted(x: f64, one: &str, many: &str) -> String {
    format!("{} {}", count(x), if x == 1.0 { one } else { many })
}

/// The form of a verb that agrees with a count as its subject: `one` for exactly one, else `many`.
pub fn agrees<'a>(x: f64, one: &'a str, many: &'a str) -> &'a str {
    if x == 1.0 { one } else { many }
}

/// A share as a percentage with one decimal: `29.6 %`; `–` when there is no share.
pub fn pct(x: f64) -> String {
    if x.is_nan() {
        "–".into()
    } else {
        format!("{} %", decimal(x * 100.0, 1))
    }
}

/// A signed value with two decimals: `+0.12`, `−0.04`, `0.00`; `–` when there is none.
pub fn signed(x: f64) -> String {
    if x.is_nan() {
        return "–".into();
    }
    let s = decimal(x, 2);
    if s.starts_with('−') || s.bytes().all(|b| b == b'0' || b == b'.') {
        s
    } else {
        format!("+{s}")
    }
}

/// `x` with `places` decimals and a true minus sign; a value that rounds to zero has no sign.
pub fn decimal(x: f64, places: usize) -> String {
    let s = format!("{:.*}", places, x.abs());
    if x < 0.0 && s.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        format!("−{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_for_people() {
        assert_eq!(count(0.0), "0");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(1234.0), "1,234");
        assert_eq!(count(1_234_567.0), "1,234,567");
        assert_eq!(count(-1234.0), "−1,234");
        assert_eq!(count(-0.2), "0");
        assert_eq!(pct(0.296_296), "29.6 %");
        assert_eq!(pct(f64::NAN), "–");
        assert_eq!(pct(-0.0001), "0.0 %");
        assert_eq!(signed(0.123), "+0.12");
        assert_eq!(signed(-0.04), "−0.04");
        assert_eq!(signed(-0.001), "0.00");
        assert_eq!(signed(0.0), "0.00");
        assert_eq!(signed(f64::NAN), "–");
        assert_eq!(decimal(-0.04, 1), "0.0");
        assert_eq!(decimal(-0.5, 1), "−0.5");
    }

    #[test]
    fn one_of_a_thing_is_singular() {
        assert_eq!(counted(1.0, "unit", "units"), "1 unit");
        assert_eq!(counted(0.0, "unit", "units"), "0 units");
        assert_eq!(counted(1234.0, "unit", "units"), "1,234 units");
        assert_eq!(agrees(1.0, "takes", "take"), "takes");
        assert_eq!(agrees(2.0, "takes", "take"), "take");
        assert_eq!(agrees(0.0, "was", "were"), "were");
    }
}
