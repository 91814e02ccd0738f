//! Seeded randomness: the splitmix64 generator and the skewed draws built on it (a power
//! law over a table's rows, entities by a shuffled power-law rank). Every draw comes from
//! here, so the same seed always gives the same data.

/// splitmix64: a small, fast, seedable pseudo-random generator.
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float uniformly in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// An integer uniformly in [0, n); 0 when n is 0.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability p.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A cumulative distribution over indices with weights 1/(i+1)^exponent.
pub(crate) struct PowerLawTable {
    cumulative: Vec<f64>,
}

impl PowerLawTable {
    pub(crate) fn new(len: usize, exponent: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..len)
            .map(|i| {
                total += 1.0 / ((i + 1) as f64).powf(exponent);
                total
            })
            .collect();
        PowerLawTable { cumulative }
    }

    pub(crate) fn sample(&self, rng: &mut SplitMix64) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = rng.unit() * total;
        let index = self.cumulative.partition_point(|&c| c <= target);
        index.min(self.cumulative.len().saturating_sub(1))
    }
}

/// Draws entities with a power law over ranks (continuous inverse CDF, weight ∝
/// rank^-0.6), ranks mapped to ids by a fixed permutation so that high-degree entities
/// are spread over the id range.
pub(crate) struct EntityPicker {
    count: u64,
    alpha: f64,
    top: f64,
    multiplier: u64,
    offset: u64,
}

impl EntityPicker {
    /// 1 - s, where s is the power law's exponent.
    const ALPHA: f64 = 0.4;

    pub(crate) fn new(count: u64, rng: &mut SplitMix64) -> Self {
        let mut multiplier = (count / 2 + rng.below(count / 2 + 1)) | 1;
        while gcd(multiplier, count) != 1 {
            multiplier += 1;
        }
        EntityPicker {
            count,
            alpha: Self::ALPHA,
            top: ((count + 1) as f64).powf(Self::ALPHA),
            multiplier,
            offset: rng.below(count),
        }
    }

    pub(crate) fn pick(&self, rng: &mut SplitMix64) -> u64 {
        let u = rng.unit();
        let rank = (1.0 + u * (self.top - 1.0)).powf(1.0 / self.alpha) as u64;
        let rank = rank.saturating_sub(1).min(self.count - 1);
        ((u128::from(rank) * u128::from(self.multiplier) + u128::from(self.offset))
            % u128::from(self.count)) as u64
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
