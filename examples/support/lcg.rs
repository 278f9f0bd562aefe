//! The benchmark generators' random numbers: a linear congruential
//! generator, so that the same seed gives the same input on every machine.

/// A 64-bit LCG (Knuth's MMIX constants); `next` returns its top 31 bits.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}
