//! Values clap checks as it parses: an Entra device ID and an app ID.

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
