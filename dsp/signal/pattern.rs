//! Quaternary test patterns (being written).
