//! Passwords: the policy for a new one, argon2id hashes, and the random
//! one-time passwords, session ids and API tokens.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// A new password must have this many characters at least.
pub const MIN_LENGTH: usize = 10;

const COMMON: &str = include_str!("common-passwords.txt");

/// Why `new` may not be the password of `username`; `None` when it may.
pub fn refusal(new: &str, username: &str, current: &str) -> Option<String> {
    let lower = new.to_lowercase();
    if new.chars().count() < MIN_LENGTH {
        return Some(format!("新密码至少需要 {MIN_LENGTH} 个字符"));
    }
    if !new.chars().any(|c| c.is_alphabetic()) || !new.chars().any(|c| c.is_ascii_digit()) {
        return Some("新密码需同时包含字母和数字".into());
    }
    if lower.contains(&username.to_lowercase()) {
        return Some("新密码不能包含登录名".into());
    }
    if new == current {
        return Some("新密码不能与原密码相同".into());
    }
    if COMMON
        .lines()
        .filter(|l| !l.starts_with('#'))
        .any(|l| l.trim() == lower)
    {
        return Some("新密码过于常见，容易被猜中，请换一个".into());
    }
    None
}

/// The argon2id hash (PHC string: algorithm, parameters, salt, hash).
pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the stored hash.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time of a verification, for a user name that does not exist
/// (so the answer's timing does not tell which names exist).
pub fn verify_nothing(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("不存在的账户0").unwrap_or_default());
    let _ = verify(password, dummy);
}

/// A one-time password: 12 characters, letters and digits, none easily
/// confused (no 0 O 1 l I).
pub fn one_time() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    loop {
        let pw: String = random_bytes::<12>()
            .iter()
            .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
            .collect();
        let letters = pw.chars().any(|c| c.is_ascii_alphabetic());
        let digits = pw.chars().any(|c| c.is_ascii_digit());
        if letters && digits {
            return pw;
        }
    }
}

/// 32 random bytes as hex: session ids, CSRF tokens, API tokens.
pub fn random_hex() -> String {
    random_bytes::<32>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The operating system's generator; without it nothing secret can be
    // made, so stop rather than go on with zeros.
    getrandom::getrandom(&mut bytes).expect("操作系统随机数不可用");
    bytes
}

/// What the database keeps of a secret (session id, token): its SHA-256.
pub fn fingerprint(secret: &str) -> String {
    crate::digest::sha256_hex(secret.as_bytes())
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_refuses_short_letterless_named_and_common_passwords() {
        assert!(refusal("abc123", "wx", "").is_some());
        assert!(refusal("abcdefghijkl", "wx", "").is_some());
        assert!(refusal("1234567890123", "wx", "").is_some());
        assert!(refusal("wuxi_clerk2026", "wuxi_clerk", "").is_some());
        assert!(refusal("Password123", "wx", "").is_some());
        assert!(refusal("春江花月夜2026年", "wx", "").is_none());
        assert_eq!(refusal("tq7Kp2vXw9", "wx", ""), None);
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("tq7Kp2vXw9").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("tq7Kp2vXw9", &h));
        assert!(!verify("tq7Kp2vXw8", &h));
    }

    #[test]
    fn one_time_passwords_have_letters_and_digits() {
        for _ in 0..50 {
            let pw = one_time();
            assert_eq!(pw.len(), 12);
            assert_eq!(refusal(&pw, "someone", ""), None, "{pw}");
        }
    }
}
