//! The Touchstone text parser: versions 1.x and 2.0/2.1, S parameters in RI, MA or DB.
//!
//! One pass over the lines. A `!` starts a comment to the end of the line. The
//! option line `# <unit> <parameter> <format> R <ohms>` (every field optional, any
//! order, case-insensitive; defaults `GHz S MA R 50`; since Touchstone 2.1 `R` may
//! be followed by one impedance per port) sets the units. Data are read
//! as a stream of numbers grouped into frequency records of `1 + 2·pairs` values,
//! whatever the line breaks, so 1.x files with N > 2 (rows of at most four pairs per
//! line) and 2.0 files with any wrapping are both read. The pairs of a record are
//! laid into the N × N matrix by [`Layout`]: row-major, except the 1.x two-port
//! order `S11 S21 S12 S22`, the 2.0 `[Two-Port Data Order]`, and the 2.0 `Lower`/
//! `Upper` matrix formats (one triangle, the other filled by symmetry).
//!
//! A 2.0 file with `[Mixed-Mode Order]` stores mixed-mode data: row and column r of
//! each matrix is the r-th entry of that list — `D<p>,<n>` the differential mode
//! `(a_p − a_n)/√2` of ports p (+) and n (−), `C<p>,<n>` their common mode
//! `(a_p + a_n)/√2`, `S<p>` port p alone (Touchstone 2.0, "Mixed-Mode Order" and
//! Appendix A). With M the orthogonal matrix of those rows, `S_mm = M·S·Mᵀ`, so each
//! record is turned back into single-ended data `S = Mᵀ·S_mm·M` as it is read, and the
//! [`super::Network`] is single-ended whatever the file stores. `[Reference]` gives
//! the single-ended ports' impedances (the modes then see 2·z0 and z0/2), so the two
//! ports of a pair must have the same one.
//!
//! A 1.x two-port file may end with noise parameters: they start at the first record
//! whose frequency is not above the previous one, and are skipped (as the standard
//! says). Every fault is an [`Error::Parse`] with the 1-based line number.

use num_complex::Complex64;

use crate::error::{Error, Result};

/// The largest port count accepted: far above any real channel model, small enough
/// that an N × N matrix per frequency cannot exhaust memory on a hostile file.
pub const MAX_PORTS: usize = 1024;

/// How a pair of numbers encodes a complex S parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// Real, imaginary.
    Ri,
    /// Linear magnitude, angle in degrees.
    Ma,
    /// Magnitude in dB (20·log10), angle in degrees.
    Db,
}

impl Format {
    fn complex(self, a: f64, b: f64) -> Complex64 {
        match self {
            Format::Ri => Complex64::new(a, b),
            Format::Ma => Complex64::from_polar(a, b.to_radians()),
            Format::Db => Complex64::from_polar(10f64.powf(a / 20.0), b.to_radians()),
        }
    }
}

/// How the matrix is stored in the network data (Touchstone 2.0 `[Matrix Format]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MatrixFormat {
    Full,
    Lower,
    Upper,
}

/// Which Touchstone version the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// No `[Version]` keyword: 1.0/1.1.
    V1,
    /// `[Version] 2.0` (or 2.1).
    V2,
}

/// Where a 2.0 file is: between keywords, inside a block, or done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    /// `[Reference]` values may continue on the next lines.
    Reference,
    /// `[Mixed-Mode Order]` entries may continue on the next lines.
    MixedModeOrder,
    /// `[Begin Information]` … `[End Information]`: skipped.
    Information,
    NetworkData,
    /// `[Noise Data]` (2.0) or the noise block of a 1.x two-port file: skipped.
    NoiseData,
    End,
}

/// The order of the pairs of one frequency record in the N × N matrix.
struct Layout {
    /// `(row, column)` of each pair, in file order (0-based).
    slots: Vec<(usize, usize)>,
    /// Lower/Upper: the mirrored entry takes the same value.
    symmetric: bool,
}

impl Layout {
    fn new(n: usize, matrix: MatrixFormat, two_port_21_12: bool) -> Self {
        let mut slots = Vec::new();
        match matrix {
            MatrixFormat::Full if n == 2 && two_port_21_12 => {
                slots.extend([(0, 0), (1, 0), (0, 1), (1, 1)]);
            }
            MatrixFormat::Full => {
                slots.extend((0..n).flat_map(|i| (0..n).map(move |j| (i, j))));
            }
            MatrixFormat::Lower => {
                slots.extend((0..n).flat_map(|i| (0..=i).map(move |j| (i, j))));
            }
            MatrixFormat::Upper => {
                slots.extend((0..n).flat_map(|i| (i..n).map(move |j| (i, j))));
            }
        }
        Layout {
            slots,
            symmetric: matrix != MatrixFormat::Full,
        }
    }
}

/// One entry of `[Mixed-Mode Order]`: what row (and column) r of the stored matrix
/// is, in 0-based single-ended ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `S<p>`: port p alone.
    Single(usize),
    /// `D<p>,<n>`: `(a_p − a_n)/√2`.
    Differential(usize, usize),
    /// `C<p>,<n>`: `(a_p + a_n)/√2`.
    Common(usize, usize),
}

/// Column i of the mixed-mode matrix M for each single-ended port i: the (at most
/// two) rows r with `M[r][i] ≠ 0` and their values. A single-ended port has one row;
/// the second slot then has weight 0.
type ModeColumns = Vec<[(usize, f64); 2]>;

/// A parsed network, before [`super::Network`] wraps it.
pub(crate) struct Parsed {
    pub freqs_hz: Vec<f64>,
    pub s: Vec<Complex64>,
    pub z0: Vec<f64>,
    pub nports: usize,
}

/// The parser's state across lines.
struct Parser<'a> {
    source: &'a str,
    version: Version,
    section: Section,
    /// The 1-based number of the current line.
    line: usize,
    seen_option_line: bool,
    unit_hz: f64,
    format: Format,
    r_ohm: f64,
    /// Per-port reference impedances on the option line (Touchstone 2.1), when
    /// more than one value follows `R`.
    r_ports: Vec<f64>,
    /// The line of the option line's `R`.
    option_line_no: usize,
    /// The port count given by the caller (file extension).
    nports_hint: Option<usize>,
    /// `[Number of Ports]`.
    nports_keyword: Option<usize>,
    /// `[Two-Port Data Order]`: `Some(true)` for `21_12`.
    two_port_21_12: Option<bool>,
    nfreq_declared: Option<usize>,
    matrix: MatrixFormat,
    reference: Vec<f64>,
    layout: Option<Layout>,
    /// `[Mixed-Mode Order]` entries read so far.
    modes: Vec<Mode>,
    /// The line of the `[Mixed-Mode Order]` keyword.
    modes_line: usize,
    /// Once the list is complete and valid: M by columns (see [`ModeColumns`]).
    mode_columns: Option<ModeColumns>,
    /// A copy of the mixed-mode matrix being converted.
    scratch: Vec<Complex64>,
    /// Values of the frequency record being read.
    record: Vec<f64>,
    /// The line on which that record started.
    record_line: usize,
    freqs_hz: Vec<f64>,
    s: Vec<Complex64>,
}

/// Parses Touchstone `text`. `nports` is the N of a `.sNp` file name (required for
/// 1.x files; checked against `[Number of Ports]` for 2.0); `source` names the text
/// in error messages.
pub(crate) fn parse(text: &str, nports: Option<usize>, source: &str) -> Result<Parsed> {
    if let Some(n) = nports {
        if n == 0 || n > MAX_PORTS {
            return Err(Error::invalid(
                "nports",
                format!("1..={MAX_PORTS} (the N of a .sNp file)"),
                n,
            ));
        }
    }
    let mut p = Parser {
        source,
        version: Version::V1,
        section: Section::Header,
        line: 0,
        seen_option_line: false,
        unit_hz: 1e9,
        format: Format::Ma,
        r_ohm: 50.0,
        r_ports: Vec::new(),
        option_line_no: 0,
        nports_hint: nports,
        nports_keyword: None,
        two_port_21_12: None,
        nfreq_declared: None,
        matrix: MatrixFormat::Full,
        reference: Vec::new(),
        layout: None,
        modes: Vec::new(),
        modes_line: 0,
        mode_columns: None,
        scratch: Vec::new(),
        record: Vec::new(),
        record_line: 0,
        freqs_hz: Vec::new(),
        s: Vec::new(),
    };
    let mut first = true;
    for (index, raw) in text.lines().enumerate() {
        p.line = index + 1;
        let content = match raw.find('!') {
            Some(i) => &raw[..i],
            None => raw,
        }
        .trim();
        if content.is_empty() {
            continue;
        }
        if first {
            first = false;
            if keyword(content).is_some_and(|(k, _)| k.eq_ignore_ascii_case("version")) {
                p.version = Version::V2;
            }
        }
        p.line_content(content)?;
        if p.section == Section::End {
            break;
        }
    }
    p.finish(text.lines().count().max(1))
}

/// Splits `[Keyword] argument` into the keyword (inner spaces kept) and the rest.
fn keyword(content: &str) -> Option<(&str, &str)> {
    let rest = content.strip_prefix('[')?;
    let close = rest.find(']')?;
    Some((rest[..close].trim(), rest[close + 1..].trim()))
}

/// Keyword names compared case-insensitively with runs of spaces as one.
fn same_keyword(a: &str, b: &str) -> bool {
    a.split_whitespace()
        .map(str::to_ascii_lowercase)
        .eq(b.split_whitespace().map(str::to_ascii_lowercase))
}

impl Parser<'_> {
    fn error(&self, line: usize, message: impl Into<String>) -> Error {
        Error::Parse {
            source: self.source.to_string(),
            line,
            message: message.into(),
        }
    }

    fn here(&self, message: impl Into<String>) -> Error {
        self.error(self.line, message)
    }

    /// The port count in force: `[Number of Ports]` for 2.0, the file name's for 1.x.
    fn nports(&self) -> Option<usize> {
        self.nports_keyword.or(self.nports_hint)
    }

    fn line_content(&mut self, content: &str) -> Result<()> {
        if content.starts_with('[') {
            return self.keyword_line(content);
        }
        match self.section {
            Section::Information | Section::NoiseData => Ok(()),
            Section::Reference => self.reference_values(content),
            Section::MixedModeOrder => self.mode_entries(content),
            _ if content.starts_with('#') => self.option_line(content),
            Section::NetworkData => self.data_line(content),
            Section::Header if self.version == Version::V1 => {
                self.section = Section::NetworkData;
                self.data_line(content)
            }
            Section::Header => Err(self.here(format!(
                "data before [Network Data]: `{}`",
                shorten(content)
            ))),
            Section::End => Ok(()),
        }
    }

    fn option_line(&mut self, content: &str) -> Result<()> {
        if self.seen_option_line {
            // 1.x: "additional option lines are ignored"; 2.0 allows only one.
            return match self.version {
                Version::V1 => Ok(()),
                Version::V2 => Err(self.here("a second option line (`#`): only one is allowed")),
            };
        }
        if self.section == Section::NetworkData {
            // The option line must precede the data; one after it would silently
            // change the meaning of the numbers already read.
            return Err(self.here("the option line (`#`) comes after network data"));
        }
        self.seen_option_line = true;
        let mut fields = content[1..].split_whitespace().peekable();
        while let Some(field) = fields.next() {
            match field.to_ascii_uppercase().as_str() {
                "HZ" => self.unit_hz = 1.0,
                "KHZ" => self.unit_hz = 1e3,
                "MHZ" => self.unit_hz = 1e6,
                "GHZ" => self.unit_hz = 1e9,
                "S" => {}
                "Y" | "Z" | "H" | "G" => {
                    return Err(self.here(format!(
                        "parameter `{field}`: only S parameters are supported"
                    )))
                }
                "RI" => self.format = Format::Ri,
                "MA" => self.format = Format::Ma,
                "DB" => self.format = Format::Db,
                "R" => {
                    let value = fields.next().ok_or_else(|| {
                        self.here("option line: `R` must be followed by the reference impedance in ohms")
                    })?;
                    self.r_ohm = self.impedance(value)?;
                    // Touchstone 2.1 (its "Version 1.1" option line): one value per
                    // port may follow R.
                    while let Some(&next) = fields.peek() {
                        if next.parse::<f64>().is_err() {
                            break;
                        }
                        let r = self.impedance(next)?;
                        if self.r_ports.is_empty() {
                            self.r_ports.push(self.r_ohm);
                        }
                        self.r_ports.push(r);
                        fields.next();
                    }
                    self.option_line_no = self.line;
                }
                _ => {
                    return Err(self.here(format!(
                        "option line: unknown field `{}` (allowed: Hz kHz MHz GHz, S, RI MA DB, R <ohms>)",
                        shorten(field)
                    )))
                }
            }
        }
        Ok(())
    }

    fn impedance(&self, token: &str) -> Result<f64> {
        match token.parse::<f64>() {
            Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
            _ => Err(self.here(format!(
                "reference impedance `{}` is not a positive finite number of ohms",
                shorten(token)
            ))),
        }
    }

    fn keyword_line(&mut self, content: &str) -> Result<()> {
        let Some((name, arg)) = keyword(content) else {
            return Err(self.here(format!("unclosed keyword bracket: `{}`", shorten(content))));
        };
        if self.version == Version::V1 {
            return Err(self.here(format!(
                "keyword `[{}]` in a Touchstone 1.x file (a 2.0 file starts with [Version] 2.0)",
                shorten(name)
            )));
        }
        if self.section == Section::Information {
            if same_keyword(name, "End Information") {
                self.section = Section::Header;
            }
            return Ok(());
        }
        if self.section == Section::Reference {
            return Err(self.here(format!(
                "[Reference] has {} of {} values",
                self.reference.len(),
                self.nports().unwrap_or(0)
            )));
        }
        if self.section == Section::MixedModeOrder {
            return Err(self.modes_incomplete());
        }
        let in_data = matches!(self.section, Section::NetworkData | Section::NoiseData);
        let k = |s: &str| same_keyword(name, s);
        if k("Version") {
            if self.line_is_not_first() {
                return Err(self.here("[Version] must be the first keyword of the file"));
            }
            if !(arg.starts_with("2.") && arg[2..].parse::<u32>().is_ok()) {
                return Err(self.here(format!("[Version] `{}`: allowed 2.0 or 2.1", shorten(arg))));
            }
            self.section = Section::Header;
            return Ok(());
        }
        if k("End") {
            if !self.record.is_empty() {
                return Err(self.incomplete_record());
            }
            self.section = Section::End;
            return Ok(());
        }
        if k("Noise Data") {
            if self.section != Section::NetworkData {
                return Err(self.here("[Noise Data] must follow the network data"));
            }
            if !self.record.is_empty() {
                return Err(self.incomplete_record());
            }
            self.section = Section::NoiseData;
            return Ok(());
        }
        if in_data {
            return Err(self.here(format!(
                "keyword `[{}]` inside the network data (allowed there: [Noise Data], [End])",
                shorten(name)
            )));
        }
        if k("Number of Ports") {
            let n = self.count(arg, "[Number of Ports]", 1, MAX_PORTS)?;
            if let Some(first) = self.nports_keyword.filter(|&first| first != n) {
                // [Reference] and [Mixed-Mode Order] were read for the first count.
                return Err(self.here(format!(
                    "[Number of Ports] {n} contradicts the earlier [Number of Ports] {first}"
                )));
            }
            if let Some(hint) = self.nports_hint {
                if hint != n {
                    return Err(self.here(format!(
                        "[Number of Ports] {n} disagrees with the {hint} ports given by the file name or `nports`"
                    )));
                }
            }
            self.nports_keyword = Some(n);
        } else if k("Two-Port Data Order") {
            self.two_port_21_12 = Some(match arg {
                "12_21" => false,
                "21_12" => true,
                _ => {
                    return Err(self.here(format!(
                        "[Two-Port Data Order] `{}`: allowed 12_21 or 21_12",
                        shorten(arg)
                    )))
                }
            });
        } else if k("Number of Frequencies") {
            self.nfreq_declared =
                Some(self.count(arg, "[Number of Frequencies]", 1, usize::MAX)?);
        } else if k("Number of Noise Frequencies") {
            self.count(arg, "[Number of Noise Frequencies]", 1, usize::MAX)?;
        } else if k("Reference") {
            if self.nports_keyword.is_none() {
                return Err(self.here("[Reference] must follow [Number of Ports]"));
            }
            self.reference.clear();
            self.section = Section::Reference;
            return self.reference_values(arg);
        } else if k("Matrix Format") {
            self.matrix = match arg.to_ascii_lowercase().as_str() {
                "full" => MatrixFormat::Full,
                "lower" => MatrixFormat::Lower,
                "upper" => MatrixFormat::Upper,
                _ => {
                    return Err(self.here(format!(
                        "[Matrix Format] `{}`: allowed Full, Lower or Upper",
                        shorten(arg)
                    )))
                }
            };
        } else if k("Mixed-Mode Order") {
            if self.nports_keyword.is_none() {
                return Err(self.here("[Mixed-Mode Order] must follow [Number of Ports]"));
            }
            if self.modes_line != 0 {
                return Err(self.here(format!(
                    "a second [Mixed-Mode Order] (the first is on line {})",
                    self.modes_line
                )));
            }
            self.modes_line = self.line;
            self.section = Section::MixedModeOrder;
            return self.mode_entries(arg);
        } else if k("Begin Information") {
            self.section = Section::Information;
        } else if k("Network Data") {
            self.begin_network_data()?;
        } else {
            return Err(self.here(format!("unknown keyword `[{}]`", shorten(name))));
        }
        Ok(())
    }

    /// `[Version]` may only be preceded by comments: nothing has been set yet.
    fn line_is_not_first(&self) -> bool {
        self.seen_option_line || self.nports_keyword.is_some() || self.section != Section::Header
    }

    fn count(&self, arg: &str, what: &str, min: usize, max: usize) -> Result<usize> {
        match arg.parse::<usize>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(self.here(format!(
                "{what} `{}`: allowed a whole number in {min}..={max}",
                shorten(arg)
            ))),
        }
    }

    fn reference_values(&mut self, content: &str) -> Result<()> {
        let n = self.nports_keyword.unwrap_or(0);
        for token in content.split_whitespace() {
            if self.reference.len() == n {
                return Err(self.here(format!("[Reference] has more than {n} values")));
            }
            let r = self.impedance(token)?;
            self.reference.push(r);
        }
        self.section = if self.reference.len() == n {
            Section::Header
        } else {
            Section::Reference
        };
        Ok(())
    }

    /// Reads `[Mixed-Mode Order]` entries (`D2,3 C2,3 S1 …`) until there are as many
    /// as ports, then checks the list and builds M.
    fn mode_entries(&mut self, content: &str) -> Result<()> {
        let n = self.nports_keyword.unwrap_or(0);
        for token in content.split_whitespace() {
            if self.modes.len() == n {
                return Err(self.here(format!(
                    "[Mixed-Mode Order] has more than {n} entries (one per port)"
                )));
            }
            let mode = self.mode(token, n)?;
            self.modes.push(mode);
        }
        if self.modes.len() == n {
            self.mode_columns = Some(self.mode_columns(n)?);
            self.section = Section::Header;
        }
        Ok(())
    }

    /// One entry: `S<p>`, `D<p>,<n>` or `C<p>,<n>` (letter case-insensitive), ports in
    /// 1..=n, the two ports of a mode different.
    fn mode(&self, token: &str, n: usize) -> Result<Mode> {
        let bad = || {
            self.here(format!(
                "[Mixed-Mode Order] entry `{}`: allowed S<p>, D<p>,<n> or C<p>,<n> with ports in 1..={n}",
                shorten(token)
            ))
        };
        let mut chars = token.chars();
        let kind = chars.next().ok_or_else(bad)?.to_ascii_uppercase();
        let port = |s: &str| match s.parse::<usize>() {
            Ok(p) if (1..=n).contains(&p) => Ok(p - 1),
            _ => Err(bad()),
        };
        let rest = chars.as_str();
        match (kind, rest.split_once(',')) {
            ('S', None) => Ok(Mode::Single(port(rest)?)),
            ('D' | 'C', Some((a, b))) => {
                let (p, q) = (port(a)?, port(b)?);
                if p == q {
                    return Err(self.here(format!(
                        "[Mixed-Mode Order] entry `{}` pairs port {} with itself",
                        shorten(token),
                        p + 1
                    )));
                }
                Ok(if kind == 'D' {
                    Mode::Differential(p, q)
                } else {
                    Mode::Common(p, q)
                })
            }
            _ => Err(bad()),
        }
    }

    /// Checks the complete list — every port in exactly one `S` entry or in one pair
    /// with both its `D` and its `C` entry, in the same port order — and returns M by
    /// columns.
    fn mode_columns(&self, n: usize) -> Result<ModeColumns> {
        const D: u8 = 1;
        const C: u8 = 2;
        const S: u8 = 4;
        // Per port: which entries name it, and for a pair port its partner and
        // whether it is the positive one.
        let mut seen = vec![0u8; n];
        let mut partner: Vec<Option<(usize, bool)>> = vec![None; n];
        let mut columns: ModeColumns = vec![[(0, 0.0); 2]; n];
        let h = std::f64::consts::FRAC_1_SQRT_2;
        for (r, &mode) in self.modes.iter().enumerate() {
            match mode {
                Mode::Single(p) => {
                    if seen[p] != 0 {
                        return Err(self.here(format!(
                            "[Mixed-Mode Order] entry S{}: {}",
                            p + 1,
                            Self::taken(p)
                        )));
                    }
                    seen[p] = S;
                    columns[p] = [(r, 1.0), (r, 0.0)];
                }
                Mode::Differential(p, q) | Mode::Common(p, q) => {
                    let (bit, letter, sign) = match mode {
                        Mode::Differential(..) => (D, 'D', -1.0),
                        _ => (C, 'C', 1.0),
                    };
                    for (port, other, positive, weight) in
                        [(p, q, true, h), (q, p, false, sign * h)]
                    {
                        if seen[port] & (S | bit) != 0
                            || partner[port].is_some_and(|x| x != (other, positive))
                        {
                            return Err(self.here(format!(
                                "[Mixed-Mode Order] entry {letter}{},{}: {}",
                                p + 1,
                                q + 1,
                                Self::taken(port)
                            )));
                        }
                        let slot = usize::from(seen[port] != 0);
                        seen[port] |= bit;
                        partner[port] = Some((other, positive));
                        columns[port][slot] = (r, weight);
                    }
                }
            }
        }
        if let Some(p) = (0..n).find(|&p| seen[p] != S && seen[p] != D | C) {
            return Err(self.here(match partner[p] {
                Some((q, positive)) => {
                    let (a, b) = if positive { (p, q) } else { (q, p) };
                    let missing = if seen[p] == D { 'C' } else { 'D' };
                    format!(
                        "[Mixed-Mode Order] has no {missing}{},{} entry: a pair needs both its D and its C entry",
                        a + 1,
                        b + 1
                    )
                }
                None => format!("[Mixed-Mode Order] names no entry for port {}", p + 1),
            }));
        }
        Ok(columns)
    }

    fn taken(port: usize) -> String {
        format!(
            "port {} is already in another entry (each port is in one S entry, or in one pair's D and C entries with the same port order)",
            port + 1
        )
    }

    fn modes_incomplete(&self) -> Error {
        self.error(
            self.modes_line,
            format!(
                "[Mixed-Mode Order] has {} of its {} entries (one per port)",
                self.modes.len(),
                self.nports_keyword.unwrap_or(0)
            ),
        )
    }

    fn begin_network_data(&mut self) -> Result<()> {
        let Some(n) = self.nports_keyword else {
            return Err(self.here("[Network Data] before [Number of Ports]"));
        };
        if self.nfreq_declared.is_none() {
            return Err(self.here("[Network Data] before [Number of Frequencies]"));
        }
        if n == 2 && self.two_port_21_12.is_none() {
            return Err(
                self.here("a two-port 2.0 file needs [Two-Port Data Order] before [Network Data]")
            );
        }
        self.section = Section::NetworkData;
        Ok(())
    }

    fn data_line(&mut self, content: &str) -> Result<()> {
        let Some(n) = self.nports() else {
            return Err(Error::invalid(
                "nports",
                "the port count N (from the .sNp file name): required for a Touchstone 1.x file",
                "none",
            ));
        };
        let pairs = match self.matrix {
            MatrixFormat::Full => n * n,
            _ => n * (n + 1) / 2,
        };
        let record_len = 1 + 2 * pairs;
        for token in content.split_ascii_whitespace() {
            let value = match token.parse::<f64>() {
                Ok(v) if v.is_finite() => v,
                Ok(_) => {
                    return Err(self.here(format!("`{}` is not a finite number", shorten(token))))
                }
                Err(_) => {
                    return Err(self.here(format!("`{}` is not a number", shorten(token))));
                }
            };
            if self.record.is_empty() {
                if self.start_record(value, n)? {
                    return Ok(());
                }
                self.record_line = self.line;
            }
            self.record.push(value);
            if self.record.len() == record_len {
                self.end_record(n)?;
            }
        }
        Ok(())
    }

    /// Checks the frequency that opens a record; `Ok(true)` when it opens the noise
    /// block of a 1.x two-port file instead.
    fn start_record(&mut self, f: f64, n: usize) -> Result<bool> {
        if f < 0.0 {
            return Err(self.here(format!("negative frequency {f}")));
        }
        let f_hz = f * self.unit_hz;
        if !f_hz.is_finite() {
            return Err(self.here(format!("frequency {f} overflows in hertz")));
        }
        if let Some(&last) = self.freqs_hz.last() {
            if f_hz <= last {
                if self.version == Version::V1 && n == 2 {
                    self.section = Section::NoiseData;
                    return Ok(true);
                }
                return Err(self.here(format!(
                    "frequency {f} is not above the previous one: frequencies must increase"
                )));
            }
        }
        if Some(self.freqs_hz.len()) == self.nfreq_declared {
            return Err(self.here(format!(
                "more frequencies than [Number of Frequencies] {}",
                self.freqs_hz.len()
            )));
        }
        Ok(false)
    }

    fn end_record(&mut self, n: usize) -> Result<()> {
        let layout = self.layout.get_or_insert_with(|| {
            Layout::new(n, self.matrix, self.two_port_21_12.unwrap_or(true))
        });
        self.freqs_hz.push(self.record[0] * self.unit_hz);
        let base = self.s.len();
        self.s.resize(base + n * n, Complex64::new(0.0, 0.0));
        let matrix = &mut self.s[base..];
        for (k, &(i, j)) in layout.slots.iter().enumerate() {
            let c = self
                .format
                .complex(self.record[1 + 2 * k], self.record[2 + 2 * k]);
            if !(c.re.is_finite() && c.im.is_finite()) {
                return Err(Error::Parse {
                    source: self.source.to_string(),
                    line: self.line,
                    message: format!(
                        "S{}{} = ({}, {}) overflows",
                        i + 1,
                        j + 1,
                        self.record[1 + 2 * k],
                        self.record[2 + 2 * k]
                    ),
                });
            }
            matrix[i * n + j] = c;
            if layout.symmetric {
                matrix[j * n + i] = c;
            }
        }
        if let Some(columns) = &self.mode_columns {
            // S = Mᵀ·S_mm·M: S[i][j] = Σ M[r][i]·S_mm[r][c]·M[c][j], at most four terms.
            self.scratch.clear();
            self.scratch.extend_from_slice(matrix);
            for (i, ci) in columns.iter().enumerate() {
                for (j, cj) in columns.iter().enumerate() {
                    let mut v = Complex64::new(0.0, 0.0);
                    for &(r, a) in ci {
                        for &(c, b) in cj {
                            v += self.scratch[r * n + c] * (a * b);
                        }
                    }
                    matrix[i * n + j] = v;
                }
            }
        }
        self.record.clear();
        Ok(())
    }

    fn incomplete_record(&self) -> Error {
        let n = self.nports().unwrap_or(0);
        let pairs = match self.matrix {
            MatrixFormat::Full => n * n,
            _ => n * (n + 1) / 2,
        };
        self.error(
            self.record_line,
            format!(
                "the frequency record starting on this line has {} of its {} values (frequency + {pairs} pairs for {n} ports)",
                self.record.len(),
                1 + 2 * pairs
            ),
        )
    }

    fn finish(mut self, last_line: usize) -> Result<Parsed> {
        self.line = last_line;
        match self.section {
            Section::Reference => {
                return Err(self.here(format!(
                    "[Reference] has {} of {} values",
                    self.reference.len(),
                    self.nports().unwrap_or(0)
                )))
            }
            Section::Information => {
                return Err(self.here("[Begin Information] without [End Information]"))
            }
            Section::MixedModeOrder => return Err(self.modes_incomplete()),
            Section::Header if self.version == Version::V2 => {
                return Err(self.here("no [Network Data] in a 2.0 file"))
            }
            _ => {}
        }
        if !self.record.is_empty() {
            return Err(self.incomplete_record());
        }
        if self.freqs_hz.is_empty() {
            return Err(self.here("no network data"));
        }
        if let Some(m) = self.nfreq_declared {
            if m != self.freqs_hz.len() {
                return Err(self.here(format!(
                    "[Number of Frequencies] is {m} but the network data hold {}",
                    self.freqs_hz.len()
                )));
            }
        }
        let nports = self.nports().unwrap_or(0);
        let z0 = if !self.reference.is_empty() {
            // [Reference] (2.0) takes precedence over the option line's R.
            std::mem::take(&mut self.reference)
        } else if self.r_ports.is_empty() {
            vec![self.r_ohm; nports]
        } else if self.r_ports.len() == nports {
            std::mem::take(&mut self.r_ports)
        } else {
            return Err(self.error(
                self.option_line_no,
                format!(
                    "option line: {} reference impedances after R for {nports} ports (give one, or one per port)",
                    self.r_ports.len()
                ),
            ));
        };
        for mode in &self.modes {
            if let Mode::Differential(p, q) = *mode {
                if z0[p] != z0[q] {
                    return Err(self.error(
                        self.modes_line,
                        format!(
                            "[Mixed-Mode Order] pairs ports {} and {} whose [Reference] impedances differ ({} and {} ohms); the mixed-mode conversion needs them equal",
                            p + 1,
                            q + 1,
                            z0[p],
                            z0[q]
                        ),
                    ));
                }
            }
        }
        Ok(Parsed {
            freqs_hz: self.freqs_hz,
            s: self.s,
            z0,
            nports,
        })
    }
}

/// At most 40 characters of `s` for a message (whole characters, never a panic on
/// a multi-byte boundary).
fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
