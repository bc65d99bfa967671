//! Tests of the Touchstone parser, [`Network`], mixed mode and insertion loss. The
//! expected values are written by hand from the standard's layouts, or are closed
//! forms (ideal lines, dB ↔ magnitude); the Python tests compare with scikit-rf.

use super::*;
use crate::Error;
use proptest::prelude::*;

fn c(re: f64, im: f64) -> Complex64 {
    Complex64::new(re, im)
}

fn close(a: Complex64, b: Complex64) -> bool {
    (a - b).norm() <= 1e-12 * (1.0 + b.norm())
}

/// The line of a parse error, panicking (in the test) on any other result.
fn parse_err(text: &str, nports: Option<usize>) -> (usize, String) {
    match Network::parse(text, nports) {
        Err(Error::Parse {
            source,
            line,
            message,
        }) => {
            assert_eq!(source, "<text>");
            (line, message)
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn one_port_ri_hz_with_comments() {
    let text = "! a comment line\n\
                # Hz S RI R 50 ! trailing comment\n\
                \n\
                1e6 0.5 -0.25 ! S11 at 1 MHz\n\
                2e6\t0.125 0.0\n";
    let net = Network::parse(text, Some(1)).unwrap();
    assert_eq!(net.nports(), 1);
    assert_eq!(net.freqs_hz(), &[1e6, 2e6]);
    assert_eq!(net.s(), &[c(0.5, -0.25), c(0.125, 0.0)]);
    assert_eq!(net.z0(), &[50.0]);
}

#[test]
fn defaults_are_ghz_s_ma_r50() {
    // No option line at all: GHz, MA, 50 ohm.
    let net = Network::parse("1.5 2 90\n", Some(1)).unwrap();
    assert_eq!(net.freqs_hz(), &[1.5e9]);
    assert!(close(net.s()[0], c(0.0, 2.0)));
    assert_eq!(net.z0(), &[50.0]);
    // An empty option line keeps them.
    let net = Network::parse("#\n1 1 180\n", Some(1)).unwrap();
    assert_eq!(net.freqs_hz(), &[1e9]);
    assert!(close(net.s()[0], c(-1.0, 0.0)));
}

#[test]
fn every_unit() {
    for (unit, scale) in [("hz", 1.0), ("KHz", 1e3), ("mhz", 1e6), ("GHZ", 1e9)] {
        let net = Network::parse(&format!("# {unit}\n3 1 0\n"), Some(1)).unwrap();
        assert_eq!(net.freqs_hz(), &[3.0 * scale], "{unit}");
    }
}

#[test]
fn every_format() {
    // The same S11 = 0.5∠60° written three ways.
    let want = Complex64::from_polar(0.5, 60f64.to_radians());
    let db = 20.0 * 0.5f64.log10();
    for line in [
        format!("# RI\n1 {} {}\n", want.re, want.im),
        "# MA\n1 0.5 60\n".to_string(),
        format!("# DB\n1 {db} 60\n"),
    ] {
        let net = Network::parse(&line, Some(1)).unwrap();
        assert!(close(net.s()[0], want), "{line}: {}", net.s()[0]);
    }
}

#[test]
fn option_fields_in_any_order_and_case() {
    let net = Network::parse("# r 75 ri s khz\n2 1 0\n", Some(1)).unwrap();
    assert_eq!(net.z0(), &[75.0]);
    assert_eq!(net.freqs_hz(), &[2e3]);
    assert_eq!(net.s()[0], c(1.0, 0.0));
}

#[test]
fn two_port_1x_is_s11_s21_s12_s22() {
    let text = "# GHz S RI R 50\n1 11 0 21 0 12 0 22 0\n";
    let net = Network::parse(text, Some(2)).unwrap();
    assert_eq!(net.s(), &[c(11., 0.), c(12., 0.), c(21., 0.), c(22., 0.)]);
    assert_eq!(net.s_param(2, 1).unwrap(), vec![c(21., 0.)]);
    assert_eq!(net.s_param(1, 2).unwrap(), vec![c(12., 0.)]);
}

#[test]
fn two_port_1x_noise_data_are_skipped() {
    let text = "# MHz S MA R 50\n\
                100 1 0 2 0 3 0 4 0\n\
                200 1 0 2 0 3 0 4 0\n\
                ! noise parameters\n\
                100 1.5 0.3 20 0.2\n\
                200 1.6 0.3 25 0.2\n";
    let net = Network::parse(text, Some(2)).unwrap();
    assert_eq!(net.freqs_hz(), &[100e6, 200e6]);
    assert_eq!(net.s().len(), 8);
}

#[test]
fn three_port_1x_rows_on_lines() {
    let text = "# Hz S RI\n\
                10 11 1 12 1 13 1\n\
                   21 1 22 1 23 1\n\
                   31 1 32 1 33 1\n";
    let net = Network::parse(text, Some(3)).unwrap();
    let want: Vec<Complex64> = [11., 12., 13., 21., 22., 23., 31., 32., 33.]
        .iter()
        .map(|&v| c(v, 1.0))
        .collect();
    assert_eq!(net.s(), want.as_slice());
    assert_eq!(net.s_param(3, 2).unwrap(), vec![c(32.0, 1.0)]);
}

/// 1.x wraps rows of more than four pairs onto continuation lines.
#[test]
fn five_port_1x_rows_wrap_after_four_pairs() {
    let mut text = String::from("# Hz S RI\n");
    for f in [1, 2] {
        text.push_str(&format!("{f}"));
        for i in 1..=5 {
            let row: Vec<String> = (1..=5).map(|j| format!("{}{} {}", i, j, f)).collect();
            text.push_str(&format!(" {}\n{}\n", row[..4].join(" "), row[4]));
        }
    }
    let net = Network::parse(&text, Some(5)).unwrap();
    assert_eq!(net.nfreq(), 2);
    assert_eq!(net.s_param(4, 5).unwrap(), vec![c(45.0, 1.0), c(45.0, 2.0)]);
    assert_eq!(net.s_param(5, 1).unwrap(), vec![c(51.0, 1.0), c(51.0, 2.0)]);
}

#[test]
fn crlf_line_ends() {
    let net = Network::parse("# Hz S RI\r\n1 0.5 0\r\n2 0.25 0\r\n", Some(1)).unwrap();
    assert_eq!(net.freqs_hz(), &[1.0, 2.0]);
}

#[test]
fn extra_option_lines_in_1x_are_ignored() {
    let net = Network::parse("# Hz S RI\n# GHz S MA\n1 0.5 0\n", Some(1)).unwrap();
    assert_eq!(net.freqs_hz(), &[1.0]);
}

fn v2(body: &str) -> String {
    format!("! header comment\n[Version] 2.0\n{body}")
}

#[test]
fn per_port_reference_on_the_option_line() {
    // Touchstone 2.1 ("Version 1.1" option line): one R value per port.
    let net = Network::parse("# Hz S RI R 50 75.5\n1 0 0 0.5 0 0.5 0 0 0\n", Some(2)).unwrap();
    assert_eq!(net.z0(), &[50.0, 75.5]);
    assert_eq!(net.s_param(2, 1).unwrap(), vec![c(0.5, 0.0)]);
    // A 2.0 [Reference] takes precedence over it.
    let text = v2("# Hz S RI R 50 60\n[Number of Ports] 2\n[Two-Port Data Order] 12_21\n\
                   [Number of Frequencies] 1\n[Reference] 40 45\n[Network Data]\n1 0 0 0 0 0 0 0 0\n[End]\n");
    assert_eq!(Network::parse(&text, None).unwrap().z0(), &[40.0, 45.0]);
    let text = v2(
        "# Hz S RI R 50 60\n[Number of Ports] 2\n[Two-Port Data Order] 12_21\n\
                   [Number of Frequencies] 1\n[Network Data]\n1 0 0 0 0 0 0 0 0\n[End]\n",
    );
    assert_eq!(Network::parse(&text, None).unwrap().z0(), &[50.0, 60.0]);
}

#[test]
fn v2_two_port_data_orders() {
    for (order, s12, s21) in [("12_21", 2.0, 3.0), ("21_12", 3.0, 2.0)] {
        let text = v2(&format!(
            "# Hz S RI R 50\n[Number of Ports] 2\n[Two-Port Data Order] {order}\n\
             [Number of Frequencies] 1\n[Network Data]\n5 1 0 2 0 3 0 4 0\n[End]\n"
        ));
        let net = Network::parse(&text, None).unwrap();
        assert_eq!(net.s_param(1, 2).unwrap(), vec![c(s12, 0.0)], "{order}");
        assert_eq!(net.s_param(2, 1).unwrap(), vec![c(s21, 0.0)], "{order}");
        assert_eq!(net.s_param(2, 2).unwrap(), vec![c(4.0, 0.0)]);
    }
}

#[test]
fn v2_full_four_port_with_reference_on_two_lines_and_information() {
    let mut data = String::new();
    for f in [1, 2] {
        data.push_str(&format!("{f}"));
        for i in 1..=4 {
            for j in 1..=4 {
                data.push_str(&format!(" {i}{j} -{f}"));
            }
            data.push('\n');
        }
    }
    let text = v2(&format!(
        "# MHz S RI R 50\n[Number of Ports] 4\n[Number of Frequencies] 2\n\
         [Reference] 40 45\n 50 55\n[Begin Information]\nanything [at] all\n[End Information]\n\
         [Network Data]\n{data}[End]\nignored after end\n"
    ));
    let net = Network::parse(&text, Some(4)).unwrap();
    assert_eq!(net.z0(), &[40.0, 45.0, 50.0, 55.0]);
    assert_eq!(net.freqs_hz(), &[1e6, 2e6]);
    assert_eq!(
        net.s_param(3, 4).unwrap(),
        vec![c(34.0, -1.0), c(34.0, -2.0)]
    );
    assert_eq!(
        net.s_param(4, 1).unwrap(),
        vec![c(41.0, -1.0), c(41.0, -2.0)]
    );
}

#[test]
fn v2_lower_and_upper_fill_by_symmetry() {
    let lower = "[Matrix Format] Lower\n[Network Data]\n1 11 0\n21 0 22 0\n31 0 32 0 33 0\n[End]\n";
    let upper = "[Matrix Format] upper\n[Network Data]\n1 11 0 12 0 13 0\n22 0 23 0\n33 0\n[End]\n";
    let head = "# Hz S RI\n[Number of Ports] 3\n[Number of Frequencies] 1\n";
    let l = Network::parse(&v2(&format!("{head}{lower}")), None).unwrap();
    let u = Network::parse(&v2(&format!("{head}{upper}")), None).unwrap();
    let re = |net: &Network| net.s().iter().map(|c| c.re).collect::<Vec<_>>();
    assert_eq!(re(&l), [11., 21., 31., 21., 22., 32., 31., 32., 33.]);
    assert_eq!(re(&u), [11., 12., 13., 12., 22., 23., 13., 23., 33.]);
    assert_eq!(l.z0(), &[50.0; 3]);
}

#[test]
fn v2_noise_data_skipped_and_keywords_case_insensitive() {
    let text = v2(
        "#  Hz S RI R 50\n[NUMBER OF PORTS] 2\n[two-port data order] 21_12\n\
                   [Number of  Frequencies] 1\n[Number of Noise Frequencies] 1\n[Network Data]\n\
                   1 1 0 2 0 3 0 4 0\n[Noise Data]\n1 1.5 0.3 20 0.2\n[End]\n",
    );
    let net = Network::parse(&text, None).unwrap();
    assert_eq!(net.nfreq(), 1);
}

#[test]
fn version_2_1_accepted() {
    let text = "[Version] 2.1\n# Hz S RI\n[Number of Ports] 1\n[Number of Frequencies] 1\n\
                [Network Data]\n1 0.5 0\n[End]\n";
    assert_eq!(Network::parse(text, Some(1)).unwrap().s()[0], c(0.5, 0.0));
}

#[test]
fn malformed_lines_give_their_line_numbers() {
    // (text, nports, line, words the message must hold)
    let cases: &[(&str, Option<usize>, usize, &str)] = &[
        ("# Hz S RI\n1 0.5 x\n", Some(1), 2, "`x` is not a number"),
        ("# Hz S RI\n1 0.5 nan\n", Some(1), 2, "not a finite number"),
        ("# Hz S RI\n1 0.5 0\n\n2 0.5\n", Some(1), 4, "has 2 of its 3 values"),
        ("# Hz S Y RI\n1 0.5 0\n", Some(1), 1, "only S parameters"),
        ("# Hz Z\n", Some(1), 1, "only S parameters"),
        ("!c\n# Hz S RI Q\n", Some(1), 2, "unknown field `Q`"),
        ("# Hz S RI R\n", Some(1), 1, "`R` must be followed"),
        ("# Hz S RI R -5\n", Some(1), 1, "not a positive finite"),
        ("! c\n# Hz S RI R 50 75\n1 0.5 0\n", Some(1), 2, "2 reference impedances after R for 1 ports"),
        ("# Hz S RI R 50 x\n", Some(1), 1, "unknown field `x`"),
        ("# Hz S RI R 50 -75\n", Some(2), 1, "`-75` is not a positive finite"),
        ("# Hz S RI\n[Number of Ports] 1\n", Some(1), 2, "Touchstone 1.x"),
        ("# Hz S RI\n1 1 0\n0.5 1 0\n", Some(1), 3, "frequencies must increase"),
        ("# Hz S RI\n1 1 0\n1 1 0\n", Some(1), 3, "frequencies must increase"),
        ("# Hz S RI\n-1 1 0\n", Some(1), 2, "negative frequency"),
        ("# GHz S RI\n1e300 1 0\n", Some(1), 2, "overflows"),
        ("# Hz S DB\n1 7000 0\n", Some(1), 2, "overflows"),
        ("1 1 0\n# MHz S RI\n", Some(1), 2, "after network data"),
        ("", Some(1), 1, "no network data"),
        ("! only a comment\n# Hz S RI\n", Some(2), 2, "no network data"),
        ("[Version] 3.0\n", None, 1, "allowed 2.0 or 2.1"),
        ("[Version] 2.0\n[Number of Ports\n", None, 2, "unclosed"),
        ("[Version] 2.0\n[Foo] 1\n", None, 2, "unknown keyword `[Foo]`"),
        ("[Version] 2.0\n[Number of Ports] 0\n", None, 2, "allowed a whole number"),
        ("[Version] 2.0\n[Number of Ports] 99999\n", None, 2, "1..=1024"),
        ("[Version] 2.0\n[Number of Ports] 2\n[Two-Port Data Order] 12\n", None, 3, "12_21 or 21_12"),
        ("[Version] 2.0\n[Matrix Format] Diagonal\n", None, 2, "Full, Lower or Upper"),
        ("[Version] 2.0\n[Mixed-Mode Order] D2,3 D1,4\n", None, 2, "must follow [Number of Ports]"),
        (
            "[Version] 2.0\n[Number of Ports] 4\n[Mixed-Mode Order] D1,2 C1,2 D3,4 C3,4\n[Number of Ports] 2\n",
            None,
            4,
            "contradicts the earlier [Number of Ports] 4",
        ),
        ("[Version] 2.0\n# Hz\n# Hz\n", None, 3, "only one is allowed"),
        ("[Version] 2.0\n1 2 3\n", None, 2, "before [Network Data]"),
        ("[Version] 2.0\n[Reference] 50\n", None, 2, "must follow [Number of Ports]"),
        ("[Version] 2.0\n[Network Data]\n", None, 2, "before [Number of Ports]"),
        ("[Version] 2.0\n[Number of Ports] 1\n[Network Data]\n", None, 3, "before [Number of Frequencies]"),
        (
            "[Version] 2.0\n[Number of Ports] 2\n[Number of Frequencies] 1\n[Network Data]\n",
            None,
            4,
            "[Two-Port Data Order]",
        ),
        (
            "[Version] 2.0\n[Number of Ports] 2\n[Reference] 50 50 50\n",
            None,
            3,
            "more than 2 values",
        ),
        (
            "[Version] 2.0\n[Number of Ports] 2\n[Reference] 50\n[Number of Frequencies] 1\n",
            None,
            4,
            "[Reference] has 1 of 2",
        ),
        ("[Version] 2.0\n[Begin Information]\nx\n", None, 3, "without [End Information]"),
        ("[Version] 2.0\n# Hz S RI\n[Number of Ports] 1\n", None, 3, "no [Network Data]"),
        (
            "[Version] 2.0\n# Hz S RI\n[Number of Ports] 1\n[Number of Frequencies] 2\n[Network Data]\n1 1 0\n[End]\n",
            None,
            7,
            "[Number of Frequencies] is 2 but the network data hold 1",
        ),
        (
            "[Version] 2.0\n# Hz S RI\n[Number of Ports] 1\n[Number of Frequencies] 1\n[Network Data]\n1 1 0\n2 1 0\n",
            None,
            7,
            "more frequencies than",
        ),
        (
            "[Version] 2.0\n# Hz S RI\n[Number of Ports] 1\n[Number of Frequencies] 1\n[Network Data]\n1 1\n[End]\n",
            None,
            6,
            "has 2 of its 3 values",
        ),
        (
            "[Version] 2.0\n# Hz S RI\n[Number of Ports] 1\n[Number of Frequencies] 1\n[Network Data]\n[Number of Ports] 1\n",
            None,
            6,
            "inside the network data",
        ),
        (
            "[Version] 2.0\n# Hz S RI\n[Number of Ports] 1\n[Number of Frequencies] 1\n[Noise Data]\n",
            None,
            5,
            "must follow the network data",
        ),
        ("[Version] 2.0\n[Number of Ports] 3\n", Some(4), 2, "disagrees with the 4 ports"),
    ];
    for &(text, nports, line, words) in cases {
        let (got_line, message) = parse_err(text, nports);
        assert_eq!(got_line, line, "{text:?}: {message}");
        assert!(message.contains(words), "{text:?}: {message}");
    }
}

#[test]
fn nports_argument_errors() {
    for bad in [Some(0), Some(MAX_PORTS + 1)] {
        let e = Network::parse("1 1 0\n", bad).unwrap_err();
        assert!(
            matches!(e, Error::InvalidParameter { name: "nports", .. }),
            "{e}"
        );
    }
    // A 1.x file does not say how many ports it has.
    let e = Network::parse("1 1 0\n", None).unwrap_err();
    assert!(e.to_string().contains("`nports`"), "{e}");
}

#[test]
fn long_garbage_is_shortened_in_messages() {
    let token = "é".repeat(100);
    let (_, message) = parse_err(&format!("1 {token} 0\n"), Some(1));
    assert!(message.chars().count() < 80, "{message}");
}

#[test]
fn files_missing_and_named() {
    let e = Network::from_file("/nonexistent/dir/x.s2p").unwrap_err();
    assert!(
        matches!(&e, Error::Io { path, .. } if path == "/nonexistent/dir/x.s2p"),
        "{e}"
    );
    let dir = std::env::temp_dir().join(format!("serdes-dsp-ts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("line.S2P");
    // Latin-1 "Ω" in a comment: not UTF-8, must not matter.
    let mut bytes = b"! 50 \xd9 line\n# Hz S RI\n1 0 0 1 0 1 0 0 0\n".to_vec();
    std::fs::write(&good, &bytes).unwrap();
    let net = Network::from_file(&good).unwrap();
    assert_eq!(net.s_param(2, 1).unwrap(), vec![c(1.0, 0.0)]);
    bytes.extend_from_slice(b"2 0 0 oops 0 1 0 0 0\n");
    let bad = dir.join("bad.s2p");
    std::fs::write(&bad, &bytes).unwrap();
    match Network::from_file(&bad).unwrap_err() {
        Error::Parse { source, line, .. } => {
            assert_eq!((source.as_str(), line), ("bad.s2p", 4));
        }
        e => panic!("{e}"),
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn extension_gives_port_count() {
    assert_eq!(nports_from_extension("a/b.s4p"), Some(4));
    assert_eq!(nports_from_extension("B.S12P"), Some(12));
    assert_eq!(nports_from_extension("x.ts"), None);
    assert_eq!(nports_from_extension("x.sp"), None);
    assert_eq!(nports_from_extension("x.s+1p"), None);
    assert_eq!(nports_from_extension("x"), None);
}

/// The argument an error names.
fn name<T: std::fmt::Debug>(r: crate::Result<T>) -> &'static str {
    match r.unwrap_err() {
        Error::InvalidParameter { name, .. }
        | Error::LengthMismatch { name, .. }
        | Error::NonFinite { name, .. } => name,
        e => panic!("{e}"),
    }
}

#[test]
fn network_new_checks_every_argument() {
    let one = vec![c(0.0, 0.0)];
    assert_eq!(
        name(Network::new(vec![1.0], one.clone(), vec![50.0], 0)),
        "nports"
    );
    assert_eq!(
        name(Network::new(vec![], vec![], vec![50.0], 1)),
        "freqs_hz"
    );
    assert_eq!(
        name(Network::new(vec![f64::NAN], one.clone(), vec![50.0], 1)),
        "freqs_hz"
    );
    assert_eq!(
        name(Network::new(vec![-1.0], one.clone(), vec![50.0], 1)),
        "freqs_hz"
    );
    assert_eq!(
        name(Network::new(vec![2.0, 1.0], vec![one[0]; 2], vec![50.0], 1)),
        "freqs_hz"
    );
    assert_eq!(name(Network::new(vec![1.0], vec![], vec![50.0], 1)), "s");
    assert_eq!(
        name(Network::new(
            vec![1.0],
            vec![c(f64::INFINITY, 0.0)],
            vec![50.0],
            1
        )),
        "s"
    );
    assert_eq!(name(Network::new(vec![1.0], one.clone(), vec![], 1)), "z0");
    assert_eq!(
        name(Network::new(vec![1.0], one.clone(), vec![0.0], 1)),
        "z0"
    );
    let net = Network::new(vec![1.0], one, vec![50.0], 1).unwrap();
    assert_eq!(name(net.s_param(0, 1)), "i");
    assert_eq!(name(net.s_param(1, 2)), "j");
}

/// A 4-port of two uncoupled, matched lines with transmissions `t_pos` (the
/// positive leg) and `t_neg`, laid out with `ordering`.
fn two_lines(t_pos: Complex64, t_neg: Complex64, ordering: PortOrdering) -> Network {
    // (input, output) single-ended ports (0-based) of the positive and negative legs.
    let (pos, neg) = match ordering {
        PortOrdering::OddEven => ((0, 1), (2, 3)),
        PortOrdering::Adjacent => ((0, 2), (1, 3)),
    };
    let mut s = vec![c(0.0, 0.0); 16];
    for ((a, b), t) in [(pos, t_pos), (neg, t_neg)] {
        s[b * 4 + a] = t;
        s[a * 4 + b] = t;
    }
    Network::new(vec![1e9], s, vec![50.0; 4], 4).unwrap()
}

#[test]
fn mixed_mode_of_ideal_lines_in_closed_form() {
    let (t1, t2) = (c(0.6, -0.3), c(0.5, 0.1));
    for ordering in [PortOrdering::OddEven, PortOrdering::Adjacent] {
        let net = two_lines(t1, t2, ordering);
        // a_d = (a+ − a−)/√2 travels as (t1 a+ − t2 a−)/√2: SDD21 = (t1+t2)/2,
        // SCD21 = (t1−t2)/2, SCC21 = (t1+t2)/2, SDC21 = (t1−t2)/2.
        let (f, sdd21) = net.sdd21(ordering).unwrap();
        assert_eq!(f, vec![1e9]);
        assert!(close(sdd21[0], (t1 + t2) / 2.0), "{ordering:?}");
        assert!(close(net.scd21(ordering).unwrap().1[0], (t1 - t2) / 2.0));
        assert!(close(net.sdd11(ordering).unwrap().1[0], c(0.0, 0.0)));
        let mm = net.mixed_mode(ordering).unwrap();
        assert_eq!(mm.npairs, 2);
        // Blocks are 2 × 2 row-major: index 2 is (2, 1).
        assert!(close(mm.scc[2], (t1 + t2) / 2.0));
        assert!(close(mm.sdc[2], (t1 - t2) / 2.0));
        assert!(close(mm.sdd[1], (t1 + t2) / 2.0), "SDD12 by reciprocity");
        // The other ordering pairs the wrong ports: through lines become coupling.
        let other = match ordering {
            PortOrdering::OddEven => PortOrdering::Adjacent,
            PortOrdering::Adjacent => PortOrdering::OddEven,
        };
        assert!(!close(net.sdd21(other).unwrap().1[0], (t1 + t2) / 2.0));
    }
}

#[test]
fn mixed_mode_errors_name_the_argument() {
    let three = Network::new(vec![1.0], vec![c(0.0, 0.0); 9], vec![50.0; 3], 3).unwrap();
    for r in [
        three.sdd21(PortOrdering::OddEven),
        three.sdd11(PortOrdering::Adjacent),
        three.scd21(PortOrdering::OddEven),
    ] {
        let e = r.unwrap_err();
        assert!(
            matches!(e, Error::InvalidParameter { name: "nports", .. }),
            "{e}"
        );
    }
    assert!(three.mixed_mode(PortOrdering::OddEven).is_err());
    let two = Network::new(vec![1.0], vec![c(0.0, 0.0); 4], vec![50.0; 2], 2).unwrap();
    assert!(
        two.mixed_mode(PortOrdering::OddEven).is_ok(),
        "one pair is fine"
    );
    assert!(
        two.sdd21(PortOrdering::OddEven).is_err(),
        "but has no SDD21"
    );
    let z = Network::new(
        vec![1.0],
        vec![c(0.0, 0.0); 16],
        vec![50.0, 50.0, 50.0, 75.0],
        4,
    )
    .unwrap();
    let e = z.sdd21(PortOrdering::OddEven).unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { name: "z0", .. }),
        "{e}"
    );
    assert_eq!(
        PortOrdering::from_name("Odd_Even").unwrap(),
        PortOrdering::OddEven
    );
    assert_eq!(
        PortOrdering::from_name("adjacent").unwrap(),
        PortOrdering::Adjacent
    );
    assert!(PortOrdering::from_name("diagonal").is_err());
}

/// A Touchstone 2.0 file of mixed-mode data: `entries` is the `[Mixed-Mode Order]`
/// list and `rows(f)` the matrix at frequency f (Hz) in that order, row-major.
fn mixed_mode_file(
    entries: &str,
    n: usize,
    nf: usize,
    extra: &str,
    rows: impl Fn(usize) -> Vec<Complex64>,
) -> String {
    let mut data = String::new();
    for f in 1..=nf {
        data.push_str(&format!("{f}"));
        for (k, v) in rows(f).iter().enumerate() {
            data.push_str(&format!(" {:e} {:e}", v.re, v.im));
            if k % n == n - 1 {
                data.push('\n');
            }
        }
    }
    v2(&format!(
        "# Hz S RI R 50\n[Number of Ports] {n}\n[Number of Frequencies] {nf}\n{extra}\
         [Mixed-Mode Order] {entries}\n[Network Data]\n{data}[End]\n"
    ))
}

#[test]
fn v2_mixed_mode_order_in_closed_form() {
    // Two differential pairs (1,3) and (2,4), SDD21 = td and SCC21 = tc (reciprocal),
    // port 5 single-ended with reflection g, listed in a scrambled order and across
    // two lines. By hand, S = Mᵀ·S_mm·M: each leg carries (td + tc)/2, and each leg
    // couples to the other pair's opposite leg by (tc − td)/2.
    let (td, tc, g) = (c(0.6, -0.3), c(0.2, 0.1), c(-0.1, 0.05));
    let order = ["C1,3", "D2,4", "S5", "D1,3", "C2,4"];
    let mut mm = vec![c(0.0, 0.0); 25];
    let at = |e: &str| order.iter().position(|&x| x == e).unwrap();
    for (a, b, v) in [("D2,4", "D1,3", td), ("C2,4", "C1,3", tc), ("S5", "S5", g)] {
        mm[at(a) * 5 + at(b)] = v;
        mm[at(b) * 5 + at(a)] = v;
    }
    let text = v2(&format!(
        "# Hz S RI R 50\n[Number of Ports] 5\n[Number of Frequencies] 1\n\
         [Mixed-Mode Order] {} {} {}\n  {} {}\n[Network Data]\n1 {}\n[End]\n",
        order[0],
        order[1],
        order[2],
        order[3],
        order[4],
        mm.iter()
            .map(|v| format!("{} {}", v.re, v.im))
            .collect::<Vec<_>>()
            .join(" ")
    ));
    let net = Network::parse(&text, Some(5)).unwrap();
    let s = |i: usize, j: usize| net.s_param(i, j).unwrap()[0];
    let through = (td + tc) / 2.0;
    let cross = (tc - td) / 2.0;
    for (i, j, want) in [
        (2, 1, through),
        (4, 3, through),
        (1, 2, through),
        (4, 1, cross),
        (2, 3, cross),
        (3, 1, c(0.0, 0.0)),
        (1, 1, c(0.0, 0.0)),
        (5, 5, g),
        (5, 1, c(0.0, 0.0)),
    ] {
        assert!(close(s(i, j), want), "S{i}{j} = {} want {want}", s(i, j));
    }
    assert_eq!(net.z0(), &[50.0; 5]);
}

#[test]
fn v2_mixed_mode_order_errors_give_lines() {
    let head = "# Hz S RI\n[Number of Ports] 4\n[Number of Frequencies] 1\n";
    for (entries, line, want) in [
        ("D1,2 D3,4 C1,2", 6, "has 3 of its 4 entries"),
        ("D1,2 D3,4 C1,2 C3,4 S1", 6, "more than 4 entries"),
        (
            "D1,2 D1,2 C1,2 C3,4",
            6,
            "port 1 is already in another entry",
        ),
        (
            "D1,2 C2,1 D3,4 C3,4",
            6,
            "port 2 is already in another entry",
        ),
        ("D1,2 S1 D3,4 C3,4", 6, "port 1 is already"),
        ("S1 S2 S3 S3", 6, "entry S3: port 3 is already"),
        ("S1 S2 S3 D3,4", 6, "port 3 is already"),
        ("D1,5 C1,5 S2 S3", 6, "ports in 1..=4"),
        ("D1,1 C1,1 S2 S3", 6, "pairs port 1 with itself"),
        ("X1 S2 S3 S4", 6, "entry `X1`"),
        ("D1 S2 S3 S4", 6, "entry `D1`"),
        ("S1,2 S3 S4 S2", 6, "entry `S1,2`"),
        ("D1,-2 C1,2 S3 S4", 6, "entry `D1,-2`"),
    ] {
        let text = v2(&format!(
            "{head}[Mixed-Mode Order] {entries}\n[Network Data]\n1{}\n[End]\n",
            " 0 0".repeat(16)
        ));
        let (l, m) = parse_err(&text, None);
        assert_eq!(l, line, "{entries}: {m}");
        assert!(m.contains(want), "{entries}: {m}");
    }
    // Twice; before [Number of Ports]; unterminated at the end of the file.
    let twice = v2(&format!(
        "{head}[Mixed-Mode Order] S1 S2 S3 S4\n[Mixed-Mode Order] S1 S2 S3 S4\n"
    ));
    assert!(parse_err(&twice, None).1.contains("first is on line 6"));
    let (l, m) = parse_err(&v2(&format!("{head}[Mixed-Mode Order] S1\n")), None);
    assert_eq!((l, m.contains("1 of its 4")), (6, true), "{m}");
    // The two ports of a pair need one reference impedance.
    let text = mixed_mode_file(
        "D1,2 D3,4 C1,2 C3,4",
        4,
        1,
        "[Reference] 50 50 75 75\n",
        |_| vec![c(0.1, 0.0); 16],
    );
    let net = Network::parse(&text, None).unwrap();
    assert_eq!(net.z0(), &[50.0, 50.0, 75.0, 75.0]);
    let text = mixed_mode_file(
        "D1,3 D2,4 C1,3 C2,4",
        4,
        1,
        "[Reference] 50 50 75 75\n",
        |_| vec![c(0.1, 0.0); 16],
    );
    let (l, m) = parse_err(&text, None);
    assert_eq!(l, 7);
    assert!(
        m.contains("ports 1 and 3") && m.contains("[Reference]"),
        "{m}"
    );
}

#[test]
fn insertion_loss_interpolates_in_db() {
    // |S21| of 0.5 (6.0206 dB) and 0.25 (12.0412 dB).
    let text = "# Hz S MA R 50\n10 0 0 0.5 30 0.5 30 0 0\n20 0 0 0.25 60 0.25 60 0 0\n";
    let net = Network::parse(text, Some(2)).unwrap();
    let il = |f| net.insertion_loss_db(f, PortOrdering::OddEven).unwrap();
    let db = |m: f64| -20.0 * m.log10();
    assert!((il(10.0) - db(0.5)).abs() < 1e-12);
    assert!((il(20.0) - db(0.25)).abs() < 1e-12);
    assert!((il(12.5) - (0.75 * db(0.5) + 0.25 * db(0.25))).abs() < 1e-12);
    for f in [9.9, 20.1, f64::NAN] {
        let e = net.insertion_loss_db(f, PortOrdering::OddEven).unwrap_err();
        assert!(
            matches!(e, Error::InvalidParameter { name: "f_hz", .. }),
            "{e}"
        );
    }
    // A 4-port uses SDD21: two lines of 0.5 → 6.02 dB.
    let lines = two_lines(c(0.5, 0.0), c(0.0, 0.5), PortOrdering::Adjacent);
    let got = lines
        .insertion_loss_db(1e9, PortOrdering::Adjacent)
        .unwrap();
    assert!((got - db((c(0.5, 0.0) + c(0.0, 0.5)).norm() / 2.0)).abs() < 1e-12);
    let one = Network::new(vec![1.0], vec![c(0.0, 0.0)], vec![50.0], 1).unwrap();
    let e = one
        .insertion_loss_db(1.0, PortOrdering::OddEven)
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { name: "nports", .. }),
        "{e}"
    );
    // Zero transmission is an infinite loss: an error, not inf.
    assert!(insertion_loss_db(&[1.0], &[c(0.0, 0.0)], 1.0).is_err());
    assert!(insertion_loss_db(&[1.0, 2.0], &[c(1.0, 0.0)], 1.0).is_err());
    assert!(insertion_loss_db(&[], &[], 1.0).is_err());
}

/// Writes a network as Touchstone text (the test's own writer, from the standard's
/// layouts) in the given version, format, unit and matrix layout.
fn write(
    net: &Network,
    v2: bool,
    format: usize,
    unit: usize,
    matrix: usize,
    order_21_12: bool,
) -> String {
    let n = net.nports();
    let (uname, scale) = [("Hz", 1.0), ("kHz", 1e3), ("MHz", 1e6), ("GHz", 1e9)][unit];
    let fname = ["RI", "MA", "DB"][format];
    let mut out = String::from("! written by the test\n");
    if v2 {
        out.push_str("[Version] 2.0\n");
    }
    out.push_str(&format!("# {uname} S {fname} R {}\n", net.z0()[0]));
    if v2 {
        out.push_str(&format!(
            "[Number of Ports] {n}\n[Number of Frequencies] {}\n",
            net.nfreq()
        ));
        if n == 2 {
            let o = if order_21_12 { "21_12" } else { "12_21" };
            out.push_str(&format!("[Two-Port Data Order] {o}\n"));
        }
        let z: Vec<String> = net.z0().iter().map(|r| format!("{r:?}")).collect();
        out.push_str(&format!("[Reference] {}\n", z.join(" ")));
        out.push_str(&format!(
            "[Matrix Format] {}\n[Network Data]\n",
            ["Full", "Lower", "Upper"][matrix]
        ));
    }
    let pair = |z: Complex64| match format {
        0 => format!("{:?} {:?}", z.re, z.im),
        1 => format!("{:?} {:?}", z.norm(), z.arg().to_degrees()),
        _ => format!("{:?} {:?}", 20.0 * z.norm().log10(), z.arg().to_degrees()),
    };
    for (k, &f) in net.freqs_hz().iter().enumerate() {
        let m = &net.s()[k * n * n..(k + 1) * n * n];
        out.push_str(&format!("{:?}", f / scale));
        let slots: Vec<(usize, usize)> = if n == 2 && (!v2 || order_21_12) && matrix == 0 {
            vec![(0, 0), (1, 0), (0, 1), (1, 1)]
        } else {
            (0..n)
                .flat_map(|i| (0..n).map(move |j| (i, j)))
                .filter(|&(i, j)| match matrix {
                    1 => j <= i,
                    2 => j >= i,
                    _ => true,
                })
                .collect()
        };
        // A new line per row for N >= 3, at most four pairs per line.
        let mut on_line = 0;
        let mut row = slots[0].0;
        for (i, j) in slots {
            if n >= 3 && (i != row || on_line == 4) {
                out.push('\n');
                on_line = 0;
                row = i;
            }
            out.push(' ');
            out.push_str(&pair(m[i * n + j]));
            on_line += 1;
        }
        out.push('\n');
    }
    if v2 {
        out.push_str("[End]\n");
    }
    out
}

fn network_strategy() -> impl Strategy<Value = (Network, bool, usize, usize, usize, bool)> {
    (
        1usize..=6,
        1usize..=5,
        any::<bool>(),
        0usize..3,
        0usize..4,
        0usize..3,
        any::<bool>(),
    )
        .prop_flat_map(|(n, nf, v2, format, unit, matrix, order)| {
            let matrix = if v2 { matrix } else { 0 };
            (
                proptest::collection::vec((-1.0f64..1.0, -1.0f64..1.0), nf * n * n),
                proptest::collection::vec(1u32..1000, nf),
                10.0f64..100.0,
            )
                .prop_map(move |(vals, steps, z0)| {
                    let mut f = 0.0;
                    let freqs: Vec<f64> = steps
                        .iter()
                        .map(|&s| {
                            f += s as f64 * 1e6;
                            f
                        })
                        .collect();
                    let mut s: Vec<Complex64> = vals
                        .iter()
                        // Keep clear of |S| = 0, which DB cannot write.
                        .map(|&(a, b)| {
                            if a.hypot(b) < 1e-6 {
                                c(1e-3, 0.0)
                            } else {
                                c(a, b)
                            }
                        })
                        .collect();
                    if matrix != 0 {
                        // Lower/Upper can only carry a symmetric (reciprocal) matrix.
                        for k in 0..nf {
                            for i in 0..n {
                                for j in 0..i {
                                    s[k * n * n + j * n + i] = s[k * n * n + i * n + j];
                                }
                            }
                        }
                    }
                    let z0 = vec![z0.round(); n];
                    let net = Network::new(freqs, s, z0, n).unwrap();
                    (net, v2, format, unit, matrix, order)
                })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the version, format, unit and layout, writing and parsing back gives
    /// the same network (to the rounding of the polar formats).
    #[test]
    fn round_trip((net, v2, format, unit, matrix, order) in network_strategy()) {
        let text = write(&net, v2, format, unit, matrix, order);
        let hint = if v2 { None } else { Some(net.nports()) };
        let back = Network::parse(&text, hint).unwrap();
        prop_assert_eq!(back.nports(), net.nports());
        prop_assert_eq!(back.z0(), net.z0());
        for (a, b) in back.freqs_hz().iter().zip(net.freqs_hz()) {
            prop_assert!((a - b).abs() <= 1e-12 * b, "{} vs {}", a, b);
        }
        for (a, b) in back.s().iter().zip(net.s()) {
            prop_assert!((a - b).norm() <= 1e-12, "{} vs {}\n{}", a, b, text);
        }
    }

    /// Renumbering the ports from one ordering to the other gives the same
    /// mixed-mode parameters (random S, so every entry takes part).
    #[test]
    fn orderings_agree_after_renumbering(vals in proptest::collection::vec((-1.0f64..1.0, -1.0f64..1.0), 32)) {
        let s: Vec<Complex64> = vals.iter().map(|&(a, b)| c(a, b)).collect();
        let odd_even = Network::new(vec![1.0, 2.0], s.clone(), vec![50.0; 4], 4).unwrap();
        // OddEven ports (+1, +2, −1, −2) are Adjacent ports (1, 3, 2, 4).
        let to_adjacent = [0usize, 2, 1, 3];
        let mut t = vec![c(0.0, 0.0); 32];
        for k in 0..2 {
            for i in 0..4 {
                for j in 0..4 {
                    t[k * 16 + to_adjacent[i] * 4 + to_adjacent[j]] = s[k * 16 + i * 4 + j];
                }
            }
        }
        let adjacent = Network::new(vec![1.0, 2.0], t, vec![50.0; 4], 4).unwrap();
        let a = odd_even.mixed_mode(PortOrdering::OddEven).unwrap();
        let b = adjacent.mixed_mode(PortOrdering::Adjacent).unwrap();
        prop_assert_eq!(a, b);
    }

    /// A random single-ended 4-port written as mixed-mode data — the blocks from
    /// `mixed_mode()`, the rows in a random order — reads back as itself.
    #[test]
    fn mixed_mode_file_reads_back_single_ended(
        vals in proptest::collection::vec((-1.0f64..1.0, -1.0f64..1.0), 48),
        odd_even in any::<bool>(),
        perm in Just((0..4).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let s: Vec<Complex64> = vals.iter().map(|&(a, b)| c(a, b)).collect();
        let net = Network::new(vec![1.0, 2.0, 3.0], s, vec![50.0; 4], 4).unwrap();
        let ordering = if odd_even { PortOrdering::OddEven } else { PortOrdering::Adjacent };
        let mm = net.mixed_mode(ordering).unwrap();
        let pairs = ordering.pairs(4);
        // Mixed-mode row k: d1 d2 c1 c2, as in the blocks.
        let name = |k: usize| {
            let (p, n) = pairs[k % 2];
            format!("{}{},{}", if k < 2 { 'D' } else { 'C' }, p + 1, n + 1)
        };
        let value = |f: usize, r: usize, col: usize| {
            let block = match (r < 2, col < 2) {
                (true, true) => &mm.sdd,
                (true, false) => &mm.sdc,
                (false, true) => &mm.scd,
                (false, false) => &mm.scc,
            };
            block[(f - 1) * 4 + (r % 2) * 2 + col % 2]
        };
        let entries = perm.iter().map(|&k| name(k)).collect::<Vec<_>>().join(" ");
        let text = mixed_mode_file(&entries, 4, 3, "", |f| {
            perm.iter()
                .flat_map(|&r| perm.iter().map(move |&col| (r, col)))
                .map(|(r, col)| value(f, r, col))
                .collect()
        });
        let back = Network::parse(&text, Some(4)).unwrap();
        for (a, b) in back.s().iter().zip(net.s()) {
            prop_assert!((a - b).norm() <= 1e-12, "{} vs {}\n{}", a, b, text);
        }
    }

    /// Any list of near-valid `[Mixed-Mode Order]` entries, with any port count and
    /// references, is read or refused with an error, never a panic.
    #[test]
    fn mixed_mode_order_lists_never_panic(
        entries in proptest::collection::vec("[SDCsdx]?[0-4]?(,[0-4])?", 0..7),
        n in 1usize..5,
        refs in proptest::collection::vec(prop_oneof![Just(50.0), Just(75.0)], 4),
    ) {
        let data: String = (0..n * n).map(|k| format!(" 0.{k} 0")).collect();
        let reference = refs[..n].iter().map(|r| r.to_string()).collect::<Vec<_>>().join(" ");
        let text = format!(
            "[Version] 2.0\n# Hz S RI\n[Number of Ports] {n}\n[Two-Port Data Order] 12_21\n\
             [Number of Frequencies] 1\n[Reference] {reference}\n[Mixed-Mode Order] {}\n\
             [Network Data]\n1{data}\n[End]\n",
            entries.join(" ")
        );
        if let Ok(net) = Network::parse(&text, None) {
            prop_assert_eq!(net.s().len(), n * n);
            prop_assert_eq!(entries.len(), n);
        }
    }

    /// Arbitrary text never panics.
    #[test]
    fn arbitrary_text_never_panics(text in "(\\PC|\n|\\[|\\]|#|!| |[0-9.e+-]){0,300}", n in 0usize..6) {
        let hint = if n == 0 { None } else { Some(n) };
        let _ = Network::parse(&text, hint);
        let _ = Network::parse(&format!("[Version] 2.0\n{text}"), hint);
        let mixed = format!("[Version] 2.0\n# Hz S RI\n[Number of Ports] 2\n[Number of Frequencies] 1\n[Two-Port Data Order] 12_21\n[Mixed-Mode Order] {text}");
        let _ = Network::parse(&mixed, hint);
        let _ = Network::parse(&format!("{mixed}\n[Network Data]\n1 1 0 0 0 0 0 1 0\n"), hint);
    }
}
