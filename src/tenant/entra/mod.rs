//! The Entra source family: what the tenant recorded, read from the files
//! admins export (sign-in logs, Conditional Access policies, device objects
//! and Intune's managed devices), beside the Mac family. Readers turn files into typed records; the
//! evidence, findings and renderers are shared.

pub(crate) mod devices;
pub(crate) mod managed_devices;
pub(crate) mod policies;
pub(crate) mod signins;
