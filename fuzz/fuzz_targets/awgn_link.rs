//! Arbitrary link configurations: a bad one is an error, a good one runs and counts
//! every bit it sends.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serdes_dsp::link::{AwgnLink, AwgnLinkConfig, Modulation};

fuzz_target!(|data: &[u8]| {
    if data.len() < 16 {
        return;
    }
    let snr_db = f64::from_le_bytes(data[0..8].try_into().unwrap());
    let seed = u64::from_le_bytes(data[8..16].try_into().unwrap());
    let order = *data.get(16).unwrap_or(&31) as u32;
    let flags = *data.get(17).unwrap_or(&0);
    let n = *data.get(18).unwrap_or(&10) as u64 * 37;
    let config = AwgnLinkConfig {
        snr_db,
        prbs_order: order,
        modulation: if flags & 1 == 0 { Modulation::Pam4 } else { Modulation::Nrz },
        precoding: flags & 2 != 0,
        seed,
    };
    match AwgnLink::with_config(config.clone()) {
        Ok(mut link) => {
            assert!(snr_db.is_finite());
            link.run(n).unwrap();
            let bps = config.modulation.bits_per_symbol() as u64;
            assert_eq!(link.bit_counter().units(), n * bps);
            assert!(link.bit_counter().errors() <= n * bps);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
