//! Running progenitor on the effective spec and formatting its output.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use openapiv3::OpenAPI;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

use crate::error::{Error, Result};

/// The generator settings: the Builder interface (`client.op().param(..).send()`), whose
/// setters validate their input at `send()` before any request leaves; one `Client` for all
/// operations; and an inner value of the hand-written type `crate::Hooks`, whose
/// `ClientHooks` implementation (in `crates/fic-eri-api/src/lib.rs`) puts the `X-Auth-Token`
/// header on every request, whatever `reqwest::Client` the caller supplies, and caps the size of
/// response bodies.
fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote::quote!(crate::Hooks))
        .with_hooks(HooksMode::Expected)
        .with_derive("PartialEq");
    settings
}

/// Generates the client's Rust source (without the header) from `spec`. `source` names the
/// spec in errors. progenitor panics on some inputs; such a panic becomes an [`Error::Generator`].
pub fn client_source(source: &Path, spec: &OpenAPI) -> Result<String> {
    let generator_error = |message: String| Error::Generator {
        path: source.to_owned(),
        message,
    };
    let tokens = catch_panic(|| Generator::new(&settings()).generate_tokens(spec))
        .map_err(generator_error)?
        .map_err(|e| generator_error(e.to_string()))?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Syntax(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
}

/// Runs `f`, turning a panic into its message. The default panic hook is silenced meanwhile so a
/// generator panic reads as one clear error rather than a backtrace.
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    outcome.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an unknown panic".to_owned());
        format!("the generator panicked: {message}")
    })
}
