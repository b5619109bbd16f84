//! The journal's part of the bench: appends, then a large journal read, exported and verified.

use std::path::Path;
use std::time::Instant;

use amorphic_su_client::journal::{
    export, Draft, ExportFormat, JournalAction, JournalQuery, JournalResult, JournalStore,
    JournalTarget,
};

use super::{mib, ms, rate, secs, Row};
use crate::support::figure;

fn draft(i: usize) -> Draft {
    Draft {
        environment: "bench".into(),
        user: Some("alice".into()),
        role: Some("super-admins".into()),
        action: JournalAction::Disabled,
        target: Some(JournalTarget {
            id: format!("svc-{:06}", i % 100_000),
            name: Some(format!("Service user {i}")),
        }),
        minutes_asked: None,
        ends_at: None,
        result: JournalResult::Done,
        error_code: None,
        message: None,
        detail: "disabled".into(),
    }
}

pub async fn journal(root: &Path, entries: usize, appends: usize) -> Vec<Row> {
    let mut out = Vec::new();
    // Appends on the disk the temporary folder is on: each a committed transaction.
    let store = JournalStore::open(&root.join("append").join("journal.sqlite"))
        .await
        .expect("journal");
    let t = Instant::now();
    for i in 0..appends {
        store.append(&draft(i)).await.expect("append");
    }
    let a = t.elapsed();
    store.close().await;
    figure(
        "journal_append_per_s",
        appends as f64 / a.as_secs_f64(),
        "entries/s",
        &format!("journal append on disk, {appends} entries, each its own transaction"),
    )
    .print();
    out.push(Row(
        format!("journal append, {appends} entries on disk, one at a time"),
        secs(a),
        format!("{} entries/s", rate(appends, a)),
        String::new(),
    ));

    // The exported journal is filled in memory (tmpfs) when there is one: the appends
    // above already give the disk's rate.
    let shm = Path::new("/dev/shm");
    let fill_dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).expect("a folder in /dev/shm")
    } else {
        tempfile::tempdir_in(root).expect("a folder")
    };
    let store = JournalStore::open(&fill_dir.path().join("journal.sqlite"))
        .await
        .expect("journal");
    let t = Instant::now();
    for i in 0..entries {
        store.append(&draft(i)).await.expect("append");
    }
    let fill = t.elapsed();
    out.push(Row(
        format!(
            "journal append, {entries} entries ({})",
            if shm.is_dir() {
                "tmpfs: no disk sync"
            } else {
                "on disk"
            }
        ),
        secs(fill),
        format!("{} entries/s", rate(entries, fill)),
        String::new(),
    ));

    let t = Instant::now();
    let all = store
        .entries(&JournalQuery::default())
        .await
        .expect("entries");
    let read = t.elapsed();
    assert_eq!(all.len(), entries);
    out.push(Row(
        format!("journal read, {entries} entries (the export's query)"),
        ms(read),
        format!("{} entries/s", rate(entries, read)),
        String::new(),
    ));
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let t = Instant::now();
        let text = export(&all, format).expect("export");
        let e = t.elapsed();
        figure(
            &format!("journal_export_{}_ms", format.to_string().to_lowercase()),
            (read + e).as_secs_f64() * 1e3,
            "ms",
            &format!("journal export of {entries} entries as {format}, read included"),
        )
        .print();
        out.push(Row(
            format!("journal export, {entries} entries as {format} (formatting only)"),
            ms(e),
            format!("{}, {} bytes", mib(text.len()), text.len()),
            format!("read + format: {}", ms(read + e)),
        ));
    }
    let t = Instant::now();
    let v = store.verify().await.expect("verify");
    let check = t.elapsed();
    assert!(v.broken.is_none());
    out.push(Row(
        format!("journal verify (the hash chain), {entries} entries"),
        ms(check),
        format!("{} entries/s", rate(entries, check)),
        String::new(),
    ));
    store.close().await;
    out
}
