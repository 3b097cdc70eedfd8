//! clap's own words in Chinese. clap writes its help layout ("Usage",
//! "Options", "Commands"), its help and version flags ("Print help") and
//! its error messages in English; the command line's users read Chinese
//! only. Here the parser clap derives from [`Cli`] gets a Chinese help
//! template, usage line and flags on every command, the notes clap adds to
//! an option (`[default: …]`, `[env: …]`, `[possible values: …]`) move
//! into its Chinese help text, and errors are written by [`Chinese`] from
//! the error's kind and context.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, Error, ErrorFormatter, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use super::Cli;

/// The help of the top command: what it does, usage, commands, options.
const ROOT_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n命令：\n{subcommands}\n\n选项：\n{options}{after-help}\n";
/// A command's help without positional arguments …
const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n选项：\n{options}{after-help}\n";
/// … and with them.
const TEMPLATE_WITH_ARGS: &str =
    "{about-with-newline}\n用法：{usage}\n\n参数：\n{positionals}\n\n选项：\n{options}{after-help}\n";

/// Parses the command line (the first item is the program's name), every
/// message clap prints in Chinese.
pub(super) fn parse<I, T>(args: I) -> Result<Cli, Error<Chinese>>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m))
        .map_err(|e| e.apply::<Chinese>())
}

/// The command line as clap builds it, in Chinese.
fn command() -> Command {
    let root = Cli::command();
    let bin = root.get_name().to_string();
    let root = in_chinese(root)
        .subcommand_value_name("命令")
        .override_usage(format!("{bin} <命令>"))
        .help_template(ROOT_TEMPLATE)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        );
    root.mut_subcommands(move |sub| localise(sub, &bin))
}

/// A command under `parent` (`shuanggao`, `shuanggao account`) and its own
/// commands, in Chinese: usage line, help layout and flags.
fn localise(cmd: Command, parent: &str) -> Command {
    let path = format!("{parent} {}", cmd.get_name());
    let (usage, template) = if cmd.has_subcommands() {
        (format!("{path} <命令>"), ROOT_TEMPLATE)
    } else if cmd.get_positionals().next().is_some() {
        (usage(&path, &cmd), TEMPLATE_WITH_ARGS)
    } else {
        (usage(&path, &cmd), TEMPLATE)
    };
    in_chinese(cmd)
        .override_usage(usage)
        .help_template(template)
        .subcommand_value_name("命令")
        .mut_subcommands(move |sub| localise(sub, &path))
}

/// A command with a Chinese help flag, and its options' notes in Chinese.
fn in_chinese(cmd: Command) -> Command {
    cmd.disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        )
        .mut_args(with_notes)
}

/// An option's default and choices said in its own help, in Chinese,
/// instead of clap's `[default: …]`, `[possible values: …]` and `[env: …]`
/// (the environment variable is named in the help text itself).
fn with_notes(arg: Arg) -> Arg {
    let mut notes: Vec<String> = Vec::new();
    let choices: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !choices.is_empty() && arg.get_action().takes_values() {
        notes.push(format!("可选：{}", choices.join("、")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    // A help that already says its default (默认：全部 CPU 核心) keeps its own words.
    if !defaults.is_empty() && arg.get_action().takes_values() && !help.contains("默认") {
        notes.push(format!("默认：{}", defaults.join("、")));
    }
    let help = match (notes.is_empty(), help.strip_suffix('）')) {
        (true, _) => help,
        (false, Some(open)) => format!("{open}；{}）", notes.join("；")),
        (false, None) => format!("{help}（{}）", notes.join("；")),
    };
    arg.hide_default_value(true)
        .hide_possible_values(true)
        .hide_env(true)
        .help(help)
}

/// `shuanggao <command> [选项] [文件]...` (`path` the command's full name):
/// the usage line clap would write, with 选项 for its `[OPTIONS]`.
fn usage(path: &str, cmd: &Command) -> String {
    let mut out = format!("{path} [选项]");
    for arg in cmd.get_positionals() {
        let name = arg
            .get_value_names()
            .and_then(|n| n.first())
            .map_or_else(|| arg.get_id().to_string(), ToString::to_string);
        let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        let dots = if many { "..." } else { "" };
        match arg.is_required_set() {
            true => out.push_str(&format!(" <{name}>{dots}")),
            false => out.push_str(&format!(" [{name}]{dots}")),
        }
    }
    out
}

/// Writes clap's errors in Chinese, from the error's kind and context.
pub struct Chinese;

impl ErrorFormatter for Chinese {
    fn format_error(error: &Error<Self>) -> StyledStr {
        let mut out = format!("错误：{}\n", message(error));
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            let usage = usage.to_string();
            let usage = usage.trim_start_matches("Usage:").trim();
            out.push_str(&format!("\n用法：{usage}\n"));
        }
        out.push_str("\n加 --help 可查看帮助。\n");
        let mut styled = StyledStr::new();
        styled.push_str(&out);
        styled
    }
}

/// The error in one Chinese sentence (with a suggestion when clap has one).
fn message(error: &Error<Chinese>) -> String {
    let text = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        _ => String::new(),
    };
    let (arg, value) = (
        text(ContextKind::InvalidArg),
        text(ContextKind::InvalidValue),
    );
    let mut s = match error.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} 需要一个值"),
        ErrorKind::InvalidValue => format!("“{value}”不是 {arg} 的有效值"),
        ErrorKind::ValueValidation => {
            format!("“{value}”不是 {arg} 的有效值：{}", reason(error))
        }
        ErrorKind::UnknownArgument => format!("无法识别的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            format!("无法识别的命令“{}”", text(ContextKind::InvalidSubcommand))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令".to_string()
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::ArgumentConflict => {
            let prior = text(ContextKind::PriorArg);
            if prior.is_empty() || prior == arg {
                format!("参数 {arg} 只能使用一次")
            } else {
                format!("参数 {arg} 不能与 {prior} 同时使用")
            }
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的值须用“=”连接"),
        ErrorKind::TooManyValues => format!("参数 {arg} 的值“{value}”是多余的"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        ErrorKind::InvalidUtf8 => "参数中有无效的字符（不是 UTF-8 编码）".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    let choices = text(ContextKind::ValidValue);
    if !choices.is_empty() {
        s.push_str(&format!("（可选：{choices}）"));
    }
    for (kind, what) in [
        (ContextKind::SuggestedSubcommand, "命令"),
        (ContextKind::SuggestedArg, "参数"),
        (ContextKind::SuggestedValue, "值"),
    ] {
        // clap lists the closest last: it goes first here, each quoted.
        let suggested: Vec<String> = match error.get(kind) {
            Some(ContextValue::String(one)) => vec![format!("“{one}”")],
            Some(ContextValue::Strings(many)) => {
                many.iter().rev().map(|v| format!("“{v}”")).collect()
            }
            _ => Vec::new(),
        };
        if !suggested.is_empty() {
            s.push_str(&format!("；是否想用{what}{}？", suggested.join("或")));
        }
    }
    s
}

/// Why a value was refused: our parsers say it in Chinese; the standard
/// number parser's English is replaced.
fn reason(error: &Error<Chinese>) -> String {
    let Some(source) = std::error::Error::source(error) else {
        return "格式不对".to_string();
    };
    if source.downcast_ref::<std::num::ParseIntError>().is_some() {
        return "应为不小于 0 的整数".to_string();
    }
    let text = source.to_string();
    if text.is_ascii() {
        "格式不对".to_string()
    } else {
        text
    }
}
