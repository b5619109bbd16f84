//! `doctor`: checks the environment (keychain, server, TLS, clock, base URL, session, JWKS,
//! cache, versions), one line each with its fix; `--json` for scripts. Exits 0 when nothing
//! failed, else with the code of the first failed check's kind (see the exit-code table).

use amorphic_su_client::doctor::{doctor, CheckId, DoctorOptions};

use crate::context::Context;
use crate::exit::Exit;

pub async fn run(ctx: &Context, profile: Option<&str>) -> u8 {
    let report = doctor(&ctx.paths, profile, &DoctorOptions::default()).await;
    ctx.out.show(&report, |r| println!("{r}"));
    report
        .first_failure()
        .map(|c| exit_for(c.id))
        .unwrap_or(Exit::Success)
        .code()
}

/// The exit code of a failed check: the code the same trouble gives any other command.
pub fn exit_for(id: CheckId) -> Exit {
    match id {
        CheckId::Profile | CheckId::BaseUrl => Exit::NotFound,
        CheckId::Keychain => Exit::KeychainUnavailable,
        CheckId::Server | CheckId::Tls => Exit::Offline,
        CheckId::Clock | CheckId::Session => Exit::NotSignedIn,
        CheckId::Jwks | CheckId::Versions => Exit::ServerFailed,
        CheckId::Cache => Exit::LocalFailure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::EXIT_CODES;

    #[test]
    fn the_help_documents_each_checks_exit_code() {
        let line = EXIT_CODES
            .lines()
            .find(|l| l.trim_start().starts_with("doctor:"))
            .expect("a doctor line in the exit-code table");
        for (id, words) in [
            (CheckId::Profile, "environment"),
            (CheckId::BaseUrl, "base URL"),
            (CheckId::Keychain, "keychain"),
            (CheckId::Server, "server"),
            (CheckId::Tls, "TLS"),
            (CheckId::Clock, "clock"),
            (CheckId::Session, "session"),
            (CheckId::Jwks, "JWKS"),
            (CheckId::Cache, "cache"),
        ] {
            let code = exit_for(id).code();
            assert!(
                line.contains(&format!("{code} ")),
                "{id:?} -> {code}: {line}"
            );
            assert!(line.contains(words), "{id:?}: {line}");
        }
    }
}
