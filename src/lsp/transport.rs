//! The base protocol of the Language Server Protocol: messages framed by a
//! `Content-Length` header, read and written whole. A client that sends
//! something broken gets an error back, and the server reads on.

use std::io::{self, BufRead, Write};

/// The largest message read: larger ones are skipped and answered with an
/// error, so a runaway client cannot make the server hold gigabytes.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// What reading one message gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A message body (not yet parsed as JSON).
    Message(Vec<u8>),
    /// A header block the server cannot use: no `Content-Length`, one that
    /// is not a number, or a body over the limit (skipped). Answered with
    /// a parse error.
    Malformed(String),
    /// The input ended.
    End,
}

/// Reads one framed message. A stream that ends inside a body is the end
/// of input.
pub fn read<R: BufRead>(input: &mut R) -> io::Result<Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        // A header line is short; one that is not is not a header.
        let n = <&mut R as io::Read>::take(&mut *input, 8 * 1024).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(Frame::End);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !saw_header {
                // Blank lines between messages are tolerated.
                continue;
            }
            break;
        }
        saw_header = true;
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                let v = value.trim();
                length = Some(v.parse::<usize>().map_err(|_| v.to_string()));
            }
        }
    }
    let length = match length {
        None => return Ok(Frame::Malformed("no Content-Length header".into())),
        Some(Err(v)) => {
            return Ok(Frame::Malformed(format!(
                "Content-Length `{v}` is not a number"
            )))
        }
        Some(Ok(n)) => n,
    };
    if length > MAX_MESSAGE_BYTES {
        let skipped = io::copy(
            &mut <&mut R as io::Read>::take(&mut *input, length as u64),
            &mut io::sink(),
        )?;
        if (skipped as usize) < length {
            return Ok(Frame::End);
        }
        return Ok(Frame::Malformed(format!(
            "message of {length} bytes is over the limit of {MAX_MESSAGE_BYTES}"
        )));
    }
    let mut body = vec![0; length];
    match input.read_exact(&mut body) {
        Ok(()) => Ok(Frame::Message(body)),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(Frame::End),
        Err(e) => Err(e),
    }
}

/// Writes one message with its header.
pub fn write(out: &mut impl Write, message: &serde_json::Value) -> io::Result<()> {
    let body = serde_json::to_vec(message)?;
    write!(out, "Content-Length: {}\r\n\r\n", body.len())?;
    out.write_all(&body)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut r = io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read(&mut r).unwrap() {
                Frame::End => return out,
                f => out.push(f),
            }
        }
    }

    #[test]
    fn messages_are_read_by_their_length() {
        let f =
            frames(b"Content-Length: 2\r\n\r\n{}Content-Type: x\r\ncontent-length:3\r\n\r\n[1]");
        assert_eq!(
            f,
            [
                Frame::Message(b"{}".to_vec()),
                Frame::Message(b"[1]".to_vec())
            ]
        );
    }

    #[test]
    fn broken_headers_are_reported_and_reading_goes_on() {
        let f = frames(b"X: 1\r\n\r\nContent-Length: ten\r\n\r\nContent-Length: 1\r\n\r\n1");
        assert!(matches!(&f[0], Frame::Malformed(m) if m.contains("no Content-Length")));
        assert!(matches!(&f[1], Frame::Malformed(m) if m.contains("`ten`")));
        assert_eq!(f[2], Frame::Message(b"1".to_vec()));
    }

    #[test]
    fn a_truncated_body_ends_the_input() {
        assert!(frames(b"Content-Length: 10\r\n\r\n{\"a\"").is_empty());
    }

    #[test]
    fn what_is_written_reads_back() {
        let mut out = Vec::new();
        write(&mut out, &serde_json::json!({"jsonrpc": "2.0", "id": 1})).unwrap();
        let f = frames(&out);
        assert_eq!(f.len(), 1);
    }
}
