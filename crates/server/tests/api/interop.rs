//! Interoperability: a token the server issues verifies with an independent JWT
//! library in another language, PyJWT, against `/.well-known/jwks.json`; a tampered token
//! does not. Needs `python3` with the packages of `scripts/requirements-test.txt`; without
//! them this test fails (it never skips). `AMORPHIC_SU_PYTHON` names another interpreter
//! (`python` on Windows, which has no `python3`).

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use amorphic_su_server::seed::demo::ALICE_DEFAULT_PAT as ALICE;
use amorphic_su_server::{spawn, ServerOptions};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

const ENGINEERS: &str = "role-data-engineers";

const VERIFIED: i32 = 0;
const REFUSED: i32 = 1;

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("interop")
        .join("verify_token.py")
}

/// Runs the Python verifier; fails the test with a clear message when it cannot run at all.
async fn python_verify(base_url: &str, token: &str) -> Output {
    let python = std::env::var("AMORPHIC_SU_PYTHON").unwrap_or_else(|_| "python3".into());
    let run = tokio::process::Command::new(python)
        .arg(script())
        .arg(base_url)
        .arg(token)
        .kill_on_drop(true)
        .output();
    let out = match tokio::time::timeout(Duration::from_secs(60), run).await {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => panic!(
            "cannot run python3 ({e}): the interoperability test needs python3 with PyJWT[crypto]; \
             install them with `python3 -m pip install -r scripts/requirements-test.txt`"
        ),
        Err(_) => panic!("verify_token.py did not finish within 60 s"),
    };
    let code = out.status.code();
    assert!(
        code == Some(VERIFIED) || code == Some(REFUSED),
        "verify_token.py could not run (exit {code:?}): {}\n\
         The interoperability test needs python3 with PyJWT[crypto]: \
         `python3 -m pip install -r scripts/requirements-test.txt`",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn assert_verified(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(VERIFIED),
        "PyJWT refused a genuine token: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .expect("the verifier prints the verified header and claims as JSON")
}

fn assert_refused(out: &Output, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(REFUSED),
        "PyJWT accepted {what}: stdout {} stderr {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

// Multi-thread: the server answers the script's JWKS request while the test awaits it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_token_verifies_with_pyjwt_and_a_tampered_one_does_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = spawn(ServerOptions::new(dir.path().join("server.db")).demo_seed())
        .await
        .expect("the server starts");
    let url = server.base_url();
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{url}/users/etl-bot/auth-token"))
        .header("Authorization", ALICE)
        .json(&json!({"RoleId": ENGINEERS, "ExpiryInMinutes": 30}))
        .send()
        .await
        .expect("POST auth-token");
    assert_eq!(r.status().as_u16(), 201);
    let body: Value = r.json().await.expect("JSON");
    let token = body["Token"].as_str().expect("Token").to_owned();

    // The genuine token verifies, and PyJWT reads the claims the contract names.
    let verified = assert_verified(&python_verify(&url, &token).await);
    let claims = &verified["claims"];
    assert_eq!(verified["header"]["alg"], "EdDSA");
    assert_eq!(claims["aud"], "amorphic");
    assert_eq!(claims["iss"], json!(url));
    assert_eq!(claims["sub"], "etl-bot");
    assert_eq!(claims["act"], json!({"sub": "alice"}));
    assert_eq!(claims["role_id"], ENGINEERS);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        30 * 60
    );

    // A tampered payload (original signature) fails in Python too.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut c: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
    c["role_id"] = json!("SystemRole-SuperAdmin");
    parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&c).unwrap());
    assert_refused(
        &python_verify(&url, &parts.join(".")).await,
        "a tampered payload",
    );

    // A bit-flipped signature fails.
    let (signed, sig) = token.rsplit_once('.').unwrap();
    let mut sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    sig[5] ^= 0x01;
    assert_refused(
        &python_verify(&url, &format!("{signed}.{}", URL_SAFE_NO_PAD.encode(sig))).await,
        "a bit-flipped signature",
    );

    // A token signed by a foreign Ed25519 key under the server's kid fails.
    let kid = verified["header"]["kid"].as_str().unwrap();
    let evil = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.to_owned());
    let der = evil.to_pkcs8_der().unwrap();
    let foreign =
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_der(der.as_bytes())).unwrap();
    assert_refused(
        &python_verify(&url, &foreign).await,
        "a token signed by a foreign key",
    );

    server.shutdown().await;
}
