//! Validated identifiers: parsed once at the edge, so the rest of the code cannot hold an
//! invalid one, and an invalid one fails before any request is sent.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::InvalidInput;

macro_rules! validated_id {
    (
        $(#[$doc:meta])*
        $name:ident, field = $field:literal, rule = $rule:literal, check = $check:expr,
        example = $example:literal
    ) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The rule a valid value follows, as error messages state it.
            pub const RULE: &'static str = $rule;

            /// Parses `value`, or says which rule it breaks.
            ///
            /// ```
            #[doc = concat!("let id = fic::", stringify!($name), "::parse(\"", $example, "\")?;")]
            #[doc = concat!("assert_eq!(id.as_str(), \"", $example, "\");")]
            /// # Ok::<(), fic::InvalidInput>(())
            /// ```
            pub fn parse(value: impl AsRef<str> + Into<String>) -> Result<Self, InvalidInput> {
                let check: fn(&str) -> bool = $check;
                if check(value.as_ref()) {
                    Ok($name(value.into()))
                } else {
                    Err(InvalidInput::new($field, Some(value.as_ref()), $rule))
                }
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = InvalidInput;

            fn from_str(value: &str) -> Result<Self, InvalidInput> {
                Self::parse(value)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = InvalidInput;

            fn try_from(value: &str) -> Result<Self, InvalidInput> {
                Self::parse(value)
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidInput;

            fn try_from(value: String) -> Result<Self, InvalidInput> {
                Self::parse(value)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Self::parse(value).map_err(serde::de::Error::custom)
            }
        }
    };
}

fn is_premium_support_id(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() == 13 && bytes[0] == b'F' && bytes[1..].iter().all(u8::is_ascii_digit)
}

fn is_hex32(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

validated_id!(
    /// The id of a premium plan: `F` followed by 12 digits, as in `F520123456789`.
    ///
    /// (The reference page documents `^X[0-9]{12}$`, an erratum: real ids start with `F`.)
    PremiumSupportId,
    field = "id",
    rule = "F followed by 12 digits",
    check = is_premium_support_id,
    example = "F520123456789"
);

validated_id!(
    /// A tenant (Keystone project) id: 32 lowercase hex digits.
    TenantId,
    field = "tenantId",
    rule = "32 lowercase hex digits",
    check = is_hex32,
    example = "db8b0e40743f460685040c46167cf19e"
);

validated_id!(
    /// The id of an asynchronous operation (a create or delete): 32 lowercase hex digits.
    OperationId,
    field = "operationId",
    rule = "32 lowercase hex digits",
    check = is_hex32,
    example = "2fb5baa5a5834e0b952d3f0d93c3e64a"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn premium_support_ids() {
        assert!(PremiumSupportId::parse("F520123456789").is_ok());
        for bad in [
            "X520123456789",
            "F12",
            "F5201234567890",
            "f520123456789",
            "F52012345678٣",
            "",
        ] {
            let err = PremiumSupportId::parse(bad).expect_err(bad);
            assert_eq!(err.field(), "id");
            assert_eq!(
                err.to_string(),
                format!("invalid id {bad:?}: expected F followed by 12 digits")
            );
        }
    }

    #[test]
    fn ids_round_trip_through_serde_and_text() {
        let id: PremiumSupportId = "F520123456789".parse().expect("valid");
        assert_eq!(id.to_string(), "F520123456789");
        assert_eq!(
            serde_json::to_string(&id).expect("serializes"),
            "\"F520123456789\""
        );
        let back: PremiumSupportId =
            serde_json::from_str("\"F520123456789\"").expect("deserializes");
        assert_eq!(back, id);
        assert!(serde_json::from_str::<TenantId>("\"DB8B0E40743F460685040C46167CF19E\"").is_err());
        assert!(OperationId::parse("2fb5baa5a5834e0b952d3f0d93c3e64a").is_ok());
    }
}
