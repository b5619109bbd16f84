use super::*;

fn rid(s: &str) -> RoleId {
    RoleId::parse(s).unwrap()
}
fn tid(s: &str) -> TagId {
    TagId::parse(s).unwrap()
}
fn uid(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}
fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| s.to_string()).collect()
}

#[test]
fn parses_the_table() {
    let q = SearchQuery::default;
    let table: Vec<(&str, SearchQuery)> = vec![
        ("", q()),
        ("   ", q()),
        ("etl", SearchQuery { words: words(&["etl"]), ..q() }),
        ("etl  bot", SearchQuery { words: words(&["etl", "bot"]), ..q() }),
        ("\"data lake\"", SearchQuery { phrases: words(&["data lake"]), ..q() }),
        ("\"etl\"", SearchQuery { words: words(&["etl"]), ..q() }),
        ("role:role-analysts", SearchQuery { roles: vec![rid("role-analysts")], ..q() }),
        ("ROLE:role-analysts", SearchQuery { roles: vec![rid("role-analysts")], ..q() }),
        ("status:disabled", SearchQuery { status: Some(UserStatus::Disabled), ..q() }),
        ("status:Enabled status:enabled", SearchQuery { status: Some(UserStatus::Enabled), ..q() }),
        ("tag:team-data", SearchQuery { tags: vec![tid("team-data")], ..q() }),
        ("owner:bob owner:\"carol\"", SearchQuery { owners: vec![uid("bob"), uid("carol")], ..q() }),
        ("created-by:alice", SearchQuery { created_by: Some(uid("alice")), ..q() }),
        (
            "bot \"nightly load\" status:enabled role:role-data-engineers tag:team-data owner:alice created-by:alice",
            SearchQuery {
                words: words(&["bot"]),
                phrases: words(&["nightly load"]),
                roles: vec![rid("role-data-engineers")],
                status: Some(UserStatus::Enabled),
                tags: vec![tid("team-data")],
                owners: vec![uid("alice")],
                created_by: Some(uid("alice")),
            },
        ),
        // Not keys: a colon after a digit, and text with no letter or digit.
        ("12:30", SearchQuery { words: words(&["12:30"]), ..q() }),
        ("- * \"\"", q()),
        // A quote inside a word stays in it (FTS5 escapes it), and "" inside quotes is one ".
        ("O\"Brien", SearchQuery { words: words(&["O\"Brien"]), ..q() }),
        ("\"say \"\"hi\"\"\"", SearchQuery { phrases: words(&["say \"hi\""]), ..q() }),
        // A quote left open runs to the end (typed so far).
        ("\"data la", SearchQuery { phrases: words(&["data la"]), ..q() }),
        // A quoted key is searched as text.
        ("\"http://x\"", SearchQuery { words: words(&["http://x"]), ..q() }),
    ];
    for (input, want) in table {
        assert_eq!(parse(input).unwrap(), want, "{input:?}");
    }
}

#[test]
fn bad_searches_name_the_key() {
    let table: &[(&str, &[&str])] = &[
        (
            "colour:red",
            &["unknown search key 'colour:'", "role:", "created-by:"],
        ),
        ("http://example", &["unknown search key 'http:'"]),
        ("status:", &["'status:'", "no value"]),
        ("status:paused", &["'status:paused'", "enabled or disabled"]),
        (
            "status:enabled status:disabled",
            &["status:enabled and status:disabled"],
        ),
        ("owner:a", &["'owner:a'", "not a user id"]),
        ("created-by:alice created-by:bob", &["created-by: twice"]),
        ("role:\"no spaces\"", &["'role:no spaces'", "not a role id"]),
    ];
    for (input, words) in table {
        let e = parse(input).unwrap_err();
        let want: amorphic_su_model::Code = amorphic_su_model::ClientCode::InvalidInput.into();
        assert_eq!(e.code(), want, "{input}");
        let m = e.to_string();
        for w in *words {
            assert!(m.contains(w), "{input:?}: {m}");
        }
    }
}

#[test]
fn the_fts_query_quotes_every_word_and_phrase() {
    let fts = |s: &str| parse(s).unwrap().fts();
    assert_eq!(fts(""), None);
    assert_eq!(fts("status:enabled"), None);
    assert_eq!(fts("etl bot"), Some("\"etl\"* \"bot\"*".into()));
    assert_eq!(
        fts("\"data  lake\" x"),
        Some("\"x\"* \"data lake\"*".into())
    );
    assert_eq!(fts("O\"Brien"), Some("\"O\"\"Brien\"*".into()));
    assert_eq!(
        fts("NEAR(a b) OR c*"),
        Some("\"NEAR(a\"* \"b)\"* \"OR\"* \"c*\"*".into())
    );
}
