//! The flags that reach Microsoft Graph and the Jamf Pro API, shared by
//! `fetch` and by every command's `--fetch`: where, as which app, and the
//! credentials, which come from the environment or private files, never
//! from a flag's value (it would show in the process list and the shell's
//! history).

use super::values::{parse_app_id, parse_size};
use crate::tenant::fetch::assertion::AppCertificate;
use crate::tenant::fetch::graph::{Cloud, Credential, Secret};
use crate::tenant::fetch::http::{DEFAULT_MAX_PAGES, Endpoint, Limits};
use crate::tenant::fetch::live::LiveFetch;
use crate::tenant::fetch::{Credentials, FetchPlan, GraphTarget, JamfTarget};
use crate::tenant::keys::Keys;
use crate::tenant::kind::TenantKind;
use crate::util::usage::UsageError;
use anyhow::{Result, bail};
use chrono::{DateTime, FixedOffset};
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The environment variable of the app's client secret.
pub(crate) const CLIENT_SECRET_ENV: &str = "CA_DOCTOR_CLIENT_SECRET";
/// The environment variable of the Jamf Pro API client's secret.
pub(crate) const JAMF_SECRET_ENV: &str = "CA_DOCTOR_JAMF_CLIENT_SECRET";
/// The environment variable of a PKCS#12 file's password.
pub(crate) const CERTIFICATE_PASSWORD_ENV: &str = "CA_DOCTOR_CERTIFICATE_PASSWORD";

/// Largest credential file read.
const MAX_CREDENTIAL_FILE: u64 = 1 << 20;

/// Where Graph and Jamf Pro are, and who signs in to them.
#[derive(Args, Debug, Clone)]
pub(crate) struct ConnectArgs {
    /// The tenant (its ID or a verified domain).
    #[arg(long, value_name = "TENANT", help_heading = "Microsoft Graph")]
    pub(crate) tenant_id: Option<String>,
    /// The app registration's Application (client) ID.
    #[arg(long, value_name = "APP_ID", value_parser = parse_app_id, help_heading = "Microsoft Graph")]
    pub(crate) client_id: Option<String>,
    /// A file holding the app's client secret, readable by its owner only
    /// (else the secret comes from CA_DOCTOR_CLIENT_SECRET).
    #[arg(long, value_name = "FILE", help_heading = "Microsoft Graph")]
    pub(crate) client_secret_file: Option<PathBuf>,
    /// The app's certificate instead of a secret: a PEM file (with the key,
    /// or the key in --client-key) or a PKCS#12 file (.p12/.pfx; its
    /// password in CA_DOCTOR_CERTIFICATE_PASSWORD).
    #[arg(long, value_name = "FILE", help_heading = "Microsoft Graph")]
    pub(crate) client_certificate: Option<PathBuf>,
    /// The PEM private key of --client-certificate, readable by its owner only.
    #[arg(
        long,
        value_name = "FILE",
        requires = "client_certificate",
        help_heading = "Microsoft Graph"
    )]
    pub(crate) client_key: Option<PathBuf>,
    /// Sign in as an admin with a code entered on another device
    /// (delegated permissions) instead of the app's own credential. A
    /// Conditional Access policy requiring a compliant device can block
    /// this (AADSTS530033).
    #[arg(long, conflicts_with_all = ["client_secret_file", "client_certificate"], help_heading = "Microsoft Graph")]
    pub(crate) device_code: bool,
    /// Microsoft's cloud: its login and Graph hosts.
    #[arg(long, value_enum, default_value_t = Cloud::Global, help_heading = "Microsoft Graph")]
    pub(crate) cloud: Cloud,
    /// The login host instead of the cloud's (https://, or http:// on loopback).
    #[arg(long, value_name = "URL", help_heading = "Microsoft Graph")]
    pub(crate) login_url: Option<String>,
    /// The Graph host instead of the cloud's (https://, or http:// on loopback).
    #[arg(long, value_name = "URL", help_heading = "Microsoft Graph")]
    pub(crate) graph_url: Option<String>,
    /// The Jamf Pro server (https://yourorg.jamfcloud.com).
    #[arg(long, value_name = "URL", help_heading = "Jamf Pro API")]
    pub(crate) jamf_url: Option<String>,
    /// The Jamf Pro API client's ID (its role needs "Read Computers" and
    /// "Read Device Compliance Information").
    #[arg(long, value_name = "ID", help_heading = "Jamf Pro API")]
    pub(crate) jamf_client_id: Option<String>,
    /// A file holding the API client's secret, readable by its owner only
    /// (else the secret comes from CA_DOCTOR_JAMF_CLIENT_SECRET).
    #[arg(long, value_name = "FILE", help_heading = "Jamf Pro API")]
    pub(crate) jamf_client_secret_file: Option<PathBuf>,
    /// Seconds one response may take before it is tried again.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) timeout: u64,
    /// Pages one kind may take before its fetch stops (a server that
    /// pages forever).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_PAGES, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) max_pages: u32,
    /// Bytes all responses of a run may total before it stops: a number,
    /// or with K, M, G or T (powers of 1,024).
    #[arg(long, value_name = "SIZE", default_value = "16G", value_parser = parse_size)]
    pub(crate) max_bytes: u64,
}

impl ConnectArgs {
    /// Graph's hosts, tenant and app; `None` when neither `--tenant-id`
    /// nor `--client-id` is given.
    pub(crate) fn graph_target(&self) -> Result<Option<GraphTarget>> {
        let (tenant_id, client_id) = match (&self.tenant_id, &self.client_id) {
            (None, None) => return Ok(None),
            (Some(tenant), Some(client)) => (tenant.clone(), client.clone()),
            (None, Some(_)) => bail!(UsageError("--client-id needs --tenant-id".to_string())),
            (Some(_), None) => bail!(UsageError(
                "--tenant-id needs --client-id (the app registration)".to_string()
            )),
        };
        let login = self
            .login_url
            .clone()
            .unwrap_or_else(|| self.cloud.login().to_string());
        let graph = self
            .graph_url
            .clone()
            .unwrap_or_else(|| self.cloud.graph().to_string());
        for (flag, url) in [("--login-url", &login), ("--graph-url", &graph)] {
            Endpoint::parse(url).map_err(|e| UsageError(format!("{flag} {e}")))?;
        }
        let credential = if self.device_code {
            "device-code"
        } else if self.client_certificate.is_some() {
            "certificate"
        } else {
            "secret"
        };
        Ok(Some(GraphTarget {
            login,
            graph,
            tenant_id,
            client_id,
            credential,
        }))
    }

    /// The Jamf Pro server's URL, checked as every URL flag is (https://,
    /// or http:// on loopback; no user before the host): what reports link
    /// to, offline too. `None` without `--jamf-url`.
    pub(crate) fn jamf_server(&self) -> Result<Option<String>> {
        let Some(url) = &self.jamf_url else {
            return Ok(None);
        };
        let endpoint = Endpoint::parse(url).map_err(|e| UsageError(format!("--jamf-url {e}")))?;
        Ok(Some(endpoint.as_str().trim_end_matches('/').to_string()))
    }

    /// The Jamf Pro server and API client; `None` without `--jamf-url`.
    pub(crate) fn jamf_target(&self) -> Result<Option<JamfTarget>> {
        let Some(url) = &self.jamf_url else {
            if self.jamf_client_id.is_some() {
                bail!(UsageError("--jamf-client-id needs --jamf-url".to_string()));
            }
            return Ok(None);
        };
        Endpoint::parse(url).map_err(|e| UsageError(format!("--jamf-url {e}")))?;
        let Some(client_id) = &self.jamf_client_id else {
            bail!(UsageError(
                "--jamf-url needs --jamf-client-id (Settings > API Roles and Clients)".to_string()
            ));
        };
        Ok(Some(JamfTarget {
            url: url.trim_end_matches('/').to_string(),
            client_id: client_id.clone(),
        }))
    }

    /// The kinds there is a source for: Graph's with a tenant and app,
    /// Jamf Pro's with a server. Fails when there is none.
    pub(crate) fn reachable(&self, wanted: &[TenantKind]) -> Result<Vec<TenantKind>> {
        let graph = self.graph_target()?.is_some();
        let jamf = self.jamf_target()?.is_some();
        if !graph && !jamf {
            bail!(UsageError(
                "nothing to fetch from: give --tenant-id and --client-id (Microsoft Graph), --jamf-url and --jamf-client-id (Jamf Pro), or both".to_string()
            ));
        }
        Ok(wanted
            .iter()
            .copied()
            .filter(|kind| if kind.is_graph() { graph } else { jamf })
            .collect())
    }

    /// The credentials of the sources `what` needs.
    pub(crate) fn credentials(&self, what: &[TenantKind]) -> Result<Credentials> {
        let mut credentials = Credentials::default();
        if what.iter().any(|k| k.is_graph()) {
            credentials.graph = Some(self.graph_credential()?);
        }
        if what.contains(&TenantKind::JamfInventory) {
            credentials.jamf = Some(secret(
                self.jamf_client_secret_file.as_deref(),
                "--jamf-client-secret-file",
                JAMF_SECRET_ENV,
                "the Jamf Pro API client's secret",
            )?);
        }
        Ok(credentials)
    }

    /// The app's credential: a device code, the certificate, or the secret.
    fn graph_credential(&self) -> Result<Credential> {
        if self.device_code {
            return Ok(Credential::DeviceCode);
        }
        let Some(path) = &self.client_certificate else {
            return Ok(Credential::Secret(secret(
                self.client_secret_file.as_deref(),
                "--client-secret-file",
                CLIENT_SECRET_ENV,
                "the app's client secret",
            )?));
        };
        let named =
            |e: anyhow::Error| anyhow::anyhow!("--client-certificate {}: {e}", path.display());
        let bytes = std::fs::read(path).map_err(|e| named(anyhow::anyhow!("cannot read: {e}")))?;
        let pem = bytes.starts_with(b"-----") || bytes.trim_ascii_start().starts_with(b"-----");
        if !pem {
            // PKCS#12 holds the key: private like any key file.
            let bytes = read_private(path, "--client-certificate")?;
            let password = std::env::var(CERTIFICATE_PASSWORD_ENV).unwrap_or_default();
            return AppCertificate::from_pkcs12(&bytes, &password)
                .map(|c| Credential::Certificate(Box::new(c)))
                .map_err(named);
        }
        let key = match &self.client_key {
            Some(key) => read_private(key, "--client-key")?,
            None => read_private(path, "--client-certificate")?,
        };
        AppCertificate::from_pem(&bytes, &key)
            .map(|c| Credential::Certificate(Box::new(c)))
            .map_err(named)
    }

    /// A fetch into a temporary folder of the kinds `what` (as
    /// [`ConnectArgs::reachable`] gave them) about `selectors`, sign-ins
    /// since `since`, compliance records with the inventory when
    /// `compliance`; the credentials read now.
    pub(crate) fn live_fetch(
        &self,
        what: Vec<TenantKind>,
        since: DateTime<FixedOffset>,
        selectors: Keys,
        compliance: bool,
    ) -> Result<LiveFetch> {
        let credentials = std::sync::Arc::new(self.credentials(&what)?);
        Ok(LiveFetch {
            plan: FetchPlan {
                out: PathBuf::new(),
                since,
                selectors,
                max_records: None,
                graph: self.graph_target()?,
                jamf: self.jamf_target()?,
                jamf_compliance: compliance,
                what,
            },
            credentials,
            limits: self.limits(),
            progress: true,
        })
    }

    /// The HTTP client's limits.
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            response: Duration::from_secs(self.timeout),
            max_pages: self.max_pages,
            max_bytes: self.max_bytes,
            ..Limits::default()
        }
    }
}

/// A secret: from `file` (`flag`) when given, else the environment
/// variable `env`.
fn secret(file: Option<&Path>, flag: &str, env: &str, what: &str) -> Result<Secret> {
    if let Some(path) = file {
        let bytes = read_private(path, flag)?;
        return Ok(Secret::new(
            String::from_utf8_lossy(&bytes).trim().to_string(),
        ));
    }
    match std::env::var(env) {
        Ok(secret) if !secret.trim().is_empty() => Ok(Secret::new(secret.trim().to_string())),
        _ => bail!(UsageError(format!(
            "{what}: set {env} or give {flag} (never as a flag value: it would show in the process list and the shell's history)"
        ))),
    }
}

/// The bytes of a credential file, which must be a regular file only its
/// owner may read.
fn read_private(path: &Path, flag: &str) -> Result<Vec<u8>> {
    let file = crate::util::files::open_regular(path)
        .map_err(|e| anyhow::anyhow!("{flag} {}: cannot open: {e}", path.display()))?
        .ok_or_else(|| anyhow::anyhow!("{flag} {}: no such file", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mode = file.metadata().map(|m| m.mode()).unwrap_or(0o777);
        if mode & 0o077 != 0 {
            bail!(UsageError(format!(
                "{flag} {}: others may read it (mode {:o}): chmod 600 it",
                path.display(),
                mode & 0o777
            )));
        }
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_CREDENTIAL_FILE),
        &mut bytes,
    )
    .map_err(|e| anyhow::anyhow!("{flag} {}: read failed: {e}", path.display()))?;
    Ok(bytes)
}
