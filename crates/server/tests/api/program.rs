//! The binary and restarts: first line of stdout, seed only into an empty database, the
//! signing key survives restarts, SIGTERM shuts down gracefully.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use amorphic_su_server::{spawn, SeedOutcome, ServerOptions};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn the_signing_key_and_data_survive_a_restart_and_the_seed_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let issuer = "http://issuer.test";
    let first = spawn(ServerOptions::new(&db).demo_seed().issuer(issuer))
        .await
        .unwrap();
    assert_eq!(
        first.seed_outcome(),
        Some(&SeedOutcome::Loaded { users: 7 })
    );
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/users/etl-bot/auth-token", first.base_url()))
        .header("Authorization", ALICE_DEFAULT)
        .json(&json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = r.json::<serde_json::Value>().await.unwrap()["Token"]
        .as_str()
        .unwrap()
        .to_owned();
    let jwks1 = http
        .get(format!("{}/.well-known/jwks.json", first.base_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    first.shutdown().await;

    let second = spawn(ServerOptions::new(&db).demo_seed().issuer(issuer))
        .await
        .unwrap();
    assert_eq!(second.seed_outcome(), Some(&SeedOutcome::SkippedNotEmpty));
    let jwks2 = http
        .get(format!("{}/.well-known/jwks.json", second.base_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(jwks1, jwks2, "same key after a restart");
    let r = http
        .get(format!("{}/whoami", second.base_url()))
        .header("Authorization", ALICE_DEFAULT)
        .header("X-Amorphic-Service-User", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        200,
        "a token from before the restart still verifies"
    );
    second.shutdown().await;
}

// SIGTERM (and the `kill` command that sends it) exist on Unix only; on Windows the server
// stops on Ctrl+C, which a test cannot send to one child process.
#[cfg(unix)]
#[tokio::test]
async fn the_binary_prints_its_url_first_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bin.db");
    let seed = amorphic_su_server::demo_seed_path();
    let start = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_amorphic-su-server"))
            .args(["--listen", "127.0.0.1:0", "--db"])
            .arg(&db)
            .arg("--seed")
            .arg(&seed)
            .args(extra)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut child = start(&[]);
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .expect(&first)
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{url}/users"))
        .header("Authorization", ALICE_SA)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let issued = http
        .post(format!("{url}/users/etl-bot/auth-token"))
        .header("Authorization", ALICE_DEFAULT)
        .json(&json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 5}))
        .send()
        .await
        .unwrap();
    let token = issued.json::<serde_json::Value>().await.unwrap()["Token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        jwt_parts(&token).1["iss"],
        json!(url),
        "--issuer defaults to the printed URL"
    );

    // Graceful stop on SIGTERM.
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    let mut logs = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut logs).unwrap();
    for secret in [ALICE_SA, ALICE_DEFAULT, token.as_str()] {
        assert!(!logs.contains(secret), "a secret reached the log");
    }

    // A second start with the seed: a notice, and the data is kept.
    let mut child = start(&[]);
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("listening on http://127.0.0.1:"));
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();
    let mut logs = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut logs).unwrap();
    assert!(logs.contains("already has users"), "{logs}");
}

#[tokio::test]
async fn seed_credentials_replace_the_published_passwords_and_pats() {
    use amorphic_su_server::seed::Seed;
    use amorphic_su_server::SeedCredentials;
    let creds = SeedCredentials::random_for(&Seed::demo());
    assert_eq!((creds.passwords.len(), creds.tokens.len()), (4, 9));
    let alice = amorphic_su_model::UserId::parse("alice").unwrap();
    let password = creds.passwords[&alice].expose().to_owned();
    let pat = creds.tokens[&(alice, "demo-default".to_owned())]
        .expose()
        .to_owned();
    let s = Srv::start_with(|o| o.seed_credentials(creds)).await;
    s.post("/auth/sessions")
        .json(json!({"UserId": "alice", "Password": ALICE_PASSWORD}))
        .send()
        .await
        .expect(401);
    s.get("/whoami")
        .auth(ALICE_DEFAULT)
        .send()
        .await
        .expect(401);
    s.post("/auth/sessions")
        .json(json!({"UserId": "alice", "Password": password}))
        .send()
        .await
        .expect(201);
    let me = s.get("/whoami").auth(&pat).send().await;
    me.expect(200);
    assert_eq!(me.body["UserId"], "alice");
}
