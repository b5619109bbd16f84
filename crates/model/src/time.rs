//! Wire times: RFC 3339 UTC strings with whole seconds (`2026-11-27T10:00:00Z`).

use std::fmt;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;

/// An instant on the wire. Serialized with whole seconds and a `Z`; any RFC 3339 offset is
/// accepted on input and converted to UTC.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// Truncates to whole seconds, which is what the wire carries.
    pub fn new(t: DateTime<Utc>) -> Self {
        let secs = t.timestamp();
        Timestamp(Utc.timestamp_opt(secs, 0).single().unwrap_or(t))
    }

    /// The current instant, in whole seconds.
    pub fn now() -> Self {
        Timestamp::new(Utc::now())
    }

    pub fn from_unix(secs: i64) -> Option<Self> {
        Utc.timestamp_opt(secs, 0).single().map(Timestamp)
    }

    pub fn unix(&self) -> i64 {
        self.0.timestamp()
    }

    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }

    pub fn to_rfc3339(&self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Self {
        Timestamp::new(t)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.to_rfc3339())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s)
            .map(|t| Timestamp(t.with_timezone(&Utc)))
            .map_err(|_| {
                serde::de::Error::custom("expected an RFC 3339 time such as 2026-11-27T10:00:00Z")
            })
    }
}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .examples(["2026-11-27T10:00:00Z"])
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_whole_seconds_utc() {
        let t = DateTime::parse_from_rfc3339("2026-11-27T11:00:00.987+01:00").unwrap();
        let ts = Timestamp::from(t.with_timezone(&Utc));
        assert_eq!(
            serde_json::to_string(&ts).unwrap(),
            "\"2026-11-27T10:00:00Z\""
        );
    }

    #[test]
    fn parses_rfc3339_only() {
        let ts: Timestamp = serde_json::from_str("\"2026-11-27T10:00:00Z\"").unwrap();
        assert_eq!(ts.unix(), 1_795_773_600);
        assert!(serde_json::from_str::<Timestamp>("\"tomorrow\"").is_err());
        assert!(serde_json::from_str::<Timestamp>("1795773600").is_err());
    }
}
