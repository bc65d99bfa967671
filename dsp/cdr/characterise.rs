//! Characterisation of a configured CDR.
