//! Build shim: re-exports the bundled DuckDB so that `cargo build` produces one
//! static library holding DuckDB's C and C++ API for quiverd to link.
pub use duckdb;
