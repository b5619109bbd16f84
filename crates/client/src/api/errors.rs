//! Non-2xx answers as typed errors: the API's `{"Message","Code"}` body, a bare message
//! classified by status, or no usable body at all.

use amorphic_su_model::{ApiError, ErrorCode};

use crate::error::ClientError;

/// Turns a non-2xx answer into the typed error: `{"Message","Code"}`, or only `Message` /
/// `message` classified by status, or no usable body at all.
pub fn classify_error(status: u16, body: &[u8]) -> ClientError {
    if let Some(ApiError { message, code }) = ApiError::from_body(status, body) {
        if code == ErrorCode::Internal {
            return ClientError::ServerError {
                status,
                detail: one_line(&message),
            };
        }
        return ClientError::Api {
            status,
            code,
            message: one_line(&message),
        };
    }
    match ErrorCode::from_status(status) {
        Some(code) if status < 500 => ClientError::Api {
            status,
            code,
            message: code.default_message().to_owned(),
        },
        _ => {
            let text = String::from_utf8_lossy(body);
            let detail = if text.trim().is_empty() {
                "empty body".to_owned()
            } else {
                format!(
                    "not an API error body: {}",
                    one_line(&text.chars().take(120).collect::<String>())
                )
            };
            ClientError::ServerError { status, detail }
        }
    }
}

/// Adds what only the request knows to a refusal whose words leave a person guessing, keeping
/// its code: a path the server does not have (its "No such path.", or API Gateway's "Missing
/// Authentication Token" for an unknown path) names the URL and points to `doctor`, which
/// checks the base URL; a bare "Not found." names the ids the path was about.
pub(crate) fn in_context(e: ClientError, base: &str, path: &str) -> ClientError {
    let ClientError::Api {
        status,
        code,
        message,
    } = e
    else {
        return e;
    };
    let path = path.split('?').next().unwrap_or(path);
    let unknown_path = (status == 404 && message == "No such path.")
        || (status == 403 && message == "Missing Authentication Token");
    let message = if unknown_path {
        format!(
            "the server has no {base}{path} ({message}); the environment's URL may have a wrong path (API gateway stage): run `amorphic-su doctor` or open Administration > Diagnostics"
        )
    } else if status == 404 && message == ErrorCode::NotFound.default_message() {
        match targets(path) {
            Some(t) => format!("Not found: {t}."),
            None => message,
        }
    } else {
        message
    };
    ClientError::Api {
        status,
        code,
        message,
    }
}

/// The ids a path names, e.g. `user 'etl-bot', role 'role-x'` for `/users/etl-bot/roles/role-x`.
fn targets(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let named: Vec<String> = segs
        .windows(2)
        .filter_map(|w| {
            let kind = match w[0] {
                "users" => "user",
                "roles" => "role",
                "tags" => "tag",
                "tokens" => "token",
                "access-tokens" => "access token",
                "datasources" => "datasource",
                _ => return None,
            };
            // A collection followed by a verb segment (`/users/x/roles`) is not an id.
            Some(format!("{kind} '{}'", w[1]))
        })
        .collect();
    (!named.is_empty()).then(|| named.join(", "))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_found(message: &str) -> ClientError {
        ClientError::Api {
            status: 404,
            code: ErrorCode::NotFound,
            message: message.into(),
        }
    }

    #[test]
    fn an_unknown_path_names_the_url_and_points_to_doctor() {
        let e = in_context(not_found("No such path."), "http://h/stage", "/whoami");
        assert_eq!(e.api_code(), Some(ErrorCode::NotFound), "the code is kept");
        let m = e.to_string();
        assert!(m.contains("http://h/stage/whoami"), "{m}");
        assert!(
            m.contains("amorphic-su doctor") && m.contains("Diagnostics"),
            "{m}"
        );
    }

    #[test]
    fn a_bare_not_found_names_the_ids_of_the_path() {
        let m = in_context(not_found("Not found."), "http://h", "/users/etl-botx").to_string();
        assert_eq!(m, "Not found: user 'etl-botx'.");
        let m = in_context(
            not_found("Not found."),
            "http://h",
            "/users/a-bot/roles/r-1?x=1",
        )
        .to_string();
        assert_eq!(m, "Not found: user 'a-bot', role 'r-1'.");
        let m = in_context(not_found("No such user."), "http://h", "/users/x").to_string();
        assert_eq!(m, "No such user.", "a server's own words are kept");
    }
}
