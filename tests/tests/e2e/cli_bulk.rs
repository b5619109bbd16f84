//! `service-users bulk` end to end: the dry run sends nothing (the server's change counter does
//! not move), the run's results are checked on the server, and a bulk delete with a transfer
//! user in a production environment asks for the environment's name.

use serde_json::Value;

use crate::common::*;

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn json(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

/// The server's change counter: any change moves it.
async fn server_version(env: &Env) -> i64 {
    let url = format!("sqlite://{}?mode=ro", env.db().display());
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::query_scalar("SELECT version FROM change_counter WHERE id = 1")
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

async fn status_on_server(base: &str, id: &str) -> (u16, Value) {
    let r = raw(base, reqwest::Method::GET, &format!("/users/{id}"), None).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// (user, verdict or outcome, code) of each row of a plan or report.
fn rows(v: &Value, list: &str, field: &str) -> Vec<(String, String, String)> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["userId"].as_str().unwrap().to_owned(),
                i[field].as_str().unwrap().to_owned(),
                i["code"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The error line of a failed command (a production environment adds a note before it).
fn error_line(o: &std::process::Output) -> String {
    let s = String::from_utf8_lossy(&o.stderr);
    s.lines().last().unwrap_or_default().to_owned()
}

fn row(u: &str, what: &str, code: &str) -> (String, String, String) {
    (u.into(), what.into(), code.into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_disable_shows_its_plan_sends_nothing_on_a_dry_run_then_runs() {
    let (env, srv) = signed_in_env("bulk").await;
    let p = env.profile.as_str();
    let base = srv.base_url();

    // The dry run, as a table: finance-bot is refused by the policy, before anything is sent.
    let before = server_version(&env).await;
    let o = env
        .cli(
            &[
                "--profile",
                p,
                "service-users",
                "bulk",
                "disable",
                "--all",
                "--dry-run",
            ],
            None,
        )
        .await;
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("NO_ACCESS_TO_SERVICE_USER"), "{text}");
    assert!(
        text.contains("2 to send, 0 no-op, 1 refused; nothing was sent"),
        "{text}"
    );

    let plan = json(
        &env.cli(
            &[
                "--profile",
                p,
                "--json",
                "service-users",
                "bulk",
                "disable",
                "--all",
                "--dry-run",
            ],
            None,
        )
        .await,
    );
    assert_eq!(
        rows(&plan, "items", "verdict"),
        [
            row("etl-bot", "allowed", ""),
            row("finance-bot", "refused", "NO_ACCESS_TO_SERVICE_USER"),
            row("report-bot", "allowed", ""),
        ]
    );
    assert_eq!(
        server_version(&env).await,
        before,
        "a dry run changes nothing"
    );

    // Without a terminal, sending needs --yes.
    let o = env
        .cli(
            &["--profile", p, "service-users", "bulk", "disable", "--all"],
            None,
        )
        .await;
    assert_eq!(code(&o), 9, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stderr_line(&o).contains("--yes"));
    assert_eq!(server_version(&env).await, before);

    // Bad input names the thing.
    let o = env
        .cli(
            &[
                "--profile",
                p,
                "service-users",
                "bulk",
                "attach-role",
                "etl-bot",
            ],
            None,
        )
        .await;
    assert_eq!(code(&o), 9);
    assert!(stderr_line(&o).contains("--role"));
    let o = env
        .cli(&["--profile", p, "service-users", "bulk", "enable"], None)
        .await;
    assert_eq!(code(&o), 9);
    assert!(stderr_line(&o).contains("--from-file"));

    let report = json(
        &env.cli(
            &[
                "--profile",
                p,
                "--json",
                "service-users",
                "bulk",
                "disable",
                "--all",
                "--yes",
            ],
            None,
        )
        .await,
    );
    assert_eq!(
        rows(&report, "results", "outcome"),
        [
            row("etl-bot", "done", ""),
            row("finance-bot", "refused", "NO_ACCESS_TO_SERVICE_USER"),
            row("report-bot", "done", ""),
        ]
    );
    assert_eq!(report["results"][1]["sent"], false);
    for (id, want) in [
        ("etl-bot", "disabled"),
        ("report-bot", "disabled"),
        ("finance-bot", "enabled"),
    ] {
        let (s, u) = status_on_server(&base, id).await;
        assert_eq!((s, u["UserStatus"].as_str()), (200, Some(want)), "{id}");
    }
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_delete_in_production_needs_the_environments_name_and_a_transfer_user() {
    let (env, srv) = signed_in_env("bulk-del").await;
    let p = env.profile.as_str();
    let base = srv.base_url();
    let o = env.cli(&["profile", "edit", p, "--production"], None).await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = env.dir.path().join("ids.txt");
    std::fs::write(&file, "# retired bots\netl-bot\n\nreport-bot\n").unwrap();
    let file = file.to_str().unwrap();

    // Destructive in production: --yes is not enough, a wrong name is refused.
    let before = server_version(&env).await;
    let disable = [
        "--profile",
        p,
        "service-users",
        "bulk",
        "disable",
        "etl-bot",
        "--yes",
    ];
    let o = env.cli(&disable, None).await;
    assert_eq!(code(&o), 9);
    assert!(error_line(&o).contains(&format!("--confirm-environment {p}")));
    let o = env
        .cli(
            &[&disable[..], &["--confirm-environment", "staging"]].concat(),
            None,
        )
        .await;
    assert_eq!(code(&o), 9);
    assert!(error_line(&o).contains("nothing was sent"));
    assert_eq!(server_version(&env).await, before);
    let o = env
        .cli(
            &[&disable[..], &["--confirm-environment", p]].concat(),
            None,
        )
        .await;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // The delete: report-bot is still enabled, refused before anything is sent.
    let delete = [
        "--profile",
        p,
        "--json",
        "service-users",
        "bulk",
        "delete",
        "--from-file",
        file,
        "--transfer-to",
        "bob",
    ];
    let plan = json(&env.cli(&[&delete[..], &["--dry-run"]].concat(), None).await);
    assert_eq!(
        rows(&plan, "items", "verdict"),
        [
            row("etl-bot", "allowed", ""),
            row("report-bot", "refused", "MUST_DISABLE_FIRST"),
        ]
    );
    assert_eq!(plan["items"][1]["reason"], "must be disabled first");
    let report = json(
        &env.cli(&[&delete[..], &["--confirm-environment", p]].concat(), None)
            .await,
    );
    assert_eq!(
        rows(&report, "results", "outcome"),
        [
            row("etl-bot", "done", ""),
            row("report-bot", "refused", "MUST_DISABLE_FIRST"),
        ]
    );
    assert_eq!(status_on_server(&base, "etl-bot").await.0, 404, "deleted");
    let (s, u) = status_on_server(&base, "report-bot").await;
    assert_eq!((s, u["UserStatus"].as_str()), (200, Some("enabled")));
    srv.shutdown().await;
}
