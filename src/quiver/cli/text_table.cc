#include <algorithm>

#include <arrow/array.h>
#include <arrow/scalar.h>
#include <arrow/type.h>
#include <arrow/type_traits.h>

#include "quiver/cli/text_table_internal.h"

namespace quiver::cli {

TextTable TableFor(const arrow::Schema& schema) {
  TextTable table;
  for (const auto& field : schema.fields()) {
    table.header.push_back(field->name());
    auto id = field->type()->id();
    table.right_align.push_back(arrow::is_integer(id) || arrow::is_floating(id) ||
                                arrow::is_decimal(id));
  }
  return table;
}

size_t DisplayWidth(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string FitCell(const std::string& text, size_t max_width) {
  std::string out;
  size_t width = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    bool starts_code_point = (c & 0xC0) != 0x80;
    if (starts_code_point) {
      if (width == max_width) {
        // Replace the last code point by the ellipsis.
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) {
          out.pop_back();
        }
        if (!out.empty()) out.pop_back();
        return out + "\xE2\x80\xA6";
      }
      ++width;
    }
    out += (c == '\n' || c == '\t' || c == '\r') ? ' ' : static_cast<char>(c);
  }
  return out;
}

std::string RenderTable(const TextTable& table) {
  const size_t columns = table.header.size();
  std::vector<size_t> widths(columns, 0);
  for (size_t c = 0; c < columns; ++c) widths[c] = DisplayWidth(table.header[c]);
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < columns && c < row.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  std::string out;
  auto append_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < columns; ++c) {
      const std::string empty;
      const std::string& cell = c < cells.size() ? cells[c] : empty;
      std::string pad(widths[c] - DisplayWidth(cell), ' ');
      if (c > 0) line += "  ";
      bool right = c < table.right_align.size() && table.right_align[c];
      line += right ? pad + cell : cell + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  };
  append_line(table.header);
  for (const auto& row : table.rows) append_line(row);
  return out;
}

std::vector<std::vector<std::string>> BatchCells(const arrow::RecordBatch& batch,
                                                 size_t max_cell_width) {
  std::vector<std::vector<std::string>> rows(static_cast<size_t>(batch.num_rows()));
  for (int c = 0; c < batch.num_columns(); ++c) {
    const auto& column = batch.column(c);
    for (int64_t r = 0; r < batch.num_rows(); ++r) {
      std::string text = "null";
      if (column->IsValid(r)) {
        auto scalar = column->GetScalar(r);
        text = scalar.ok() ? (*scalar)->ToString() : "?";
      }
      rows[static_cast<size_t>(r)].push_back(FitCell(text, max_cell_width));
    }
  }
  return rows;
}

}  // namespace quiver::cli
