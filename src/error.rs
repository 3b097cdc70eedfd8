//! Errors that stop a run. Problems in a return are never errors: they are
//! findings. These are for what the operator must fix (flags, configuration,
//! folders, output).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("配置文件 {file} 有误：{message}")]
    Config { file: PathBuf, message: String },

    #[error("无法读取 {path}：{source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("无法写入 {path}：{message}")]
    Write { path: PathBuf, message: String },

    #[error("{0}")]
    Input(String),
}

impl Error {
    pub fn config(file: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        Error::Config {
            file: file.into(),
            message: message.into(),
        }
    }

    pub fn write(path: impl Into<PathBuf>, message: impl ToString) -> Error {
        Error::Write {
            path: path.into(),
            message: message.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
