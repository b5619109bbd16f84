//! Malicious service-user tokens (issue 3): every forged, tampered, malformed, oversized or
//! stale `X-Amorphic-Service-User` value, sent with a valid human PAT to a real server on
//! 127.0.0.1 (fresh SQLite file, demo seed), must be answered 401 with the contract's `Code`
//! (`TOKEN_INVALID`, `TOKEN_EXPIRED`, `PRINCIPAL_DISABLED`), or 431 when the header itself is
//! over the server's limit, and never 200 or 500.
//!
//! Every case is sent to three requests: `GET /whoami`, `GET /users/{unknown}` (authentication
//! must answer before the 404) and `POST /datasources` (a write). Cases that need a valid
//! signature on a malicious header or claims set are signed with the server's own key, read
//! from its database file as an attacker holding the file could; a positive control (a forged
//! token with correct contents is accepted) proves each refusal is about the one deviation.

use std::time::Duration;

use amorphic_su_server::{spawn, RunningServer, ServerOptions};
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signer, SigningKey};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use sqlx::ConnectOptions;
use tempfile::TempDir;

use amorphic_su_server::seed::demo::{
    ALICE_DEFAULT_PAT as ALICE, ALICE_SUPERADMIN_PAT as ALICE_SA, BOB_DEFAULT_PAT as BOB,
    CAROL_DEFAULT_PAT as CAROL, DAVE_DEFAULT_PAT as DAVE,
};

const DEFAULT_ROLE: &str = "SystemRole-DefaultUsers";
const SUPER_ADMIN: &str = "SystemRole-SuperAdmin";
const ENGINEERS: &str = "role-data-engineers";

const SU_HEADER: &str = "X-Amorphic-Service-User";

const INVALID: Expect = Expect::Refused("TOKEN_INVALID");
const EXPIRED: Expect = Expect::Refused("TOKEN_EXPIRED");
const DISABLED: Expect = Expect::Refused("PRINCIPAL_DISABLED");
const UNAUTHENTICATED: Expect = Expect::Refused("UNAUTHENTICATED");

/// What the server must answer.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// 401 with this `Code`.
    Refused(&'static str),
    /// 403 with this `Code` (authentication passed, the active role did not).
    Forbidden(&'static str),
    /// 431: the header is over the server's limit (a body is optional).
    HeaderTooLarge,
}

/// One malicious request: the `X-Amorphic-Service-User` value(s) and the `Authorization`.
struct Case {
    name: String,
    /// Each entry is one `X-Amorphic-Service-User` header line (raw bytes).
    values: Vec<Vec<u8>>,
    auth: Option<String>,
    expect: Expect,
}

fn case(name: impl Into<String>, token: impl Into<String>, expect: Expect) -> Case {
    Case {
        name: name.into(),
        values: vec![token.into().into_bytes()],
        auth: Some(ALICE.to_owned()),
        expect,
    }
}

impl Case {
    fn auth(mut self, pat: &str) -> Case {
        self.auth = Some(pat.to_owned());
        self
    }
    fn no_auth(mut self) -> Case {
        self.auth = None;
        self
    }
    fn raw(name: &str, values: Vec<Vec<u8>>, expect: Expect) -> Case {
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
struct Answer {
    status: u16,
    code: Option<String>,
    message: Option<String>,
    body: String,
}

impl Answer {
    fn satisfies(&self, expect: Expect) -> bool {
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
struct Srv {
    server: RunningServer,
    url: String,
    http: reqwest::Client,
    _dir: TempDir,
    kid: String,
    public: [u8; 32],
    jwks_text: String,
    key: SigningKey,
}

impl Srv {
    async fn start() -> Srv {
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
    async fn issue(&self, pat: &str, service_user: &str, role: &str, minutes: i64) -> String {
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
    async fn call(
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
    async fn assert_accepted(&self, token: &str, pat: &str, service_user: &str, human: &str) {
        let who = self
            .call(reqwest::Method::GET, "/whoami", pat, Some(token), None, 200)
            .await;
        assert_eq!(who["UserId"], service_user, "{who}");
        assert_eq!(who["IsServiceUser"], true, "{who}");
        assert_eq!(who["ActorUserId"], human, "{who}");
    }

    async fn probe(&self, method: reqwest::Method, path: &str, c: &Case) -> Result<Answer, String> {
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
    async fn run(&self, cases: Vec<Case>) {
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
    async fn valid_parts(&self) -> (Value, Value) {
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
    fn forge(&self, header: &Value, claims: &Value) -> String {
        sign_ed(&self.key, header, claims)
    }

    fn header(&self) -> Value {
        json!({"alg": "EdDSA", "typ": "JWT", "kid": self.kid})
    }
}

async fn signing_key_from_db(db: &std::path::Path, kid: &str) -> SigningKey {
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .expect("open the server's database read-only");
    let (der,): (Vec<u8>,) = sqlx::query_as("SELECT private_der FROM signing_keys WHERE kid = ?1")
        .bind(kid)
        .fetch_one(&mut conn)
        .await
        .expect("the signing key row");
    SigningKey::from_pkcs8_der(&der).expect("PKCS#8 Ed25519 key")
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).expect("JSON"))
}

/// Header, claims and the signature segment of a JWT (no verification).
fn split(token: &str) -> (Value, Value, String) {
    let mut it = token.split('.');
    let h = URL_SAFE_NO_PAD
        .decode(it.next().expect("header"))
        .expect("header b64");
    let c = URL_SAFE_NO_PAD
        .decode(it.next().expect("claims"))
        .expect("claims b64");
    let s = it.next().expect("signature").to_owned();
    (
        serde_json::from_slice(&h).expect("header JSON"),
        serde_json::from_slice(&c).expect("claims JSON"),
        s,
    )
}

/// Signs exactly these header and claims texts (which need not be canonical JSON).
fn sign_raw_ed(key: &SigningKey, header_json: &str, claims_json: &str) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header_json),
        URL_SAFE_NO_PAD.encode(claims_json)
    );
    let sig = key.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
}

fn sign_ed(key: &SigningKey, header: &Value, claims: &Value) -> String {
    sign_raw_ed(key, &header.to_string(), &claims.to_string())
}

/// HS256 over `header.claims` with `secret` (the classic key-confusion attack).
fn sign_hs256(secret: &[u8], header: &Value, claims: &Value) -> String {
    let input = format!("{}.{}", b64(header), b64(claims));
    let sig = jsonwebtoken::crypto::sign(
        input.as_bytes(),
        &EncodingKey::from_secret(secret),
        Algorithm::HS256,
    )
    .expect("HS256");
    format!("{input}.{sig}")
}

/// `v` with `f` applied.
fn with(v: &Value, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut v = v.clone();
    f(v.as_object_mut().expect("object"));
    v
}

fn flip_bit(sig_b64: &str, byte: usize, bit: u8) -> String {
    let mut s = URL_SAFE_NO_PAD.decode(sig_b64).expect("signature b64");
    s[byte] ^= 1 << bit;
    URL_SAFE_NO_PAD.encode(s)
}

/// The Ed25519 group order L, little-endian.
const ED25519_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// The same signature with `S` replaced by `S + L` (signature malleability).
fn malleate(sig_b64: &str) -> String {
    let mut s = URL_SAFE_NO_PAD.decode(sig_b64).expect("signature b64");
    let mut carry = 0u16;
    for (i, l) in ED25519_L.iter().enumerate() {
        let sum = u16::from(s[32 + i]) + u16::from(*l) + carry;
        s[32 + i] = (sum & 0xff) as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0, "S + L fits in 256 bits");
    URL_SAFE_NO_PAD.encode(s)
}

fn foreign_key() -> SigningKey {
    SigningKey::generate(&mut rand::rngs::OsRng)
}

fn foreign_kid(key: &SigningKey) -> String {
    use sha2::Digest;
    let x = URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes());
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(canonical.as_bytes()))
}

/// A token signed by `key` through jsonwebtoken, as any JWT library would mint it.
fn jsonwebtoken_ed(key: &SigningKey, kid: &str, claims: &Value) -> String {
    let der = key.to_pkcs8_der().expect("PKCS#8");
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_der(der.as_bytes()))
        .expect("encode")
}

// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn header_and_algorithm_attacks_are_refused() {
    let s = Srv::start().await;
    let real = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    let (real_h, real_c, real_sig) = split(&real);
    let (h, c) = s.valid_parts().await;
    // Controls: the real token and a forged one with correct contents are accepted, so every
    // refusal below is about its one deviation.
    s.assert_accepted(&real, ALICE, "etl-bot", "alice").await;
    s.assert_accepted(&s.forge(&h, &c), ALICE, "etl-bot", "alice")
        .await;

    let mut cases = Vec::new();
    // alg none, in the spellings libraries have been fooled by.
    for alg in ["none", "None", "NONE", "nOnE"] {
        let hn = with(&real_h, |m| {
            m.insert("alg".into(), json!(alg));
        });
        cases.push(case(
            format!("alg {alg}, empty signature"),
            format!("{}.{}.", b64(&hn), b64(&real_c)),
            INVALID,
        ));
    }
    let hn = with(&real_h, |m| {
        m.insert("alg".into(), json!("none"));
    });
    cases.push(case(
        "alg none, original signature kept",
        format!("{}.{}.{real_sig}", b64(&hn), b64(&real_c)),
        INVALID,
    ));
    let hn = with(&real_h, |m| {
        m.remove("alg");
    });
    cases.push(case(
        "alg missing (validly signed)",
        s.forge(&hn, &c),
        INVALID,
    ));
    // Other algorithms, validly signed with the server's key where they name its key type.
    for alg in ["eddsa", "Ed25519", "ES256", "RS256", "EdDSA "] {
        let ha = with(&h, |m| {
            m.insert("alg".into(), json!(alg));
        });
        cases.push(case(
            format!("alg {alg:?} (validly Ed25519-signed)"),
            s.forge(&ha, &c),
            INVALID,
        ));
    }
    // HS256 with the public key as the HMAC secret (key confusion), in every form it is published.
    let hs = with(&h, |m| {
        m.insert("alg".into(), json!("HS256"));
    });
    let x = URL_SAFE_NO_PAD.encode(s.public);
    let pem = s
        .key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .expect("PEM");
    let der = s.key.verifying_key().to_public_key_der().expect("DER");
    cases.push(case(
        "HS256, secret = raw public key bytes",
        sign_hs256(&s.public, &hs, &c),
        INVALID,
    ));
    cases.push(case(
        "HS256, secret = JWK x (base64url text)",
        sign_hs256(x.as_bytes(), &hs, &c),
        INVALID,
    ));
    cases.push(case(
        "HS256, secret = public key PEM",
        sign_hs256(pem.as_bytes(), &hs, &c),
        INVALID,
    ));
    cases.push(case(
        "HS256, secret = public key SPKI DER",
        sign_hs256(der.as_bytes(), &hs, &c),
        INVALID,
    ));
    cases.push(case(
        "HS256, secret = the JWKS document",
        sign_hs256(s.jwks_text.as_bytes(), &hs, &c),
        INVALID,
    ));
    let hs_nokid = with(&hs, |m| {
        m.remove("kid");
    });
    cases.push(case(
        "HS256 without kid, secret = raw public key",
        sign_hs256(&s.public, &hs_nokid, &c),
        INVALID,
    ));

    // kid: unknown, missing, wrong type, and injections (validly signed with the real key).
    let kids: Vec<(&str, Value)> = vec![
        ("unknown kid", json!("0f9a6c1e-unknown-key")),
        ("kid path traversal", json!("../../../../../../etc/passwd")),
        (
            "kid path traversal to /dev/null",
            json!("../../../../../../../dev/null"),
        ),
        (
            "kid absolute path to the database",
            json!("/proc/self/cwd/server.db"),
        ),
        ("kid SQL injection OR 1=1", json!("' OR '1'='1' --")),
        (
            "kid SQL injection UNION",
            json!("x' UNION SELECT kid FROM signing_keys --"),
        ),
        (
            "kid with a NUL byte appended",
            json!(format!("{}\u{0}", s.kid)),
        ),
        ("kid in another case", json!(s.kid.to_ascii_uppercase())),
        ("kid empty", json!("")),
        ("kid as a number", json!(1)),
        ("kid as an array holding the real kid", json!([s.kid])),
    ];
    for (name, kid) in kids {
        let hk = with(&h, |m| {
            m.insert("kid".into(), kid);
        });
        cases.push(case(name, s.forge(&hk, &c), INVALID));
    }
    let hk = with(&h, |m| {
        m.remove("kid");
    });
    cases.push(case("kid missing", s.forge(&hk, &c), INVALID));

    // A foreign Ed25519 key: with the server's kid, with its own kid, and announced in `jwk`.
    let evil = foreign_key();
    let evil_kid = foreign_kid(&evil);
    cases.push(case(
        "foreign Ed25519 key, server's kid (jsonwebtoken)",
        jsonwebtoken_ed(&evil, &s.kid, &c),
        INVALID,
    ));
    cases.push(case(
        "foreign Ed25519 key, its own kid",
        jsonwebtoken_ed(&evil, &evil_kid, &c),
        INVALID,
    ));
    let evil_jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(evil.verifying_key().to_bytes()), "kid": evil_kid});
    let hj = with(&h, |m| {
        m.insert("jwk".into(), evil_jwk.clone());
        m.insert("kid".into(), json!(evil_kid));
    });
    cases.push(case(
        "jwk header with the foreign key, signed by it",
        sign_ed(&evil, &hj, &c),
        INVALID,
    ));

    // Key-pointing and critical headers, validly signed with the server's own key: refused
    // whatever they say.
    let server_jwk = serde_json::from_str::<Value>(&s.jwks_text).expect("jwks")["keys"][0].clone();
    let extras: Vec<(&str, &str, Value)> = vec![
        (
            "jku to an attacker's JWKS",
            "jku",
            json!("http://127.0.0.1:1/evil-jwks.json"),
        ),
        (
            "jku to the server's own JWKS",
            "jku",
            json!(format!("{}/.well-known/jwks.json", s.url)),
        ),
        ("x5u", "x5u", json!("http://127.0.0.1:1/evil-cert.pem")),
        ("jwk with the server's own key", "jwk", server_jwk),
        ("jwk with the foreign key", "jwk", evil_jwk.clone()),
        ("x5c", "x5c", json!([STANDARD.encode(der.as_bytes())])),
        ("crit [exp]", "crit", json!(["exp"])),
        ("crit [] (empty)", "crit", json!([])),
        ("crit [b64] with b64 false", "crit", json!(["b64"])),
    ];
    for (name, key, value) in extras {
        let hx = with(&h, |m| {
            m.insert(key.into(), value);
            if name.contains("b64") {
                m.insert("b64".into(), json!(false));
            }
        });
        cases.push(case(
            format!("{name} (validly signed)"),
            s.forge(&hx, &c),
            INVALID,
        ));
    }
    // Unsigned variants of the same headers on the real token (re-encoded header, the real
    // signature no longer matches).
    for key in ["jku", "x5u", "jwk", "crit"] {
        let hx = with(&real_h, |m| {
            m.insert(
                key.into(),
                if key == "crit" {
                    json!(["exp"])
                } else {
                    json!("http://127.0.0.1:1/x")
                },
            );
        });
        cases.push(case(
            format!("{key} added to a real token (unsigned)"),
            format!("{}.{}.{real_sig}", b64(&hx), b64(&real_c)),
            INVALID,
        ));
    }
    // Duplicate `alg` keys: a parser differential between the server's header check and the
    // JWT library must not let `none` through either way round.
    let k = &s.kid;
    cases.push(case(
        "duplicate alg keys: none then EdDSA (validly signed)",
        sign_raw_ed(
            &s.key,
            &format!(r#"{{"alg":"none","typ":"JWT","kid":"{k}","alg":"EdDSA"}}"#),
            &c.to_string(),
        ),
        INVALID,
    ));
    cases.push(case(
        "duplicate alg keys: EdDSA then none (validly signed)",
        sign_raw_ed(
            &s.key,
            &format!(r#"{{"alg":"EdDSA","typ":"JWT","kid":"{k}","alg":"none"}}"#),
            &c.to_string(),
        ),
        INVALID,
    ));
    cases.push(case(
        "header is a JSON array (validly signed)",
        sign_raw_ed(&s.key, r#"["EdDSA"]"#, &c.to_string()),
        INVALID,
    ));
    cases.push(case(
        "header is not JSON (validly signed)",
        sign_raw_ed(&s.key, "alg=EdDSA", &c.to_string()),
        INVALID,
    ));

    assert!(cases.len() >= 30, "{} cases", cases.len());
    s.run(cases).await;
    // Nothing above broke the server or the real token.
    s.assert_accepted(&real, ALICE, "etl-bot", "alice").await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn signature_attacks_and_tampered_payloads_are_refused() {
    let s = Srv::start().await;
    let real = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    let other = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 20).await;
    s.assert_accepted(&real, ALICE, "etl-bot", "alice").await;
    let (h, c, sig) = split(&real);
    let (hb, cb) = (b64(&h), b64(&c));
    let signed = format!("{hb}.{cb}");
    let zeros = URL_SAFE_NO_PAD.encode([0u8; 64]);
    let (_, _, other_sig) = split(&other);

    let mut cases = vec![
        case(
            "signature stripped (trailing dot)",
            format!("{signed}."),
            INVALID,
        ),
        case("signature stripped (2 segments)", signed.clone(), INVALID),
        case(
            "signature bit-flipped (first byte)",
            format!("{signed}.{}", flip_bit(&sig, 0, 0)),
            INVALID,
        ),
        case(
            "signature bit-flipped (in S)",
            format!("{signed}.{}", flip_bit(&sig, 40, 3)),
            INVALID,
        ),
        case(
            "signature bit-flipped (last byte, high bit)",
            format!("{signed}.{}", flip_bit(&sig, 63, 7)),
            INVALID,
        ),
        case(
            "signature malleated (S + L)",
            format!("{signed}.{}", malleate(&sig)),
            INVALID,
        ),
        case(
            "signature truncated to 63 bytes",
            format!(
                "{signed}.{}",
                URL_SAFE_NO_PAD.encode(&URL_SAFE_NO_PAD.decode(&sig).unwrap()[..63])
            ),
            INVALID,
        ),
        case(
            "signature extended by a byte",
            format!(
                "{signed}.{}",
                URL_SAFE_NO_PAD.encode([URL_SAFE_NO_PAD.decode(&sig).unwrap(), vec![0]].concat())
            ),
            INVALID,
        ),
        case("signature all zeros", format!("{signed}.{zeros}"), INVALID),
        case(
            "signature of another real token",
            format!("{signed}.{other_sig}"),
            INVALID,
        ),
        case(
            "signature base64 with padding",
            format!(
                "{signed}.{}",
                URL_SAFE.encode(URL_SAFE_NO_PAD.decode(&sig).unwrap())
            ),
            INVALID,
        ),
        case(
            "signature standard (not URL-safe) base64",
            format!(
                "{signed}.{}",
                STANDARD.encode(URL_SAFE_NO_PAD.decode(&sig).unwrap())
            ),
            INVALID,
        ),
        case(
            "header base64 with padding",
            format!(
                "{}.{cb}.{sig}",
                URL_SAFE.encode(serde_json::to_vec(&h).unwrap())
            ),
            INVALID,
        ),
    ];
    // Payload tampering, original signature kept.
    let tampered: Vec<(&str, Value)> = vec![
        ("role_id", json!(SUPER_ADMIN)),
        ("role_id", json!(ENGINEERS)),
        ("sub", json!("finance-bot")),
        ("sub", json!("report-bot")),
        ("uid", json!(c["uid"].as_i64().unwrap() + 1)),
        ("exp", json!(c["exp"].as_i64().unwrap() + 86_400)),
        ("exp", json!(now() - 60)),
        ("iat", json!(now())),
        ("act", json!({"sub": "bob"})),
        ("aud", json!("amorphic-admin")),
        ("is_service_user", json!(false)),
    ];
    for (claim, value) in tampered {
        let ct = with(&c, |m| {
            m.insert(claim.into(), value.clone());
        });
        // An expired-looking payload with a bad signature is still TOKEN_INVALID: claims are
        // not believed before the signature is checked.
        cases.push(case(
            format!("payload tampered: {claim} = {value}"),
            format!("{hb}.{}.{sig}", b64(&ct)),
            INVALID,
        ));
    }
    let ct = with(&c, |m| {
        m.insert("jti".into(), json!("replayed"));
    });
    cases.push(case(
        "payload tampered: jti",
        format!("{hb}.{}.{sig}", b64(&ct)),
        INVALID,
    ));
    // The same claims, re-serialized with other whitespace: a different signing input.
    let spaced = URL_SAFE_NO_PAD.encode(serde_json::to_string_pretty(&c).unwrap());
    cases.push(case(
        "payload re-serialized (same claims, other bytes)",
        format!("{hb}.{spaced}.{sig}"),
        INVALID,
    ));

    s.run(cases).await;
    s.assert_accepted(&real, ALICE, "etl-bot", "alice").await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn claim_attacks_signed_with_the_real_key_are_refused() {
    let s = Srv::start().await;
    let (h, c) = s.valid_parts().await;
    let n = now();
    let times = |iat: i64, nbf: i64, exp: i64| {
        with(&c, |m| {
            m.insert("iat".into(), json!(iat));
            m.insert("nbf".into(), json!(nbf));
            m.insert("exp".into(), json!(exp));
        })
    };
    // Controls: correct contents, and the longest allowed lifetime, are accepted.
    s.assert_accepted(&s.forge(&h, &c), ALICE, "etl-bot", "alice")
        .await;
    s.assert_accepted(
        &s.forge(&h, &times(n - 5, n - 5, n - 5 + 10_800)),
        ALICE,
        "etl-bot",
        "alice",
    )
    .await;

    let set = |claim: &str, value: Value| {
        with(&c, |m| {
            m.insert(claim.into(), value);
        })
    };
    let duplicate_sub = c.to_string().replacen(
        r#""sub":"etl-bot""#,
        r#""sub":"etl-bot","sub":"finance-bot""#,
        1,
    );
    assert!(duplicate_sub.contains("finance-bot"), "{duplicate_sub}");
    let mut cases = vec![
        case(
            "expired a minute ago",
            s.forge(&h, &times(n - 660, n - 660, n - 60)),
            EXPIRED,
        ),
        case("expired in 1970", s.forge(&h, &times(0, 0, 1)), EXPIRED),
        case(
            "nbf in the future",
            s.forge(&h, &times(n - 5, n + 300, n + 600)),
            INVALID,
        ),
        case(
            "iat in the future",
            s.forge(&h, &times(n + 300, n - 5, n + 600)),
            INVALID,
        ),
        case(
            "lifetime 180 minutes + 1 second",
            s.forge(&h, &times(n - 5, n - 5, n - 5 + 10_801)),
            INVALID,
        ),
        case(
            "lifetime of a year",
            s.forge(&h, &times(n - 5, n - 5, n + 365 * 86_400)),
            INVALID,
        ),
        case(
            "exp = i64::MAX",
            s.forge(&h, &times(n - 5, n - 5, i64::MAX)),
            INVALID,
        ),
        case(
            "iat = i64::MIN (exp - iat overflows)",
            s.forge(&h, &times(i64::MIN, n - 5, n + 600)),
            INVALID,
        ),
        case(
            "iat negative",
            s.forge(&h, &times(-1, n - 5, n + 600)),
            INVALID,
        ),
        case(
            "exp before iat",
            s.forge(&h, &times(n - 5, n - 5, n - 6)),
            EXPIRED,
        ),
        case(
            "exp beyond i64 (u64::MAX)",
            s.forge(&h, &set("exp", json!(u64::MAX))),
            INVALID,
        ),
        case(
            "exp as a string",
            s.forge(&h, &set("exp", json!((n + 600).to_string()))),
            INVALID,
        ),
        case(
            "exp as a fraction",
            s.forge(&h, &set("exp", json!(n as f64 + 600.5))),
            INVALID,
        ),
        case(
            "iat as a string",
            s.forge(&h, &set("iat", json!((n - 5).to_string()))),
            INVALID,
        ),
        case(
            "uid as a string",
            s.forge(&h, &set("uid", json!(c["uid"].to_string()))),
            INVALID,
        ),
        case(
            "wrong aud",
            s.forge(&h, &set("aud", json!("amorphic-admin"))),
            INVALID,
        ),
        case(
            "aud in another case",
            s.forge(&h, &set("aud", json!("Amorphic"))),
            INVALID,
        ),
        case(
            "aud as an array without amorphic",
            s.forge(&h, &set("aud", json!(["other"]))),
            INVALID,
        ),
        case(
            "wrong iss",
            s.forge(&h, &set("iss", json!("http://evil.example"))),
            INVALID,
        ),
        case(
            "iss with a trailing slash",
            s.forge(&h, &set("iss", json!(format!("{}/", s.url)))),
            INVALID,
        ),
        case(
            "iss of another port",
            s.forge(&h, &set("iss", json!("http://127.0.0.1:1"))),
            INVALID,
        ),
        case(
            "sub of another service user (uid kept)",
            s.forge(&h, &set("sub", json!("report-bot"))),
            INVALID,
        ),
        case(
            "sub in another case",
            s.forge(&h, &set("sub", json!("ETL-BOT"))),
            INVALID,
        ),
        case(
            "sub of a regular user",
            s.forge(&h, &set("sub", json!("alice"))),
            INVALID,
        ),
        case(
            "uid of nobody",
            s.forge(&h, &set("uid", json!(987_654_321))),
            INVALID,
        ),
        case(
            "uid off by one",
            s.forge(&h, &set("uid", json!(c["uid"].as_i64().unwrap() + 1))),
            INVALID,
        ),
        case(
            "is_service_user false",
            s.forge(&h, &set("is_service_user", json!(false))),
            INVALID,
        ),
        case(
            "act.sub is another user",
            s.forge(&h, &set("act", json!({"sub": "bob"}))),
            INVALID,
        ),
        case(
            "act.sub in another case",
            s.forge(&h, &set("act", json!({"sub": "Alice"}))),
            INVALID,
        ),
        case(
            "act as a bare string",
            s.forge(&h, &set("act", json!("alice"))),
            INVALID,
        ),
        case(
            "act without sub",
            s.forge(&h, &set("act", json!({}))),
            INVALID,
        ),
        case(
            "role_id not a role id (injection)",
            s.forge(&h, &set("role_id", json!("x' OR '1'='1"))),
            INVALID,
        ),
        case(
            "claims are a JSON array",
            sign_ed(&s.key, &h, &json!([c.clone()])),
            INVALID,
        ),
        case(
            "duplicate sub keys: etl-bot then finance-bot (validly signed)",
            sign_raw_ed(&s.key, &h.to_string(), &duplicate_sub),
            INVALID,
        ),
    ];
    // Every required claim missing, one at a time.
    for claim in [
        "iss",
        "aud",
        "sub",
        "uid",
        "act",
        "role_id",
        "is_service_user",
        "iat",
        "nbf",
        "exp",
        "jti",
    ] {
        let cm = with(&c, |m| {
            m.remove(claim);
        });
        cases.push(case(
            format!("claim {claim} missing"),
            s.forge(&h, &cm),
            INVALID,
        ));
    }
    // A role the service user does not have: the token is genuine, the role is not
    // attached (403, step 2), and a super-admin role never makes a service user one.
    cases.push(case(
        "role_id a role not attached",
        s.forge(&h, &set("role_id", json!(SUPER_ADMIN))),
        Expect::Forbidden("ROLE_NOT_ATTACHED"),
    ));

    s.run(cases).await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn malformed_and_oversized_tokens_are_refused() {
    let s = Srv::start().await;
    let real = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    let mib = 1024 * 1024;
    let filler = |len: usize| {
        let third = "A".repeat(len / 3);
        format!("{third}.{third}.{third}")
    };
    let cases = vec![
        case("empty token", "", INVALID),
        case("three dots", "...", INVALID),
        case("two dots (three empty segments)", "..", INVALID),
        case("one dot (2 segments)", "a.b", INVALID),
        case("no dot", "eyJhbGciOiJFZERTQSJ9", INVALID),
        case("garbage base64", "!!!.@@@.###", INVALID),
        case(
            "base64 of garbage",
            format!(
                "{}.{}.{}",
                URL_SAFE_NO_PAD.encode([0xffu8; 17]),
                URL_SAFE_NO_PAD.encode([0u8; 40]),
                URL_SAFE_NO_PAD.encode([7u8; 64])
            ),
            INVALID,
        ),
        case(
            "real token plus a fourth segment",
            format!("{real}.AAAA"),
            INVALID,
        ),
        case(
            "real token with a prefix",
            format!("Bearer {real}"),
            INVALID,
        ),
        case(
            "JWS JSON serialization",
            json!({"payload": "e30", "signatures": [{"protected": "e30", "signature": "AA"}]})
                .to_string(),
            INVALID,
        ),
        case(
            "5,000 characters (over the token limit)",
            filler(5_000),
            INVALID,
        ),
        case("64 KiB token", filler(64 * 1024), INVALID),
        case("1 MiB token", filler(mib), Expect::HeaderTooLarge),
        Case::raw(
            "non-ASCII bytes",
            vec![format!("{real}\u{e9}").into_bytes()],
            INVALID,
        ),
        Case::raw(
            "Latin-1 byte inside the token",
            vec![[
                &real.as_bytes()[..20],
                &[0xe9u8][..],
                &real.as_bytes()[20..],
            ]
            .concat()],
            INVALID,
        ),
        Case::raw(
            "header repeated: junk then the real token",
            vec![b"junk".to_vec(), real.clone().into_bytes()],
            INVALID,
        ),
        Case::raw(
            "header repeated: the real token then junk",
            vec![real.clone().into_bytes(), b"junk".to_vec()],
            INVALID,
        ),
    ];
    s.run(cases).await;
    s.assert_accepted(&real, ALICE, "etl-bot", "alice").await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn a_token_is_bound_to_the_human_who_assumed_it() {
    let s = Srv::start().await;
    let (h, c) = s.valid_parts().await;
    let alices = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    // etl-bot's own PAT (created while acting as it): a service user never assumes.
    let pat = s
        .call(
            reqwest::Method::POST,
            "/access-tokens",
            ALICE,
            Some(&alices),
            Some(json!({"TokenName": "bot", "RoleId": DEFAULT_ROLE, "ExpiresAt": (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)})),
            201,
        )
        .await["Token"]
        .as_str()
        .expect("PAT")
        .to_owned();
    let as_dave = with(&c, |m| {
        m.insert("act".into(), json!({"sub": "dave"}));
    });
    let cases = vec![
        // bob has access to etl-bot himself (team-data), yet alice's token is not his.
        case("alice's token with bob's PAT", alices.clone(), INVALID).auth(BOB),
        case(
            "alice's token with carol's PAT (no access either)",
            alices.clone(),
            INVALID,
        )
        .auth(CAROL),
        case(
            "alice's token with the service user's own PAT",
            alices.clone(),
            INVALID,
        )
        .auth(&pat),
        case(
            "alice's token with no Authorization",
            alices.clone(),
            UNAUTHENTICATED,
        )
        .no_auth(),
        case(
            "alice's token as the Authorization itself",
            alices.clone(),
            UNAUTHENTICATED,
        )
        .auth(&alices),
        case(
            "forged act.sub = dave with dave's PAT (dave is disabled)",
            s.forge(&h, &as_dave),
            DISABLED,
        )
        .auth(DAVE),
    ];
    s.run(cases).await;
    // alice with another of her credentials is still alice.
    s.assert_accepted(&alices, ALICE_SA, "etl-bot", "alice")
        .await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn disabling_kills_tokens_and_re_enabling_does_not_revive_them() {
    let s = Srv::start().await;
    let before = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    s.assert_accepted(&before, ALICE, "etl-bot", "alice").await;
    let status = |st: &'static str| json!({"UserStatus": st});
    s.call(
        reqwest::Method::PUT,
        "/users/etl-bot/status",
        ALICE,
        None,
        Some(status("disabled")),
        200,
    )
    .await;
    s.run(vec![case(
        "token of a disabled service user",
        before.clone(),
        DISABLED,
    )])
    .await;
    // A token forged now (iat after the disable) is no better while it is disabled.
    let n = now();
    let fresh = with(&split(&before).1, |m| {
        m.insert("iat".into(), json!(n));
        m.insert("nbf".into(), json!(n));
        m.insert("exp".into(), json!(n + 600));
    });
    s.run(vec![case(
        "forged fresh token of a disabled service user",
        s.forge(&s.header(), &fresh),
        DISABLED,
    )])
    .await;
    s.call(
        reqwest::Method::PUT,
        "/users/etl-bot/status",
        ALICE,
        None,
        Some(status("enabled")),
        200,
    )
    .await;
    s.run(vec![case(
        "token from before a disable, after re-enable",
        before.clone(),
        INVALID,
    )])
    .await;
    // Control: a token issued after the re-enable works.
    let after = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    s.assert_accepted(&after, ALICE, "etl-bot", "alice").await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn deleted_and_re_created_service_users_do_not_revive_tokens() {
    let s = Srv::start().await;
    // A fresh service user, so the seed's stay untouched.
    s.call(
        reqwest::Method::POST,
        "/users",
        ALICE_SA,
        None,
        Some(json!({"UserId": "mt-bot", "DisplayName": "Doomed"})),
        201,
    )
    .await;
    let old = s.issue(ALICE, "mt-bot", DEFAULT_ROLE, 10).await;
    s.assert_accepted(&old, ALICE, "mt-bot", "alice").await;
    s.call(
        reqwest::Method::PUT,
        "/users/mt-bot/status",
        ALICE,
        None,
        Some(json!({"UserStatus": "disabled"})),
        200,
    )
    .await;
    s.call(
        reqwest::Method::DELETE,
        "/users/mt-bot?transfer_user_id=alice",
        ALICE,
        None,
        None,
        200,
    )
    .await;
    s.run(vec![case(
        "token of a deleted service user",
        old.clone(),
        INVALID,
    )])
    .await;
    // Same id again: a new uid; the old token stays dead, also re-signed as if fresh.
    s.call(
        reqwest::Method::POST,
        "/users",
        ALICE_SA,
        None,
        Some(json!({"UserId": "mt-bot", "DisplayName": "Reborn"})),
        201,
    )
    .await;
    let fresh = s.issue(ALICE, "mt-bot", DEFAULT_ROLE, 10).await;
    let (_, old_c, _) = split(&old);
    let (_, new_c, _) = split(&fresh);
    assert_ne!(old_c["uid"], new_c["uid"], "a re-created id gets a new uid");
    let n = now();
    let old_uid_now = with(&old_c, |m| {
        m.insert("iat".into(), json!(n));
        m.insert("nbf".into(), json!(n));
        m.insert("exp".into(), json!(n + 600));
    });
    s.run(vec![
        case(
            "token of a deleted and re-created service user",
            old.clone(),
            INVALID,
        ),
        case(
            "forged fresh token with the old uid",
            s.forge(&s.header(), &old_uid_now),
            INVALID,
        ),
    ])
    .await;
    s.assert_accepted(&fresh, ALICE, "mt-bot", "alice").await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn a_role_detached_after_issue_is_not_the_active_role() {
    let s = Srv::start().await;
    let jwt = s.issue(BOB, "etl-bot", ENGINEERS, 10).await;
    s.assert_accepted(&jwt, BOB, "etl-bot", "bob").await;
    s.call(
        reqwest::Method::DELETE,
        &format!("/users/etl-bot/roles/{ENGINEERS}"),
        ALICE,
        None,
        None,
        200,
    )
    .await;
    // The contract pins this one to 403 ROLE_NOT_ATTACHED (step 2), not 401.
    s.run(vec![case(
        "role detached after issue",
        jwt.clone(),
        Expect::Forbidden("ROLE_NOT_ATTACHED"),
    )
    .auth(BOB)])
        .await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn losing_access_after_issue_kills_the_token() {
    let s = Srv::start().await;
    // report-bot is shared with alice and carol (users, no tags).
    let jwt = s.issue(CAROL, "report-bot", DEFAULT_ROLE, 10).await;
    s.assert_accepted(&jwt, CAROL, "report-bot", "carol").await;
    s.call(
        reqwest::Method::DELETE,
        "/users/report-bot/shares/users/carol",
        ALICE,
        None,
        None,
        200,
    )
    .await;
    s.run(vec![case(
        "assuming user's access removed after issue",
        jwt.clone(),
        INVALID,
    )
    .auth(CAROL)])
        .await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn a_token_of_another_server_is_refused() {
    let (a, b) = tokio::join!(Srv::start(), Srv::start());
    let from_b = b.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    b.assert_accepted(&from_b, ALICE, "etl-bot", "alice").await;
    // Same seed, same ids, same uid: only the key (and issuer) differ.
    let from_a = a.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    assert_eq!(split(&from_a).1["uid"], split(&from_b).1["uid"]);
    let (_, cb, _) = split(&from_b);
    let reissued = with(&cb, |m| {
        m.insert("iss".into(), json!(a.url));
    });
    a.run(vec![
        case("token issued by another server", from_b.clone(), INVALID),
        case(
            "another server's key, this server's kid and issuer",
            sign_ed(&b.key, &a.header(), &reissued),
            INVALID,
        ),
    ])
    .await;
    a.server.shutdown().await;
    b.server.shutdown().await;
}

#[tokio::test]
async fn a_token_accepted_before_still_expires() {
    let s = Srv::start().await;
    let (h, c) = s.valid_parts().await;
    // A token that expires at the start of the second after next: accepted now (which warms
    // any verification cache), refused as soon as `exp` has passed.
    let exp = now() + 2;
    let short = with(&c, |m| {
        m.insert("exp".into(), json!(exp));
    });
    let jwt = s.forge(&h, &short);
    s.assert_accepted(&jwt, ALICE, "etl-bot", "alice").await;
    s.assert_accepted(&jwt, ALICE, "etl-bot", "alice").await;
    let wait = exp * 1000 - chrono::Utc::now().timestamp_millis() + 20;
    tokio::time::sleep(Duration::from_millis(wait.max(0) as u64)).await;
    s.run(vec![case(
        "a token accepted before, now expired",
        jwt,
        EXPIRED,
    )])
    .await;
    s.server.shutdown().await;
}

#[tokio::test]
async fn a_token_accepted_before_dies_with_the_credential_it_was_used_with() {
    let s = Srv::start().await;
    let jwt = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    let expires = (chrono::Utc::now() + chrono::Duration::days(3))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let created = s
        .call(
            reqwest::Method::POST,
            "/access-tokens",
            ALICE,
            None,
            Some(json!({"TokenName": "short-lived", "RoleId": DEFAULT_ROLE, "ExpiresAt": expires})),
            201,
        )
        .await;
    let pat = created["Token"].as_str().expect("Token").to_owned();
    let token_id = created["TokenId"].as_str().expect("TokenId").to_owned();
    s.assert_accepted(&jwt, &pat, "etl-bot", "alice").await;
    s.call(
        reqwest::Method::DELETE,
        &format!("/access-tokens/{token_id}"),
        ALICE,
        None,
        None,
        204,
    )
    .await;
    s.run(vec![case(
        "token with a PAT revoked after it was used",
        jwt.clone(),
        UNAUTHENTICATED,
    )
    .auth(&pat)])
        .await;
    // The service-user token itself is still good with alice's other credentials.
    s.assert_accepted(&jwt, ALICE, "etl-bot", "alice").await;
    s.server.shutdown().await;
}

// Multi-thread, so that requests really race the disable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disable_takes_effect_for_every_request_after_it_under_concurrent_use() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let s = Arc::new(Srv::start().await);
    let jwt = s.issue(ALICE, "etl-bot", DEFAULT_ROLE, 10).await;
    s.assert_accepted(&jwt, ALICE, "etl-bot", "alice").await;
    let disabled = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (s, jwt, disabled, stop) = (s.clone(), jwt.clone(), disabled.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let (mut after, mut wrong) = (0usize, Vec::new());
            while !stop.load(Ordering::SeqCst) {
                let started_after_disable = disabled.load(Ordering::SeqCst);
                let c = case("x", jwt.clone(), DISABLED);
                let a = s
                    .probe(reqwest::Method::GET, "/whoami", &c)
                    .await
                    .expect("answer");
                if started_after_disable {
                    after += 1;
                    if !a.satisfies(DISABLED) {
                        wrong.push(format!("{} {:?}", a.status, a.code));
                    }
                } else if a.status != 200 && !a.satisfies(DISABLED) {
                    wrong.push(format!("during the race: {} {:?}", a.status, a.code));
                }
            }
            (after, wrong)
        }));
    }
    tokio::time::sleep(Duration::from_millis(150)).await;
    s.call(
        reqwest::Method::PUT,
        "/users/etl-bot/status",
        ALICE,
        None,
        Some(json!({"UserStatus": "disabled"})),
        200,
    )
    .await;
    disabled.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(250)).await;
    stop.store(true, Ordering::SeqCst);
    let (mut after, mut wrong) = (0, Vec::new());
    for t in tasks {
        let (a, w) = t.await.expect("task");
        after += a;
        wrong.extend(w);
    }
    assert!(after > 8, "only {after} requests after the disable");
    assert!(
        wrong.is_empty(),
        "answers after the disable that were not 401 PRINCIPAL_DISABLED: {wrong:?}"
    );
    if let Ok(s) = Arc::try_unwrap(s) {
        s.server.shutdown().await;
    }
}
