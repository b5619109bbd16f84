//! Claims that break a rule, signed with the server's own key: every refusal is about the one
//! deviation.

use serde_json::{json, Value};

use super::forge::*;
use super::harness::*;

#[tokio::test]
async fn claim_attacks_signed_with_the_real_key_are_refused() {
    let s = Srv::start().await;
    let (h, c) = s.valid_parts().await;
    let n = now();
    let times = |iat: i64, nbf: i64, exp: i64| {
        with(&c, |m| {
            m.insert("iat".into(), json!(iat));
            m.insert("nbf".into(), json!(nbf));
            m.insert("exp".into(), json!(exp));
        })
    };
    // Controls: correct contents, and the longest allowed lifetime, are accepted.
    s.assert_accepted(&s.forge(&h, &c), ALICE, "etl-bot", "alice")
        .await;
    s.assert_accepted(
        &s.forge(&h, &times(n - 5, n - 5, n - 5 + 10_800)),
        ALICE,
        "etl-bot",
        "alice",
    )
    .await;

    let set = |claim: &str, value: Value| {
        with(&c, |m| {
            m.insert(claim.into(), value);
        })
    };
    let duplicate_sub = c.to_string().replacen(
        r#""sub":"etl-bot""#,
        r#""sub":"etl-bot","sub":"finance-bot""#,
        1,
    );
    assert!(duplicate_sub.contains("finance-bot"), "{duplicate_sub}");
    let mut cases = vec![
        case(
            "expired a minute ago",
            s.forge(&h, &times(n - 660, n - 660, n - 60)),
            EXPIRED,
        ),
        case("expired in 1970", s.forge(&h, &times(0, 0, 1)), EXPIRED),
        case(
            "nbf in the future",
            s.forge(&h, &times(n - 5, n + 300, n + 600)),
            INVALID,
        ),
        case(
            "iat in the future",
            s.forge(&h, &times(n + 300, n - 5, n + 600)),
            INVALID,
        ),
        case(
            "lifetime 180 minutes + 1 second",
            s.forge(&h, &times(n - 5, n - 5, n - 5 + 10_801)),
            INVALID,
        ),
        case(
            "lifetime of a year",
            s.forge(&h, &times(n - 5, n - 5, n + 365 * 86_400)),
            INVALID,
        ),
        case(
            "exp = i64::MAX",
            s.forge(&h, &times(n - 5, n - 5, i64::MAX)),
            INVALID,
        ),
        case(
            "iat = i64::MIN (exp - iat overflows)",
            s.forge(&h, &times(i64::MIN, n - 5, n + 600)),
            INVALID,
        ),
        case(
            "iat negative",
            s.forge(&h, &times(-1, n - 5, n + 600)),
            INVALID,
        ),
        case(
            "exp before iat",
            s.forge(&h, &times(n - 5, n - 5, n - 6)),
            EXPIRED,
        ),
        case(
            "exp beyond i64 (u64::MAX)",
            s.forge(&h, &set("exp", json!(u64::MAX))),
            INVALID,
        ),
        case(
            "exp as a string",
            s.forge(&h, &set("exp", json!((n + 600).to_string()))),
            INVALID,
        ),
        case(
            "exp as a fraction",
            s.forge(&h, &set("exp", json!(n as f64 + 600.5))),
            INVALID,
        ),
        case(
            "iat as a string",
            s.forge(&h, &set("iat", json!((n - 5).to_string()))),
            INVALID,
        ),
        case(
            "uid as a string",
            s.forge(&h, &set("uid", json!(c["uid"].to_string()))),
            INVALID,
        ),
        case(
            "wrong aud",
            s.forge(&h, &set("aud", json!("amorphic-admin"))),
            INVALID,
        ),
        case(
            "aud in another case",
            s.forge(&h, &set("aud", json!("Amorphic"))),
            INVALID,
        ),
        case(
            "aud as an array without amorphic",
            s.forge(&h, &set("aud", json!(["other"]))),
            INVALID,
        ),
        case(
            "wrong iss",
            s.forge(&h, &set("iss", json!("http://evil.example"))),
            INVALID,
        ),
        case(
            "iss with a trailing slash",
            s.forge(&h, &set("iss", json!(format!("{}/", s.url)))),
            INVALID,
        ),
        case(
            "iss of another port",
            s.forge(&h, &set("iss", json!("http://127.0.0.1:1"))),
            INVALID,
        ),
        case(
            "sub of another service user (uid kept)",
            s.forge(&h, &set("sub", json!("report-bot"))),
            INVALID,
        ),
        case(
            "sub in another case",
            s.forge(&h, &set("sub", json!("ETL-BOT"))),
            INVALID,
        ),
        case(
            "sub of a regular user",
            s.forge(&h, &set("sub", json!("alice"))),
            INVALID,
        ),
        case(
            "uid of nobody",
            s.forge(&h, &set("uid", json!(987_654_321))),
            INVALID,
        ),
        case(
            "uid off by one",
            s.forge(&h, &set("uid", json!(c["uid"].as_i64().unwrap() + 1))),
            INVALID,
        ),
        case(
            "is_service_user false",
            s.forge(&h, &set("is_service_user", json!(false))),
            INVALID,
        ),
        case(
            "act.sub is another user",
            s.forge(&h, &set("act", json!({"sub": "bob"}))),
            INVALID,
        ),
        case(
            "act.sub in another case",
            s.forge(&h, &set("act", json!({"sub": "Alice"}))),
            INVALID,
        ),
        case(
            "act as a bare string",
            s.forge(&h, &set("act", json!("alice"))),
            INVALID,
        ),
        case(
            "act without sub",
            s.forge(&h, &set("act", json!({}))),
            INVALID,
        ),
        case(
            "role_id not a role id (injection)",
            s.forge(&h, &set("role_id", json!("x' OR '1'='1"))),
            INVALID,
        ),
        case(
            "claims are a JSON array",
            sign_ed(&s.key, &h, &json!([c.clone()])),
            INVALID,
        ),
        case(
            "duplicate sub keys: etl-bot then finance-bot (validly signed)",
            sign_raw_ed(&s.key, &h.to_string(), &duplicate_sub),
            INVALID,
        ),
    ];
    // Every required claim missing, one at a time.
    for claim in [
        "iss",
        "aud",
        "sub",
        "uid",
        "act",
        "role_id",
        "is_service_user",
        "iat",
        "nbf",
        "exp",
        "jti",
    ] {
        let cm = with(&c, |m| {
            m.remove(claim);
        });
        cases.push(case(
            format!("claim {claim} missing"),
            s.forge(&h, &cm),
            INVALID,
        ));
    }
    // A role the service user does not have: the token is genuine, the role is not
    // attached (403, step 2), and a super-admin role never makes a service user one.
    cases.push(case(
        "role_id a role not attached",
        s.forge(&h, &set("role_id", json!(SUPER_ADMIN))),
        Expect::Forbidden("ROLE_NOT_ATTACHED"),
    ));

    s.run(cases).await;
    s.server.shutdown().await;
}
