#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include <arrow/status.h>

namespace quiver::app {

/// \brief Declare `--config FILE` on `app`, storing the path in `*path`.
void AddConfigFileOption(CLI::App& app, std::string* path);

/// \brief Apply a TOML configuration file to the options of `app` that the command line
/// did not give. Call after `app.parse`.
///
/// Every long option of `app` (not of its subcommands) has a key: its name without the
/// leading dashes (`--tls-cert` is `tls-cert`), so options added later get a key with
/// no change here. `--help`, `--version` and `--config` have none. Value types follow
/// the option: a boolean for a flag, an integer for an integer option, an integer or a
/// float for a floating-point one, a string otherwise, and an array of those for a
/// repeatable option (a single value is accepted too). Precedence: command line, then
/// file, then the option's default.
/// \return Invalid naming the file, the line and the key for a key that is no option,
///         a value of the wrong type or one the option refuses; IOError if the file
///         cannot be read or is not valid TOML (with its line).
arrow::Status ApplyConfigFile(CLI::App& app, const std::string& path);

}  // namespace quiver::app
