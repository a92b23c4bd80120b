//! The one error type of code generation: every failure names the file and, where it can, the
//! place in it.

use std::path::PathBuf;

/// Why `cargo xtask codegen` could not produce the generated client.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file is not well-formed YAML, or its YAML does not have the expected shape.
    #[error("{}: {message}", path.display())]
    Yaml {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line and column where the parser knows them.
        message: String,
    },
    /// The document is YAML but not an OpenAPI 3.0 document the generator can take.
    #[error("{}: at `{pointer}`: {message}", path.display())]
    Spec {
        /// The file (with "(after fixes)" where the fixes made the problem).
        path: PathBuf,
        /// Where in the document, as a JSON path.
        pointer: String,
        /// What is wrong there.
        message: String,
    },
    /// A recorded fix no longer applies to the transcription.
    #[error(transparent)]
    Fix(Box<StaleFix>),
    /// progenitor refused the effective spec, or panicked on it.
    #[error("progenitor could not generate a client from {}: {message}", path.display())]
    Generator {
        /// The effective spec's source.
        path: PathBuf,
        /// progenitor's message.
        message: String,
    },
    /// progenitor's output is not valid Rust (a generator bug).
    #[error("the generated code does not parse as Rust: {0}")]
    Syntax(String),
}

/// A recorded fix that no longer applies to the transcription.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: fix `{fix}` no longer applies: operation {index} ({op} {pointer}): {message}. \
     The reference may have changed upstream: update or delete this fix.",
    path.display()
)]
pub struct StaleFix {
    /// The fixes file.
    pub path: PathBuf,
    /// The fix's id.
    pub fix: String,
    /// Which operation of the fix's patch failed (0-based).
    pub index: usize,
    /// The operation (`add`, `remove`, `replace`, `move`, `copy`, `test`).
    pub op: String,
    /// The operation's target.
    pub pointer: String,
    /// Why it failed.
    pub message: String,
}

/// Shorthand for results of code generation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Error::Io { path, source }
    }

    /// An [`Error::Yaml`] from a YAML parser error.
    pub fn yaml(path: impl Into<PathBuf>, err: &yaml_serde::Error) -> Self {
        Error::Yaml {
            path: path.into(),
            message: err.to_string(),
        }
    }
}
