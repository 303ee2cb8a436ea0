//! 95 % confidence intervals: percentile bootstrap, seeded so that every run gives the same numbers, for
//! groups of up to `BOOTSTRAP_MAX` units; beyond that the normal interval of the mean and Wilson's score
//! interval of a share, which the bootstrap converges to and which cost nothing (a bootstrap of a
//! million-comment group would cost billions of draws).
//!
//! Comment sections are small; the intervals show how little a share of six comments says.
//!
//! An interval depends only on the sample's values, not on their order: the sample is sorted before it is
//! seeded and resampled. So the intervals of a group are the same whether its units were scored in one
//! run or in many partitions whose partials were merged ([`super::Partial`]): a partial keeps each group's
//! compounds as counts per value, which give back the sorted sample exactly.

/// Resamples per interval.
pub const RESAMPLES: usize = 2000;
/// The seed every interval starts from (mixed with the statistic and the sample).
pub const SEED: u64 = 0x5EED_2018_0706;

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, and the same on every platform, which a
/// reproducible report needs more than statistical luxury.
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below 2^-32 for any n a corpus has).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64() >> 32) * n as u128) >> 32) as usize
    }
}

/// The stream of one interval: FNV-1a of the statistic's name and of the sample's values, so that the
/// same sample gets the same interval in every group that holds it (a comment-only corpus's `all` and
/// `comment` rows agree), whatever the group's name or the order groups are computed in.
fn seed_for(stat: &str, xs: &[f64]) -> u64 {
    let fnv = |h: u64, b: u8| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    let h = stat.bytes().fold(SEED ^ 0xcbf2_9ce4_8422_2325, fnv);
    xs.iter()
        .flat_map(|x| x.to_bits().to_le_bytes())
        .fold(h, fnv)
}

/// Largest group that is bootstrapped.
pub const BOOTSTRAP_MAX: usize = 10_000;
/// The 97.5th percentile of the standard normal distribution.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The 95 % interval of the mean of `xs`, in any order; `(NaN, NaN)` for no data. `stat` names the
/// statistic (its own random stream), not the group.
pub fn mean_ci(xs: &[f64], stat: &str) -> (f64, f64) {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted_mean_ci(&sorted, stat)
}

/// [`mean_ci`] of a sample already in ascending order (`f64::total_cmp`).
pub fn sorted_mean_ci(xs: &[f64], stat: &str) -> (f64, f64) {
    debug_assert!(xs.is_sorted_by(|a, b| a.total_cmp(b).is_le()));
    if xs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    if xs.len() > BOOTSTRAP_MAX {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let half = Z95 * (var / n).sqrt();
        return (mean - half, mean + half);
    }
    let mut rng = SplitMix(seed_for(stat, xs));
    let n = xs.len();
    let mut means: Vec<f64> = (0..RESAMPLES)
        .map(|_| (0..n).map(|_| xs[rng.below(n)]).sum::<f64>() / n as f64)
        .collect();
    means.sort_by(f64::total_cmp);
    let at = |q: f64| means[((q * (RESAMPLES - 1) as f64).round() as usize).min(RESAMPLES - 1)];
    (at(0.025), at(0.975))
}

/// The 95 % interval of the share of `flags` that are true (`stat` as for [`mean_ci`]).
pub fn share_ci(flags: &[bool], stat: &str) -> (f64, f64) {
    let yes = flags.iter().filter(|&&f| f).count();
    count_ci(yes as u64, flags.len() as u64, stat)
}

/// The 95 % interval of the share `yes` of `n`: what [`share_ci`] gives for any `n` flags of which `yes`
/// are true.
pub fn count_ci(yes: u64, n: u64, stat: &str) -> (f64, f64) {
    if n > BOOTSTRAP_MAX as u64 {
        let p = yes as f64 / n as f64;
        let n = n as f64;
        let z2 = Z95 * Z95;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
        return (centre - half, centre + half);
    }
    // Ascending: the zeros, then the ones.
    let xs: Vec<f64> = (0..n)
        .map(|k| if k < n - yes { 0.0 } else { 1.0 })
        .collect();
    sorted_mean_ci(&xs, stat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_are_reproducible_and_contain_the_mean() {
        let xs = [0.1, 0.5, -0.3, 0.9, 0.2, 0.0, 0.4];
        let (lo, hi) = mean_ci(&xs, "mean");
        assert_eq!((lo, hi), mean_ci(&xs, "mean"), "same sample, same interval");
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!(
            lo < mean && mean < hi && lo >= -0.3 && hi <= 0.9,
            "{lo} {mean} {hi}"
        );
        // A finer sample, whose percentiles a different stream moves.
        let fine: Vec<f64> = (0..50).map(|k| f64::from(k * k % 97) / 97.0).collect();
        assert_ne!(
            mean_ci(&fine, "pos"),
            mean_ci(&fine, "mean"),
            "each statistic has its own stream"
        );
        let other = [0.1, 0.5, -0.3, 0.9, 0.2, 0.0, 0.5];
        assert_ne!(
            mean_ci(&other, "mean"),
            (lo, hi),
            "each sample has its own stream"
        );
    }

    #[test]
    fn order_does_not_matter() {
        let xs = [0.1, 0.5, -0.3, 0.9, 0.2, 0.0, 0.4];
        let mut ys = xs;
        ys.reverse();
        assert_eq!(mean_ci(&xs, "mean"), mean_ci(&ys, "mean"));
        let flags = [true, false, false, true, false];
        assert_eq!(share_ci(&flags, "s"), count_ci(2, 5, "s"));
        assert_eq!(
            share_ci(&flags, "s"),
            share_ci(&[false, true, false, false, true], "s")
        );
    }

    #[test]
    fn degenerate_samples() {
        assert_eq!(mean_ci(&[0.4], "x"), (0.4, 0.4));
        assert!(mean_ci(&[], "x").0.is_nan());
        assert_eq!(share_ci(&[true, true, true], "x"), (1.0, 1.0));
    }

    #[test]
    fn large_groups_use_the_closed_forms() {
        let flags: Vec<bool> = (0..20_000).map(|k| k % 4 == 0).collect();
        let (lo, hi) = share_ci(&flags, "s");
        // Wilson interval for p = 0.25, n = 20,000.
        assert!(
            (lo - 0.24404).abs() < 1e-4 && (hi - 0.25606).abs() < 1e-4,
            "{lo} {hi}"
        );
        let xs: Vec<f64> = (0..20_000).map(|k| (k % 3) as f64).collect();
        let (a, b) = mean_ci(&xs, "m");
        assert!(a < 1.0 && 1.0 < b && b - a < 0.03, "{a} {b}");
    }

    #[test]
    fn interval_narrows_with_more_data() {
        let small: Vec<bool> = (0..10).map(|k| k % 2 == 0).collect();
        let large: Vec<bool> = (0..1000).map(|k| k % 2 == 0).collect();
        let (a, b) = share_ci(&small, "s");
        let (c, d) = share_ci(&large, "s");
        assert!(d - c < (b - a) / 3.0, "{a}-{b} vs {c}-{d}");
    }
}
