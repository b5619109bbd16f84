//! The seed loader's parse and validation (`Seed` from JSON, then `validate`), and the random
//! credentials an installed demo swaps in: a seed that validates still validates with them.

use amorphic_su_server::seed::{validate, Seed};
use amorphic_su_server::SeedCredentials;

pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut seed) = serde_json::from_str::<Seed>(text) else {
        return;
    };
    let valid = validate(&seed);
    if let Err(e) = &valid {
        assert!(!e.to_string().is_empty());
        return;
    }
    let credentials = SeedCredentials::random_for(&seed);
    credentials
        .apply_to(&mut seed)
        .expect("its own credentials apply");
    if let Err(e) = validate(&seed) {
        panic!("a valid seed became invalid with random credentials: {e}");
    }
}
