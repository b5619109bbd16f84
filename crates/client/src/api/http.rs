//! The HTTP core: one request with its headers, retries for idempotent GETs (jittered
//! exponential backoff on connection failures, timeouts and 502-504), and the body decoded
//! into its type.

use std::time::Duration;

use amorphic_su_model::{ROLE_HEADER, SERVICE_USER_HEADER};
use rand::Rng;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::errors::classify_error;
use super::{ApiClient, Credentials};
use crate::error::{ClientError, Result};

impl ApiClient {
    fn offline(&self, e: &reqwest::Error) -> ClientError {
        let mut reason = if e.is_timeout() {
            "the request timed out".to_owned()
        } else if e.is_connect() {
            "connection failed".to_owned()
        } else {
            "the connection broke".to_owned()
        };
        // The innermost cause says most (e.g. "Connection refused", "dns error").
        let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
        let mut last = None;
        while let Some(s) = src {
            last = Some(s.to_string());
            src = s.source();
        }
        if let Some(l) = last {
            reason = format!("{reason}: {l}");
        }
        ClientError::Offline {
            url: self.base.clone(),
            reason: reason.replace('\n', " "),
        }
    }

    /// Sends one request; GETs are retried with jittered exponential backoff on connection
    /// failures, timeouts and 502/503/504. Returns the status and body of a 2xx answer, else
    /// the typed error.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        creds: Option<&Credentials>,
        body: Option<&serde_json::Value>,
    ) -> Result<(StatusCode, bytes::Bytes)> {
        let idempotent = method == Method::GET;
        let attempts = if idempotent {
            1 + self.config.get_retries
        } else {
            1
        };
        let mut last_err = None;
        for attempt in 0..attempts {
            if attempt > 0 {
                let base =
                    self.config.retry_base.as_millis() as u64 * (1u64 << (attempt - 1).min(6));
                let jitter = rand::thread_rng().gen_range(base / 2..=base + base / 2);
                tokio::time::sleep(Duration::from_millis(jitter)).await;
            }
            let mut req = self
                .http
                .request(method.clone(), self.url(path))
                .header("Accept", "application/json");
            if let Some(c) = creds {
                req = req.header("Authorization", c.authorization.expose());
                if let Some(r) = &c.role_id {
                    req = req.header(ROLE_HEADER, r.as_str());
                }
                if let Some(t) = &c.service_user {
                    req = req.header(SERVICE_USER_HEADER, t.expose());
                }
            }
            if let Some(b) = body {
                req = req.json(b);
            }
            let resp = match req.send().await {
                Ok(r) => r,
                Err(e) => {
                    let err = self.offline(&e);
                    if idempotent && (e.is_connect() || e.is_timeout() || e.is_request()) {
                        last_err = Some(err);
                        continue;
                    }
                    return Err(err);
                }
            };
            let status = resp.status();
            let bytes = match resp.bytes().await {
                Ok(b) => b,
                Err(e) => {
                    let err = if e.is_timeout() {
                        self.offline(&e)
                    } else {
                        let reason = self.offline(&e).to_string();
                        ClientError::ServerError {
                            status: status.as_u16(),
                            detail: format!("the answer broke off ({reason})"),
                        }
                    };
                    if idempotent {
                        last_err = Some(err);
                        continue;
                    }
                    return Err(err);
                }
            };
            if status.is_success() {
                return Ok((status, bytes));
            }
            let err = super::errors::in_context(
                classify_error(status.as_u16(), &bytes),
                &self.base,
                path,
            );
            if idempotent && matches!(status.as_u16(), 502..=504) {
                last_err = Some(err);
                continue;
            }
            return Err(err);
        }
        Err(last_err.unwrap_or_else(|| ClientError::Offline {
            url: self.base.clone(),
            reason: "no attempt made".into(),
        }))
    }

    pub(super) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        creds: Option<&Credentials>,
        body: Option<serde_json::Value>,
    ) -> Result<T> {
        let (status, bytes) = self.send_raw(method, path, creds, body.as_ref()).await?;
        parse_body(status.as_u16(), &bytes)
    }

    pub(super) async fn call_no_content(
        &self,
        method: Method,
        path: &str,
        creds: Option<&Credentials>,
    ) -> Result<()> {
        self.send_raw(method, path, creds, None).await.map(|_| ())
    }

    pub(super) fn to_value<B: Serialize>(body: &B) -> Result<serde_json::Value> {
        serde_json::to_value(body)
            .map_err(|e| ClientError::invalid(format!("cannot encode the request: {e}")))
    }
}

/// Parses a 2xx body; anything unreadable is a `server_error`, never a panic.
pub(crate) fn parse_body<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T> {
    let bytes = if bytes.is_empty() {
        b"null".as_slice()
    } else {
        bytes
    };
    serde_json::from_slice(bytes).map_err(|e| ClientError::ServerError {
        status,
        detail: format!("malformed JSON ({e})"),
    })
}
