//! The journal file on its own: the chain, a changed byte found and named, the append-only
//! triggers, the selection, the export's rows, and the names of the actions.

use amorphic_su_model::Timestamp;
use strum::VariantArray;

use super::*;

fn draft(action: JournalAction, su: &str, name: &str) -> Draft {
    Draft {
        environment: "dev".into(),
        user: Some("alice".into()),
        role: Some("role-super-admin".into()),
        action,
        target: Some(JournalTarget {
            id: su.into(),
            name: Some(name.into()),
        }),
        minutes_asked: None,
        ends_at: None,
        result: JournalResult::Done,
        error_code: None,
        message: None,
        detail: format!("{} {su}", action.words()),
    }
}

async fn store(dir: &tempfile::TempDir) -> JournalStore {
    JournalStore::open(&dir.path().join("journal").join("dev.sqlite"))
        .await
        .unwrap()
}

#[test]
fn every_action_has_a_stable_distinct_name() {
    let names: Vec<&str> = JournalAction::VARIANTS.iter().map(|a| a.as_str()).collect();
    assert_eq!(
        names,
        [
            "signed_in",
            "signed_out",
            "role_switched",
            "assumed",
            "renewed",
            "forgotten",
            "created",
            "roles_attached",
            "role_detached",
            "shared",
            "unshared",
            "enabled",
            "disabled",
            "deleted",
            "access_token_created",
            "access_token_revoked",
            "datasource_created",
            "bulk_run",
        ]
    );
    for a in JournalAction::VARIANTS {
        assert_eq!(a.as_str().parse::<JournalAction>().unwrap(), *a);
        let json = serde_json::to_string(a).unwrap();
        assert_eq!(
            json,
            format!("\"{}\"", a.as_str()),
            "serde and the table agree"
        );
    }
}

#[tokio::test]
async fn entries_chain_and_a_changed_byte_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let j = store(&dir).await;
    let first = j
        .append(&draft(JournalAction::Created, "etl-bot", "ETL bot"))
        .await
        .unwrap();
    let second = j
        .append(&draft(
            JournalAction::Disabled,
            "tamper-bot",
            "Tamper target",
        ))
        .await
        .unwrap();
    j.append(&draft(JournalAction::Enabled, "etl-bot", "ETL bot"))
        .await
        .unwrap();
    assert_eq!((first.seq, second.seq), (1, 2));
    assert_ne!(first.hash, second.hash);
    let v = j.verify().await.unwrap();
    assert_eq!((v.entries, v.broken), (3, None));
    // Edited behind the open store's back (as another program would): still found by the
    // store that stays open, whose connection has the old pages in its cache.
    j.entries(&JournalQuery::default()).await.unwrap();
    let path = dir.path().join("journal").join("dev.sqlite");
    let original = std::fs::read(&path).unwrap();
    let mut bytes = original.clone();
    let at = bytes
        .windows(b"Tamper target".len())
        .position(|w| w == b"Tamper target")
        .expect("the entry's text is in the file");
    bytes[at] = b'X';
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(j.verify().await.unwrap().broken.map(|b| b.seq), Some(2));
    std::fs::write(&path, &original).unwrap();
    j.close().await;

    // One byte of the file changed: the entry holding it is named.
    let path = dir.path().join("journal").join("dev.sqlite");
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes
        .windows(b"Tamper target".len())
        .position(|w| w == b"Tamper target")
        .expect("the entry's text is in the file");
    bytes[at] = b'X';
    std::fs::write(&path, bytes).unwrap();
    let j = store(&dir).await;
    let v = j.verify().await.unwrap();
    assert_eq!(v.entries, 1, "the entries before it are sound");
    let broken = v.broken.expect("the edit is found");
    assert_eq!(broken.seq, 2);
    assert!(broken.reason.contains("hash"), "{}", broken.reason);
}

#[tokio::test]
async fn the_table_refuses_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let j = store(&dir).await;
    j.append(&draft(JournalAction::Created, "etl-bot", "ETL bot"))
        .await
        .unwrap();
    for sql in ["UPDATE journal SET detail = 'x'", "DELETE FROM journal"] {
        let err = sqlx::query(sql).execute(&j.pool_for_tests()).await;
        assert!(
            err.unwrap_err().to_string().contains("append-only"),
            "{sql} refused"
        );
    }
}

#[tokio::test]
async fn a_removed_entry_breaks_the_numbering() {
    let dir = tempfile::tempdir().unwrap();
    let j = store(&dir).await;
    for su in ["a-bot", "b-bot", "c-bot"] {
        j.append(&draft(JournalAction::Created, su, su))
            .await
            .unwrap();
    }
    let pool = j.pool_for_tests();
    sqlx::query("DROP TRIGGER journal_no_delete")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM journal WHERE seq = 2")
        .execute(&pool)
        .await
        .unwrap();
    let v = j.verify().await.unwrap();
    assert_eq!(v.broken.map(|b| b.seq), Some(3));
}

#[tokio::test]
async fn a_query_selects_by_user_service_user_action_time_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let j = store(&dir).await;
    j.append(&draft(JournalAction::Created, "etl-bot", "ETL bot"))
        .await
        .unwrap();
    j.append(&draft(
        JournalAction::Disabled,
        "report-bot",
        "Weekly 100%_report",
    ))
    .await
    .unwrap();
    let mut bob = draft(JournalAction::Disabled, "etl-bot", "ETL bot");
    bob.user = Some("bob".into());
    j.append(&bob).await.unwrap();
    let seqs = async |q: JournalQuery| -> Vec<i64> {
        j.entries(&q).await.unwrap().iter().map(|e| e.seq).collect()
    };
    assert_eq!(
        seqs(JournalQuery::default()).await,
        [3, 2, 1],
        "newest first"
    );
    let alice = || JournalQuery {
        user: Some("alice".into()),
        ..Default::default()
    };
    assert_eq!(seqs(alice()).await, [2, 1]);
    let q = JournalQuery {
        service_user: Some("etl-bot".into()),
        ..alice()
    };
    assert_eq!(seqs(q).await, [1]);
    let q = JournalQuery {
        action: Some(JournalAction::Disabled),
        ..Default::default()
    };
    assert_eq!(seqs(q).await, [3, 2]);
    // `%` and `_` are literal; the search is case-insensitive.
    for (text, want) in [("100%_R", vec![2]), ("100%%", vec![]), ("etl", vec![3, 1])] {
        let q = JournalQuery {
            search: Some(text.into()),
            ..Default::default()
        };
        assert_eq!(seqs(q).await, want, "search {text:?}");
    }
    let q = JournalQuery {
        since: Timestamp::from_unix(Timestamp::now().unix() + 3600),
        ..Default::default()
    };
    assert!(seqs(q).await.is_empty(), "nothing after an hour from now");
    let q = JournalQuery {
        limit: Some(1),
        ..Default::default()
    };
    assert_eq!(seqs(q).await, [3]);
}

#[tokio::test]
async fn csv_and_json_hold_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let j = store(&dir).await;
    j.append(&draft(
        JournalAction::Created,
        "etl-bot",
        "=HYPERLINK(\"x\"), \"q\"",
    ))
    .await
    .unwrap();
    let mut refused = draft(JournalAction::Deleted, "etl-bot", "ETL bot");
    refused.result = JournalResult::Refused;
    refused.error_code = Some("MUST_DISABLE_FIRST".into());
    refused.message = Some("disable it first,\nthen delete".into());
    j.append(&refused).await.unwrap();
    let entries = j.entries(&JournalQuery::default()).await.unwrap();
    let csv = to_csv(&entries);
    let json: Vec<serde_json::Value> = serde_json::from_str(&to_json(&entries).unwrap()).unwrap();
    assert!(csv.starts_with(&CSV_COLUMNS.join(",")));
    assert_eq!(json.len(), 2);
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"x\"\"), \"\"q\"\"\""),
        "{csv}"
    );
    assert!(csv.contains("\"disable it first,\nthen delete\""), "{csv}");
    for (e, j) in entries.iter().zip(&json) {
        assert_eq!(j["seq"], e.seq);
        assert_eq!(j["hash"], e.hash.as_str());
        assert!(csv.contains(&e.hash));
    }
    assert_eq!(json[0]["result"], "refused");
    assert_eq!(json[0]["errorCode"], "MUST_DISABLE_FIRST");
}
