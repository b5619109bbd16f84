//! Client core: API client, profiles, cache, keychain and use cases. No Tauri.
