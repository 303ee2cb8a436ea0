//! `format!("{x:+.2}")` and `format!("{x:+.3}")` without the formatting machinery: a run writes one per
//! cue and one per VADER token of every unit (units.csv's explanations).

/// Appends `format!("{x:+.P}")` for `places` P of 2 or 3. The standard library rounds the exact binary
/// value half to even; below 10^9 after scaling, away from a tie (more than 10^-6 from one, in units of
/// the last place), rounding the scaled product gives the same digits (its error is below 2×10^-7), and
/// they are printed here. Ties, near-ties, large values, NaN and infinities go to the standard library.
pub(crate) fn push_signed(out: &mut String, x: f64, places: u32) {
    use std::fmt::Write;
    debug_assert!(matches!(places, 2 | 3));
    let scale = if places == 2 { 100.0 } else { 1000.0 };
    let y = (x * scale).abs();
    if y < 1e9 && ((y - y.trunc()) - 0.5).abs() > 1e-6 {
        let k = y.round() as u64;
        let unit = 10u64.pow(places);
        out.push(if x.is_sign_negative() { '-' } else { '+' });
        out.push_str(itoa::Buffer::new().format(k / unit));
        out.push('.');
        let mut frac = k % unit;
        let mut digits = [b'0'; 3];
        for d in digits[..places as usize].iter_mut().rev() {
            *d = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        for &d in &digits[..places as usize] {
            out.push(char::from(d));
        }
    } else if places == 2 {
        // Writing to a String cannot fail.
        let _ = write!(out, "{x:+.2}");
    } else {
        let _ = write!(out, "{x:+.3}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_fixed_point_prints_as_the_standard_library_does() {
        let mut xs: Vec<f64> = (-400_000..=400_000)
            .map(|k| f64::from(k) / 10_000.0)
            .collect();
        xs.extend((-2000..=2000).map(|k| f64::from(k) * 0.005));
        xs.extend((-2000..=2000).map(|k| f64::from(k) * 0.0005));
        xs.extend([
            0.0,
            -0.0,
            0.125,
            -2.675,
            0.0005,
            -1.0005,
            999_999.999_5,
            1e15,
            -1e20,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            5e-324,
        ]);
        let mut rng = crate::partial::bootstrap::SplitMix(2);
        for _ in 0..200_000 {
            let x = f64::from_bits(rng.next_u64());
            xs.push(x);
            if x.is_finite() {
                xs.push(x % 10.0);
            }
        }
        for x in xs {
            let mut out = String::new();
            push_signed(&mut out, x, 2);
            assert_eq!(out, format!("{x:+.2}"), "{x:e}");
            out.clear();
            push_signed(&mut out, x, 3);
            assert_eq!(out, format!("{x:+.3}"), "{x:e}");
        }
    }
}
