use amorphic_su_client::model::ErrorCode;
use clap::{CommandFactory, Parser};
use strum::IntoEnumIterator;

use super::*;
use crate::cli::Cli;

/// The rows of the exit-code table in the help the CLI prints: code and meaning.
fn documented_rows() -> Vec<(u8, String)> {
    let help = Cli::command().render_long_help().to_string();
    assert!(help.contains(EXIT_CODES), "--help ends with the exit codes");
    EXIT_CODES
        .lines()
        .filter_map(|line| {
            let (code, meaning) = line.trim_start().split_once(' ')?;
            Some((code.parse().ok()?, meaning.trim().to_owned()))
        })
        .collect()
}

fn meaning(code: Exit) -> String {
    documented_rows()
        .into_iter()
        .find(|(c, _)| *c == code.code())
        .map(|(_, m)| m)
        .unwrap_or_else(|| panic!("{code:?} ({}) is not in the help text", code.code()))
}

/// A word the help text's row must use for each exit code.
fn word_for(code: Exit) -> &'static str {
    match code {
        Exit::Success => "success",
        Exit::Unexpected => "unexpected",
        Exit::Usage => "usage",
        Exit::Offline => "offline",
        Exit::NotSignedIn => "not signed in",
        Exit::Forbidden => "forbidden",
        Exit::NotFound => "not found",
        Exit::Conflict => "conflict",
        Exit::KeychainUnavailable => "keychain",
        Exit::InvalidInput => "invalid input",
        Exit::ServerFailed => "server failed",
        Exit::LocalFailure => "local",
    }
}

#[test]
fn the_help_table_lists_exactly_the_exit_codes_in_order() {
    let documented: Vec<u8> = documented_rows().iter().map(|(c, _)| *c).collect();
    let mapped: Vec<u8> = Exit::iter().map(Exit::code).collect();
    assert_eq!(documented, mapped);
    for code in Exit::iter() {
        let m = meaning(code);
        assert!(m.contains(word_for(code)), "{code:?}: '{m}'");
    }
}

/// One error of every kind, each with a word its help row must use.
fn every_client_error() -> Vec<(ClientError, &'static str)> {
    let s = || "x".to_string();
    let mut errors = vec![
        (
            ClientError::Offline {
                url: s(),
                reason: s(),
            },
            "offline",
        ),
        (
            ClientError::SessionExpired { profile: s() },
            "session expired",
        ),
        (ClientError::NotSignedIn { profile: s() }, "not signed in"),
        (
            ClientError::NotAssumed {
                profile: s(),
                user: s(),
            },
            "assumed token",
        ),
        (
            ClientError::AssumedTokenExpired {
                user: s(),
                expired_at: s(),
            },
            "assumed token",
        ),
        (ClientError::KeychainUnavailable { reason: s() }, "keychain"),
        (
            ClientError::ServerError {
                status: 502,
                detail: s(),
            },
            "unreadable",
        ),
        (ClientError::TokenVerification(s()), "unreadable"),
        (ClientError::InvalidInput(s()), "refused locally"),
        (ClientError::UnknownProfile(s()), "profile"),
        (ClientError::NoProfile, "profile"),
        (ClientError::NotCached { what: s() }, "nothing cached"),
        (ClientError::ProfileExists(s()), "exists"),
        (ClientError::Cache(s()), "cache"),
        (ClientError::Config(s()), "configuration"),
        (ClientError::Io(s()), "local"),
        (
            ClientError::RoleBoundToAccessToken {
                profile: s(),
                bound: None,
            },
            "forbidden",
        ),
        (
            ClientError::CreatedWithoutRoles {
                user: amorphic_su_client::model::UserId::parse("etl-bot").unwrap(),
                source: Box::new(ClientError::refused(ErrorCode::NoAccessToRole)),
            },
            "forbidden",
        ),
    ];
    for &code in ErrorCode::ALL.iter() {
        let word = match code.status() {
            400 | 413 => "invalid input",
            401 | 429 => "refused",
            403 => "forbidden",
            404 => "not found",
            409 => "conflict",
            _ => "server failed",
        };
        errors.push((ClientError::refused(code), word));
        errors.push((
            ClientError::Api {
                status: code.status(),
                code,
                message: s(),
            },
            word,
        ));
    }
    errors
}

#[test]
fn every_error_exits_with_a_documented_failure_code_that_describes_it() {
    for (e, word) in every_client_error() {
        let exit = Exit::for_error(&e);
        assert!(exit.code() >= 3, "{e:?} must not exit {}", exit.code());
        let m = meaning(exit);
        assert!(
            m.contains(word),
            "{e:?} exits {}: '{m}' lacks '{word}'",
            exit.code()
        );
    }
}

#[test]
fn every_failure_code_is_reached_by_some_error() {
    let reached: Vec<Exit> = every_client_error()
        .iter()
        .map(|(e, _)| Exit::for_error(e))
        .collect();
    for code in Exit::iter().filter(|c| c.code() >= 3) {
        assert!(reached.contains(&code), "no error exits with {code:?}");
    }
}

#[test]
fn clap_refuses_a_bad_command_line_with_the_usage_code() {
    let e = Cli::try_parse_from(["amorphic-su", "--no-such-option"]).unwrap_err();
    assert_eq!(e.exit_code(), i32::from(Exit::Usage.code()));
}
