//! The API token: a secret that never shows in `Debug`, logs or errors, and whose memory is wiped
//! when it is dropped.

use std::fmt;

use zeroize::Zeroizing;

use crate::error::InvalidInput;

/// A FIC API token (Keystone's `X-Subject-Token`, sent as `X-Auth-Token`).
///
/// `Debug` shows `Token(<redacted>)`; there is no `Display`. The memory holding it is zeroed on
/// drop. The HTTP layer's copy of the header value is marked sensitive, so reqwest and hyper
/// redact it too.
///
/// ```
/// let token = fic::Token::new("0123456789abcdef0123456789abcdef")?;
/// assert_eq!(format!("{token:?}"), "Token(<redacted>)");
/// # Ok::<(), fic::InvalidInput>(())
/// ```
#[derive(Clone)]
pub struct Token(Zeroizing<String>);

impl Token {
    /// Wraps `value`, which must be non-empty visible ASCII (it travels as an HTTP header).
    /// The error never repeats the value.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidInput> {
        let value = Zeroizing::new(value.into());
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidInput::new(
                "token",
                None,
                "non-empty visible ASCII (no spaces or control characters)",
            ));
        }
        Ok(Token(value))
    }

    /// The secret itself, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_tokens_are_refused_without_echoing_them() {
        for bad in ["", "has space", "tab\there", "ünïcode"] {
            let err = Token::new(bad).expect_err(bad);
            assert_eq!(err.field(), "token");
            if !bad.is_empty() {
                assert!(!err.to_string().contains(bad), "{err}");
            }
        }
    }
}
