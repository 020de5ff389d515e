//! Email addresses: the shape every command checks, and the look-alike
//! ("confusable") test that keeps a second user from passing as an existing
//! one (`аlice@…` with a Cyrillic `а`).

use super::rejection::{Code, Decision, Rejection, shorten};

/// The longest address accepted, in characters (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// An email address, trimmed and lower-cased: one `@` with something on
/// each side, at most [`MAX_EMAIL_CHARS`] characters, no spaces, control or
/// format characters (a NUL, a zero-width space).
pub fn email(field: &'static str, value: &str) -> Decision<String> {
    let e = value.trim().to_ascii_lowercase();
    let refuse = |why: &str| {
        Err(Rejection::field(
            Code::InvalidInput,
            field,
            format!("{:?} is not an email address: {why}", shorten(value)),
        ))
    };
    let n = e.chars().count();
    if n > MAX_EMAIL_CHARS {
        return refuse(&format!("{n} characters, at most {MAX_EMAIL_CHARS}"));
    }
    if let Some(c) = e.chars().find(|c| c.is_control() || is_format(*c)) {
        return refuse(&format!("it holds the invisible character U+{:04X}", c as u32));
    }
    if e.contains(char::is_whitespace) {
        return refuse("it holds a space");
    }
    match e.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@') => Ok(e),
        Some((_, domain)) if domain.contains('@') => refuse("it has more than one @"),
        _ => refuse("it needs one @ with a name before and a domain after"),
    }
}

/// Unicode general category Cf (format characters: zero-width spaces and
/// joiners, direction marks, the byte-order mark, tags...).
pub fn is_format(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2
        | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
}

/// What an address looks like: each Cyrillic or Greek letter that passes for
/// a Latin one replaced by it (a small table of the common ones, not all of
/// Unicode's confusables).
pub fn skeleton(s: &str) -> String {
    s.chars().map(|c| latin_look_alike(c).unwrap_or(c)).collect()
}

fn latin_look_alike(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic, lower and upper case.
        'а' | 'А' => 'a',
        'в' | 'В' => 'b',
        'с' | 'С' => 'c',
        'ԁ' => 'd',
        'е' | 'Е' | 'ё' => 'e',
        'һ' | 'Н' => 'h',
        'і' | 'І' | 'ӏ' => 'i',
        'ј' | 'Ј' => 'j',
        'к' | 'К' => 'k',
        'м' | 'М' => 'm',
        'о' | 'О' => 'o',
        'р' | 'Р' => 'p',
        'ԛ' => 'q',
        'ѕ' | 'Ѕ' => 's',
        'т' | 'Т' => 't',
        'у' | 'У' => 'y',
        'х' | 'Х' => 'x',
        'ԝ' => 'w',
        // Greek.
        'α' | 'Α' => 'a',
        'β' | 'Β' => 'b',
        'ε' | 'Ε' => 'e',
        'η' | 'Η' => 'h',
        'ι' | 'Ι' => 'i',
        'κ' | 'Κ' => 'k',
        'μ' | 'Μ' => 'm',
        'ν' | 'Ν' => 'n',
        'ο' | 'Ο' => 'o',
        'ρ' | 'Ρ' => 'p',
        'τ' | 'Τ' => 't',
        'υ' | 'Υ' => 'y',
        'χ' | 'Χ' => 'x',
        'ζ' | 'Ζ' => 'z',
        _ => return None,
    })
}

/// The existing address `email` passes for, when it is not that address but
/// looks the same.
pub fn look_alike_of<'a>(email: &str, existing: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let own = skeleton(email);
    existing
        .into_iter()
        .find(|other| *other != email && skeleton(other) == own)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(email("e", " Alice@Contoso.Test ").unwrap(), "alice@contoso.test");
        for bad in [
            "alice",
            "@contoso.test",
            "alice@",
            "a@b@c",
            "al ice@x.test",
            "al\0ice@x.test",
            "al\u{200B}ice@x.test",
            "al\u{202E}ice@x.test",
            "al\u{FEFF}ice@x.test",
        ] {
            assert!(email("e", bad).is_err(), "{bad:?} accepted");
        }
        let long = format!("{}@x.test", "a".repeat(247));
        assert_eq!(long.len(), 254);
        assert!(email("e", &long).is_ok());
        assert!(email("e", &format!("a{long}")).is_err());
    }

    #[test]
    fn look_alikes() {
        let users = ["alice@contoso.test", "bob@contoso.test"];
        assert_eq!(
            look_alike_of("аlice@contoso.test", users),
            Some("alice@contoso.test")
        );
        assert_eq!(look_alike_of("bοb@cοntοsο.test", users), Some("bob@contoso.test"));
        assert_eq!(look_alike_of("alice@contoso.test", users), None);
        assert_eq!(look_alike_of("carol@contoso.test", users), None);
    }
}
