//! Validated identifiers. Parse at the edge, then trust: a value of these types always
//! satisfies its rule, so code past deserialization never re-checks it.

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} must be {min}-{max} characters of letters, digits, '.', '_' or '-'")]
pub struct IdError {
    pub kind: &'static str,
    pub min: usize,
    pub max: usize,
}

/// The identifier alphabet shared by every id of the API.
fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

fn check_id(kind: &'static str, min: usize, max: usize, s: &str) -> Result<(), IdError> {
    // All allowed characters are ASCII, so byte length equals character count here.
    if (min..=max).contains(&s.len()) && s.chars().all(is_id_char) {
        Ok(())
    } else {
        Err(IdError { kind, min, max })
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $min:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            pub const MIN_LEN: usize = $min;
            pub const MAX_LEN: usize = $max;
            /// The rule as a regular expression, as published in the OpenAPI document.
            pub const PATTERN: &'static str = concat!("^[A-Za-z0-9._-]{", $min, ",", $max, "}$");

            /// Validates `s` and wraps it.
            pub fn parse(s: impl Into<String>) -> Result<Self, IdError> {
                let s = s.into();
                check_id($kind, $min, $max, &s)?;
                Ok(Self(s))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(s).map_err(serde::de::Error::custom)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(Self::PATTERN))
                    .min_length(Some($min))
                    .max_length(Some($max))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

id_type!(
    /// A user's id: 3-64 characters of `[A-Za-z0-9._-]`, case-sensitive.
    UserId, "UserId", 3, 64
);
id_type!(
    /// A role's id, such as `SystemRole-DefaultUsers`.
    RoleId, "RoleId", 1, 128
);
id_type!(
    /// A tag's id, such as `team-data`.
    TagId, "TagId", 1, 128
);
id_type!(
    /// A personal access token's id (never the secret).
    TokenId, "TokenId", 1, 128
);
id_type!(
    /// A datasource's id.
    DatasourceId, "DatasourceId", 1, 128
);
id_type!(
    /// A session's id (never the session token).
    SessionId, "SessionId", 1, 128
);

impl UserId {
    /// The key under which ids collide: two ids equal ignoring ASCII case name the same
    /// account, so no look-alike accounts can be created.
    pub fn folded(&self) -> String {
        self.0.to_ascii_lowercase()
    }

    /// Whether `self` and `other` differ at most in ASCII case.
    pub fn eq_ignore_case(&self, other: &UserId) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl RoleId {
    /// Every user's default role; it can never be detached from a service user.
    pub const DEFAULT_USERS: &'static str = "SystemRole-DefaultUsers";
    /// The system administrators' role: full access to data resources.
    pub const SYSTEM_ADMINISTRATORS: &'static str = "SystemRole-SystemAdministrators";

    pub fn default_users() -> RoleId {
        RoleId(Self::DEFAULT_USERS.to_owned())
    }
}

/// Bounded free text (names, descriptions): a character count range, no control characters.
macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $min:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            pub const MIN_CHARS: usize = $min;
            pub const MAX_CHARS: usize = $max;

            pub fn parse(s: impl Into<String>) -> Result<Self, TextError> {
                let s = s.into();
                let n = s.chars().count();
                if !(($min..=$max).contains(&n)) {
                    return Err(TextError::Length { kind: $kind, min: $min, max: $max });
                }
                if s.chars().any(|c| c.is_control()) {
                    return Err(TextError::Control { kind: $kind });
                }
                Ok(Self(s))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(s).map_err(serde::de::Error::custom)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some($min))
                    .max_length(Some($max))
                    // No control characters (C0, DEL, C1).
                    .pattern(Some("^[^\\u0000-\\u001F\\u007F-\\u009F]*$"))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

/// Why a text value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{kind} must be {min}-{max} characters long")]
    Length {
        kind: &'static str,
        min: usize,
        max: usize,
    },
    #[error("{kind} must not contain control characters")]
    Control { kind: &'static str },
}

text_type!(
    /// A user's display name.
    DisplayName, "DisplayName", 1, 256
);
text_type!(
    /// A description of a user, token or other resource.
    Description, "Description", 0, 1024
);
text_type!(
    /// A personal access token's name.
    TokenName, "TokenName", 1, 128
);
text_type!(
    /// A datasource's name.
    DatasourceName, "DatasourceName", 1, 256
);
text_type!(
    /// A datasource's type, such as `jdbc` or `s3`.
    DatasourceType, "DatasourceType", 1, 64
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_id_accepts_the_alphabet_and_bounds() {
        for ok in ["abc", "etl-bot", "a.b_c-d", "A1.", &"x".repeat(64)] {
            assert!(UserId::parse(ok).is_ok(), "{ok} should be valid");
        }
    }

    #[test]
    fn user_id_rejects_length_and_characters() {
        for bad in [
            "",
            "ab",
            &"x".repeat(65),
            "with space",
            "ünï",
            "a/b",
            "a@b.c",
            "bot\n",
            "a%2e",
        ] {
            let err = UserId::parse(bad).unwrap_err();
            assert_eq!(err.kind, "UserId");
        }
    }

    #[test]
    fn user_id_pattern_matches_the_rule() {
        assert_eq!(UserId::PATTERN, "^[A-Za-z0-9._-]{3,64}$");
        assert_eq!(RoleId::PATTERN, "^[A-Za-z0-9._-]{1,128}$");
    }

    #[test]
    fn user_id_deserializes_only_when_valid() {
        let ok: UserId = serde_json::from_str("\"etl-bot\"").unwrap();
        assert_eq!(ok.as_str(), "etl-bot");
        assert!(serde_json::from_str::<UserId>("\"no way\"").is_err());
        assert!(serde_json::from_str::<UserId>("42").is_err());
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"etl-bot\"");
    }

    #[test]
    fn user_id_folding_finds_look_alikes() {
        let a = UserId::parse("ETL-Bot").unwrap();
        let b = UserId::parse("etl-bot").unwrap();
        assert_ne!(a, b, "ids are case-sensitive");
        assert!(a.eq_ignore_case(&b));
        assert_eq!(a.folded(), b.folded());
    }

    #[test]
    fn role_and_tag_ids_validate() {
        assert!(RoleId::parse("SystemRole-DefaultUsers").is_ok());
        assert!(RoleId::parse("").is_err());
        assert!(TagId::parse("team-data").is_ok());
        assert!(TagId::parse("team data").is_err());
        assert_eq!(RoleId::default_users().as_str(), RoleId::DEFAULT_USERS);
    }

    #[test]
    fn text_types_bound_length_and_refuse_control_characters() {
        assert!(DisplayName::parse("ETL bot").is_ok());
        assert!(DisplayName::parse("").is_err());
        assert!(DisplayName::parse("x".repeat(257)).is_err());
        assert!(
            DisplayName::parse("é".repeat(256)).is_ok(),
            "counted in characters, not bytes"
        );
        assert!(DisplayName::parse("a\u{0}b").is_err());
        assert!(Description::parse("").is_ok());
        assert!(TokenName::parse("ci").is_ok());
    }
}
