//! What the cache stores under which name (sync state, reads, the journal), the catalogues,
//! clearing, and the rebuild of a file this version cannot migrate.

use super::*;

/// The stored names are the ones existing caches hold, so a cache written before the typed
/// keys reads the same.
#[test]
fn stored_keys_are_the_text_existing_caches_hold() {
    let sync_keys = [
        (SyncKey::FeedCursor, "feed_cursor"),
        (SyncKey::FeedSupported, "feed_supported"),
        (SyncKey::LastSyncAt, "last_sync_at"),
        (SyncKey::FullSyncAt, "full_sync_at"),
        (SyncKey::Generation, "generation"),
        (SyncKey::FullPending, "full_pending"),
        (SyncKey::FullOffset, "full_offset"),
        (SyncKey::FullLastId, "full_last_id"),
        (SyncKey::OrderedUpto, "ordered_upto"),
    ];
    for (key, stored) in sync_keys {
        assert_eq!(key.as_ref(), stored);
        assert_eq!(stored.parse::<SyncKey>().unwrap(), key);
    }
    let etl = UserId::parse("etl-bot").unwrap();
    let read_keys = [
        (ReadKey::WhoAmI, "whoami"),
        (ReadKey::Owned(etl.clone()), "owned:etl-bot"),
        (ReadKey::Shares(etl.clone()), "shares:etl-bot"),
        (ReadKey::AccessTokensAs(etl.clone()), "pats-as:etl-bot"),
        (ReadKey::AccessTokensOf(etl.clone()), "pats-of:etl-bot"),
        (
            ReadKey::DatasourcesAs(etl.clone()),
            "datasources-as:etl-bot",
        ),
    ];
    for (key, stored) in read_keys {
        assert_eq!(key.to_string(), stored);
    }
    let kinds = [
        (ActivityKind::Created, "created"),
        (ActivityKind::RolesAttached, "roles_attached"),
        (ActivityKind::RoleDetached, "role_detached"),
        (ActivityKind::Enabled, "enabled"),
        (ActivityKind::Disabled, "disabled"),
        (ActivityKind::Shared, "shared"),
        (ActivityKind::Unshared, "unshared"),
        (ActivityKind::Deleted, "deleted"),
        (ActivityKind::Assumed, "assumed"),
        (ActivityKind::Forgotten, "forgotten"),
        (ActivityKind::AccessTokenCreated, "access_token_created"),
        (ActivityKind::AccessTokenRevoked, "access_token_revoked"),
        (ActivityKind::DatasourceCreated, "datasource_created"),
    ];
    for (kind, stored) in kinds {
        assert_eq!(kind.as_str(), stored);
        assert_eq!(kind.to_string(), stored);
        let entry = Activity::now(etl.clone(), kind, String::new(), None);
        assert_eq!((entry.action.as_str(), entry.kind()), (stored, Some(kind)));
    }
}

#[tokio::test]
async fn sync_state_values_keep_their_stored_text() {
    let dir = tempfile::tempdir().unwrap();
    let c = Cache::open(&dir.path().join("p.sqlite")).await.unwrap();
    assert_eq!(
        c.sync_state::<bool>(SyncKey::FullPending).await.unwrap(),
        None
    );
    assert_eq!(c.generation().await.unwrap(), 0, "no full pass yet");
    assert_eq!(c.last_sync_at().await.unwrap(), None);
    let at = Timestamp::from_unix(1_700_000_000).unwrap();
    c.update_sync_state(
        SyncStateUpdate::default()
            .set(SyncKey::Generation, 3i64)
            .set(SyncKey::FullPending, true)
            .set(SyncKey::FullOffset, 0u64)
            .set(SyncKey::FullLastId, "etl-bot".to_owned())
            .remove(SyncKey::FullLastId)
            .set(SyncKey::FeedSupported, false)
            .set(SyncKey::LastSyncAt, at),
    )
    .await
    .unwrap();
    for (key, stored) in [
        (SyncKey::Generation, Some("3")),
        (SyncKey::FullPending, Some("1")),
        (SyncKey::FullOffset, Some("0")),
        (SyncKey::FullLastId, None),
        (SyncKey::FeedSupported, Some("0")),
    ] {
        assert_eq!(
            c.stored_state(key).await.unwrap().as_deref(),
            stored,
            "{key}"
        );
        assert_eq!(c.state(key.as_ref()).await.unwrap().as_deref(), stored);
    }
    assert_eq!(c.generation().await.unwrap(), 3);
    assert_eq!(
        c.sync_state(SyncKey::FullPending).await.unwrap(),
        Some(true)
    );
    assert_eq!(
        c.sync_state(SyncKey::FeedSupported).await.unwrap(),
        Some(false)
    );
    assert_eq!(c.last_sync_at().await.unwrap(), Some(at));
    assert!(
        c.state("no_such_key").await.is_err(),
        "only sync-state keys"
    );
    // A value this version cannot read counts as unset (a position it cannot read restarts).
    c.set_sync_state(SyncKey::Generation, "many".to_owned())
        .await
        .unwrap();
    assert_eq!(
        c.sync_state::<i64>(SyncKey::Generation).await.unwrap(),
        None
    );
    assert_eq!(c.generation().await.unwrap(), 0);
}

#[tokio::test]
async fn catalogues_reads_and_clearing() {
    let dir = tempfile::tempdir().unwrap();
    let c = Cache::open(&dir.path().join("p.sqlite")).await.unwrap();
    let role = |id: &str| Role {
        role_id: RoleId::parse(id).unwrap(),
        role_name: id.to_owned(),
        description: None,
        is_system_role: false,
        is_super_admin: false,
        permissions: vec![],
    };
    c.replace_roles(&[role("role-b"), role("role-a")])
        .await
        .unwrap();
    c.replace_roles(&[role("role-c"), role("role-a")])
        .await
        .unwrap();
    let ids: Vec<String> = c
        .roles()
        .await
        .unwrap()
        .iter()
        .map(|r| r.role_id.to_string())
        .collect();
    assert_eq!(ids, ["role-a", "role-c"], "the latest list, by id");
    let tag: amorphic_su_model::Tag = serde_json::from_value(serde_json::json!({
        "TagId": "team-data", "TagKey": "team", "TagValue": "data", "Description": null
    }))
    .unwrap();
    c.replace_tags(std::slice::from_ref(&tag)).await.unwrap();
    assert_eq!(c.tags().await.unwrap(), [tag]);

    let etl = UserId::parse("etl-bot").unwrap();
    c.put_read(&ReadKey::Owned(etl.clone()), &vec!["ds-1"])
        .await
        .unwrap();
    let (owned, _) = c
        .get_read::<Vec<String>>(&ReadKey::Owned(etl.clone()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owned, ["ds-1"]);
    let key: String = sqlx::query_scalar("SELECT key FROM reads")
        .fetch_one(&c.pool)
        .await
        .unwrap();
    assert_eq!(key, "owned:etl-bot", "the key existing caches hold");
    assert!(c
        .get_read::<Vec<String>>(&ReadKey::Shares(etl.clone()))
        .await
        .unwrap()
        .is_none());

    c.store_users_page(&[user("etl-bot", true, 1)], 1)
        .await
        .unwrap();
    c.record_activity(&Activity::now(
        etl.clone(),
        ActivityKind::Enabled,
        "enabled".into(),
        None,
    ))
    .await
    .unwrap();
    c.clear().await.unwrap();
    assert_eq!(c.count_users().await.unwrap(), 0);
    assert!(c.roles().await.unwrap().is_empty() && c.tags().await.unwrap().is_empty());
    assert!(c.activity(&etl, 10).await.unwrap().is_empty());
    assert_eq!(c.stored_state(SyncKey::OrderedUpto).await.unwrap(), None);
    assert_eq!(c.integrity_check().await.unwrap(), "ok");
}

/// A file whose migrations this version cannot run (a newer version's, or an edited one) is
/// dropped and created anew; what sits beside it (the profile's other files) stays. Secrets
/// are never in the cache, so the keychain is not involved at all.
#[tokio::test]
async fn a_cache_this_version_cannot_migrate_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache").join("p.sqlite");
    let beside = dir.path().join("cache").join("keep.toml");
    let tampering = [
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
         VALUES (9999, 'from a newer version', CURRENT_TIMESTAMP, 1, X'00', 0)",
        "UPDATE _sqlx_migrations SET checksum = X'00' WHERE version = 1",
    ];
    for sql in tampering {
        let c = Cache::open(&path).await.unwrap();
        std::fs::write(&beside, "kept").unwrap();
        c.store_users_page(&[user("etl-bot", true, 1)], 1)
            .await
            .unwrap();
        c.set_sync_state(SyncKey::FullSyncAt, Timestamp::now())
            .await
            .unwrap();
        sqlx::query(sql).execute(&c.pool).await.unwrap();
        c.close().await;

        let c = Cache::open(&path).await.expect("rebuilt, not refused");
        assert_eq!(c.count_users().await.unwrap(), 0, "{sql}");
        assert_eq!(c.stored_state(SyncKey::FullSyncAt).await.unwrap(), None);
        assert_eq!(c.integrity_check().await.unwrap(), "ok");
        c.store_users_page(&[user("etl-bot", true, 1)], 1)
            .await
            .unwrap();
        assert_eq!(c.count_users().await.unwrap(), 1, "usable again");
        c.close().await;
        assert_eq!(std::fs::read_to_string(&beside).unwrap(), "kept");
        std::fs::remove_file(&path).unwrap();
    }
}
