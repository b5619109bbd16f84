//! End to end through the `amorphic-su` binary: your own role (`role list|use`), editing a
//! profile (`profile edit`), and the assumed identities' states (`tokens list`) after a change
//! made elsewhere.

use std::process::Output;

use crate::common::*;

const SUPER_ADMIN: &str = "SystemRole-SuperAdmin";
const DEFAULT_USERS: &str = "SystemRole-DefaultUsers";

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    stdout(o)
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).unwrap()
}

/// Runs the CLI on profile `p`.
async fn on(env: &Env, p: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut all = vec!["--profile", p];
    all.extend_from_slice(args);
    env.cli(&all, stdin).await
}

/// A profile on the server, signed in as alice with her password (a session: its role can be
/// switched).
async fn with_password(env: &Env, base: &str) -> String {
    let p = env.profile.clone();
    ok(&env
        .cli(
            &["profile", "add", &p, "--url", base, "--user", "alice"],
            None,
        )
        .await);
    let password = format!("{ALICE_PASSWORD}\n");
    ok(&env
        .cli(
            &["--profile", &p, "login", "--password-stdin"],
            Some(&password),
        )
        .await);
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_list_and_use_switch_the_role_every_command_is_sent_with() {
    let env = Env::new("cli-role");
    let srv = server(&env.db()).await;
    let p = with_password(&env, &srv.base_url()).await;

    let text = ok(&on(&env, &p, &["role", "list"], None).await);
    for word in [
        "ROLE",
        "NAME",
        "SUPER-ADMIN",
        "DEFAULT",
        "ACTIVE",
        "Super admin",
    ] {
        assert!(text.contains(word), "{word} in {text}");
    }
    assert!(text.contains("role use ROLE"), "says how to switch: {text}");
    let mine = json(&on(&env, &p, &["--json", "role", "list"], None).await);
    assert_eq!(mine["active"], DEFAULT_USERS);
    assert_eq!(mine["switchable"], true);
    assert_eq!(mine["roles"].as_array().unwrap().len(), 4);
    let sa = &mine["roles"][1];
    assert_eq!(
        (&sa["roleId"], &sa["isSuperAdmin"], &sa["active"]),
        (&SUPER_ADMIN.into(), &true.into(), &false.into())
    );

    let created = [
        "service-users",
        "create",
        "cli-role-bot",
        "--name",
        "Role bot",
    ];
    let o = on(&env, &p, &created, None).await;
    assert_eq!(code(&o), 5, "{}", stderr_line(&o));
    assert!(stderr_line(&o).contains("SUPER_ADMIN_REQUIRED"));

    let said = ok(&on(&env, &p, &["role", "use", SUPER_ADMIN], None).await);
    assert!(
        said.contains("now uses role Super admin (SystemRole-SuperAdmin)"),
        "{said}"
    );
    // Every later command is sent with it: the server sees it, and create works.
    assert!(ok(&on(&env, &p, &["whoami"], None).await).contains(SUPER_ADMIN));
    ok(&on(&env, &p, &created, None).await);
    // The global --as-role still overrides it for one command.
    let once = ok(&on(&env, &p, &["--as-role", DEFAULT_USERS, "whoami"], None).await);
    assert!(once.contains(DEFAULT_USERS), "{once}");

    let o = on(&env, &p, &["role", "use", "role-analysts"], None).await;
    assert_eq!(code(&o), 5);
    let line = stderr_line(&o);
    assert!(
        line.contains("role-analysts") && line.contains("ROLE_NOT_ATTACHED"),
        "{line}"
    );

    let said = ok(&on(&env, &p, &["role", "use", "--default"], None).await);
    assert!(said.contains("your default role Default users"), "{said}");
    assert!(ok(&on(&env, &p, &["whoami"], None).await).contains(DEFAULT_USERS));

    // A personal access token is bound to its role.
    let pat = format!("{ALICE_SUPERADMIN_PAT}\n");
    ok(&on(&env, &p, &["login", "--token-stdin"], Some(&pat)).await);
    let text = ok(&on(&env, &p, &["role", "list"], None).await);
    assert!(text.contains("personal access token"), "{text}");
    let o = on(&env, &p, &["role", "use", DEFAULT_USERS], None).await;
    assert_eq!(code(&o), 5);
    assert!(stderr_line(&o).contains("role_bound_to_access_token"));

    ok(&on(&env, &p, &["logout"], None).await);
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_edit_changes_fields_and_another_server_signs_out() {
    let env = Env::new("cli-edit");
    let srv = server(&env.db()).await;
    let p = with_password(&env, &srv.base_url()).await;

    let edit = [
        "profile",
        "edit",
        &p,
        "--colour",
        "#ff8800",
        "--production",
        "--default-role",
        SUPER_ADMIN,
    ];
    let text = ok(&env.cli(&edit, None).await);
    assert!(text.contains(&format!("edited profile '{p}'")), "{text}");
    let listed = json(&env.cli(&["--json", "profile", "list"], None).await);
    let stored = &listed["profiles"][0];
    assert_eq!(
        (
            &stored["color"],
            &stored["production"],
            &stored["default_role"]
        ),
        (&"#ff8800".into(), &true.into(), &SUPER_ADMIN.into())
    );
    assert!(ok(&on(&env, &p, &["whoami"], None).await).contains(SUPER_ADMIN));
    let cleared = [
        "profile",
        "edit",
        &p,
        "--no-colour",
        "--no-production",
        "--no-default-role",
    ];
    ok(&env.cli(&cleared, None).await);
    let listed = json(&env.cli(&["--json", "profile", "list"], None).await);
    let stored = &listed["profiles"][0];
    assert!(stored.get("color").is_none() && stored.get("default_role").is_none());
    assert_eq!(stored["production"], false);

    // Bad input: one line naming it, invalid input (9); nothing to change: usage (2).
    let o = env
        .cli(&["profile", "edit", &p, "--colour", "#12"], None)
        .await;
    assert_eq!(code(&o), 9);
    assert!(stderr_line(&o).contains("'#12'"));
    let o = env.cli(&["profile", "edit", &p], None).await;
    assert_eq!(code(&o), 2);

    // Another path on the same server keeps the sign-in; another server does not.
    let staged = format!("{}/stage", srv.base_url());
    let text = ok(&env
        .cli(&["profile", "edit", &p, "--url", &staged], None)
        .await);
    assert!(!text.contains("signed out"), "{text}");
    let text = ok(&env
        .cli(
            &["profile", "edit", &p, "--url", "http://127.0.0.1:9"],
            None,
        )
        .await);
    assert!(
        text.contains("signed out: the URL is on another server"),
        "{text}"
    );
    let o = on(&env, &p, &["whoami"], None).await;
    assert_eq!(code(&o), 4);
    assert!(stderr_line(&o).contains("not_signed_in"));
    srv.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_list_shows_a_disable_made_elsewhere_and_offline_the_stored_state() {
    let env = Env::new("cli-tokens");
    let srv = server(&env.db()).await;
    let base = srv.base_url();
    let p = with_password(&env, &base).await;

    ok(&on(&env, &p, &["assume", "etl-bot", "--minutes", "30"], None).await);
    let text = ok(&on(&env, &p, &["tokens", "list"], None).await);
    assert!(text.contains("STATE") && text.contains("live"), "{text}");

    // Disabled behind the app's back: the next list asks the server and says so.
    let status = |s: &str| serde_json::json!({ "UserStatus": s });
    let path = "/users/etl-bot/status";
    let r = raw(&base, reqwest::Method::PUT, path, Some(status("disabled"))).await;
    assert!(r.status().is_success());
    let text = ok(&on(&env, &p, &["tokens", "list"], None).await);
    assert!(text.contains("refused: disabled"), "{text}");
    assert!(!text.contains("live"), "{text}");
    assert!(text.contains("etl-bot is disabled"), "{text}");
    let listed = json(&on(&env, &p, &["--json", "tokens", "list"], None).await);
    assert_eq!(listed[0]["state"], "refused");
    assert_eq!(listed[0]["refusal"]["code"], "PRINCIPAL_DISABLED");
    assert_eq!(listed[0]["canAssumeAgain"], false);

    // Enabled again: the old token stays dead, and the list says how to get a new one.
    let r = raw(&base, reqwest::Method::PUT, path, Some(status("enabled"))).await;
    assert!(r.status().is_success());
    let text = ok(&on(&env, &p, &["tokens", "list"], None).await);
    assert!(text.contains("refused: token invalid"), "{text}");
    assert!(
        text.contains("amorphic-su tokens reassume etl-bot"),
        "{text}"
    );
    ok(&on(&env, &p, &["tokens", "reassume", "etl-bot"], None).await);
    let text = ok(&on(&env, &p, &["tokens", "list"], None).await);
    assert!(text.contains("live"), "{text}");

    // Offline: the stored state, and a note saying it was not checked.
    srv.shutdown().await;
    let o = on(&env, &p, &["tokens", "list"], None).await;
    let text = ok(&o);
    assert!(text.contains("live"), "{text}");
    let note = stderr_line(&o);
    assert!(
        note.starts_with("offline") && note.contains("last check"),
        "{note}"
    );
    let o = on(&env, &p, &["tokens", "list", "--offline"], None).await;
    assert!(ok(&o).contains("etl-bot"));
    assert!(stderr_line(&o).contains("--offline"));

    ok(&on(&env, &p, &["logout"], None).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_on_the_server_and_offline_says_until_when_it_lives() {
    let env = Env::new("cli-logout");
    let srv = server(&env.db()).await;
    let base = srv.base_url();
    let p = with_password(&env, &base).await;
    let sessions = || async {
        let r = raw(&base, reqwest::Method::GET, "/users/alice/sessions", None).await;
        let body: serde_json::Value = r.json().await.unwrap();
        body["Sessions"].as_array().unwrap().len()
    };
    assert_eq!(sessions().await, 1);
    let out = json(&on(&env, &p, &["--json", "logout"], None).await);
    assert_eq!(out["server"], "ended", "{out}");
    assert_eq!(sessions().await, 0, "the session ended on the server");

    // Offline: signed out here all the same, with a warning saying until when it lives there.
    let password = format!("{ALICE_PASSWORD}\n");
    let login = ["login", "--password-stdin"];
    ok(&on(&env, &p, &login, Some(&password)).await);
    srv.shutdown().await;
    let o = on(&env, &p, &["logout"], None).await;
    assert!(ok(&o).contains("signed out of"));
    let warning = stderr_line(&o);
    assert!(
        warning.starts_with("warning: The session could not be ended on the server")
            && warning.contains("stays valid there until"),
        "{warning}"
    );
    let o = on(&env, &p, &["whoami"], None).await;
    assert_eq!(code(&o), 4, "not signed in");
}
