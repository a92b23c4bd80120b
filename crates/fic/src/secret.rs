//! Secrets: the API token and the API secret. They never show in `Debug`, logs or errors, and
//! their memory is wiped when they are dropped.

use std::fmt;

use zeroize::Zeroizing;

use crate::error::InvalidInput;

/// A secret string (the Keystone API secret). `Debug` shows `Secret(<redacted>)`; there is no
/// `Display`; the memory holding it is zeroed on drop.
///
/// ```
/// let secret = fic::Secret::new("s3cr3t")?;
/// assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
/// # Ok::<(), fic::InvalidInput>(())
/// ```
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps `value`, which must not be empty. The error never repeats the value.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidInput> {
        Self::checked(
            value.into(),
            "api_secret",
            |s| !s.is_empty(),
            "a non-empty secret",
        )
    }

    fn checked(
        value: String,
        field: &'static str,
        valid: impl Fn(&str) -> bool,
        rule: &'static str,
    ) -> Result<Self, InvalidInput> {
        let value = Zeroizing::new(value);
        if valid(&value) {
            Ok(Secret(value))
        } else {
            Err(InvalidInput::new(field, None, rule))
        }
    }

    /// The secret itself, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

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
pub struct Token(Secret);

impl Token {
    /// Wraps `value`, which must be non-empty visible ASCII (it travels as an HTTP header).
    /// The error never repeats the value.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidInput> {
        Secret::checked(
            value.into(),
            "token",
            |s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic()),
            "non-empty visible ASCII (no spaces or control characters)",
        )
        .map(Token)
    }

    /// The secret itself, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose()
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
        assert_eq!(Secret::new("").expect_err("empty").field(), "api_secret");
    }
}
