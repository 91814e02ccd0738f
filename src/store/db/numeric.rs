//! PostgreSQL's `numeric` in its binary form (what `sum` and `avg` of integers give):
//! read as an integer when it is whole and fits, else as a real; integers bound where
//! the server expects a numeric.

use std::error::Error as StdError;

use bytes::{BufMut, BytesMut};
use postgres::types::IsNull;

use super::Cell;

type BoxError = Box<dyn StdError + Sync + Send>;

const NEGATIVE: u16 = 0x4000;
const NAN: u16 = 0xC000;

/// A numeric's value: `ndigits`, `weight`, `sign`, `dscale` (each 16 bits), then the
/// digits in base 10,000, the first of weight `weight`.
pub(super) fn decode(raw: &[u8]) -> Result<Cell<'static>, BoxError> {
    let word = |i: usize| -> Result<u16, BoxError> {
        raw.get(i * 2..i * 2 + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "a numeric cut short".into())
    };
    let ndigits = usize::from(word(0)?);
    let weight = i64::from(word(1)? as i16);
    let sign = word(2)?;
    let dscale = word(3)?;
    if sign == NAN {
        return Ok(Cell::Real(f64::NAN));
    }
    let digits = (0..ndigits)
        .map(|i| word(4 + i))
        .collect::<Result<Vec<_>, _>>()?;
    let negative = sign == NEGATIVE;
    // Whole when no digit lies after the point.
    let whole = dscale == 0 && (ndigits as i64) <= weight + 1;
    if whole {
        let mut v: i128 = 0;
        for k in 0..=weight {
            let d = digits.get(k as usize).copied().unwrap_or(0);
            v = v
                .checked_mul(10_000)
                .and_then(|v| v.checked_add(i128::from(d)))
                .ok_or("a numeric too large")?;
        }
        let v = if negative { -v } else { v };
        if let Ok(v) = i64::try_from(v) {
            return Ok(Cell::Int(v));
        }
    }
    let mut v = 0f64;
    for (k, d) in digits.iter().enumerate() {
        v += f64::from(*d) * 10_000f64.powi((weight - k as i64) as i32);
    }
    Ok(Cell::Real(if negative { -v } else { v }))
}

/// `v` as a numeric.
pub(super) fn encode_int(v: i64, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    let mut digits = Vec::new();
    let mut n = v.unsigned_abs();
    while n > 0 {
        digits.push((n % 10_000) as u16);
        n /= 10_000;
    }
    digits.reverse();
    let weight = digits.len() as i16 - 1;
    out.put_u16(digits.len() as u16);
    out.put_i16(weight.max(0));
    out.put_u16(if v < 0 { NEGATIVE } else { 0 });
    out.put_u16(0);
    for d in digits {
        out.put_u16(d);
    }
    Ok(IsNull::No)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(v: i64) -> Cell<'static> {
        let mut out = BytesMut::new();
        encode_int(v, &mut out).unwrap();
        decode(&out).unwrap()
    }

    #[test]
    fn whole_numerics_read_as_integers() {
        for v in [
            0,
            1,
            -1,
            9_999,
            10_000,
            123_456_789,
            -98_765_432_100,
            i64::MAX,
            i64::MIN + 1,
        ] {
            assert_eq!(round_trip(v), Cell::Int(v), "{v}");
        }
    }

    #[test]
    fn fractions_read_as_reals() {
        // 1.5: one digit of weight 0 (1), one of weight -1 (5000), scale 1.
        let raw: Vec<u8> = [2u16, 0, 0, 1, 1, 5000]
            .iter()
            .flat_map(|w| w.to_be_bytes())
            .collect();
        assert_eq!(decode(&raw).unwrap(), Cell::Real(1.5));
    }
}
