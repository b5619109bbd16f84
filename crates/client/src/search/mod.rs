//! The one search syntax of the window's search box and the CLI's `--search`: free words
//! (prefix-matched), `"quoted phrases"`, and `key:value` filters for `role:`, `status:`,
//! `tag:`, `owner:` and `created-by:` (a value may be quoted). Every part must match. Parsed
//! here, in Rust, so both front ends mean the same thing by the same text; the cache's list
//! query runs it (see [`crate::cache::UserFilter::search`]).

use amorphic_su_model::{RoleId, TagId, UserId, UserStatus};

use crate::error::ClientError;

/// The keys a search may name, as typed.
pub const KEYS: [&str; 5] = ["role", "status", "tag", "owner", "created-by"];

/// A parsed search: each list is ANDed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Free words, each prefix-matched against the name, id, description, roles and tags.
    pub words: Vec<String>,
    /// Quoted phrases: the words in this order, the last one prefix-matched.
    pub phrases: Vec<String>,
    /// `role:` users holding the role.
    pub roles: Vec<RoleId>,
    /// `status:` enabled or disabled.
    pub status: Option<UserStatus>,
    /// `tag:` users carrying the tag.
    pub tags: Vec<TagId>,
    /// `owner:` service users shared with this user (by name, not through a tag).
    pub owners: Vec<UserId>,
    /// `created-by:` users this person created.
    pub created_by: Option<UserId>,
}

/// One lexical part: a bare or quoted text, or a key with its value.
enum Part {
    Text { text: String, quoted: bool },
    Keyed { key: String, value: String },
}

/// Splits the input at whitespace outside quotes. A key is the ASCII letters and `-` before
/// the first `:` of a bare word; its value is the rest, or the quoted text that follows.
fn lex(input: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars
            .peek()
            .is_some_and(|c| c.is_whitespace() || c.is_control())
        {
            chars.next();
        }
        let Some(&first) = chars.peek() else {
            return parts;
        };
        if first == '"' {
            chars.next();
            parts.push(Part::Text {
                text: quoted(&mut chars),
                quoted: true,
            });
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c.is_control() {
                break;
            }
            chars.next();
            if c == ':' && is_key(&word) {
                let value = if chars.peek() == Some(&'"') {
                    chars.next();
                    quoted(&mut chars)
                } else {
                    let mut v = String::new();
                    while let Some(&c) = chars.peek() {
                        if c.is_whitespace() || c.is_control() {
                            break;
                        }
                        v.push(c);
                        chars.next();
                    }
                    v
                };
                parts.push(Part::Keyed {
                    key: word.to_ascii_lowercase(),
                    value,
                });
                word.clear();
                break;
            }
            word.push(c);
        }
        if !word.is_empty() {
            parts.push(Part::Text {
                text: word,
                quoted: false,
            });
        }
    }
}

fn is_key(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && word.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
}

/// The text up to the closing quote (consumed); `""` inside is one `"`. A quote left open runs
/// to the end: the search box is searched while it is typed.
fn quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut text = String::new();
    while let Some(c) = chars.next() {
        if c == '"' {
            if chars.peek() == Some(&'"') {
                chars.next();
                text.push('"');
                continue;
            }
            break;
        }
        text.push(c);
    }
    text
}

/// Parses a search. An unknown key, a key without a value or an invalid value is an
/// `invalid_input` error naming the key.
pub fn parse(input: &str) -> Result<SearchQuery, ClientError> {
    let mut q = SearchQuery::default();
    for part in lex(input) {
        match part {
            Part::Text { text, quoted } => {
                if !text.chars().any(char::is_alphanumeric) {
                    continue;
                }
                if quoted && text.split_whitespace().nth(1).is_some() {
                    q.phrases.push(text);
                } else if quoted {
                    q.words.push(text.trim().to_owned());
                } else {
                    q.words.push(text);
                }
            }
            Part::Keyed { key, value } => keyed(&mut q, &key, value.trim())?,
        }
    }
    Ok(q)
}

fn keyed(q: &mut SearchQuery, key: &str, value: &str) -> Result<(), ClientError> {
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        ClientError::invalid(format!("'{key}:{value}' in the search: {what} ({e})"))
    };
    if value.is_empty() && KEYS.contains(&key) {
        return Err(ClientError::invalid(format!(
            "'{key}:' in the search has no value: write {key}:VALUE"
        )));
    }
    match key {
        "role" => q
            .roles
            .push(RoleId::parse(value).map_err(|e| bad("not a role id", &e))?),
        "tag" => q
            .tags
            .push(TagId::parse(value).map_err(|e| bad("not a tag id", &e))?),
        "owner" => q
            .owners
            .push(UserId::parse(value).map_err(|e| bad("not a user id", &e))?),
        "created-by" => {
            let id = UserId::parse(value).map_err(|e| bad("not a user id", &e))?;
            if q.created_by.as_ref().is_some_and(|c| *c != id) {
                return Err(ClientError::invalid(format!(
                    "the search names created-by: twice ('{}' and '{id}'): a user has one creator",
                    q.created_by.as_ref().map(UserId::as_str).unwrap_or_default()
                )));
            }
            q.created_by = Some(id);
        }
        "status" => {
            let status = match value.to_ascii_lowercase().as_str() {
                "enabled" => UserStatus::Enabled,
                "disabled" => UserStatus::Disabled,
                _ => {
                    return Err(ClientError::invalid(format!(
                        "'status:{value}' in the search: the status is enabled or disabled"
                    )))
                }
            };
            if q.status.is_some_and(|s| s != status) {
                return Err(ClientError::invalid(
                    "the search names status:enabled and status:disabled: nothing can match both",
                ));
            }
            q.status = Some(status);
        }
        other => {
            return Err(ClientError::invalid(format!(
                "unknown search key '{other}:' (the keys are {}; quote the text to search for it as it is)",
                KEYS.map(|k| format!("{k}:")).join(", ")
            )))
        }
    }
    Ok(())
}

impl SearchQuery {
    /// The FTS5 query of the words and phrases, or `None` when there are neither. Every word
    /// and phrase is an FTS5 string (no FTS syntax gets through), prefix-matched on its last
    /// token; a `"` is doubled, FTS5's escape.
    pub fn fts(&self) -> Option<String> {
        let esc = |s: &str| s.replace('"', "\"\"");
        let words = self
            .words
            .iter()
            .flat_map(|w| w.split(|c: char| c.is_whitespace() || c.is_control()))
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .map(|w| format!("\"{}\"*", esc(w)));
        let phrases = self.phrases.iter().map(|p| {
            let p: Vec<&str> = p
                .split(|c: char| c.is_whitespace() || c.is_control())
                .filter(|w| !w.is_empty())
                .collect();
            format!("\"{}\"*", esc(&p.join(" ")))
        });
        let all: Vec<String> = words.chain(phrases).collect();
        (!all.is_empty()).then(|| all.join(" "))
    }
}

#[cfg(test)]
mod tests;
