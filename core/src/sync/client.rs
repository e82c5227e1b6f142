//! The device's HTTP client: reqwest over rustls (ring provider, webpki roots), gzip and zstd,
//! timeouts, and the retry policy. One per app; it keeps connections alive between syncs.

use std::sync::Arc;
use std::time::Duration;

use super::retry::RetryPolicy;
use crate::error::{Error, Result};

#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Time to open a TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Longest silence while waiting for bytes: a server that hangs is given up on after this.
    pub read_timeout: Duration,
    /// Deadline for one whole request, body included.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// Off by default: every poll would carry it, and polls are budgeted to the byte.
    pub user_agent: Option<String>,
}

impl Default for ClientConfig {
    fn default() -> ClientConfig {
        ClientConfig {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(20),
            request_timeout: Duration::from_secs(120),
            retry: RetryPolicy::default(),
            user_agent: None,
        }
    }
}

#[derive(Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    pub(crate) config: ClientConfig,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client> {
        let tls = tls_config()?;
        let mut builder = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .gzip(true)
            .zstd(true)
            .no_proxy()
            .tcp_nodelay(true)
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .timeout(config.request_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .redirect(same_origin_redirects());
        if let Some(agent) = &config.user_agent {
            builder = builder.user_agent(agent.clone());
        }
        let http = builder
            .build()
            .map_err(|e| Error::Protocol(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Client { http, config })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }
}

/// Most redirects followed in a row (reqwest's own default).
pub const MAX_REDIRECTS: usize = 10;

/// Follows a redirect only within the origin (scheme, host, port) the request went to: the
/// access code and the organiser token are sent to that origin alone, and https never turns
/// into http. Any other redirect stops, and the 3xx comes back as the answer.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin || attempt.previous().len() > MAX_REDIRECTS {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

fn tls_config() -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Protocol(format!("cannot set up TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}
