//! The store's SQL names its parameters as SQLite does (`?1`, `?2`, or a bare `?` for
//! the next one); PostgreSQL calls them `$1`, `$2`. The translation skips string
//! literals, quoted identifiers and comments, so a `?` inside them stays as written.

/// `sql` with SQLite's placeholders written as PostgreSQL's.
pub fn to_postgres(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut i = 0;
    // The number a bare `?` takes: one more than the largest so far (SQLite's rule).
    let mut largest = 0u32;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"') => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        // A doubled quote is the quote itself.
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b'?' => {
                out.push_str(&sql[copied..i]);
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end].is_ascii_digit() {
                    end += 1;
                }
                let n = if end > start {
                    sql[start..end].parse::<u32>().unwrap_or(u32::MAX)
                } else {
                    largest + 1
                };
                largest = largest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
                i = end;
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied.min(sql.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::to_postgres;

    #[test]
    fn numbered_and_bare_placeholders_become_dollars() {
        assert_eq!(
            to_postgres("SELECT a FROM t WHERE b = ?2 AND c = ?1 OR d = ?"),
            "SELECT a FROM t WHERE b = $2 AND c = $1 OR d = $3"
        );
        assert_eq!(to_postgres("VALUES (?, ?)"), "VALUES ($1, $2)");
    }

    #[test]
    fn quoted_text_and_comments_keep_their_question_marks() {
        assert_eq!(
            to_postgres("SELECT '?1', \"a?\" -- ?2\n, ?1 /* ? */ FROM t"),
            "SELECT '?1', \"a?\" -- ?2\n, $1 /* ? */ FROM t"
        );
        assert_eq!(
            to_postgres("SELECT 'it''s ?' , ?3"),
            "SELECT 'it''s ?' , $3"
        );
    }
}
