//! The id and bounded-text parsers of the model: a value that parses formats, serializes and
//! re-parses to the same string and obeys its rule; a refused one breaks the rule.

use std::fmt::Display;
use std::str::FromStr;

use amorphic_su_model::{
    DatasourceId, DatasourceName, DatasourceType, Description, DisplayName, ExpiryMinutes, RoleId,
    SessionId, TagId, TokenId, TokenName, UserId,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

fn id_rule(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn round_trips<T>(s: &str, parsed: &T)
where
    T: Display + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    assert_eq!(parsed.to_string(), s);
    let json = serde_json::to_string(parsed).expect("serialize");
    assert_eq!(
        serde_json::from_str::<String>(&json).expect("a JSON string"),
        s
    );
    assert_eq!(&serde_json::from_str::<T>(&json).expect("re-parse"), parsed);
}

fn id<T>(
    s: &str,
    min: usize,
    max: usize,
    parse: fn(String) -> Result<T, amorphic_su_model::IdError>,
) where
    T: Display + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug + FromStr + AsRef<str>,
{
    match parse(s.to_owned()) {
        Ok(v) => {
            assert!(id_rule(s, min, max), "accepted {s:?}");
            assert_eq!(v.as_ref(), s);
            assert!(T::from_str(s).is_ok());
            round_trips(s, &v);
        }
        Err(e) => {
            assert!(!id_rule(s, min, max), "refused {s:?}");
            assert!(T::from_str(s).is_err());
            assert!(!e.to_string().is_empty());
        }
    }
}

fn text_rule(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.chars().count()) && !s.chars().any(char::is_control)
}

macro_rules! text {
    ($t:ty, $s:expr) => {{
        let s: &str = $s;
        match <$t>::parse(s) {
            Ok(v) => {
                assert!(
                    text_rule(s, <$t>::MIN_CHARS, <$t>::MAX_CHARS),
                    "accepted {s:?}"
                );
                assert_eq!(v.as_str(), s);
                round_trips(s, &v);
            }
            Err(_) => assert!(
                !text_rule(s, <$t>::MIN_CHARS, <$t>::MAX_CHARS),
                "refused {s:?}"
            ),
        }
    }};
}

pub fn run(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let s = s.as_ref();
    id(s, UserId::MIN_LEN, UserId::MAX_LEN, UserId::parse);
    id(s, RoleId::MIN_LEN, RoleId::MAX_LEN, RoleId::parse);
    id(s, TagId::MIN_LEN, TagId::MAX_LEN, TagId::parse);
    id(s, TokenId::MIN_LEN, TokenId::MAX_LEN, TokenId::parse);
    id(
        s,
        DatasourceId::MIN_LEN,
        DatasourceId::MAX_LEN,
        DatasourceId::parse,
    );
    id(s, SessionId::MIN_LEN, SessionId::MAX_LEN, SessionId::parse);
    if let Ok(u) = UserId::parse(s) {
        // Ids equal ignoring ASCII case collide: the folded key is what makes them collide.
        let upper = UserId::parse(s.to_ascii_uppercase()).expect("same rule");
        assert!(u.eq_ignore_case(&upper));
        assert_eq!(u.folded(), upper.folded());
    }
    text!(DisplayName, s);
    text!(Description, s);
    text!(TokenName, s);
    text!(DatasourceName, s);
    text!(DatasourceType, s);
    // The same strings as JSON values (the wire form): any value, never a panic.
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        if let Ok(e) = ExpiryMinutes::from_json(&v) {
            assert!((1..=180).contains(&e.minutes()));
            assert_eq!(e.seconds(), i64::from(e.minutes()) * 60);
        }
        let _ = serde_json::from_value::<UserId>(v.clone());
        let _ = serde_json::from_value::<DisplayName>(v);
    }
}
