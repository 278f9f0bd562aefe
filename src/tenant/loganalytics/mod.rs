//! Sign-ins where large tenants keep them: a Log Analytics workspace (often
//! with Microsoft Sentinel), asked in KQL so that Kusto filters and
//! summarises and only what the detectors need comes back ([`kql`]).

pub(crate) mod kql;
