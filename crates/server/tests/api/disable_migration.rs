//! Upgrading a database from before disable generations: users disabled before get generation
//! 1, sessions from before their user's last disable stay dead, later ones live.

use amorphic_su_server::{spawn, ServerOptions};
use serde_json::{json, Value};
use sqlx::{Connection, SqliteConnection};

use crate::common::*;

async fn sign_in(http: &reqwest::Client, base: &str) -> Value {
    let r = http
        .post(format!("{base}/auth/sessions"))
        .json(&json!({"UserId": "alice", "Password": ALICE_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

async fn whoami(http: &reqwest::Client, base: &str, credential: &str) -> u16 {
    http.get(format!("{base}/whoami"))
        .header("Authorization", credential)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn an_old_database_keeps_what_its_disable_times_said() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let http = reqwest::Client::new();
    let first = spawn(ServerOptions::new(&db).demo_seed()).await.unwrap();
    let old = sign_in(&http, &first.base_url()).await;
    let new = sign_in(&http, &first.base_url()).await;
    first.shutdown().await;

    // Back to the schema before generations, with alice and etl-bot disabled (and enabled
    // again) between the two sessions, as the old server recorded it.
    let url = format!("sqlite:{}", db.display());
    let mut conn = SqliteConnection::connect(&url).await.unwrap();
    for sql in [
        "DELETE FROM _sqlx_migrations WHERE version >= 2",
        "ALTER TABLE sessions DROP COLUMN disable_generation",
        "ALTER TABLE users DROP COLUMN disable_generation",
        "UPDATE users SET disabled_us = 2000 WHERE user_id IN ('alice', 'etl-bot')",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    for (session, created_us) in [(&old, 1000), (&new, 3000)] {
        sqlx::query("UPDATE sessions SET creation_us = ?1 WHERE session_id = ?2")
            .bind(created_us)
            .bind(session["SessionId"].as_str().unwrap())
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let disabled_once: Vec<String> =
        sqlx::query_scalar("SELECT user_id FROM users WHERE disabled_us IS NOT NULL")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    conn.close().await.unwrap();

    let second = spawn(ServerOptions::new(&db)).await.unwrap();
    let base = second.base_url();
    assert_eq!(
        whoami(&http, &base, old["SessionToken"].as_str().unwrap()).await,
        401,
        "a session from before the disable stays dead"
    );
    assert_eq!(
        whoami(&http, &base, new["SessionToken"].as_str().unwrap()).await,
        200,
        "a session from after the disable lives"
    );
    assert_eq!(whoami(&http, &base, ALICE_DEFAULT).await, 200, "PATs live");
    // A new session and a new service-user token carry the migrated generation.
    let fresh = sign_in(&http, &base).await;
    assert_eq!(
        whoami(&http, &base, fresh["SessionToken"].as_str().unwrap()).await,
        200
    );
    let r = http
        .post(format!("{base}/users/etl-bot/auth-token"))
        .header("Authorization", ALICE_DEFAULT)
        .json(&json!({"RoleId": DEFAULT_ROLE, "ExpiryInMinutes": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = r.json::<Value>().await.unwrap()["Token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(jwt_parts(&token).1["dgen"], json!(1));
    second.shutdown().await;
    let mut conn = SqliteConnection::connect(&url).await.unwrap();
    let generations: Vec<(String, i64)> =
        sqlx::query_as("SELECT user_id, disable_generation FROM users ORDER BY user_id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    for (user, generation) in generations {
        let expected = i64::from(disabled_once.contains(&user));
        assert_eq!(generation, expected, "{user}");
    }
}
