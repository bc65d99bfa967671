//! Equalisers (being written): Tx FIR, CTLE, FFE, DFE, MLSE and their adaptation.
