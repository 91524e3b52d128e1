#include <map>
#include <sstream>
#include <vector>

#include <toml++/toml.h>

#include "quiver/app/config_file_internal.h"

namespace quiver::app {
namespace {

constexpr char kConfigOption[] = "--config";

/// The options a file may set, by key.
std::map<std::string, CLI::Option*> ConfigurableOptions(CLI::App& app) {
  std::map<std::string, CLI::Option*> options;
  for (CLI::Option* option : app.get_options()) {
    if (option == app.get_help_ptr() || option == app.get_help_all_ptr() ||
        option == app.get_version_ptr() || option->check_lname("config")) {
      continue;
    }
    for (const auto& name : option->get_lnames()) options.emplace(name, option);
  }
  return options;
}

enum class Expected { kBoolean, kInteger, kNumber, kString };

Expected ExpectedKind(const CLI::Option& option) {
  if (option.get_expected_max() == 0) return Expected::kBoolean;  // a flag
  // Validators append ":<description>" to the type name.
  std::string type = option.get_type_name();
  type = type.substr(0, type.find(':'));
  if (type == "BOOLEAN") return Expected::kBoolean;
  if (type == "INT" || type == "UINT") return Expected::kInteger;
  if (type == "FLOAT") return Expected::kNumber;
  return Expected::kString;
}

const char* ExpectedName(Expected kind) {
  switch (kind) {
    case Expected::kBoolean:
      return "a boolean (true or false)";
    case Expected::kInteger:
      return "an integer";
    case Expected::kNumber:
      return "a number";
    case Expected::kString:
      return "a string";
  }
  return "a value";
}

const char* TomlTypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date or time";
  }
}

/// The command-line text for a scalar `node`, or nullopt if its type does not fit.
std::optional<std::string> ScalarText(const toml::node& node, Expected kind) {
  switch (kind) {
    case Expected::kBoolean:
      if (auto v = node.value_exact<bool>()) return *v ? "true" : "false";
      return std::nullopt;
    case Expected::kInteger:
      if (auto v = node.value_exact<int64_t>()) return std::to_string(*v);
      return std::nullopt;
    case Expected::kNumber:
      if (auto v = node.value_exact<int64_t>()) return std::to_string(*v);
      if (auto v = node.value_exact<double>()) {
        std::ostringstream text;
        text.precision(17);
        text << *v;
        return text.str();
      }
      return std::nullopt;
    case Expected::kString:
      if (auto v = node.value_exact<std::string>()) return *v;
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

void AddConfigFileOption(CLI::App& app, std::string* path) {
  app.add_option(kConfigOption, *path,
                 "TOML file setting any of these options (key = option name without "
                 "'--'); options given on the command line win over the file");
}

arrow::Status ApplyConfigFile(CLI::App& app, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    if (where.line == 0) {
      return arrow::Status::IOError("config file ", path, ": ", error.description());
    }
    return arrow::Status::IOError("config file ", path, " line ", where.line, ": ",
                                  error.description());
  }

  auto options = ConfigurableOptions(app);
  for (auto&& [key, node] : table) {
    const auto line = key.source().begin.line;
    const std::string name(key.str());
    auto prefix = [&] {
      std::ostringstream out;
      out << "config file " << path << " line " << line << ": ";
      return out.str();
    };
    auto it = options.find(name);
    if (it == options.end()) {
      return arrow::Status::Invalid(prefix(), "unknown key '", name,
                                    "' (keys are quiverd's option names without '--', "
                                    "see --help)");
    }
    CLI::Option* option = it->second;
    if (option->count() > 0) continue;  // given on the command line: that wins

    const Expected kind = ExpectedKind(*option);
    const bool repeatable = option->get_items_expected_max() > 1;
    std::vector<std::string> values;
    auto add = [&](const toml::node& item) -> arrow::Status {
      auto text = ScalarText(item, kind);
      if (!text) {
        return arrow::Status::Invalid(
            prefix(), "key '", name, "' expects ", ExpectedName(kind),
            repeatable ? " or an array of them" : "", ", got ", TomlTypeName(item));
      }
      values.push_back(std::move(*text));
      return arrow::Status::OK();
    };
    if (const toml::array* array = node.as_array(); array != nullptr && repeatable) {
      for (const auto& item : *array) ARROW_RETURN_NOT_OK(add(item));
    } else {
      ARROW_RETURN_NOT_OK(add(node));
    }
    try {
      for (auto& value : values) option->add_result(value);
      option->run_callback();
    } catch (const CLI::Error& error) {
      return arrow::Status::Invalid(prefix(), "key '", name, "': ", error.what());
    }
  }
  return arrow::Status::OK();
}

}  // namespace quiver::app
