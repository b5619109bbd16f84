//! End to end through the `amorphic-su` binary: `history` lists what the CLI did (refusals
//! too), `--csv` and `--json` hold the same rows, the filters narrow them, and `history
//! verify` fails naming the entry after one byte of the journal file is changed.

use std::process::Output;

use crate::common::*;

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// RFC 4180 rows (quoted cells may hold commas, quotes and line ends).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_lists_exports_and_verify_finds_a_changed_byte() {
    let env = Env::new("cli-journal");
    let srv = server(&env.db()).await;
    let p = env.profile.clone();
    let on = |args: &[&str]| {
        let mut all = vec!["--profile".to_owned(), p.clone()];
        all.extend(args.iter().map(|a| a.to_string()));
        all
    };
    let run = async |args: &[&str], stdin: Option<&str>| {
        let all = on(args);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        env.cli(&refs, stdin).await
    };
    ok(&env
        .cli(&["profile", "add", &p, "--url", &srv.base_url()], None)
        .await);
    ok(&run(
        &["login", "--token-stdin"],
        Some(&format!("{ALICE_SUPERADMIN_PAT}\n")),
    )
    .await);
    let bot = "cli-journal-bot";
    ok(&run(
        &["service-users", "create", bot, "--name", "CLI journal bot"],
        None,
    )
    .await);
    // Refused (still enabled): journaled with its code.
    let refused = run(
        &["service-users", "delete", bot, "--transfer-to", "alice"],
        None,
    )
    .await;
    assert!(!refused.status.success());
    ok(&run(&["service-users", "disable", bot], None).await);
    ok(&run(
        &["service-users", "delete", bot, "--transfer-to", "alice"],
        None,
    )
    .await);

    let json: Vec<serde_json::Value> =
        serde_json::from_str(&ok(&run(&["--json", "history"], None).await)).unwrap();
    let actions: Vec<(&str, &str)> = json
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        actions,
        [
            ("deleted", "done"),
            ("disabled", "done"),
            ("deleted", "refused"),
            ("created", "done"),
            ("signed_in", "done"),
        ]
    );
    assert_eq!(json[2]["errorCode"], "MUST_DISABLE_FIRST");
    assert_eq!(json[0]["target"]["name"], "CLI journal bot");

    // The CSV holds the same rows, in the same order.
    let csv = csv_rows(&ok(&run(&["history", "--csv"], None).await));
    assert_eq!(csv[0][0], "seq");
    assert_eq!(csv.len(), json.len() + 1, "a header and one row per entry");
    let col = |name: &str| csv[0].iter().position(|c| c == name).unwrap();
    for (row, e) in csv[1..].iter().zip(&json) {
        assert_eq!(row[col("seq")], e["seq"].to_string());
        assert_eq!(row[col("action")], e["action"].as_str().unwrap());
        assert_eq!(row[col("result")], e["result"].as_str().unwrap());
        assert_eq!(row[col("hash")], e["hash"].as_str().unwrap());
        assert_eq!(row.len(), csv[0].len());
    }

    // Filters.
    let only: Vec<serde_json::Value> = serde_json::from_str(&ok(&run(
        &[
            "--json",
            "history",
            "--service-user",
            bot,
            "--action",
            "deleted",
        ],
        None,
    )
    .await))
    .unwrap();
    assert_eq!(only.len(), 2);
    let bad = run(&["history", "--action", "exploded"], None).await;
    assert_eq!(bad.status.code(), Some(9));
    assert!(stderr_line(&bad).contains("'exploded' is not one of"));
    let bad = run(&["history", "--since", "yesterday"], None).await;
    assert_eq!(bad.status.code(), Some(9));
    let recent = ok(&run(
        &["history", "--since", "1h", "--search", "journal bot"],
        None,
    )
    .await);
    assert!(recent.contains(bot), "{recent}");

    let intact = ok(&run(&["history", "verify"], None).await);
    assert!(intact.contains("5 entries"), "{intact}");

    // One byte of the file changed: `verify` fails, naming an entry that held it.
    let file = env.paths.journal_file(&p);
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes
        .windows(b"CLI journal bot".len())
        .position(|w| w == b"CLI journal bot")
        .expect("the name is in the file");
    bytes[at] = b'X';
    std::fs::write(&file, bytes).unwrap();
    let broken = run(&["history", "verify"], None).await;
    assert_eq!(broken.status.code(), Some(11), "a local failure");
    let line = stderr_line(&broken);
    let named: i64 = line
        .split("broken at entry ")
        .nth(1)
        .and_then(|r| r.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("names the entry: {line}"));
    let about_bot: Vec<i64> = json
        .iter()
        .filter(|e| e["target"]["id"] == bot)
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert!(
        about_bot.contains(&named),
        "entry {named} held the name: {line}"
    );
    ok(&run(&["logout"], None).await);
}
