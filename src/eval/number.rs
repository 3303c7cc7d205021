//! Numbers.
//!
//! Terraform computes with arbitrary-precision decimals; this evaluator uses
//! `f64` and only produces numbers that it can represent the same way:
//! literals with at most 15 significant digits, integers up to 2^53, and
//! arithmetic between integers whose result is such an integer. Any other
//! number is unknown.

use hcl_edit::expr::BinaryOperator;
use hcl_edit::Number;

/// The largest integer below which `f64` holds every integer exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

fn is_safe_integer(v: f64) -> bool {
    v.is_finite() && v.fract() == 0.0 && v.abs() <= MAX_SAFE
}

/// A number literal as parsed by hcl-edit, with its source text if known.
pub(super) fn from_hcl(n: &Number, raw: Option<&str>) -> Option<f64> {
    if let Some(raw) = raw {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(v) = parse(&compact) {
            return Some(v);
        }
        if compact
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        {
            // Well-formed but not exact in `f64`.
            return None;
        }
    }
    if let Some(i) = n.as_i64() {
        let v = i as f64;
        return is_safe_integer(v).then_some(v);
    }
    if let Some(u) = n.as_u64() {
        let v = u as f64;
        return is_safe_integer(v).then_some(v);
    }
    let v = n.as_f64()?;
    // Without the source text, accept what prints back in at most 15
    // significant digits.
    let text = format!("{v:e}");
    parse(&text)
}

/// Parses a decimal number as Terraform reads one from a string: an
/// optional sign, digits with an optional fraction, and an optional
/// exponent. Unknown (`None`) when `f64` would not hold it exactly as
/// written.
pub(crate) fn parse(s: &str) -> Option<f64> {
    let bytes = s.as_bytes();
    let mut i = 0;
    if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
        i += 1;
    }
    let mut digits = String::new();
    let mut int_digits = 0usize;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        digits.push(bytes[i] as char);
        int_digits += 1;
        i += 1;
    }
    let mut frac_digits = 0usize;
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            digits.push(bytes[i] as char);
            frac_digits += 1;
            i += 1;
        }
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    if !v.is_finite() || (v == 0.0 && significant_digits(&digits) > 0) {
        return None;
    }
    if is_safe_integer(v) && v == v.trunc() {
        // Exact when every digit is significant to an integer that fits.
        let sig = significant_digits(&digits);
        if sig <= 15 || exact_integer_text(s, v) {
            return Some(v);
        }
        return None;
    }
    (significant_digits(&digits) <= 15).then_some(v)
}

fn significant_digits(digits: &str) -> usize {
    digits.trim_start_matches('0').trim_end_matches('0').len()
}

/// Whether `s`, a plain integer literal, is exactly `v`.
fn exact_integer_text(s: &str, v: f64) -> bool {
    let s = s.trim_start_matches('+');
    match s.parse::<i64>() {
        Ok(i) => i as f64 == v && (i as f64) as i64 == i,
        Err(_) => false,
    }
}

/// Formats a number as Terraform does when converting it to a string.
pub(crate) fn to_string(v: f64) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    if v == 0.0 {
        return Some("0".to_string());
    }
    // Rust prints the shortest digits that read back as `v`, without an
    // exponent, which matches Terraform for the numbers produced here.
    Some(format!("{v}"))
}

/// Integer arithmetic with an exact integer result; anything else is
/// unknown.
pub(super) fn arith(op: BinaryOperator, l: f64, r: f64) -> Option<f64> {
    if !is_safe_integer(l) || !is_safe_integer(r) {
        return None;
    }
    let v = match op {
        BinaryOperator::Plus => l + r,
        BinaryOperator::Minus => l - r,
        BinaryOperator::Mul => l * r,
        BinaryOperator::Div => {
            if r == 0.0 || l % r != 0.0 {
                return None;
            }
            l / r
        }
        BinaryOperator::Mod => {
            if r == 0.0 {
                return None;
            }
            // The remainder takes the sign of the dividend, as in Terraform.
            l % r
        }
        _ => return None,
    };
    if is_safe_integer(v) {
        Some(if v == 0.0 { 0.0 } else { v })
    } else {
        None
    }
}
