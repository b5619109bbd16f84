//! The attacked server, the cases and what the server must answer to them.

use std::time::Duration;

pub use amorphic_su_server::seed::demo::{
    ALICE_DEFAULT_PAT as ALICE, ALICE_SUPERADMIN_PAT as ALICE_SA, BOB_DEFAULT_PAT as BOB,
    CAROL_DEFAULT_PAT as CAROL, DAVE_DEFAULT_PAT as DAVE,
};
use amorphic_su_server::{spawn, RunningServer, ServerOptions};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::SigningKey;
use serde_json::{json, Value};
use tempfile::TempDir;

use super::forge::{now, sign_ed, signing_key_from_db, split};

pub const DEFAULT_ROLE: &str = "SystemRole-DefaultUsers";
pub const SUPER_ADMIN: &str = "SystemRole-SuperAdmin";
pub const ENGINEERS: &str = "role-data-engineers";

pub const SU_HEADER: &str = "X-Amorphic-Service-User";

pub const INVALID: Expect = Expect::Refused("TOKEN_INVALID");
pub const EXPIRED: Expect = Expect::Refused("TOKEN_EXPIRED");
pub const DISABLED: Expect = Expect::Refused("PRINCIPAL_DISABLED");
pub const UNAUTHENTICATED: Expect = Expect::Refused("UNAUTHENTICATED");

/// What the server must answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expect {
    /// 401 with this `Code`.
    Refused(&'static str),
    /// 403 with this `Code` (authentication passed, the active role did not).
    Forbidden(&'static str),
    /// 431: the header is over the server's limit (a body is optional).
    HeaderTooLarge,
}

/// One malicious request: the `X-Amorphic-Service-User` value(s) and the `Authorization`.
pub struct Case {
    pub name: String,
    /// Each entry is one `X-Amorphic-Service-User` header line (raw bytes).
    pub values: Vec<Vec<u8>>,
    pub auth: Option<String>,
    pub expect: Expect,
}

pub fn case(name: impl Into<String>, token: impl Into<String>, expect: Expect) -> Case {
    Case {
        name: name.into(),
        values: vec![token.into().into_bytes()],
        auth: Some(ALICE.to_owned()),
        expect,
    }
}

impl Case {
    pub fn auth(mut self, pat: &str) -> Case {
        self.auth = Some(pat.to_owned());
        self
    }
    pub fn no_auth(mut self) -> Case {
        self.auth = None;
        self
    }
    pub fn raw(name: &str, values: Vec<Vec<u8>>, expect: Expect) -> Case {
        Case {
            name: name.into(),
            values,
            auth: Some(ALICE.to_owned()),
            expect,
        }
    }
}

/// The status, `Code` and raw body of an answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub code: Option<String>,
    pub message: Option<String>,
    pub body: String,
}

impl Answer {
    pub fn satisfies(&self, expect: Expect) -> bool {
        let has_message = self.message.as_deref().is_some_and(|m| m.len() > 5);
        match expect {
            Expect::Refused(code) => {
                self.status == 401 && self.code.as_deref() == Some(code) && has_message
            }
            Expect::Forbidden(code) => {
                self.status == 403 && self.code.as_deref() == Some(code) && has_message
            }
            Expect::HeaderTooLarge => self.status == 431,
        }
    }
}

/// A real server with the demo seed, plus what an attacker needs: its published key and
/// (for the cases that need a valid signature) its private key from the database file.
pub struct Srv {
    pub server: RunningServer,
    pub url: String,
    pub http: reqwest::Client,
    pub _dir: TempDir,
    pub kid: String,
    pub public: [u8; 32],
    pub jwks_text: String,
    pub key: SigningKey,
}

impl Srv {
    pub async fn start() -> Srv {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("server.db");
        let server = spawn(ServerOptions::new(&db).demo_seed())
            .await
            .expect("the server starts");
        let url = server.base_url();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(4)
            .build()
            .expect("http client");
        let jwks_text = http
            .get(format!("{url}/.well-known/jwks.json"))
            .send()
            .await
            .expect("GET jwks")
            .text()
            .await
            .expect("jwks body");
        let jwks: Value = serde_json::from_str(&jwks_text).expect("jwks is JSON");
        let kid = jwks["keys"][0]["kid"].as_str().expect("kid").to_owned();
        let x = URL_SAFE_NO_PAD
            .decode(jwks["keys"][0]["x"].as_str().expect("x"))
            .expect("x is base64url");
        let public: [u8; 32] = x.try_into().expect("x is 32 bytes");
        let key = signing_key_from_db(&db, &kid).await;
        assert_eq!(
            key.verifying_key().to_bytes(),
            public,
            "the key in the database is the published one"
        );
        Srv {
            server,
            url,
            http,
            _dir: dir,
            kid,
            public,
            jwks_text,
            key,
        }
    }

    /// A service-user token issued by the server as `pat`.
    pub async fn issue(&self, pat: &str, service_user: &str, role: &str, minutes: i64) -> String {
        let r = self
            .http
            .post(format!("{}/users/{service_user}/auth-token", self.url))
            .header("Authorization", pat)
            .json(&json!({"RoleId": role, "ExpiryInMinutes": minutes}))
            .send()
            .await
            .expect("POST auth-token");
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 201, "issuing a token for {service_user}: {body}");
        body["Token"].as_str().expect("Token").to_owned()
    }

    /// A request with `pat` (and optionally a JWT) expecting `status`; returns the body.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        pat: &str,
        jwt: Option<&str>,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        let mut rb = self
            .http
            .request(method.clone(), format!("{}{path}", self.url))
            .header("Authorization", pat);
        if let Some(j) = jwt {
            rb = rb.header(SU_HEADER, j);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.expect("request");
        let got = r.status().as_u16();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        assert_eq!(got, status, "{method} {path}: {body}");
        body
    }

    /// Asserts that `token` (with `pat`) acts as `service_user` on behalf of `human`.
    pub async fn assert_accepted(&self, token: &str, pat: &str, service_user: &str, human: &str) {
        let who = self
            .call(reqwest::Method::GET, "/whoami", pat, Some(token), None, 200)
            .await;
        assert_eq!(who["UserId"], service_user, "{who}");
        assert_eq!(who["IsServiceUser"], true, "{who}");
        assert_eq!(who["ActorUserId"], human, "{who}");
    }

    pub async fn probe(
        &self,
        method: reqwest::Method,
        path: &str,
        c: &Case,
    ) -> Result<Answer, String> {
        let mut rb = self
            .http
            .request(method.clone(), format!("{}{path}", self.url));
        if let Some(a) = &c.auth {
            rb = rb.header("Authorization", a.as_str());
        }
        for v in &c.values {
            let value = reqwest::header::HeaderValue::from_bytes(v)
                .map_err(|e| format!("test bug: bad header value: {e}"))?;
            rb = rb.header(SU_HEADER, value);
        }
        if method == reqwest::Method::POST {
            rb = rb.json(&json!({"DatasourceName": "mallory-was-here", "DatasourceType": "jdbc"}));
        }
        let r = rb
            .send()
            .await
            .map_err(|e| format!("{method} {path}: no answer: {e:#}"))?;
        let status = r.status().as_u16();
        let body = r.text().await.unwrap_or_default();
        let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        Ok(Answer {
            status,
            code: json["Code"].as_str().map(str::to_owned),
            message: json["Message"].as_str().map(str::to_owned),
            body: body.chars().take(200).collect(),
        })
    }

    /// Sends every case to the three probes; fails listing every case that was not answered
    /// as expected.
    pub async fn run(&self, cases: Vec<Case>) {
        let probes = [
            (reqwest::Method::GET, "/whoami"),
            (reqwest::Method::GET, "/users/no-such-user-404"),
            (reqwest::Method::POST, "/datasources"),
        ];
        let mut failures = Vec::new();
        eprintln!("{} cases x {} probes", cases.len(), probes.len());
        for c in &cases {
            for (method, path) in &probes {
                match self.probe(method.clone(), path, c).await {
                    Ok(a) if a.satisfies(c.expect) => {}
                    Ok(a) => failures.push(format!(
                        "- {}: {method} {path}: expected {:?}, got {} {:?}: {}",
                        c.name, c.expect, a.status, a.code, a.body
                    )),
                    Err(e) => failures.push(format!("- {}: expected {:?}: {e}", c.name, c.expect)),
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} probes failed:\n{}",
            failures.len(),
            cases.len() * probes.len(),
            failures.join("\n")
        );
    }

    /// Header and claims of a valid token for etl-bot, assumed by alice, from a real one.
    pub async fn valid_parts(&self) -> (Value, Value) {
        let real = self.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
        let (h, mut c, _) = split(&real);
        let n = now();
        c["iat"] = json!(n - 5);
        c["nbf"] = json!(n - 5);
        c["exp"] = json!(n + 600);
        c["jti"] = json!("forged-by-the-test");
        (h, c)
    }

    /// Signs `header.claims` with the server's own key (EdDSA).
    pub fn forge(&self, header: &Value, claims: &Value) -> String {
        sign_ed(&self.key, header, claims)
    }

    pub fn header(&self) -> Value {
        json!({"alg": "EdDSA", "typ": "JWT", "kid": self.kid})
    }
}
