//! The profiles as a whole: add, make current, and which one is current.

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
