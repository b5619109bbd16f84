//! A real server on 127.0.0.1:0 with a fresh SQLite file and the demo seed, and a small
//! HTTP client around reqwest.

use amorphic_su_server::{spawn, RunningServer, ServerOptions};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::Method;
use serde_json::{json, Value};
use tempfile::TempDir;

/// The demo seed's published credentials, under the names these tests use.
pub use amorphic_su_server::seed::demo::{
    ALICE_DEFAULT_PAT as ALICE_DEFAULT, ALICE_ENGINEERS_PAT as ALICE_ENGINEERS, ALICE_PASSWORD,
    ALICE_SUPERADMIN_PAT as ALICE_SA, ALICE_SYSADMINS_PAT as ALICE_SYSADMINS,
    BOB_DEFAULT_PAT as BOB_DEFAULT, BOB_ENGINEERS_PAT as BOB_ENGINEERS, BOB_PASSWORD,
    CAROL_ANALYSTS_PAT as CAROL_ANALYSTS, CAROL_DEFAULT_PAT as CAROL_DEFAULT, CAROL_PASSWORD,
    DAVE_DEFAULT_PAT as DAVE_DEFAULT, DAVE_PASSWORD,
};

pub const DEFAULT_ROLE: &str = "SystemRole-DefaultUsers";
pub const SUPER_ADMIN: &str = "SystemRole-SuperAdmin";
pub const ENGINEERS: &str = "role-data-engineers";
pub const ANALYSTS: &str = "role-analysts";

pub struct Srv {
    /// Kept alive for the test; dropped with it.
    pub _server: RunningServer,
    pub url: String,
    pub http: reqwest::Client,
    pub dir: TempDir,
}

impl Srv {
    /// A server with the demo seed.
    pub async fn start() -> Srv {
        Self::start_with(|o| o).await
    }

    /// A server with the demo seed and adjusted options.
    pub async fn start_with(adjust: impl FnOnce(ServerOptions) -> ServerOptions) -> Srv {
        let dir = tempfile::tempdir().unwrap();
        let options = adjust(ServerOptions::new(dir.path().join("server.db")).demo_seed());
        let server = spawn(options).await.unwrap();
        let url = server.base_url();
        Srv {
            _server: server,
            url,
            http: reqwest::Client::new(),
            dir,
        }
    }

    /// A server loaded from a seed given as JSON.
    pub async fn start_with_seed(seed: &Value) -> Srv {
        let dir = tempfile::tempdir().unwrap();
        let seed_path = dir.path().join("seed.json");
        std::fs::write(&seed_path, serde_json::to_vec(seed).unwrap()).unwrap();
        let server = spawn(ServerOptions::new(dir.path().join("server.db")).seed(&seed_path))
            .await
            .unwrap();
        let url = server.base_url();
        Srv {
            _server: server,
            url,
            http: reqwest::Client::new(),
            dir,
        }
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("server.db")
    }

    pub fn call(&self, method: Method, path: &str) -> Call {
        Call {
            rb: self.http.request(method, format!("{}{}", self.url, path)),
        }
    }

    pub fn get(&self, path: &str) -> Call {
        self.call(Method::GET, path)
    }
    pub fn post(&self, path: &str) -> Call {
        self.call(Method::POST, path)
    }
    pub fn put(&self, path: &str) -> Call {
        self.call(Method::PUT, path)
    }
    pub fn delete(&self, path: &str) -> Call {
        self.call(Method::DELETE, path)
    }

    /// Issues a service-user token as `pat` and returns the JWT.
    pub async fn assume(&self, pat: &str, service_user: &str, role: &str, minutes: i64) -> String {
        let r = self
            .post(&format!("/users/{service_user}/auth-token"))
            .auth(pat)
            .json(json!({"RoleId": role, "ExpiryInMinutes": minutes}))
            .send()
            .await;
        r.expect(201);
        r.body["Token"].as_str().unwrap().to_owned()
    }

    /// Creates a PAT for the principal of `pat` (+ `acting`), returns the secret.
    pub async fn create_pat(&self, pat: &str, acting: Option<&str>, role: &str) -> Value {
        let mut c = self.post("/access-tokens").auth(pat);
        if let Some(j) = acting {
            c = c.acting(j);
        }
        let r = c
            .json(json!({"TokenName": "test", "RoleId": role, "ExpiresAt": in_days(30)}))
            .send()
            .await;
        r.expect(201);
        r.body
    }

    pub async fn set_status(&self, pat: &str, user: &str, status: &str) -> Resp {
        self.put(&format!("/users/{user}/status"))
            .auth(pat)
            .json(json!({"UserStatus": status}))
            .send()
            .await
    }

    pub async fn user(&self, id: &str) -> Value {
        let r = self
            .get(&format!("/users/{id}"))
            .auth(ALICE_DEFAULT)
            .send()
            .await;
        r.expect(200);
        r.body
    }

    /// Reads the signing key from the database (as an attacker with the file could) and
    /// signs arbitrary header and claims with it.
    pub async fn forge(&self, header: &Value, claims: &Value) -> String {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", self.db_path().display()))
            .await
            .unwrap();
        let (der,): (Vec<u8>,) = sqlx::query_as("SELECT private_der FROM signing_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        use ed25519_dalek::pkcs8::DecodePrivateKey;
        use ed25519_dalek::Signer;
        let key = ed25519_dalek::SigningKey::from_pkcs8_der(&der).unwrap();
        let input = format!("{}.{}", b64(header), b64(claims));
        let sig = key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
    }

    /// The server's active `kid`.
    pub async fn kid(&self) -> String {
        let r = self.get("/.well-known/jwks.json").send().await;
        r.body["keys"][0]["kid"].as_str().unwrap().to_owned()
    }
}

pub fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

/// The decoded header and claims of a JWT (no verification).
pub fn jwt_parts(token: &str) -> (Value, Value) {
    let mut it = token.split('.');
    let h = URL_SAFE_NO_PAD.decode(it.next().unwrap()).unwrap();
    let c = URL_SAFE_NO_PAD.decode(it.next().unwrap()).unwrap();
    (
        serde_json::from_slice(&h).unwrap(),
        serde_json::from_slice(&c).unwrap(),
    )
}

pub fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn now_s() -> i64 {
    chrono::Utc::now().timestamp()
}

pub struct Call {
    rb: reqwest::RequestBuilder,
}

impl Call {
    pub fn auth(self, token: &str) -> Self {
        Call {
            rb: self.rb.header("Authorization", token),
        }
    }
    pub fn role(self, role: &str) -> Self {
        Call {
            rb: self.rb.header("role_id", role),
        }
    }
    pub fn acting(self, jwt: &str) -> Self {
        Call {
            rb: self.rb.header("X-Amorphic-Service-User", jwt),
        }
    }
    pub fn header(self, name: &str, value: &str) -> Self {
        Call {
            rb: self.rb.header(name, value),
        }
    }
    pub fn json(self, body: Value) -> Self {
        Call {
            rb: self.rb.json(&body),
        }
    }
    /// A raw body with `Content-Type: application/json`.
    pub fn raw_json(self, body: impl Into<reqwest::Body>) -> Self {
        Call {
            rb: self
                .rb
                .header("Content-Type", "application/json")
                .body(body),
        }
    }
    pub fn body(self, body: impl Into<reqwest::Body>) -> Self {
        Call {
            rb: self.rb.body(body),
        }
    }
    pub async fn send(self) -> Resp {
        let r = self.rb.send().await.expect("request failed");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
        }
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        self
    }

    /// Asserts an error answer: status, `Code`, and a non-empty `Message`.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        assert_eq!(
            self.body["Code"],
            json!(code),
            "unexpected code; body: {}",
            self.body
        );
        assert!(
            self.body["Message"].as_str().is_some_and(|m| m.len() > 5),
            "no message: {}",
            self.body
        );
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    }
}

/// The demo seed as JSON, to adjust for a test.
pub fn demo_seed() -> Value {
    serde_json::from_str(amorphic_su_server::DEMO_SEED).unwrap()
}
