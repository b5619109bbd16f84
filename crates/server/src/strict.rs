//! Strict JSON: serde's derived `Deserialize` also accepts an array for a struct (fields by
//! position), so `["a","b"]` would pass as `{"UserId":"a","DisplayName":"b"}`. The contract
//! answers wrong types with 400, so bodies are read through this deserializer, which accepts
//! only JSON objects where a struct is expected, at any depth.

use serde::de::value::StringDeserializer;
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::{Map, Value};

/// Deserializes `T` from `value`, refusing arrays in place of objects.
pub fn from_value<T: de::DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    T::deserialize(Strict(value))
}

struct Strict(Value);

impl<'de> Deserializer<'de> for Strict {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.into_iter())),
            Value::Object(map) => visitor.visit_map(Obj {
                iter: map.into_iter(),
                value: None,
            }),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(_) => self.deserialize_any(visitor),
            other => Err(de::Error::invalid_type(
                unexpected(&other),
                &"a JSON object",
            )),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

struct Seq(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Seq {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(Strict(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Obj {
    iter: <Map<String, Value> as IntoIterator>::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Obj {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                let key: StringDeserializer<serde_json::Error> = k.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let v = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a value without a key"))?;
        seed.deserialize(Strict(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amorphic_su_model::{AssumeRequest, CreateServiceUserRequest, SharesRequest};
    use serde_json::json;

    #[test]
    fn objects_only_where_structs_are_expected() {
        assert!(from_value::<CreateServiceUserRequest>(
            json!({"UserId": "a-bot", "DisplayName": "A"})
        )
        .is_ok());
        assert!(from_value::<CreateServiceUserRequest>(json!(["a-bot", "A"])).is_err());
        assert!(from_value::<SharesRequest>(json!({"Users": [["bob", "owner"]]})).is_err());
        let ok: SharesRequest =
            from_value(json!({"Users": [{"UserId": "bob", "AccessType": "owner"}]})).unwrap();
        assert_eq!(ok.users.len(), 1);
    }

    #[test]
    fn types_unknown_fields_and_options_behave_as_with_serde_json() {
        assert!(from_value::<CreateServiceUserRequest>(
            json!({"UserId": "a-bot", "DisplayName": "A", "Email": "x"})
        )
        .is_err());
        assert!(
            from_value::<CreateServiceUserRequest>(json!({"UserId": 5, "DisplayName": "A"}))
                .is_err()
        );
        let r: CreateServiceUserRequest =
            from_value(json!({"UserId": "a-bot", "DisplayName": "A", "Description": null}))
                .unwrap();
        assert!(r.description.is_none());
        let a: AssumeRequest = from_value(json!({"RoleId": "r", "ExpiryInMinutes": [1]})).unwrap();
        assert_eq!(a.expiry_in_minutes, json!([1]));
        assert!(
            from_value::<amorphic_su_model::SetStatusRequest>(json!({"UserStatus": "paused"}))
                .is_err()
        );
        assert!(from_value::<amorphic_su_model::SetStatusRequest>(
            json!({"UserStatus": "enabled"})
        )
        .is_ok());
    }
}
