//! The service-user token path, from the raw `X-Amorphic-Service-User` value to the accepted
//! claims: the header's form (`service_user_token`), the signature, header and claims
//! (`KeyRing::verify`, the server's own code over a ring built from a test key), then the
//! policy's time and state rules (`accept_service_user_token`).
//!
//! An input starting with `R` is a raw header value (then, after a newline, an `Authorization`
//! value). Any other input is read as a [`Case`]: claims signed with the test key at run time,
//! then tampered with or not, so the fuzzer reaches the accepting path it could never forge.

use std::sync::OnceLock;

use amorphic_su_model::policy::{
    accept_service_user_token, ActiveRole, Actor, AssumedUser, MAX_SERVICE_USER_TOKEN_SECONDS,
};
use amorphic_su_model::{
    AccessType, ErrorCode, RoleId, Shares, Timestamp, User, UserId, UserShare, UserStatus,
    SERVICE_USER_HEADER, TOKEN_AUDIENCE,
};
use amorphic_su_server::{
    credential_token, service_user_token, Act, Claims, KeyRing, MAX_TOKEN_CHARS,
};
use arbitrary::{Arbitrary, Unstructured};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer, SigningKey, Verifier};
use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderValue};

pub const ISSUER: &str = "http://127.0.0.1:8787";

/// The server's ring of one test key, and a second key it does not know.
pub struct Fixture {
    pub keys: KeyRing,
    pub signer: SigningKey,
    pub stranger: SigningKey,
    pub stranger_kid: String,
}

pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let signer = SigningKey::from_bytes(&[7; 32]);
        let stranger = SigningKey::from_bytes(&[9; 32]);
        let keys = KeyRing::from_signing_keys(std::slice::from_ref(&signer)).expect("test key");
        let stranger_kid = KeyRing::from_signing_keys(std::slice::from_ref(&stranger))
            .expect("second key")
            .kid()
            .to_owned();
        Fixture {
            keys,
            signer,
            stranger,
            stranger_kid,
        }
    })
}

pub fn run(data: &[u8]) {
    match data.split_first() {
        Some((b'R', raw)) => raw_header(raw),
        _ => {
            if let Ok(case) = Case::arbitrary_take_rest(Unstructured::new(data)) {
                structured(&case);
            }
        }
    }
}

fn raw_header(raw: &[u8]) {
    let mut lines = raw.splitn(2, |b| *b == b'\n');
    let su = lines.next().unwrap_or_default();
    let mut headers = HeaderMap::new();
    let Ok(v) = HeaderValue::from_bytes(su) else {
        return;
    };
    headers.insert(SERVICE_USER_HEADER, v);
    if let Some(Ok(v)) = lines.next().map(HeaderValue::from_bytes) {
        headers.insert(AUTHORIZATION, v);
        if let Ok(t) = credential_token(&headers) {
            assert!(!t.is_empty() && t.len() <= 512);
        }
    }
    let Ok(Some(jwt)) = service_user_token(&headers) else {
        return;
    };
    let now = Utc::now();
    if let Ok(claims) = fixture().keys.verify(jwt, ISSUER) {
        assert_accepted_token_is_ours(jwt, &claims);
        judge_matching(&claims, now);
    }
}

/// What any accepted token must be: an EdDSA JWS of our key over exactly its first two parts,
/// with in-range claims. `alg: none`, another algorithm or another key never gets here.
pub fn assert_accepted_token_is_ours(jwt: &str, c: &Claims) {
    let f = fixture();
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(
        parts.len(),
        3,
        "accepted a token without three parts: {jwt}"
    );
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("header base64"))
            .expect("header JSON");
    assert_eq!(
        header["alg"], "EdDSA",
        "accepted alg other than EdDSA: {jwt}"
    );
    assert_eq!(header["kid"], f.keys.kid(), "accepted another kid: {jwt}");
    let sig = URL_SAFE_NO_PAD.decode(parts[2]).expect("signature base64");
    let sig = ed25519_dalek::Signature::from_slice(&sig).expect("64-byte signature");
    let input = format!("{}.{}", parts[0], parts[1]);
    assert!(
        f.signer
            .verifying_key()
            .verify(input.as_bytes(), &sig)
            .is_ok(),
        "accepted a token our key did not sign: {jwt}"
    );
    assert!(c.is_service_user && c.aud == TOKEN_AUDIENCE && c.iss == ISSUER);
    let life = c.exp.checked_sub(c.iat).expect("lifetime");
    assert!((1..=MAX_SERVICE_USER_TOKEN_SECONDS).contains(&life));
}

/// The policy against a caller and service user that match the claims: only time can refuse.
fn judge_matching(c: &Claims, now: DateTime<Utc>) {
    let (Ok(caller_id), Ok(su_id)) = (UserId::parse(&c.act.sub), UserId::parse(&c.sub)) else {
        return;
    };
    let caller = caller(caller_id.clone(), false);
    let su = service_user(su_id, Some(caller_id), true);
    let assumed = AssumedUser {
        user: &su,
        uid: c.uid,
        disable_generation: c.dgen,
    };
    let n = now.timestamp();
    let timely = c.iat <= n && c.nbf <= n && c.nbf <= c.exp && n < c.exp;
    match accept_service_user_token(&c.policy_view(), &caller, Some(&assumed), now) {
        Ok(()) => assert!(timely, "accepted out of its time: {c:?} at {n}"),
        Err(ErrorCode::TokenExpired) => assert!(n >= c.exp),
        Err(ErrorCode::TokenInvalid) => assert!(!timely),
        Err(other) => panic!("{other:?} for a matching caller and service user"),
    }
}

pub fn caller(user_id: UserId, is_service_user: bool) -> Actor {
    Actor {
        user_id,
        is_service_user,
        assumed_by: None,
        tags: vec![],
        roles: vec![RoleId::default_users()],
        active_role: ActiveRole {
            role_id: RoleId::default_users(),
            is_super_admin: false,
            permissions: vec![],
        },
    }
}

pub fn service_user(user_id: UserId, shared_with: Option<UserId>, enabled: bool) -> User {
    let t = Timestamp::from_unix(1_700_000_000).expect("time");
    User {
        user_id,
        is_service_user: true,
        display_name: "svc".into(),
        description: None,
        email: None,
        user_status: if enabled {
            UserStatus::Enabled
        } else {
            UserStatus::Disabled
        },
        default_role_id: RoleId::default_users(),
        roles: vec![RoleId::default_users()],
        tags: vec![],
        created_by: None,
        creation_time: t,
        last_modified_time: t,
        version: 1,
        shares: Some(Shares {
            users: shared_with
                .into_iter()
                .map(|user_id| UserShare {
                    user_id,
                    access_type: AccessType::Owner,
                })
                .collect(),
            tags: vec![],
        }),
        caller_access: None,
    }
}

/// How a signed token is spoiled before it is presented.
#[derive(Debug, Clone, Arbitrary)]
pub enum Tamper {
    None,
    /// `alg: none`, with or without the real signature.
    AlgNone {
        keep_signature: bool,
    },
    /// HS256 keyed with the public key (the algorithm-confusion attack).
    Hs256WithPublicKey,
    /// Signed by a key the server does not know, under our `kid` or its own.
    Stranger {
        our_kid: bool,
    },
    /// A header key that could point at another key (`jku`, `jwk`, `x5u`, ...).
    ExtraHeader(u8),
    NoKid,
    Typ(String),
    /// One byte of the token changed (xor with a non-zero value).
    Flip {
        at: u16,
        with: u8,
    },
    Truncate(u16),
    /// The payload replaced by other JSON, the signature kept.
    Payload(String),
}

/// A token to sign: claims relative to now, then a tampering, then the state it meets.
#[derive(Debug, Clone, Arbitrary)]
pub struct Case {
    pub sub: String,
    pub uid: i64,
    pub act_sub: String,
    pub role_id: String,
    pub jti: String,
    pub dgen: i64,
    pub is_service_user: bool,
    pub iat_from_now: i16,
    pub lifetime: i16,
    pub nbf_from_iat: i16,
    pub wrong_aud: bool,
    pub wrong_iss: bool,
    pub tamper: Tamper,
    // The state the token meets.
    pub caller_is_act: bool,
    pub caller_is_service_user: bool,
    pub shared: bool,
    pub enabled: bool,
    pub uid_matches: bool,
    pub dgen_delta: i8,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn jws(key: &SigningKey, header: &serde_json::Value, payload: &str) -> String {
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(payload.as_bytes())
    );
    let sig = key.sign(input.as_bytes());
    format!("{input}.{}", b64(&sig.to_bytes()))
}

fn hs256(secret: &[u8], header: &serde_json::Value, payload: &str) -> String {
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(payload.as_bytes())
    );
    let key = jsonwebtoken::EncodingKey::from_secret(secret);
    let sig = jsonwebtoken::crypto::sign(input.as_bytes(), &key, jsonwebtoken::Algorithm::HS256)
        .expect("hs256");
    format!("{input}.{sig}")
}

/// Whether `t` is within two seconds of `now`, where the verifier's own clock (read a moment
/// later) may judge it either way.
fn near(t: i64, now: i64) -> bool {
    (t - now).abs() <= 2
}

pub fn structured(case: &Case) {
    let f = fixture();
    let now = Utc::now();
    let n = now.timestamp();
    let iat = n + i64::from(case.iat_from_now);
    let claims = Claims {
        iss: if case.wrong_iss {
            "http://evil.example".into()
        } else {
            ISSUER.into()
        },
        aud: if case.wrong_aud {
            "other".into()
        } else {
            TOKEN_AUDIENCE.into()
        },
        sub: case.sub.clone(),
        uid: case.uid,
        act: Act {
            sub: case.act_sub.clone(),
        },
        role_id: case.role_id.clone(),
        is_service_user: case.is_service_user,
        iat,
        nbf: iat + i64::from(case.nbf_from_iat),
        exp: iat + i64::from(case.lifetime),
        jti: case.jti.clone(),
        dgen: case.dgen,
    };
    let payload = serde_json::to_string(&claims).expect("claims");
    let kid = f.keys.kid();
    let header = serde_json::json!({"alg": "EdDSA", "typ": "JWT", "kid": kid});
    let good = jws(&f.signer, &header, &payload);
    let token = match &case.tamper {
        Tamper::None => good.clone(),
        Tamper::AlgNone { keep_signature } => {
            let h = serde_json::json!({"alg": "none", "typ": "JWT", "kid": kid});
            let sig = if *keep_signature {
                good.rsplit('.').next().unwrap_or("")
            } else {
                ""
            };
            format!(
                "{}.{}.{sig}",
                b64(h.to_string().as_bytes()),
                b64(payload.as_bytes())
            )
        }
        Tamper::Hs256WithPublicKey => {
            let h = serde_json::json!({"alg": "HS256", "typ": "JWT", "kid": kid});
            hs256(f.signer.verifying_key().as_bytes(), &h, &payload)
        }
        Tamper::Stranger { our_kid } => {
            let k = if *our_kid {
                kid
            } else {
                f.stranger_kid.as_str()
            };
            let h = serde_json::json!({"alg": "EdDSA", "typ": "JWT", "kid": k});
            jws(&f.stranger, &h, &payload)
        }
        Tamper::ExtraHeader(which) => {
            let names = [
                "jku", "jwk", "x5u", "x5c", "crit", "cty", "b64", "zip", "enc", "x5t",
            ];
            let mut h = header.clone();
            h[names[usize::from(*which) % names.len()]] = serde_json::json!("x");
            jws(&f.signer, &h, &payload)
        }
        Tamper::NoKid => jws(
            &f.signer,
            &serde_json::json!({"alg": "EdDSA", "typ": "JWT"}),
            &payload,
        ),
        Tamper::Typ(t) => {
            if t == "JWT" {
                return;
            }
            let h = serde_json::json!({"alg": "EdDSA", "typ": t, "kid": kid});
            jws(&f.signer, &h, &payload)
        }
        Tamper::Flip { at, with } => {
            if *with == 0 || good.is_empty() {
                return;
            }
            let mut b = good.clone().into_bytes();
            let i = usize::from(*at) % b.len();
            b[i] ^= with;
            match String::from_utf8(b) {
                Ok(s) => s,
                Err(_) => return,
            }
        }
        Tamper::Truncate(n) => {
            let n = usize::from(*n) % good.len();
            good[..n].to_owned()
        }
        Tamper::Payload(p) => {
            if *p == payload {
                return;
            }
            let parts: Vec<&str> = good.split('.').collect();
            format!("{}.{}.{}", parts[0], b64(p.as_bytes()), parts[2])
        }
    };

    let verified = f.keys.verify(&token, ISSUER);
    if let Ok(c) = &verified {
        assert_accepted_token_is_ours(&token, c);
    }
    match &case.tamper {
        Tamper::None => {
            let well_formed = case.is_service_user
                && !case.wrong_aud
                && !case.wrong_iss
                && (1..=MAX_SERVICE_USER_TOKEN_SECONDS).contains(&i64::from(case.lifetime))
                // Longer values are refused unread (issued tokens stay under 1,200).
                && good.len() <= MAX_TOKEN_CHARS;
            if !near(claims.exp, n) && !near(claims.nbf, n) {
                let expect = well_formed && claims.exp > n && claims.nbf <= n;
                assert_eq!(
                    verified.is_ok(),
                    expect,
                    "verify {verified:?} for {claims:?} at {n}"
                );
            } else if !well_formed {
                assert!(verified.is_err());
            }
            if let Ok(c) = &verified {
                // A valid token round-trips: exactly the claims that were signed.
                assert_eq!(
                    serde_json::to_value(c).expect("claims"),
                    serde_json::to_value(&claims).expect("claims")
                );
            }
        }
        Tamper::Flip { .. } => {
            // Only a byte change the encoding ignores could keep it valid, and it must not.
            if token != good {
                assert!(
                    verified.is_err(),
                    "accepted a changed token: {token} (from {good})"
                );
            }
        }
        _ => assert!(verified.is_err(), "accepted {:?}: {token}", case.tamper),
    }
    if let Ok(c) = verified {
        judge_state(case, &c, now);
    }
}

/// The policy against the state the case describes: accepted only when every rule holds.
fn judge_state(case: &Case, c: &Claims, now: DateTime<Utc>) {
    let (Ok(act), Ok(su_id)) = (UserId::parse(&c.act.sub), UserId::parse(&c.sub)) else {
        return;
    };
    let other = UserId::parse("someone-else").expect("id");
    let caller_id = if case.caller_is_act {
        act.clone()
    } else {
        other
    };
    let caller = caller(caller_id.clone(), case.caller_is_service_user);
    let su = service_user(su_id, case.shared.then_some(caller_id), case.enabled);
    let assumed = AssumedUser {
        user: &su,
        uid: if case.uid_matches {
            c.uid
        } else {
            c.uid.wrapping_add(1)
        },
        disable_generation: c.dgen.wrapping_add(i64::from(case.dgen_delta)),
    };
    let n = now.timestamp();
    let timely = c.iat <= n && c.nbf <= n && c.nbf <= c.exp && n < c.exp;
    let allowed = timely
        && case.caller_is_act
        && !case.caller_is_service_user
        && case.uid_matches
        && case.enabled
        && case.dgen_delta == 0
        && case.shared;
    let got = accept_service_user_token(&c.policy_view(), &caller, Some(&assumed), now);
    assert_eq!(got.is_ok(), allowed, "{got:?} for {case:?}");
    if got == Err(ErrorCode::PrincipalDisabled) {
        assert!(!case.enabled);
    }
}
