//! The lifetime of a service-user token, in minutes.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use crate::ErrorCode;

/// Minutes a service-user token lives: an integer 1..=180 (the platform's 3-hour maximum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ExpiryMinutes(u16);

/// Why an expiry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ExpiryInMinutes must be an integer from 1 to 180")]
pub struct ExpiryError;

impl ExpiryMinutes {
    pub const MIN: u16 = 1;
    pub const MAX: u16 = 180;

    pub fn new(minutes: i64) -> Result<Self, ExpiryError> {
        if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&minutes) {
            Ok(ExpiryMinutes(minutes as u16))
        } else {
            Err(ExpiryError)
        }
    }

    /// Reads the value as it came in a request body. Anything but a JSON integer in range
    /// (a string, a fraction, `30.0`, null) is refused: the contract answers those with
    /// `INVALID_EXPIRY` at the value-rule step, not as a malformed body.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, ExpiryError> {
        match value {
            serde_json::Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_u64().map(|_| i64::MAX))
                .ok_or(ExpiryError)
                .and_then(Self::new),
            _ => Err(ExpiryError),
        }
    }

    pub fn minutes(&self) -> u16 {
        self.0
    }

    pub fn seconds(&self) -> i64 {
        i64::from(self.0) * 60
    }
}

impl From<ExpiryError> for ErrorCode {
    fn from(_: ExpiryError) -> Self {
        ErrorCode::InvalidExpiry
    }
}

impl<'de> Deserialize<'de> for ExpiryMinutes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Self::from_json(&v).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for ExpiryMinutes {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(180))
            .into()
    }
}

impl utoipa::ToSchema for ExpiryMinutes {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_integers_in_range() {
        assert_eq!(ExpiryMinutes::new(1).unwrap().seconds(), 60);
        assert_eq!(ExpiryMinutes::new(180).unwrap().seconds(), 10_800);
        assert_eq!(ExpiryMinutes::from_json(&json!(30)).unwrap().minutes(), 30);
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            json!(0),
            json!(181),
            json!(-5),
            json!(30.5),
            json!(30.0),
            json!("30"),
            json!(null),
            json!(u64::MAX),
            json!([30]),
        ] {
            assert!(
                ExpiryMinutes::from_json(&bad).is_err(),
                "{bad} must be refused"
            );
        }
    }
}
