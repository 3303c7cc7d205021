//! Runs a parsed command line and returns the exit code: 0 clean, 1
//! findings (or no matching version), 2 usage, configuration or I/O error.

use crate::cli::{
    self, CheckArgs, CheckFormat, Cli, ColorChoice, Command, FailOn, Format, SettingsArgs,
};
use crate::config::{self, Settings};
use crate::constraint;
use crate::finding::Severity;
use crate::output;
use crate::rules;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs one command. Errors are printed to standard error.
pub fn run(cli: Cli) -> u8 {
    if let Some(dir) = &cli.chdir {
        if let Err(e) = std::env::set_current_dir(dir) {
            eprintln!(
                "tfpin: error: cannot change to directory `{}` (-C): {}",
                dir.display(),
                crate::discover::io_reason(&e)
            );
            return EXIT_ERROR;
        }
    }
    let result = match cli.command {
        Command::Check(args) => run_check(args),
        Command::Providers(args) => run_providers(args),
        Command::Regions(args) => run_regions(args),
        Command::Constraint(args) => run_constraint(args),
        Command::Rules(args) => run_rules(args),
        Command::Explain(args) => run_explain(args),
        Command::Config(args) => run_config(args),
        Command::Init(args) => run_init(args),
        Command::Lsp => Ok(crate::lsp::serve(
            std::io::BufReader::new(std::io::stdin()),
            std::io::stdout(),
        )),
        Command::Completions(args) => {
            use clap::CommandFactory;
            let mut cmd = with_rule_ids(Cli::command());
            let mut out = Vec::new();
            clap_complete::generate(args.shell, &mut cmd, "tfpin", &mut out);
            let script = with_rule_completion(args.shell, String::from_utf8_lossy(&out).into());
            write_stdout(&script).map(|_| EXIT_CLEAN)
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("tfpin: error: {message}");
            EXIT_ERROR
        }
    }
}

/// The command line with every rule id as a value of the arguments that
/// take a rule, for shell completions. Parsing does not use it: there an
/// unknown id gets tfpin's own message, with the closest id.
fn with_rule_ids(cmd: clap::Command) -> clap::Command {
    let ids: Vec<clap::builder::PossibleValue> = rules::all()
        .map(|m| clap::builder::PossibleValue::new(m.id).help(m.summary))
        .collect();
    let rule_values =
        |a: clap::Arg| a.value_parser(clap::builder::PossibleValuesParser::new(ids.clone()));
    let mut cmd = cmd;
    for sub in ["check", "providers", "regions", "config"] {
        cmd = cmd.mut_subcommand(sub, |c| {
            ["enable", "disable", "select"]
                .into_iter()
                .fold(c, |c, arg| c.mut_arg(arg, rule_values))
        });
    }
    cmd.mut_subcommand("explain", |c| c.mut_arg("rule", rule_values))
}

/// Completes rule ids in the shells whose scripts clap_complete writes
/// without argument values (elvish and PowerShell): a wrapper around its
/// elvish completer, a block before its PowerShell filter. A script of
/// another shape is left as it is.
fn with_rule_completion(shell: clap_complete::Shell, mut script: String) -> String {
    let quoted =
        |q: char| -> Vec<String> { rules::all().map(|m| format!("{q}{}{q}", m.id)).collect() };
    match shell {
        clap_complete::Shell::Elvish => {
            script.push_str(
                &include_str!("completions/rules.elv").replace("@RULES@", &quoted('\'').join(" ")),
            );
            script
        }
        clap_complete::Shell::PowerShell => {
            let anchor = "    $completions.Where{";
            let block =
                include_str!("completions/rules.ps1").replace("@RULES@", &quoted('\'').join(", "));
            match script.rfind(anchor) {
                Some(at) => {
                    script.insert_str(at, &block);
                    script
                }
                None => script,
            }
        }
        _ => script,
    }
}

fn write_stdout(s: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`tfpin ... | head`) is not an error worth a word.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

/// Reads the configuration and applies command-line overrides.
///
/// Without `--config`, each module is governed by the `.tfpin.hcl` files
/// from the project root down to its directory (see [`crate::layers`]);
/// the settings returned are those of the deepest directory holding every
/// path named, which decide what is read (`exclude`, `engine`), and carry
/// what the engine needs to find each module's.
pub fn resolve_settings(
    args: &SettingsArgs,
    cwd: &Path,
    paths: &[PathBuf],
) -> Result<Settings, String> {
    if let Some(id) = args.enable.iter().find(|id| args.disable.contains(id)) {
        return Err(format!(
            "rule \"{id}\" is both enabled and disabled; give it to --enable or --disable, not both"
        ));
    }
    let cli = cli_layer(args)?;
    let mut settings = match &args.config {
        Some(p) => {
            let p = cwd.join(p);
            if !p.is_file() {
                return Err(format!(
                    "configuration file `{}` does not exist",
                    p.display()
                ));
            }
            let display = crate::source::display_path(&p, cwd);
            let mut s = config::load(&p, &display).map_err(|errs| {
                let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
                format!("invalid configuration:\n  {}", lines.join("\n  "))
            })?;
            s.overlay(&cli);
            s
        }
        None => {
            let named: Vec<PathBuf> = if paths.is_empty() {
                vec![cwd.to_path_buf()]
            } else {
                paths
                    .iter()
                    .map(|p| crate::model::workspace::normalize(&cwd.join(p)))
                    .collect()
            };
            let root = crate::project::root_of_all(&named).map_err(|e| e.0)?;
            let mut common = crate::project::dir_of(&named[0]);
            for p in &named[1..] {
                let d = crate::project::dir_of(p);
                while !d.starts_with(&common) && common.pop() {}
            }
            let mut cache = crate::layers::Cache::new(cwd);
            let chain = crate::layers::chain(&root.dir, &common, &mut cache).map_err(|e| e.0)?;
            let mut s = crate::layers::settings_of(&chain, &cli);
            s.hierarchy = Some(std::sync::Arc::new(crate::layers::Hierarchy {
                root: root.dir,
                cli,
            }));
            s
        }
    };
    for f in &args.var_file {
        let p = cwd.join(f);
        if !p.is_file() {
            return Err(format!("variables file `{}` does not exist", f.display()));
        }
        settings.var_files.push(p);
    }
    for v in &args.var {
        match v.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => settings
                .vars
                .push((name.trim().to_string(), value.to_string())),
            _ => return Err(format!("invalid --var \"{v}\"; expected NAME=VALUE")),
        }
    }
    Ok(settings)
}

/// What the command line sets, as a layer of settings that wins over
/// every configuration file.
fn cli_layer(args: &SettingsArgs) -> Result<Settings, String> {
    let mut s = Settings::default();
    for (ids, on) in [
        (&args.enable, true),
        (&args.disable, false),
        (&args.select, true),
    ] {
        for id in ids {
            if rules::find(id).is_none() {
                let hint = rules::closest(id)
                    .map(|c| format!("; did you mean \"{c}\"?"))
                    .unwrap_or_default();
                return Err(format!("unknown rule \"{id}\"{hint} (see `tfpin rules`)"));
            }
            let rule = s.rules.entry(id.clone()).or_default();
            // `--disable` wins over `--select`.
            if rule.enabled.is_none() {
                rule.enabled = Some(on);
                s.keys.insert(format!("rule.{id}.enabled"));
            }
        }
    }
    // `--select` turns every rule it does not name off.
    if !args.select.is_empty() {
        for m in rules::all() {
            if !args.select.iter().any(|id| id == m.id) {
                s.rules.entry(m.id.to_string()).or_default().enabled = Some(false);
                s.keys.insert(format!("rule.{}.enabled", m.id));
            }
        }
    }
    if let Some(e) = &args.engine {
        s.engine = crate::fileset::EngineChoice::parse(e)
            .ok_or_else(|| format!("unknown engine \"{e}\""))?;
        s.keys.insert("engine".into());
    }
    if let Some(v) = &args.terraform_version {
        s.terraform_version = Some(config::parse_terraform_version(v)?);
        s.keys.insert("policy.terraform_version".into());
    }
    Ok(s)
}

/// A progress bar on standard error for runs longer than a second: what
/// the run is doing, the files and modules read so far, and the time.
/// Shown only when standard error is a terminal and not in CI, so machine
/// formats, pipes and logs never see it.
struct Progress {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// How long a run goes before the bar appears.
    const DELAY: std::time::Duration = std::time::Duration::from_secs(1);

    fn start(what: &'static str) -> Progress {
        use std::sync::atomic::{AtomicBool, Ordering};
        let done = std::sync::Arc::new(AtomicBool::new(false));
        let wanted = std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
            && std::env::var("TERM").as_deref() != Ok("dumb");
        let thread = wanted.then(|| {
            let done = done.clone();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let (files0, modules0) = crate::progress::read_so_far();
                let mut bar: Option<indicatif::ProgressBar> = None;
                while !done.load(Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    if started.elapsed() < Self::DELAY || done.load(Ordering::Relaxed) {
                        continue;
                    }
                    let (files, modules) = crate::progress::read_so_far();
                    let message = format!(
                        "{} in {} read",
                        output::plural(files - files0, "file"),
                        output::plural(modules - modules0, "module")
                    );
                    let bar = bar.get_or_insert_with(|| {
                        let b = indicatif::ProgressBar::with_draw_target(
                            None,
                            indicatif::ProgressDrawTarget::stderr_with_hz(10),
                        )
                        .with_elapsed(started.elapsed())
                        .with_message(message.clone());
                        let style = indicatif::ProgressStyle::with_template(
                            "{spinner} tfpin: {prefix}: {msg} ({elapsed})",
                        )
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
                        b.set_style(style);
                        b.set_prefix(what);
                        b
                    });
                    bar.set_message(message);
                    bar.tick();
                }
                if let Some(bar) = bar {
                    bar.finish_and_clear();
                }
            })
        });
        Progress { done, thread }
    }

    fn finish(mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run_check(args: CheckArgs) -> Result<u8, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let settings = resolve_settings(&args.settings, &cwd, &args.paths)?;
    let pool = thread_pool(args.jobs)?;
    if args.unsafe_fixes && !(args.fix || args.diff) {
        return Err("--unsafe-fixes applies fixes, so it needs --fix or --diff".to_string());
    }
    let baseline = match &args.baseline {
        Some(path) => Some(crate::baseline::Baseline::read(&cwd.join(path), path)?),
        None => None,
    };
    let fixing = args.fix || args.diff;
    let mut fix_failed = false;
    let mut report = if fixing {
        match fix_then_check(&args, &cwd, &settings, &pool, baseline.as_ref())? {
            Fixed::Diff(code) => return Ok(code),
            Fixed::Report(r, failed) => {
                fix_failed = failed;
                *r
            }
        }
    } else {
        let progress = (!args.quiet).then(|| Progress::start("checking"));
        // The process exits once the report is written, as it does after
        // writing a baseline: the working data is left to the system.
        let report = pool.install(|| {
            crate::engine::check_with(&cwd, &args.paths, &settings, crate::engine::Teardown::Leak)
        });
        if let Some(p) = progress {
            p.finish();
        }
        report.map_err(|e| e.to_string())?
    };

    if let Some(path) = &args.write_baseline {
        let b = crate::baseline::Baseline::from_findings(&report.findings, &report.workspace);
        write_file(&cwd.join(path), &b.to_json())?;
        eprintln!(
            "tfpin: wrote {} finding{} to {}",
            b.findings.len(),
            if b.findings.len() == 1 { "" } else { "s" },
            path.display()
        );
        std::mem::forget(report);
        return Ok(EXIT_CLEAN);
    }
    if let (Some(path), Some(b)) = (&args.baseline, &baseline) {
        let shown = path.display();
        let path = cwd.join(path);
        if args.baseline_prune {
            let p = crate::baseline::pruned(b, &report.findings, &report.workspace);
            let gone = b.findings.len().saturating_sub(p.findings.len());
            write_file(&path, &p.to_json())?;
            eprintln!(
                "tfpin: pruned {gone} fixed finding{} from the baseline",
                if gone == 1 { "" } else { "s" }
            );
            if b.is_old_format() {
                eprintln!(
                    "tfpin: rewrote baseline `{shown}` in the current format (version {})",
                    crate::baseline::FORMAT_VERSION
                );
            }
        } else if b.is_old_format() {
            eprintln!(
                "tfpin: baseline `{shown}` is in an old format (version {}), matched by rule, \
                 message and file, so a finding whose message changes counts as new; rewrite it \
                 with `tfpin check --write-baseline {shown}`, or `--baseline {shown} \
                 --baseline-prune` to keep only what it records",
                b.version
            );
        }
        // A fix run filtered each pass's report already.
        if !fixing {
            report.baselined = crate::baseline::filter(&mut report.findings, b, &report.workspace);
        }
    }

    // What fails the run is decided on every finding, before any is left
    // out of the report.
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let warnings = report.summary().warnings;
    let too_many_warnings = matches!(args.max_warnings, Some(max) if warnings > max);
    let code = match threshold {
        _ if fix_failed => EXIT_ERROR,
        Some(t) if report.has_at_least(t) => EXIT_FINDINGS,
        _ if too_many_warnings => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    };
    let min = match (args.quiet, args.min_severity) {
        (true, _) => Some(Severity::Error),
        (false, Some(s)) => Some(severity_of(s)),
        (false, None) => None,
    };
    if let Some(min) = min {
        let before = report.findings.len();
        report.findings.retain(|f| f.severity >= min);
        report.below_min_severity = before - report.findings.len();
    }
    if args.statistics && !matches!(args.format, CheckFormat::Text | CheckFormat::Json) {
        return Err("--statistics prints text or JSON; drop --format, or use --format json".into());
    }

    // JSON and SARIF, the largest reports, are written as they are
    // serialised; the other formats are rendered whole, then written.
    let write: Document<'_> = match args.format {
        CheckFormat::Json if args.statistics => {
            let mut s = serde_json::to_string_pretty(&output::text::counts(&report))
                .map_err(|e| e.to_string())?;
            s.push('\n');
            whole(s)
        }
        CheckFormat::Json => Box::new(|w| output::json::write(&report, w)),
        CheckFormat::Sarif => Box::new(|w| output::sarif::write(&report, w)),
        CheckFormat::Github => whole(output::github::render(&report)),
        CheckFormat::Junit => whole(output::junit::render(&report)),
        CheckFormat::Checkstyle => whole(output::checkstyle::render(&report)),
        CheckFormat::Compact => whole(output::compact::render(&report)),
        CheckFormat::Text => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            let style = text_style(args.color, args.ascii, to_terminal);
            if args.statistics {
                whole(output::text::statistics(&report, style))
            } else {
                let parts = output::text::Parts {
                    findings_only: args.quiet,
                };
                whole(output::text::render(&report, style, parts))
            }
        }
    };
    stream(args.output.as_ref().map(|p| cwd.join(p)), write)?;
    if too_many_warnings && !args.quiet {
        eprintln!(
            "tfpin: {warnings} warning{}, more than --max-warnings {}",
            if warnings == 1 { "" } else { "s" },
            args.max_warnings.unwrap_or(0)
        );
    }
    // The process is about to exit; freeing every syntax tree one by one
    // would only cost time.
    std::mem::forget(report);
    Ok(code)
}

/// What `--fix` or `--diff` leaves for the rest of `check`.
enum Fixed {
    /// `--diff` printed its diff; the exit code.
    Diff(u8),
    /// `--fix` wrote what it could; the report of what remains, and
    /// whether some file could not be written.
    Report(Box<crate::engine::Report>, bool),
}

/// Runs the fix passes (see [`crate::fix::run`]), then prints the diff or
/// writes the files, saying on standard error what was fixed.
fn fix_then_check(
    args: &CheckArgs,
    cwd: &std::path::Path,
    settings: &crate::config::Settings,
    pool: &rayon::ThreadPool,
    baseline: Option<&crate::baseline::Baseline>,
) -> Result<Fixed, String> {
    let which = if args.unsafe_fixes {
        crate::fix::Applicability::All
    } else {
        crate::fix::Applicability::Safe
    };
    // Only what the run would report is fixed: not what the baseline
    // records.
    let keep = |r: &mut crate::engine::Report| {
        if let Some(b) = baseline {
            r.baselined = crate::baseline::filter(&mut r.findings, b, &r.workspace);
        }
    };
    let progress = (!args.quiet).then(|| Progress::start("fixing"));
    let outcome = pool.install(|| crate::fix::run::run(cwd, &args.paths, settings, which, &keep));
    if let Some(p) = progress {
        p.finish();
    }
    let outcome = outcome.map_err(|e| e.to_string())?;
    if !outcome.settled {
        eprintln!(
            "tfpin: the fixes did not settle after {} passes; what a further pass would change \
             is left out, and running again applies it",
            crate::fix::run::MAX_PASSES
        );
    }
    let files = outcome.changed.len();
    let what = format!(
        "{} in {}{}",
        output::plural(outcome.fixed_count(), "finding"),
        output::plural(files, "file"),
        fixed_by_rule(&outcome.fixed)
    );
    if args.diff {
        write_stdout(&crate::fix::run::unified_diff(&outcome.changed))?;
        eprintln!("tfpin: would fix {what}");
        return Ok(Fixed::Diff(if files > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }));
    }
    let errors = crate::fix::run::write(&outcome.changed);
    for e in &errors {
        eprintln!("tfpin: cannot fix {}: {}", e.display, e.message);
    }
    if errors.is_empty() {
        if files > 0 && !args.quiet {
            eprintln!("tfpin: fixed {what}");
        }
        return Ok(Fixed::Report(Box::new(outcome.report), false));
    }
    // What remains is what is on disk now.
    eprintln!(
        "tfpin: wrote {} of the {} files the fixes change",
        files - errors.len(),
        files
    );
    let mut report = pool
        .install(|| {
            crate::engine::check_with(cwd, &args.paths, settings, crate::engine::Teardown::Leak)
        })
        .map_err(|e| e.to_string())?;
    keep(&mut report);
    Ok(Fixed::Report(Box::new(report), true))
}

/// ` (rule: n, rule: n)`, or nothing when no rule fixed anything.
fn fixed_by_rule(fixed: &std::collections::BTreeMap<&'static str, usize>) -> String {
    if fixed.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = fixed.iter().map(|(r, n)| format!("{r}: {n}")).collect();
    format!(" ({})", parts.join(", "))
}

fn run_providers(args: cli::ProvidersArgs) -> Result<u8, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let settings = resolve_settings(&args.settings, &cwd, &args.paths)?;
    let pool = thread_pool(args.jobs)?;
    let readings = pool
        .install(|| crate::engine::load_readings(&cwd, &args.paths, &settings))
        .map_err(|e| e.to_string())?;
    let view = pool.install(|| output::providers::build(&readings));
    let out = match args.format {
        Format::Json => output::providers::render_json(&view),
        Format::Text => output::providers::render_text(&view),
    };
    write_stdout(&out)?;
    Ok(EXIT_CLEAN)
}

/// `tfpin regions`: the residency report. It is a report, not a check: it
/// exits 0 whatever it shows.
fn run_regions(args: cli::RegionsArgs) -> Result<u8, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let settings = resolve_settings(&args.settings, &cwd, &args.paths)?;
    let pool = thread_pool(args.jobs)?;
    let progress = Progress::start("placing");
    let view = pool.install(|| {
        crate::engine::load_readings(&cwd, &args.paths, &settings)
            .map(|readings| output::regions::build(&readings))
    });
    progress.finish();
    let view = view.map_err(|e| e.to_string())?;
    let out = match args.format {
        cli::RegionsFormat::Json => output::regions::render_json(&view),
        cli::RegionsFormat::Dot => output::regions::render_dot(&view),
        cli::RegionsFormat::Text => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            output::regions::render_text(&view, text_width(to_terminal))
        }
    };
    stream(args.output.as_ref().map(|p| cwd.join(p)), whole(out))?;
    Ok(EXIT_CLEAN)
}

fn severity_of(s: cli::SeverityArg) -> Severity {
    match s {
        cli::SeverityArg::Error => Severity::Error,
        cli::SeverityArg::Warning => Severity::Warning,
        cli::SeverityArg::Note => Severity::Note,
    }
}

/// How `check`'s text output looks: colour on a terminal unless
/// `NO_COLOR` is set; ASCII with `--ascii`, under `TERM=dumb`, or in a
/// locale whose character set is not UTF-8; the terminal's width on a
/// terminal, and whole lines elsewhere.
fn text_style(color: ColorChoice, ascii: bool, to_terminal: bool) -> output::text::Style {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let dumb = env("TERM").as_deref() == Some("dumb");
    // The first of these that is set decides the character set, as it
    // does for the C library.
    let locale = env("LC_ALL")
        .or_else(|| env("LC_CTYPE"))
        .or_else(|| env("LANG"));
    let not_utf8 = locale.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        !(l.contains("utf-8") || l.contains("utf8"))
    });
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && !dumb && std::env::var_os("NO_COLOR").is_none(),
    };
    let width = to_terminal
        .then(terminal_size::terminal_size)
        .flatten()
        .map(|(w, _)| usize::from(w.0))
        .filter(|w| *w > 0);
    output::text::Style {
        color,
        ascii: ascii || dumb || not_utf8,
        width,
    }
}

/// How wide text output may be: 100 columns, or a wider terminal's width.
fn text_width(to_terminal: bool) -> usize {
    const WIDTH: usize = 100;
    let terminal = to_terminal
        .then(terminal_size::terminal_size)
        .flatten()
        .map_or(0, |(w, _)| usize::from(w.0));
    terminal.max(WIDTH)
}

/// The threads one command runs on: `--jobs N`, or one per core. A pool of
/// its own rather than rayon's global one, so the library never changes
/// process-wide state and embedders keep control of their threads.
fn thread_pool(jobs: Option<std::num::NonZeroUsize>) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.map_or(0, |n| n.get()))
        .thread_name(|i| format!("tfpin-{i}"))
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))
}

/// Writes output through `write` to the file at `path`, or to standard
/// output, buffered, with the same errors as [`write_file`] and
/// [`write_stdout`].
fn stream(
    path: Option<PathBuf>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    match path {
        Some(path) => {
            let file = std::fs::File::create(&path)
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            write(&mut w)
                .and_then(|_| w.flush())
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()))
        }
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut w).and_then(|_| w.flush()) {
                Ok(()) => Ok(()),
                // A closed pipe (`tfpin ... | head`) is not an error worth a word.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(format!("cannot write output: {e}")),
            }
        }
    }
}

/// A document, as what writes it through [`stream`].
type Document<'a> = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()> + 'a>;

/// Writes a document rendered whole, for [`stream`].
fn whole(s: String) -> Document<'static> {
    Box::new(move |w| w.write_all(s.as_bytes()))
}

fn write_file(path: &PathBuf, s: &str) -> Result<(), String> {
    std::fs::write(path, s).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

fn run_constraint(args: cli::ConstraintArgs) -> Result<u8, String> {
    let kind = match args.kind {
        cli::ConstraintKind::Provider => constraint::Kind::Provider,
        cli::ConstraintKind::Core => constraint::Kind::Core,
        cli::ConstraintKind::Module => constraint::Kind::Module,
    };
    let report = constraint::report::report(kind, &args.constraint, &args.versions);
    let out = match args.format {
        Format::Json => {
            let mut s = serde_json::to_string(&report).map_err(|e| e.to_string())?;
            s.push('\n');
            s
        }
        Format::Text => {
            let mut s = constraint::report::explain_text(&report);
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
    };
    write_stdout(&out)?;
    Ok(constraint::report::exit_code(&report))
}

fn run_rules(args: cli::RulesArgs) -> Result<u8, String> {
    let out = match args.format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Row {
                id: &'static str,
                category: rules::Category,
                default_severity: Severity,
                default_enabled: bool,
                fixable: bool,
                /// The safety of the rule's fixes: `none`, `safe`,
                /// `unsafe` or `safe-or-unsafe`.
                fix: crate::fix::Availability,
                /// The roles the rule judges by default.
                judges: Vec<crate::model::Role>,
                summary: &'static str,
            }
            let rows: Vec<Row> = rules::all()
                .map(|m| Row {
                    id: m.id,
                    category: m.category,
                    default_severity: m.default_severity(),
                    default_enabled: m.default_enabled,
                    fixable: m.fixable(),
                    fix: m.fix,
                    judges: m.judges.iter().collect(),
                    summary: m.summary,
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?;
            s.push('\n');
            s
        }
        Format::Text => {
            let w = rules::all().map(|m| m.id.len()).max().unwrap_or(0);
            let mut s = format!(
                "{:w$}  {:11}  {:8}  {:14}  SUMMARY\n",
                "ID", "CATEGORY", "SEVERITY", "FIX"
            );
            for m in rules::all() {
                s.push_str(&format!(
                    "{:w$}  {:11}  {:8}  {:14}  {}\n",
                    m.id,
                    m.category.as_str(),
                    m.default_severity().as_str(),
                    match m.fix {
                        crate::fix::Availability::None => "-",
                        f => f.as_str(),
                    },
                    m.summary
                ));
            }
            s
        }
    };
    write_stdout(&out)?;
    Ok(EXIT_CLEAN)
}

fn run_explain(args: cli::ExplainArgs) -> Result<u8, String> {
    let Some(rule) = rules::find(&args.rule) else {
        let hint = rules::closest(&args.rule)
            .map(|c| format!("; did you mean \"{c}\"?"))
            .unwrap_or_default();
        return Err(format!(
            "unknown rule \"{}\"{hint} (see `tfpin rules`)",
            args.rule
        ));
    };
    let m = rule.meta();
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut s = format!(
        "{} ({}, default severity {})\n\n",
        m.id,
        m.category.as_str(),
        m.default_severity()
    );
    s.push_str(&output::explain::render(m.doc, color));
    write_stdout(&s)?;
    Ok(EXIT_CLEAN)
}

/// `tfpin init [DIR]`: writes a starter `.tfpin.hcl`, never over one.
fn run_init(args: cli::InitArgs) -> Result<u8, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let dir = crate::model::workspace::normalize(&cwd.join(&args.dir));
    if !dir.is_dir() {
        return Err(format!("`{}` is not a directory", args.dir.display()));
    }
    let target = dir.join(config::FILE_NAME);
    let shown = crate::source::display_path(&target, &cwd);
    if !args.stdout && (target.exists() || target.symlink_metadata().is_ok()) {
        return Err(format!(
            "`{shown}` already exists; tfpin init never overwrites a configuration (`--stdout` prints the starter instead)"
        ));
    }
    // The tree is read the way a bare run reads it: the defaults, and no
    // configuration below the directory.
    let settings = Settings::default();
    let pool = thread_pool(args.jobs)?;
    let readings = pool
        .install(|| crate::engine::load_readings(&dir, std::slice::from_ref(&dir), &settings))
        .map_err(|e| e.to_string())?;
    let mut view = pool.install(|| output::providers::build(&readings));
    // Roots are shown from the project root; the starter speaks from its
    // own directory.
    if let Some(r) = readings.first() {
        for root in &mut view.roots {
            let abs = crate::model::workspace::normalize(&r.ws.root.join(&root.root));
            root.root = crate::source::relative_path(&abs, &dir);
        }
    }
    let found = crate::starter::Found {
        terraform_version: std::fs::read_to_string(dir.join(".terraform-version"))
            .ok()
            .and_then(|t| crate::starter::pinned_release(&t)),
    };
    let text = crate::starter::render(&view, &found);
    // What is written must read back without an error.
    if let Err(errs) = config::parse_str(&text, &shown) {
        let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        return Err(format!(
            "the starter configuration does not parse (a bug):\n  {}",
            lines.join("\n  ")
        ));
    }
    if args.stdout {
        write_stdout(&text)?;
        return Ok(EXIT_CLEAN);
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(|e| format!("cannot write `{shown}`: {}", crate::discover::io_reason(&e)))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write `{shown}`: {}", crate::discover::io_reason(&e)))?;
    eprintln!(
        "tfpin: wrote {shown}; `tfpin config {}` shows what it sets",
        args.dir.display()
    );
    Ok(EXIT_CLEAN)
}

/// `tfpin config [PATH]`: the project root, the configuration files that
/// govern the path, and every setting they or the command line set, with
/// where it comes from.
fn run_config(args: cli::ConfigArgs) -> Result<u8, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let path = crate::model::workspace::normalize(&cwd.join(&args.path));
    if !path.exists() {
        return Err(format!("path `{}` does not exist", args.path.display()));
    }
    let settings = resolve_settings(&args.settings, &cwd, std::slice::from_ref(&path))?;
    let shown = |p: &Path| crate::source::relative_path(p, &cwd);
    #[derive(serde::Serialize)]
    struct Row {
        key: String,
        value: String,
        from: String,
    }
    #[derive(serde::Serialize)]
    struct Doc {
        path: String,
        project_root: String,
        project_root_reason: &'static str,
        files: Vec<String>,
        settings: Vec<Row>,
    }
    let (root, reason, files, rows) = match &settings.hierarchy {
        Some(h) => {
            let dir = crate::project::dir_of(&path);
            let mut cache = crate::layers::Cache::new(&cwd);
            let chain = crate::layers::chain(&h.root, &dir, &mut cache).map_err(|e| e.0)?;
            let effective = crate::layers::settings_of(&chain, &h.cli);
            let files: Vec<String> = (chain.iter())
                .filter_map(|s| s.config_path.as_deref().map(shown))
                .collect();
            let rows = crate::layers::provenance(&chain, &h.cli)
                .into_iter()
                .map(|(key, from)| Row {
                    value: effective.value_of(&key),
                    from: if from == "command line" {
                        from
                    } else {
                        shown(Path::new(&from))
                    },
                    key,
                })
                .collect();
            let reason = crate::project::root_of_all(std::slice::from_ref(&path))
                .map(|r| r.reason.describe())
                .unwrap_or("");
            (shown(&h.root), reason, files, rows)
        }
        None => {
            let file = (settings.config_path.as_deref())
                .map(shown)
                .unwrap_or_default();
            let rows = (settings.keys.iter())
                .map(|k| Row {
                    key: k.clone(),
                    value: settings.value_of(k),
                    from: file.clone(),
                })
                .collect();
            (
                String::new(),
                "--config names the only configuration",
                vec![file],
                rows,
            )
        }
    };
    let doc = Doc {
        path: shown(&path),
        project_root: root,
        project_root_reason: reason,
        files,
        settings: rows,
    };
    let out = match args.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
            s.push('\n');
            s
        }
        Format::Text => {
            let mut s = format!("path:         {}\n", doc.path);
            if !doc.project_root.is_empty() {
                s.push_str(&format!(
                    "project root: {} ({})\n",
                    doc.project_root, doc.project_root_reason
                ));
            }
            if doc.files.is_empty() {
                s.push_str("files:        none (every setting is its default)\n");
            } else {
                s.push_str(&format!("files:        {}\n", doc.files.join(", ")));
            }
            if !doc.settings.is_empty() {
                let w = doc.settings.iter().map(|r| r.key.len()).max().unwrap_or(0);
                let v = doc
                    .settings
                    .iter()
                    .map(|r| r.value.len())
                    .max()
                    .unwrap_or(0);
                s.push('\n');
                for r in &doc.settings {
                    s.push_str(&format!("{:w$}  {:v$}  # {}\n", r.key, r.value, r.from));
                }
            }
            s
        }
    };
    write_stdout(&out)?;
    Ok(EXIT_CLEAN)
}
