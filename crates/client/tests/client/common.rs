//! A demo-seeded reference server, a private client folder per test, and profile names unique
//! to the run (the keychain is shared by every test).

use amorphic_su_client::model::{Secret, UserId};
use amorphic_su_client::{add_profile, Client, LoginWith, NewProfile, Paths};
use amorphic_su_server::{spawn, RunningServer, ServerOptions};

pub use amorphic_su_server::seed::demo::{
    ALICE_DEFAULT_PAT, ALICE_PASSWORD, ALICE_SUPERADMIN_PAT, BOB_DEFAULT_PAT,
};

pub fn id(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}

pub struct Env {
    /// Holds the server's database and the client's folder until the test ends.
    _dir: tempfile::TempDir,
    pub paths: Paths,
    pub srv: RunningServer,
}

impl Env {
    /// A reference server with the demo seed and an empty client folder.
    pub async fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(&dir.path().join("client"));
        let srv = spawn(ServerOptions::new(dir.path().join("server.db")).demo_seed())
            .await
            .expect("reference server starts");
        Env {
            _dir: dir,
            paths,
            srv,
        }
    }

    /// A new profile on the server, unique to this run.
    pub fn profile(&self, tag: &str) -> String {
        let name = format!("{tag}-{}-{:08x}", std::process::id(), rand::random::<u32>());
        let new = NewProfile {
            name: name.clone(),
            base_url: self.srv.base_url(),
            ..Default::default()
        };
        add_profile(&self.paths, new).unwrap();
        name
    }

    /// A client of a new profile signed in with `pat`.
    pub async fn signed_in(&self, tag: &str, pat: &str) -> Client {
        let name = self.profile(tag);
        let mut c = Client::open(&self.paths, Some(&name)).await.unwrap();
        c.login_with_pat(Secret::new(pat)).await.unwrap();
        c
    }
}

impl Env {
    /// A client of a new profile signed in with a password, for a 60-minute session.
    pub async fn signed_in_with_password(&self, tag: &str, user: &str, password: &str) -> Client {
        let name = self.profile(tag);
        let mut c = Client::open(&self.paths, Some(&name)).await.unwrap();
        let with = LoginWith::Password {
            user_id: user.into(),
            password: Secret::new(password),
        };
        c.login(with).await.unwrap();
        c
    }
}

/// Wipes what a test left in the keychain.
pub async fn sign_out(mut c: Client) {
    c.logout().await.unwrap();
}
