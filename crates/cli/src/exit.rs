//! Process exit codes: the one mapping from client errors to exit codes, and the table of them
//! that `--help` prints.

use amorphic_su_client::ClientError;

/// The table printed after `--help`; a unit test keeps it in step with [`Exit`].
pub const EXIT_CODES: &str = "\
Exit codes:
  0   success
  1   unexpected failure
  2   bad command line (usage)
  3   offline: the server cannot be reached (nothing was changed)
  4   not signed in, session expired, credentials or assumed token refused
  5   forbidden: the active role or your access does not allow it
  6   not found (user, role, token, profile, or nothing cached)
  7   conflict with the current state (enabled, disabled, exists, last owner)
  8   the OS keychain is unavailable or locked
  9   invalid input (refused locally or by the server)
  10  the server failed or answered something unreadable
  11  local configuration or cache failure
  exec: the command's own exit code (128+N when killed by signal N)
  doctor: the first failed check's: 6 environment or base URL, 8 keychain, 3 server or TLS, 4 clock or session, 10 JWKS, 11 cache";

/// What the process tells its caller when it ends (except `exec`, which passes on its command's
/// own code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::EnumIter)]
#[repr(u8)]
pub enum Exit {
    Success = 0,
    Unexpected = 1,
    /// clap exits with this code itself when it refuses the command line.
    Usage = 2,
    Offline = 3,
    NotSignedIn = 4,
    Forbidden = 5,
    NotFound = 6,
    Conflict = 7,
    KeychainUnavailable = 8,
    InvalidInput = 9,
    ServerFailed = 10,
    LocalFailure = 11,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The exit code of a failed command.
    pub fn for_error(e: &ClientError) -> Exit {
        match e {
            ClientError::Offline { .. } => Exit::Offline,
            ClientError::SessionExpired { .. }
            | ClientError::NotSignedIn { .. }
            | ClientError::NotAssumed { .. }
            | ClientError::AssumedTokenExpired { .. } => Exit::NotSignedIn,
            ClientError::KeychainUnavailable { .. } => Exit::KeychainUnavailable,
            ClientError::ServerError { .. } | ClientError::TokenVerification(_) => {
                Exit::ServerFailed
            }
            ClientError::InvalidInput(_) => Exit::InvalidInput,
            ClientError::UnknownProfile(_)
            | ClientError::NoProfile
            | ClientError::NotCached { .. } => Exit::NotFound,
            ClientError::ProfileExists(_) => Exit::Conflict,
            ClientError::Cache(_) | ClientError::Config(_) | ClientError::Io(_) => {
                Exit::LocalFailure
            }
            ClientError::Api { code, .. } | ClientError::Refused { code, .. } => {
                Exit::for_http_status(code.status())
            }
            ClientError::RoleBoundToAccessToken { .. } => Exit::Forbidden,
            // The user exists; what failed is attaching the roles.
            ClientError::CreatedWithoutRoles { source, .. } => Exit::for_error(source),
        }
    }

    /// Server and policy refusals are classified by the HTTP status their code travels with.
    fn for_http_status(status: u16) -> Exit {
        match status {
            400 | 413 => Exit::InvalidInput,
            401 | 429 => Exit::NotSignedIn,
            403 => Exit::Forbidden,
            404 => Exit::NotFound,
            409 => Exit::Conflict,
            _ => Exit::ServerFailed,
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e.code())
    }
}

#[cfg(test)]
mod tests;
