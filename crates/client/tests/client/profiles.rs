//! The profiles as a whole: add, make current, which one is current, and editing one.

use amorphic_su_client::model::ClientCode;
use amorphic_su_client::{add_profile, current_profile, use_profile, NewProfile, Paths};

fn new(name: &str) -> NewProfile {
    NewProfile {
        name: name.into(),
        base_url: "http://127.0.0.1:8787/".into(),
        ..Default::default()
    }
}

fn current(paths: &Paths) -> Option<String> {
    current_profile(paths).unwrap().map(|p| p.name)
}

#[test]
fn the_first_profile_added_is_current_until_another_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    assert_eq!(current(&paths), None, "no config file yet");

    let dev = add_profile(&paths, new("dev")).unwrap();
    assert!(dev.current);
    assert_eq!(dev.profile.base_url, "http://127.0.0.1:8787", "as stored");
    let prod = add_profile(
        &paths,
        NewProfile {
            production: true,
            ..new("prod")
        },
    )
    .unwrap();
    assert!(!prod.current && prod.profile.production);
    assert_eq!(current(&paths).as_deref(), Some("dev"));

    use_profile(&paths, "prod").unwrap();
    assert_eq!(current(&paths).as_deref(), Some("prod"));

    let code = |e: amorphic_su_client::ClientError| e.code();
    assert_eq!(
        code(use_profile(&paths, "nope").unwrap_err()),
        ClientCode::UnknownProfile
    );
    assert_eq!(
        code(add_profile(&paths, new("dev")).unwrap_err()),
        ClientCode::ProfileExists
    );
    assert_eq!(
        code(add_profile(&paths, new("../x")).unwrap_err()),
        ClientCode::InvalidInput
    );
    assert_eq!(
        current(&paths).as_deref(),
        Some("prod"),
        "refusals change nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_keeps_the_sign_in_unless_the_server_changes() {
    use amorphic_su_client::{
        edit_profile, Client, Config, ProfileEdit, SecretKind, UserFilter, Vault,
    };

    use crate::common::*;

    let env = Env::new().await;
    let client = env.signed_in("edit", ALICE_SUPERADMIN_PAT).await;
    let name = client.profile().name.clone();
    client.sync(false, &|_| {}).await.unwrap();
    client.assume(&id("etl-bot"), None, None).await.unwrap();
    let stored = |paths: &Paths| Config::load(paths).unwrap().get(&name).unwrap().clone();

    // Colour, production flag and default role: kept in the config file.
    let edit = ProfileEdit {
        color: Some(Some("#00aa55".into())),
        production: Some(true),
        default_role: Some(Some("role-data-engineers".into())),
        ..Default::default()
    };
    let edited = edit_profile(&env.paths, &name, edit).await.unwrap();
    assert!(!edited.signed_out);
    let p = stored(&env.paths);
    assert_eq!(p, edited.profile);
    assert_eq!(
        (
            p.color.as_deref(),
            p.production,
            p.default_role.as_ref().map(|r| r.as_str())
        ),
        (Some("#00aa55"), true, Some("role-data-engineers"))
    );
    let cleared = ProfileEdit {
        color: Some(None),
        production: Some(false),
        default_role: Some(None),
        ..Default::default()
    };
    let p = edit_profile(&env.paths, &name, cleared)
        .await
        .unwrap()
        .profile;
    assert_eq!((p.color, p.production, p.default_role), (None, false, None));

    // Bad input names the thing and changes nothing.
    let bad = [
        (
            ProfileEdit {
                color: Some(Some("#12".into())),
                ..Default::default()
            },
            "#12",
        ),
        (
            ProfileEdit {
                base_url: Some("ftp://x".into()),
                ..Default::default()
            },
            "ftp://x",
        ),
        (
            ProfileEdit {
                default_role: Some(Some("a b".into())),
                ..Default::default()
            },
            "a b",
        ),
    ];
    for (edit, named) in bad {
        let e = edit_profile(&env.paths, &name, edit).await.unwrap_err();
        assert_eq!(e.code(), ClientCode::InvalidInput);
        assert!(e.to_string().contains(named), "{e}");
    }
    let e = edit_profile(&env.paths, "no-such-profile", ProfileEdit::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), ClientCode::UnknownProfile);

    // Another path on the same server (an API stage): still signed in, the cache kept.
    let base = env.srv.base_url();
    let staged = ProfileEdit {
        base_url: Some(format!("{base}/stage")),
        ..Default::default()
    };
    let edited = edit_profile(&env.paths, &name, staged).await.unwrap();
    assert!(!edited.signed_out);
    assert_eq!(edited.profile.base_url, format!("{base}/stage"));
    let vault = Vault::default();
    assert!(vault.get(&name, &SecretKind::Pat).await.unwrap().is_some());
    let reopened = Client::open(&env.paths, Some(&name)).await.unwrap();
    assert!(reopened.cache().count_users().await.unwrap() > 0);
    assert_eq!(reopened.assumed_identities().await.unwrap().len(), 1);

    // Another server (here another port): signed out, every secret wiped, the cache emptied,
    // also for the client still open.
    let moved = ProfileEdit {
        base_url: Some("http://127.0.0.1:9/stage".into()),
        ..Default::default()
    };
    let edited = edit_profile(&env.paths, &name, moved).await.unwrap();
    assert!(edited.signed_out);
    assert_eq!(edited.profile.auth, None);
    assert_eq!(stored(&env.paths), edited.profile);
    assert!(vault.get(&name, &SecretKind::Pat).await.unwrap().is_none());
    let etl = SecretKind::Assumed(id("etl-bot"));
    assert!(vault.get(&name, &etl).await.unwrap().is_none());
    assert_eq!(client.cache().count_users().await.unwrap(), 0);
    assert!(client.assumed_identities().await.unwrap().is_empty());
    let all = client.cache().users(&UserFilter::default()).await.unwrap();
    assert!(all.is_empty());
    let reopened = Client::open(&env.paths, Some(&name)).await.unwrap();
    assert_eq!(
        reopened.whoami().await.unwrap_err().code(),
        ClientCode::NotSignedIn
    );
    // Signed out already: moving again says so no more.
    let back = ProfileEdit {
        base_url: Some(base),
        ..Default::default()
    };
    assert!(
        !edit_profile(&env.paths, &name, back)
            .await
            .unwrap()
            .signed_out
    );
    env.srv.shutdown().await;
}
