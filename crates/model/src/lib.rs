//! Shared types of the service-user API: ids, wire DTOs, error codes and the permission policy.
//! No I/O lives here.

pub const PRODUCT_NAME: &str = "Amorphic Service Users Desktop";
