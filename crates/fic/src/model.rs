//! The public model of a premium plan. The wire format's envelopes
//! (`premiumProfessionalSupportServices`, `professionalSupportService`, ...) stop at this crate's
//! edge; values the SDK does not know are kept, never a failure.

use chrono::{DateTime, Utc};
use fic_eri_api::types as raw;
use serde::{Deserialize, Serialize};

use crate::id::{OperationId, PremiumSupportId, TenantId};

macro_rules! open_enum {
    (
        $(#[$doc:meta])*
        $name:ident, other = $other:ident, { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A value this version of the SDK does not know, kept as received.
            $other(String),
        }

        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => stringify!($variant),)+
                    $name::$other(value) => value,
                }
            }

            /// The variant for a wire value; unknown values are kept.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $(stringify!($variant) => $name::$variant,)+
                    other => $name::$other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(Self::from_wire(&<String as ::serde::Deserialize>::deserialize(deserializer)?))
            }
        }
    };
}

pub(crate) use open_enum;

open_enum!(
    /// A support menu.
    Menu,
    other = Other,
    {
        /// The paid premium plan, the one menu that can be ordered.
        PremiumPlan,
    }
);

open_enum!(
    /// The status of a plan's latest asynchronous change.
    OperationStatus,
    other = Unknown,
    {
        /// The change is in progress.
        Processing,
        /// The change is done.
        Completed,
        /// The change failed.
        Error,
    }
);

impl OperationStatus {
    /// True for `Completed` and `Error`: no change is in progress.
    pub fn is_terminal(&self) -> bool {
        matches!(self, OperationStatus::Completed | OperationStatus::Error)
    }
}

/// One entry of a plan's menu history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MenuEntry {
    /// The menu.
    pub menu: Menu,
    /// When it started; `None` while the change that starts it is processing.
    #[serde(rename = "menuStartDate")]
    pub start: Option<DateTime<Utc>>,
}

/// A tenant's premium plan (paid), as FIC reports it.
///
/// Serializes in the API's own field names (`id`, `tenantId`, `operationStatus`, `currentMenu`,
/// `menus`, `operationId`), with unknown values as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PremiumSupport {
    /// The plan's id.
    pub id: PremiumSupportId,
    /// The tenant it belongs to.
    pub tenant_id: TenantId,
    /// The status of its latest asynchronous change.
    #[serde(rename = "operationStatus")]
    pub status: OperationStatus,
    /// The menu in force.
    pub current_menu: Menu,
    /// The menu history.
    pub menus: Vec<MenuEntry>,
    /// The operation a create or delete started (present on their answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<OperationId>,
}

impl PremiumSupport {
    /// Converts the generated type, validating the identifiers. The error names the field.
    pub(crate) fn from_raw(raw: raw::PremiumProfessionalSupportService) -> Result<Self, String> {
        let invalid = |e: crate::InvalidInput| e.to_string();
        Ok(PremiumSupport {
            id: PremiumSupportId::parse(raw.id).map_err(invalid)?,
            tenant_id: TenantId::parse(raw.tenant_id).map_err(invalid)?,
            status: OperationStatus::from_wire(&raw.operation_status.0),
            current_menu: Menu::from_wire(&raw.current_menu.0),
            menus: raw
                .menus
                .into_iter()
                .map(|m| MenuEntry {
                    menu: Menu::from_wire(&m.menu.0),
                    start: m.menu_start_date,
                })
                .collect(),
            operation_id: raw
                .operation_id
                .map(OperationId::parse)
                .transpose()
                .map_err(invalid)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_kept() {
        assert_eq!(
            OperationStatus::from_wire("Cancelled"),
            OperationStatus::Unknown("Cancelled".into())
        );
        assert_eq!(
            OperationStatus::from_wire("Cancelled").to_string(),
            "Cancelled"
        );
        assert_eq!(Menu::from_wire("Basic").as_str(), "Basic");
        assert_eq!(Menu::from_wire("PremiumPlan"), Menu::PremiumPlan);
        let json = serde_json::to_string(&OperationStatus::Unknown("Cancelled".into()))
            .expect("serializes");
        assert_eq!(json, "\"Cancelled\"");
    }
}
