//! Containing a failure to one file: a panic inside a parser (ours or a
//! dependency's) while one file is read becomes an error for that file, and
//! the run goes on. The panic is not printed; its message and place are
//! returned for the finding's 技术信息.
//!
//! Allocation failures cannot be caught in Rust (the process aborts), so the
//! readers never let a file's declared sizes reach an allocation: see
//! `ingest` and the fuzzing notes in the README.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while this thread runs contained work.
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
    /// The last contained panic's description.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Runs `work`; a panic inside it comes back as `Err(description)`.
pub fn contain<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let outer = CONTAINED.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(work));
    CONTAINED.with(|c| c.set(outer));
    result.map_err(|payload| {
        LAST.with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| payload_text(payload.as_ref()))
    })
}

/// Panics outside contained work are reported as usual.
fn install_hook() {
    HOOK.call_once(|| {
        let usual = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CONTAINED.with(Cell::get) {
                let place = info
                    .location()
                    .map(|l| format!("，位置 {}:{}", short_path(l.file()), l.line()))
                    .unwrap_or_default();
                let text = format!("程序内部错误：{}{place}", payload_text(info.payload()));
                LAST.with(|l| *l.borrow_mut() = Some(text));
            } else {
                usual(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "未知错误".into())
}

/// `…/calamine-0.38.0/src/xlsb/mod.rs` → `calamine-0.38.0/src/xlsb/mod.rs`.
fn short_path(file: &str) -> &str {
    match file.rfind("/src/") {
        Some(i) => {
            let crate_start = file[..i].rfind('/').map_or(0, |j| j + 1);
            &file[crate_start..]
        }
        None => file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_thread_goes_on() {
        let err = contain(|| -> u32 { panic!("坏文件") }).unwrap_err();
        assert!(err.starts_with("程序内部错误：坏文件，位置 "), "{err}");
        assert!(err.contains("guard.rs"), "{err}");
        assert_eq!(contain(|| 7), Ok(7));
        let nested = contain(|| contain(|| -> u8 { panic!("内层") }).is_err());
        assert_eq!(nested, Ok(true));
    }

    #[test]
    fn paths_are_shortened_to_the_crate() {
        assert_eq!(
            short_path("/root/.cargo/registry/src/x/calamine-0.38.0/src/xlsb/mod.rs"),
            "calamine-0.38.0/src/xlsb/mod.rs"
        );
        assert_eq!(short_path("src/guard.rs"), "src/guard.rs");
    }
}
