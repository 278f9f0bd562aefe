//! The Entra source family: what the tenant recorded, read from the files
//! admins export (sign-in logs today; Conditional Access policies next),
//! beside the Mac family. Readers turn files into typed records; the
//! evidence, findings and renderers are shared.

pub(crate) mod decode;
pub(crate) mod policies;
pub(crate) mod records;
pub(crate) mod signins;
