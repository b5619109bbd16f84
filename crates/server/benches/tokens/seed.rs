//! Seeding: the demo seed plus `n` generated service users (what `--demo-service-users N` and
//! the `generated:N` seed spec load) into a fresh database file.

use std::time::Instant;

use amorphic_su_server::seed::{demo_with_service_users, SeedOutcome};
use amorphic_su_server::Store;

pub struct Seeding {
    pub users: usize,
    /// Generating the seed in memory.
    pub generate_s: f64,
    /// Validating and inserting it (one transaction), the database already open.
    pub load_s: f64,
}

impl Seeding {
    /// Users per second of the whole seeding, generation included.
    pub fn per_second(&self) -> f64 {
        self.users as f64 / (self.generate_s + self.load_s)
    }
}

/// Seeds the demo seed plus `n` generated service users into a new file under `dir`.
pub async fn seed_users(dir: &std::path::Path, n: usize) -> Seeding {
    let store = Store::open(&dir.join("seed.db")).await.expect("open");
    let t = Instant::now();
    let seed = demo_with_service_users(n);
    let generate_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let outcome = store.load_seed(&seed).await.expect("seed loads");
    let load_s = t.elapsed().as_secs_f64();
    assert_eq!(outcome, SeedOutcome::Loaded { users: n + 7 });
    store.close().await;
    Seeding {
        users: seed.users.len(),
        generate_s,
        load_s,
    }
}
