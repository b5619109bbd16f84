//! The cache's search-query builder (`fts_query`, from the search box's text) run against the
//! cache's own schema (its migrations, in an in-memory SQLite): SQLite must accept every query
//! it builds, and a user whose name is the search text must be found by it.

use std::cell::RefCell;
use std::ffi::{CStr, CString};
use std::ptr;

use amorphic_su_client::cache::fts_query;
use libsqlite3_sys as ffi;

const MIGRATIONS: [&str; 5] = [
    include_str!("../../crates/client/migrations/0001_cache.sql"),
    include_str!("../../crates/client/migrations/0002_set_based_writes.sql"),
    include_str!("../../crates/client/migrations/0003_fts_prefixes.sql"),
    include_str!("../../crates/client/migrations/0004_activity.sql"),
    include_str!("../../crates/client/migrations/0005_identity_checks.sql"),
];

struct Db(*mut ffi::sqlite3);

impl Db {
    fn open() -> Db {
        let mut db = ptr::null_mut();
        let name = CString::new(":memory:").expect("name");
        // SAFETY: a fresh handle; checked below.
        let rc = unsafe { ffi::sqlite3_open(name.as_ptr(), &mut db) };
        assert_eq!(rc, ffi::SQLITE_OK, "open");
        let db = Db(db);
        for m in MIGRATIONS {
            db.exec(m).expect("the cache's migrations");
        }
        db
    }

    fn error(&self) -> String {
        // SAFETY: the handle is open; SQLite owns the message.
        unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.0)) }
            .to_string_lossy()
            .into_owned()
    }

    fn exec(&self, sql: &str) -> Result<(), String> {
        let sql = CString::new(sql).map_err(|e| e.to_string())?;
        // SAFETY: open handle, NUL-terminated SQL, no callback.
        let rc = unsafe {
            ffi::sqlite3_exec(self.0, sql.as_ptr(), None, ptr::null_mut(), ptr::null_mut())
        };
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    /// Runs `sql` with text parameters and returns the first column of every row.
    fn query(&self, sql: &str, params: &[&str]) -> Result<Vec<i64>, String> {
        let c = CString::new(sql).map_err(|e| e.to_string())?;
        let mut stmt = ptr::null_mut();
        // SAFETY: open handle; the statement is finalized on every path below.
        let rc =
            unsafe { ffi::sqlite3_prepare_v2(self.0, c.as_ptr(), -1, &mut stmt, ptr::null_mut()) };
        if rc != ffi::SQLITE_OK {
            return Err(self.error());
        }
        let mut out = Vec::new();
        let mut result = Ok(());
        for (i, p) in params.iter().enumerate() {
            // SAFETY: SQLITE_TRANSIENT copies the text; the length is exact.
            let rc = unsafe {
                ffi::sqlite3_bind_text(
                    stmt,
                    i as i32 + 1,
                    p.as_ptr().cast(),
                    p.len() as i32,
                    ffi::SQLITE_TRANSIENT(),
                )
            };
            if rc != ffi::SQLITE_OK {
                result = Err(self.error());
            }
        }
        while result.is_ok() {
            // SAFETY: a prepared statement.
            match unsafe { ffi::sqlite3_step(stmt) } {
                ffi::SQLITE_ROW => out.push(unsafe { ffi::sqlite3_column_int64(stmt, 0) }),
                ffi::SQLITE_DONE => break,
                _ => result = Err(self.error()),
            }
        }
        // SAFETY: finalized once.
        unsafe { ffi::sqlite3_finalize(stmt) };
        result.map(|()| out)
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // SAFETY: closed once.
        unsafe { ffi::sqlite3_close(self.0) };
    }
}

thread_local! {
    static DB: RefCell<Option<Db>> = const { RefCell::new(None) };
}

pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    // The search box's text is bounded by the UI; longer input only slows the fuzzer.
    if text.len() > 512 {
        return;
    }
    let Some(q) = fts_query(&text) else {
        // Nothing searchable: the list is unfiltered, never an empty match.
        assert!(!text
            .split_whitespace()
            .any(|w| w.chars().any(char::is_alphanumeric)));
        return;
    };
    DB.with(|cell| {
        let mut cell = cell.borrow_mut();
        let db = cell.get_or_insert_with(Db::open);
        db.exec("INSERT INTO users_fts (users_fts) VALUES ('delete-all')")
            .expect("clear");
        // The user whose name, id or description is the very text searched for.
        db.query(
            "INSERT INTO users_fts (rowid, user_id, display_name, description, roles, tags)
             VALUES (1, 'svc-1', ?1, '', 'SystemRole-DefaultUsers', '')",
            &[&text],
        )
        .expect("index a user");
        match db.query(
            "SELECT rowid FROM users_fts WHERE users_fts MATCH ?1",
            &[&q],
        ) {
            // Scoped to Latin text: elsewhere a word of Rust's alphanumerics may hold no token
            // of FTS5's unicode61 tokenizer (a lone combining mark such as U+07AA has its
            // diacritic removed), and then the search finds nothing (docs/security.md).
            Ok(rows) if text.chars().all(|c| c <= '\u{24f}') => {
                assert_eq!(
                    rows,
                    vec![1],
                    "{q:?} (from {text:?}) does not find {text:?}"
                )
            }
            Ok(_) => {}
            Err(e) => panic!("SQLite refused the search {q:?} (from {text:?}): {e}"),
        }
    });
}
