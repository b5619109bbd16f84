//! The desktop's side of the built-in demo environment (`amorphic-su-demo`): start it from the
//! setup hook and keep its server alive for the app's lifetime.
use amorphic_su_client::{ClientError, Paths, Vault};
use amorphic_su_demo::{bootstrap, demo_dir, DemoSession, RunningServer};

/// The running demo server, kept in Tauri's managed state for the app's lifetime.
struct DemoServer(#[expect(dead_code, reason = "held to keep the server running")] RunningServer);

/// The setup hook's call: starts the demo environment when it is wanted and keeps its server
/// alive. Never fails the app: a problem is printed, and `session_status` reports it.
pub fn setup(app: &tauri::App, paths: &Paths) {
    use tauri::Manager;
    match tauri::async_runtime::block_on(bootstrap(paths, &Vault::default())) {
        Ok(Some(env)) => {
            if let DemoSession::Problem(e) = &env.session {
                eprintln!("The built-in demo environment is not signed in: {e}");
                if matches!(e, ClientError::NotSignedIn { .. }) {
                    eprintln!(
                        "Its password is not in the keychain; delete {} to start a new demo environment",
                        demo_dir(paths).display()
                    );
                }
            }
            app.manage(DemoServer(env.server));
        }
        Ok(None) => {}
        Err(e) => eprintln!("The built-in demo environment did not start: {e}"),
    }
}
