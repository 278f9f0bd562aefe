//! GUIDs as Entra ID writes them (device, tenant, user and app IDs): parsed
//! from text in any case, with or without braces, or from the 16 bytes of a
//! certificate extension (Microsoft's mixed-endian layout), and always
//! shown as 36 lower-case characters so that IDs from different sources
//! compare equal.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A GUID, kept as its 16 bytes in display order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Guid([u8; 16]);

impl Guid {
    /// Reads `8-4-4-4-12` hexadecimal digits, any case, surrounding space
    /// and braces allowed.
    pub(crate) fn parse(text: &str) -> Option<Guid> {
        let text = text.trim();
        let text = text
            .strip_prefix('{')
            .and_then(|t| t.strip_suffix('}'))
            .unwrap_or(text);
        let groups: Vec<&str> = text.split('-').collect();
        let shaped = groups.len() == 5
            && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, len)| {
                group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit())
            });
        if !shaped {
            return None;
        }
        let digits: String = groups.concat();
        let mut bytes = [0u8; 16];
        for (n, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(digits.get(2 * n..2 * n + 2)?, 16).ok()?;
        }
        Some(Guid(bytes))
    }

    /// Reads the 16 bytes of a Windows GUID structure: the first three
    /// fields little-endian, the rest in order (how Entra's certificate
    /// extensions carry device, tenant and user IDs).
    pub(crate) fn from_windows_bytes(bytes: &[u8]) -> Option<Guid> {
        let raw: [u8; 16] = bytes.try_into().ok()?;
        let mut ordered = raw;
        ordered[0..4].copy_from_slice(&[raw[3], raw[2], raw[1], raw[0]]);
        ordered[4..6].copy_from_slice(&[raw[5], raw[4]]);
        ordered[6..8].copy_from_slice(&[raw[7], raw[6]]);
        Some(Guid(ordered))
    }

    /// A random (version 4) GUID from 16 random bytes.
    pub(crate) fn from_random_bytes(mut bytes: [u8; 16]) -> Guid {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Guid(bytes)
    }

    /// Whether this is the all-zero GUID (a placeholder, never a real ID).
    pub(crate) fn is_nil(&self) -> bool {
        self.0 == [0; 16]
    }

    /// How many of the 32 hexadecimal characters differ from `other`'s: a
    /// mistyped ID is one or two characters off (a dropped or added
    /// character does not parse as a GUID at all).
    pub(crate) fn characters_apart(&self, other: &Guid) -> u32 {
        self.0
            .iter()
            .zip(other.0.iter())
            .map(|(a, b)| {
                let x = a ^ b;
                u32::from(x & 0x0f != 0) + u32::from(x & 0xf0 != 0)
            })
            .sum()
    }

    /// Every GUID in `text`, in order, each once.
    pub(crate) fn find_all(text: &str) -> Vec<Guid> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let mut at = 0;
        while at + 36 <= bytes.len() {
            let starts_a_word = at == 0 || !bytes[at - 1].is_ascii_hexdigit();
            let ends_a_word = bytes.get(at + 36).is_none_or(|b| !b.is_ascii_hexdigit());
            match text.get(at..at + 36).and_then(Guid::parse) {
                Some(guid) if starts_a_word && ends_a_word => {
                    if !found.contains(&guid) {
                        found.push(guid);
                    }
                    at += 36;
                }
                _ => at += 1,
            }
        }
        found
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, byte) in self.0.iter().enumerate() {
            if matches!(n, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Guid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Guid {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Guid::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not a GUID: {text}")))
    }
}

/// Reads an optional GUID leniently: anything that is not one (a pseudonym
/// a redacted bundle put in its place) is `None`, never an error.
pub(crate) fn lenient<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Guid>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(value
        .as_ref()
        .and_then(|v| v.as_str())
        .and_then(Guid::parse))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_any_case_and_with_braces_is_one_guid() {
        let plain = Guid::parse("34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab").unwrap();
        assert_eq!(
            Guid::parse(" {34B1BA9A-3B2D-4C6C-AB4B-615F4B143EAB} "),
            Some(plain)
        );
        assert_eq!(plain.to_string(), "34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab");
        for bad in [
            "",
            "YOUR-CLIENT-ID",
            "34b1ba9a-3b2d-4c6c-ab4b-615f4b143ea",
            "34b1ba9a-3b2d-4c6c-ab4b-615f4b143eag",
            "34b1ba9a3b2d4c6cab4b615f4b143eab",
            "+4b1ba9a-3b2d-4c6c-ab4b-615f4b143eab",
        ] {
            assert_eq!(Guid::parse(bad), None, "{bad}");
        }
        assert!(
            Guid::parse("00000000-0000-0000-0000-000000000000")
                .unwrap()
                .is_nil()
        );
    }

    #[test]
    fn windows_bytes_swap_the_first_three_fields() {
        // The device ID extension of a real Entra device certificate and
        // the certificate's subject.
        let bytes = [
            0x9a, 0xba, 0xb1, 0x34, 0x2d, 0x3b, 0x6c, 0x4c, 0xab, 0x4b, 0x61, 0x5f, 0x4b, 0x14,
            0x3e, 0xab,
        ];
        assert_eq!(
            Guid::from_windows_bytes(&bytes).unwrap().to_string(),
            "34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab"
        );
        assert_eq!(Guid::from_windows_bytes(&bytes[..15]), None);
    }

    #[test]
    fn finds_every_guid_in_text_once() {
        let text = "id: 34B1BA9A-3B2D-4C6C-AB4B-615F4B143EAB, tenant=afb714de-f42c-41f2-802f-65b2911dd346; again 34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab x0afb714de-f42c-41f2-802f-65b2911dd3460";
        let found: Vec<String> = Guid::find_all(text).iter().map(Guid::to_string).collect();
        assert_eq!(
            found,
            [
                "34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab",
                "afb714de-f42c-41f2-802f-65b2911dd346"
            ]
        );
    }

    #[test]
    fn serde_round_trip_is_the_display_form() {
        let guid = Guid::parse("AFB714DE-F42C-41F2-802F-65B2911DD346").unwrap();
        let json = serde_json::to_string(&guid).unwrap();
        assert_eq!(json, "\"afb714de-f42c-41f2-802f-65b2911dd346\"");
        assert_eq!(serde_json::from_str::<Guid>(&json).unwrap(), guid);
        assert!(serde_json::from_str::<Guid>("\"nope\"").is_err());
    }

    #[test]
    fn characters_apart_counts_hexadecimal_characters() {
        let a = Guid::parse("7c1e9a40-2d3b-4e5f-8a6b-000000000102").unwrap();
        let typo = Guid::parse("7c1e9a40-2d3b-4e5f-8a6b-000000000103").unwrap();
        let two = Guid::parse("7d1e9a40-2d3b-4e5f-8a6b-000000000103").unwrap();
        let far = Guid::parse("00000000-0000-0000-0000-000000000000").unwrap();
        assert_eq!(a.characters_apart(&a), 0);
        assert_eq!(a.characters_apart(&typo), 1);
        assert_eq!(a.characters_apart(&two), 2);
        assert!(a.characters_apart(&far) > 20);
    }
}
