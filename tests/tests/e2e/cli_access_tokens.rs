//! End to end through the `amorphic-su` binary: `access-tokens list --all` with its filters
//! (`--expiring`, `--high-privilege`, `--service-user`, `--json`), and `access-tokens revoke`
//! of many: refused without `--yes` and a terminal (nothing revoked), then revoked and checked
//! on the server.

use std::process::Output;

use reqwest::Method;
use serde_json::{json, Value};

use crate::common::*;

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// (service user, token name) of a `list --all --json` answer, sorted.
fn names(json_out: &str) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(json_out).unwrap();
    let mut n: Vec<(String, String)> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["serviceUser"].as_str().unwrap().to_owned(),
                t["token"]["TokenName"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    n.sort();
    n
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_all_filters_and_revoke_many_checked_on_the_server() {
    let env = Env::new("cli-pats");
    let srv = server(&env.db()).await;
    let base = srv.base_url();
    let p = env.profile.clone();
    let run = async |args: &[&str]| {
        let mut all = vec!["--profile", p.as_str()];
        all.extend_from_slice(args);
        env.cli(&all, None).await
    };
    ok(&env.cli(&["profile", "add", &p, "--url", &base], None).await);
    ok(&env
        .cli(
            &["--profile", &p, "login", "--token-stdin"],
            Some(&format!("{ALICE_SUPERADMIN_PAT}\n")),
        )
        .await);
    let attached = raw(
        &base,
        Method::POST,
        "/users/etl-bot/roles",
        Some(json!({"RoleIds": ["SystemRole-SystemAdministrators"]})),
    )
    .await;
    assert_eq!(attached.status(), 200);
    ok(&run(&["assume", "etl-bot", "--minutes", "5"]).await);
    ok(&run(&["assume", "report-bot", "--minutes", "5"]).await);
    let create = |su: &'static str, name: &'static str, role: &'static str, days: &'static str| {
        let run = &run;
        async move {
            ok(&run(&[
                "access-tokens",
                "create",
                "--as",
                su,
                "--name",
                name,
                "--role",
                role,
                "--days",
                days,
            ])
            .await)
        }
    };
    create(
        "etl-bot",
        "etl-admin",
        "SystemRole-SystemAdministrators",
        "200",
    )
    .await;
    create("etl-bot", "etl-soon", "SystemRole-DefaultUsers", "5").await;
    create("report-bot", "report", "role-analysts", "20").await;

    let list = async |extra: &[&str]| {
        let mut args = vec!["--json", "access-tokens", "list", "--all"];
        args.extend_from_slice(extra);
        names(&ok(&run(&args).await))
    };
    assert_eq!(
        list(&[]).await,
        pairs(&[
            ("etl-bot", "etl-admin"),
            ("etl-bot", "etl-soon"),
            ("report-bot", "report")
        ])
    );
    assert_eq!(
        list(&["--expiring", "30d"]).await,
        pairs(&[("etl-bot", "etl-soon"), ("report-bot", "report")])
    );
    assert_eq!(
        list(&["--expiring", "1w"]).await,
        pairs(&[("etl-bot", "etl-soon")])
    );
    assert_eq!(
        list(&["--high-privilege"]).await,
        pairs(&[("etl-bot", "etl-admin")])
    );
    assert_eq!(
        list(&["--service-user", "report-bot"]).await,
        pairs(&[("report-bot", "report")])
    );
    // The table names the days left and marks the high-privilege role.
    let table = ok(&run(&["access-tokens", "list", "--all"]).await);
    assert!(
        table.contains("DAYS LEFT") && table.contains("(high privilege)"),
        "{table}"
    );
    // A bad span and a filter without --all are named (exit 9).
    let bad = run(&["access-tokens", "list", "--all", "--expiring", "soon"]).await;
    assert_eq!(bad.status.code(), Some(9));
    assert!(stderr_line(&bad).contains("--expiring"));
    let stray = run(&[
        "access-tokens",
        "list",
        "--of",
        "etl-bot",
        "--high-privilege",
    ])
    .await;
    assert_eq!(stray.status.code(), Some(9));

    // Without --yes and no terminal: refused, nothing revoked.
    let unconfirmed = run(&["access-tokens", "revoke", "--expiring", "30d"]).await;
    assert_eq!(unconfirmed.status.code(), Some(9));
    assert!(stderr_line(&unconfirmed).contains("--yes"));
    let on_server = async || {
        let r = raw(&base, Method::GET, "/fleet/access-tokens", None).await;
        let v: Value = r.json().await.unwrap();
        let mut n: Vec<String> = v["AccessTokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["TokenName"].as_str().unwrap().to_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(on_server().await, ["etl-admin", "etl-soon", "report"]);
    // Confirmed: the two expiring within 30 days are revoked, on the server too.
    let done: Value = serde_json::from_str(&ok(&run(&[
        "--json",
        "access-tokens",
        "revoke",
        "--expiring",
        "30d",
        "--yes",
    ])
    .await))
    .unwrap();
    let results = done.as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|o| o["code"].is_null()), "{done}");
    assert_eq!(on_server().await, ["etl-admin"]);
    // By id: an already revoked one is reported as not found.
    let gone = format!("etl-bot:{}", results[0]["tokenId"].as_str().unwrap());
    let again: Value = serde_json::from_str(&ok(&run(&[
        "--json",
        "access-tokens",
        "revoke",
        &gone,
        "--yes",
    ])
    .await))
    .unwrap();
    assert_eq!(again[0]["code"], "NOT_FOUND");
}
