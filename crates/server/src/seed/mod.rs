//! Seed files (the format of `seed/demo-seed.json`): roles, tags, users with passwords and
//! PATs, service users with shares, datasources. Loaded into an empty database only.

mod credentials;
pub mod demo;
mod format;
mod generate;
mod load;
mod rows;
mod validate;

pub use credentials::SeedCredentials;
pub use format::{
    Seed, SeedAccessToken, SeedDatasource, SeedShares, SeedTagShare, SeedUser, SeedUserShare,
};
pub use generate::demo_with_service_users;
pub(crate) use load::Seeding;
pub use load::{load, load_file, load_file_with, SeedOutcome};
pub use validate::validate;
