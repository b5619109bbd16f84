//! The sign-in throttle: 5 failures per UserId within 15 minutes, then 429 until the window
//! passes. Attempts in flight count as failures, so parallel guesses cannot exceed five.

use std::collections::HashMap;
use std::sync::Mutex;

use amorphic_su_model::policy;
use amorphic_su_model::ErrorCode;
use chrono::{DateTime, Utc};

#[derive(Default)]
struct Attempts {
    failures: Vec<DateTime<Utc>>,
    in_flight: usize,
}

#[derive(Default)]
pub struct LoginThrottle {
    map: Mutex<HashMap<String, Attempts>>,
}

/// An attempt in progress; dropping it without [`LoginAttempt::succeeded`] records a
/// failure (also when the request is cancelled midway).
pub struct LoginAttempt<'a> {
    throttle: &'a LoginThrottle,
    key: String,
    done: bool,
}

impl LoginThrottle {
    const MAX_KEYS: usize = 10_000;

    /// Starts an attempt for `user_id`, or refuses with `TOO_MANY_ATTEMPTS`.
    pub fn begin(&self, user_id: &str, now: DateTime<Utc>) -> Result<LoginAttempt<'_>, ErrorCode> {
        // Case-folded: look-alike ids cannot exist, so they share one budget.
        let key = user_id.to_ascii_lowercase();
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let window = now - chrono::Duration::minutes(policy::LOGIN_WINDOW_MINUTES);
        if map.len() >= Self::MAX_KEYS {
            map.retain(|_, a| a.in_flight > 0 || a.failures.iter().any(|t| *t > window));
        }
        let entry = map.entry(key.clone()).or_default();
        entry.failures.retain(|t| *t > window);
        let mut pending = entry.failures.clone();
        pending.extend(std::iter::repeat_n(now, entry.in_flight));
        policy::login_allowed(&pending, now)?;
        entry.in_flight += 1;
        Ok(LoginAttempt {
            throttle: self,
            key,
            done: false,
        })
    }

    fn finish(&self, key: &str, failed: bool) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = map.get_mut(key) {
            entry.in_flight = entry.in_flight.saturating_sub(1);
            if failed {
                entry.failures.push(Utc::now());
            }
        }
    }
}

impl LoginAttempt<'_> {
    pub fn succeeded(mut self) {
        self.done = true;
        self.throttle.finish(&self.key, false);
    }
}

impl Drop for LoginAttempt<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.throttle.finish(&self.key, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_locks_after_five_failures_and_counts_cancelled_attempts() {
        let t = LoginThrottle::default();
        let now = Utc::now();
        for _ in 0..4 {
            drop(t.begin("Alice", now).unwrap());
        }
        t.begin("alice", now).unwrap().succeeded();
        let fifth = t.begin("alice", now).unwrap();
        // In flight: a parallel guess is refused already.
        assert_eq!(
            t.begin("alice", now).err(),
            Some(ErrorCode::TooManyAttempts)
        );
        drop(fifth);
        assert_eq!(
            t.begin("ALICE", now).err(),
            Some(ErrorCode::TooManyAttempts)
        );
        assert!(t.begin("bob", now).is_ok());
        let later = now + chrono::Duration::minutes(16);
        assert!(t.begin("alice", later).is_ok(), "the window passed");
    }
}
