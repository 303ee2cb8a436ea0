//! 95 % confidence intervals, the same numbers in every run.
//!
//! - The interval of a mean (of compound scores): none for a single unit (or a few equal values);
//!   Student's t below [`T_BELOW`] units, where a percentile bootstrap is known to be too narrow (of two
//!   values it gives their range, which covers the mean about half the time); a seeded percentile bootstrap for groups of up to
//!   [`BOOTSTRAP_MAX`] units; beyond that the normal interval, which the bootstrap converges to and which
//!   costs nothing (a bootstrap of a million-comment group would cost billions of draws).
//! - The interval of a share: Wilson's score interval at every size, which never collapses to a point
//!   (none of six comments is 0 % to 39 %, not 0 % to 0 %) and covers well on small samples (Brown, Cai &
//!   DasGupta 2001).
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

/// SplitMix64's increment: the k-th output is [`mix`] of the seed plus k of them.
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Uniform in `0..n` from 64 random bits (Lemire's multiply-shift; the bias is below 2^-32 for any n a
/// corpus has). The top 32 bits times an `n` below 2^32 fit in 64 bits: one plain multiply.
#[inline]
fn below(bits: u64, n: usize) -> usize {
    match u32::try_from(n) {
        Ok(n) => (((bits >> 32) * u64::from(n)) >> 32) as usize,
        Err(_) => ((u128::from(bits >> 32) * n as u128) >> 32) as usize,
    }
}

impl SplitMix {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        mix(self.0)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        below(self.next_u64(), n)
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

/// Groups smaller than this get Student's t interval of the mean rather than the bootstrap's.
pub const T_BELOW: usize = 30;
/// The 97.5th percentiles of Student's t distribution with 1 to 28 degrees of freedom
/// (`scipy.stats.t.ppf(0.975, df)`).
const T975: [f64; T_BELOW - 2] = [
    12.706204736174694,
    4.302652729749462,
    3.1824463052837078,
    2.7764451051977934,
    2.5705818356363146,
    2.4469118511449786,
    2.364624251592784,
    2.306004135204166,
    2.262157162798205,
    2.228138851986274,
    2.200985160091639,
    2.1788128296672284,
    2.1603686564627913,
    2.144786687917804,
    2.131449545559776,
    2.1199052992212546,
    2.1098155778333156,
    2.1009220402410382,
    2.0930240544083087,
    2.085963447265864,
    2.0796138447276795,
    2.0738730679040254,
    2.0686576104190486,
    2.0638985616280245,
    2.0595385527532972,
    2.0555294386428735,
    2.0518305164802846,
    2.0484071417952454,
];

/// The 95 % interval of the mean compound of `xs`, in any order; `(NaN, NaN)` for no data, a single unit,
/// or fewer than [`T_BELOW`] units that are all equal. `stat` names the statistic (its own random stream), not the group. Kept within −1 to +1, the
/// range of a compound score.
pub fn mean_ci(xs: &[f64], stat: &str) -> (f64, f64) {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted_mean_ci(&sorted, stat)
}

/// [`mean_ci`] of a sample already in ascending order (`f64::total_cmp`).
pub fn sorted_mean_ci(xs: &[f64], stat: &str) -> (f64, f64) {
    debug_assert!(xs.is_sorted_by(|a, b| a.total_cmp(b).is_le()));
    if xs.len() < 2 {
        return (f64::NAN, f64::NAN);
    }
    if xs.len() < T_BELOW {
        // A few equal values show no spread for t to scale; an interval of width 0 would claim
        // certainty (two neutral titles are no proof that every title is neutral).
        if xs.first() == xs.last() {
            return (f64::NAN, f64::NAN);
        }
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let half = T975[xs.len() - 2] * (var / n).sqrt();
        return ((mean - half).max(-1.0), (mean + half).min(1.0));
    }
    if xs.len() > BOOTSTRAP_MAX {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let half = Z95 * (var / n).sqrt();
        return (mean - half, mean + half);
    }
    let seed = seed_for(stat, xs);
    if let Some(ci) = Memo::get(seed, stat, xs) {
        return ci;
    }
    let mut means = resample_means(xs, seed);
    means.sort_by(f64::total_cmp);
    let at = |q: f64| means[((q * (RESAMPLES - 1) as f64).round() as usize).min(RESAMPLES - 1)];
    let ci = (at(0.025), at(0.975));
    Memo::put(seed, stat, xs, ci);
    ci
}

/// Intervals bootstrapped lately, by statistic and sample: a run asks for the same one several times (in
/// a corpus of comments alone, the `all` and `comment` rows of the summary, article_vs_comments and
/// stance_summary are one sample), and each costs [`RESAMPLES`] resamples.
struct Memo {
    seed: u64,
    stat: String,
    sample: Vec<f64>,
    ci: (f64, f64),
}

/// The [`Memo`]s kept, newest last: a few MB at most.
static MEMOS: std::sync::Mutex<Vec<Memo>> = std::sync::Mutex::new(Vec::new());
const MEMO_MAX: usize = 32;

impl Memo {
    /// The interval of `stat` of `xs` if it is kept; samples are compared value by value (bit for bit),
    /// not by their seed alone.
    fn get(seed: u64, stat: &str, xs: &[f64]) -> Option<(f64, f64)> {
        let memos = MEMOS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        memos
            .iter()
            .find(|m| {
                m.seed == seed
                    && m.stat == stat
                    && m.sample.len() == xs.len()
                    && m.sample
                        .iter()
                        .zip(xs)
                        .all(|(a, b)| a.to_bits() == b.to_bits())
            })
            .map(|m| m.ci)
    }

    fn put(seed: u64, stat: &str, xs: &[f64], ci: (f64, f64)) {
        let mut memos = MEMOS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if memos.len() == MEMO_MAX {
            memos.remove(0);
        }
        memos.push(Memo {
            seed,
            stat: stat.to_string(),
            sample: xs.to_vec(),
            ci,
        });
    }
}

/// Resamples drawn side by side: [`resample_means`] takes [`RESAMPLES`] in groups of this many.
const LANES: usize = 8;
const _: () = assert!(RESAMPLES.is_multiple_of(LANES));

/// The mean of each of [`RESAMPLES`] resamples of `xs` (with replacement), from one SplitMix stream
/// seeded with `seed`: resample r is the draws r·n to r·n + n − 1 of the stream, summed left to right.
///
/// Each resample's sum is a chain of floating-point additions, whose latency bound the loop when the
/// resamples were drawn one after another (the bootstrap was most of a 10,000-comment run). SplitMix's
/// k-th output is the mix of seed + k·γ, so resamples can start anywhere in the stream: [`LANES`] of them
/// are drawn side by side, each summed in its own order, which gives the same means, bit for bit, as
/// drawing them in turn ([`tests::lanes_give_the_means_of_one_resample_after_another`]).
/// The groups of lanes are shared out over the current rayon pool (in order, though the order does not
/// matter: the means are sorted).
fn resample_means(xs: &[f64], seed: u64) -> Vec<f64> {
    use rayon::prelude::*;
    let n = xs.len();
    let stride = GAMMA.wrapping_mul(n as u64);
    let groups: Vec<[f64; LANES]> = (0..RESAMPLES / LANES)
        .into_par_iter()
        .with_min_len(16)
        .map(|g| {
            let mut states: [u64; LANES] = std::array::from_fn(|l| {
                seed.wrapping_add(stride.wrapping_mul((g * LANES + l) as u64))
            });
            let mut sums = [0.0f64; LANES];
            for _ in 0..n {
                for (state, sum) in states.iter_mut().zip(&mut sums) {
                    *state = state.wrapping_add(GAMMA);
                    *sum += xs[below(mix(*state), n)];
                }
            }
            sums.map(|sum| sum / n as f64)
        })
        .collect();
    groups.concat()
}

/// The 95 % interval of the share of `flags` that are true (`stat` as for [`mean_ci`]).
pub fn share_ci(flags: &[bool], stat: &str) -> (f64, f64) {
    let yes = flags.iter().filter(|&&f| f).count();
    count_ci(yes as u64, flags.len() as u64, stat)
}

/// The 95 % interval of the share `yes` of `n`: Wilson's score interval; `(NaN, NaN)` for no units.
/// What [`share_ci`] gives for any `n` flags of which `yes` are true.
pub fn count_ci(yes: u64, n: u64, _stat: &str) -> (f64, f64) {
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let p = yes as f64 / n as f64;
    let n = n as f64;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    // Exactly 0 % below none and 100 % above all, where rounding would leave 1e-17.
    let lo = if yes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if p == 1.0 {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
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
        // One unit says nothing about a mean's spread; no units, nothing at all.
        assert!(mean_ci(&[0.4], "x").0.is_nan() && mean_ci(&[0.4], "x").1.is_nan());
        assert!(mean_ci(&[], "x").0.is_nan());
        assert!(share_ci(&[], "x").0.is_nan());
        // Three of three is not certainty: Wilson's interval for 3/3 is 43.8 % to 100 %.
        let (lo, hi) = share_ci(&[true, true, true], "x");
        assert!((lo - 0.43849).abs() < 1e-4 && hi == 1.0, "{lo} {hi}");
        // None of six: 0 % to 39.0 %, not 0 % to 0 %.
        let (lo, hi) = count_ci(0, 6, "x");
        assert!(lo == 0.0 && (hi - 0.39033).abs() < 1e-4, "{lo} {hi}");
    }

    #[test]
    fn small_groups_use_student_s_t() {
        // Two values: mean −0.1901, sd 0.017253; t(1) = 12.706 gives ± 0.1550, not the two values' range.
        let (lo, hi) = mean_ci(&[-0.2023, -0.1779], "mean");
        assert!(
            (lo - -0.34511).abs() < 1e-4 && (hi - -0.03509).abs() < 1e-4,
            "{lo} {hi}"
        );
        // Kept within a compound's range.
        assert_eq!(mean_ci(&[-0.9, 0.9], "mean"), (-1.0, 1.0));
        // Equal values show no spread: no interval rather than one of width 0.
        assert!(mean_ci(&[0.0, 0.0, 0.0], "mean").0.is_nan());
        // From T_BELOW units on, the bootstrap.
        let xs: Vec<f64> = (0..T_BELOW).map(|k| f64::from(k as u32) / 40.0).collect();
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let (lo, hi) = mean_ci(&xs, "mean");
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        // The percentile bootstrap is narrower than t's (its spread is the sample's over n, not n − 1).
        assert!(hi - lo < 2.0 * 2.045 * sd / n.sqrt(), "{lo} {hi}");
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

    /// The resample means as they were first drawn: one resample after another from one stream.
    fn means_in_turn(xs: &[f64], seed: u64) -> Vec<f64> {
        let mut rng = SplitMix(seed);
        let n = xs.len();
        (0..RESAMPLES)
            .map(|_| (0..n).map(|_| xs[rng.below(n)]).sum::<f64>() / n as f64)
            .collect()
    }

    #[test]
    fn lanes_give_the_means_of_one_resample_after_another() {
        let mut rng = SplitMix(11);
        for n in [1, 2, 3, 7, 100, 1001] {
            // Values whose sums depend on the order they are added in: compounds to four places, and
            // values of very different size.
            let mut xs: Vec<f64> = (0..n)
                .map(|_| (rng.below(20_001) as f64 - 10_000.0) / 10_000.0)
                .collect();
            if n > 2 {
                xs[0] = 1e16;
                xs[1] = 3e-9;
            }
            xs.sort_by(f64::total_cmp);
            for seed in [0, 1, u64::MAX, seed_for("mean", &xs)] {
                let lanes = resample_means(&xs, seed);
                let turn = means_in_turn(&xs, seed);
                assert_eq!(lanes.len(), RESAMPLES);
                assert!(
                    lanes
                        .iter()
                        .zip(&turn)
                        .all(|(a, b)| a.to_bits() == b.to_bits()),
                    "n = {n}, seed = {seed}"
                );
            }
        }
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
