//! Wire DTOs, exactly as the contract spells them: PascalCase keys, requests refuse unknown
//! fields.

mod access_tokens;
mod catalogue;
mod service_users;
mod sessions;
mod users;

pub use access_tokens::*;
pub use catalogue::*;
pub use service_users::*;
pub use sessions::*;
pub use users::*;

/// The permissions the reference server knows.
pub mod permission {
    pub const DATASOURCES_READ: &str = "datasources.read";
    pub const DATASOURCES_CREATE: &str = "datasources.create";
    pub const DATASOURCES_DELETE: &str = "datasources.delete";
    pub const VERTICAL_APPS_ACCESS: &str = "vertical_apps.access";
}

#[cfg(test)]
mod tests;
