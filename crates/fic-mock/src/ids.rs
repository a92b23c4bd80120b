//! Fresh identifiers in FIC's formats: plan ids (`F` + 12 digits), operation ids, tenant ids and
//! tokens (32 lowercase hex).

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

/// Hands out identifiers that are unique within one server and differ from run to run.
#[derive(Debug)]
pub struct IdGenerator {
    next: AtomicU64,
}

const PLAN_ID_SPACE: u64 = 1_000_000_000_000;

impl Default for IdGenerator {
    fn default() -> Self {
        // Start somewhere random in the 12-digit space, leaving room to count up.
        let start = random_u64(0) % (PLAN_ID_SPACE / 2) + PLAN_ID_SPACE / 4;
        IdGenerator {
            next: AtomicU64::new(start),
        }
    }
}

impl IdGenerator {
    /// A fresh plan id: `F` followed by 12 digits.
    pub fn plan_id(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed) % PLAN_ID_SPACE;
        format!("F{n:012}")
    }

    /// A fresh operation id: 32 lowercase hex digits.
    pub fn operation_id(&self) -> String {
        hex32(self.next.fetch_add(1, Ordering::Relaxed))
    }
}

/// 32 lowercase hex digits that differ from call to call (tenant ids, tokens).
pub fn random_hex32() -> String {
    static SALT: AtomicU64 = AtomicU64::new(0);
    hex32(SALT.fetch_add(1, Ordering::Relaxed))
}

fn hex32(salt: u64) -> String {
    format!("{:016x}{:016x}", random_u64(salt), random_u64(!salt))
}

/// A random number from the standard library's randomly keyed hasher (fresh keys per call).
fn random_u64(salt: u64) -> u64 {
    RandomState::new().hash_one(salt)
}

/// True for `F` followed by exactly 12 ASCII digits, FIC's plan id format.
pub fn is_plan_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    bytes.len() == 13 && bytes[0] == b'F' && bytes[1..].iter().all(u8::is_ascii_digit)
}

/// True for 32 lowercase hex digits, FIC's tenant id and token format.
pub fn is_hex32(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_have_fic_formats_and_are_unique() {
        let ids = IdGenerator::default();
        let a = ids.plan_id();
        let b = ids.plan_id();
        assert!(is_plan_id(&a) && is_plan_id(&b) && a != b, "{a} {b}");
        let op = ids.operation_id();
        assert!(is_hex32(&op), "{op}");
        assert_ne!(random_hex32(), random_hex32());
    }

    #[test]
    fn plan_id_format() {
        assert!(is_plan_id("F520123456789"));
        for bad in [
            "X520123456789",
            "F12",
            "F5201234567890",
            "f520123456789",
            "F52012345678x",
            "",
        ] {
            assert!(!is_plan_id(bad), "{bad}");
        }
    }
}
