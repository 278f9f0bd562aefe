//! Values clap checks as it parses: an Entra device ID, an app ID and a
//! size.

use crate::util::guid::Guid;

/// A device ID: a GUID, any case.
pub(crate) fn parse_device_id(text: &str) -> anyhow::Result<Guid> {
    Guid::parse(text).ok_or_else(|| {
        anyhow::anyhow!("a device ID is a GUID such as 7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b (Entra's deviceId, not the object ID)")
    })
}

/// An app ID: a GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`), kept as given.
pub(crate) fn parse_app_id(text: &str) -> anyhow::Result<String> {
    if text.len() == 36 && crate::util::guid::Guid::parse(text).is_some() {
        Ok(text.to_string())
    } else {
        Err(anyhow::anyhow!(
            "an app ID is a GUID such as c0ffee00-1111-4222-8333-444455556666 (the app registration's Application (client) ID)"
        ))
    }
}

/// A size: bytes, or with a K, M, G or T suffix (powers of 1,024).
pub(crate) fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let text = text.trim();
    let (digits, shift) = match text.char_indices().last() {
        Some((at, unit)) if unit.is_ascii_alphabetic() => {
            let shift = match unit.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => return Err(format!("{text}: a size is a number with K, M, G or T")),
            };
            (&text[..at], shift)
        }
        _ => (text, 0),
    };
    let number: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("{text}: a size is a number with K, M, G or T"))?;
    match number.checked_mul(1u64 << shift) {
        Some(0) => Err("a size of 0 would fetch nothing".to_string()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("{text}: too large")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_bytes_or_powers_of_1024() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("8k"), Ok(8 << 10));
        assert_eq!(parse_size("16G"), Ok(16 << 30));
        assert_eq!(parse_size(" 2 T "), Ok(2 << 40));
        assert!(parse_size("0").is_err());
        assert!(parse_size("5X").is_err());
        assert!(parse_size("G").is_err());
        assert!(
            parse_size("99999999999T")
                .unwrap_err()
                .contains("too large")
        );
    }
}
