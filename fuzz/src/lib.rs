//! What every fuzz target does with its input: read it as a return file,
//! exactly as the pipeline reads one (format found from the bytes), then
//! type and check it. Nothing here contains a panic: the fuzzer must see
//! every one (the pipeline itself turns them into F01).

use std::path::Path;
use std::sync::OnceLock;

use shuanggao::config::Config;
use shuanggao::model::{Period, SourceFile};

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../inputs/config");
        Config::load(&dir).expect("the shipped configuration loads")
    })
}

/// Reads and checks one file's bytes.
pub fn read_return(bytes: &[u8]) {
    let config = config();
    let source = SourceFile {
        name: "fuzz.xlsx".into(),
        path: "fuzz.xlsx".into(),
        sha256: String::new(),
        bytes: bytes.len() as u64,
        modified: 0,
    };
    if let Ok(raw) = shuanggao::ingest::from_bytes(bytes, source, &config.form) {
        let _ = shuanggao::validate::parse(&raw, config, Period::new(2025, 3));
    }
}

/// A zip package of the given parts (stored, so the fuzzer's bytes reach
/// the readers as they are).
pub fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        if zip.start_file(*name, stored).is_ok() {
            let _ = zip.write_all(bytes);
        }
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// Splits the fuzzer's bytes into `n` parts at a separator line.
pub fn split(data: &[u8], n: usize) -> Vec<&[u8]> {
    let mut parts: Vec<&[u8]> = data.splitn(n, |&b| b == 0).collect();
    parts.resize(n, &[]);
    parts
}
