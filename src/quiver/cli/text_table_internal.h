#pragma once

/// \file
/// Aligned plain-text tables for terminals (ls, head) and the cell text of Arrow
/// values.

#include <cstdint>
#include <string>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/type_fwd.h>

namespace quiver::cli {

/// \brief A table of text cells. Every row has header.size() cells.
struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// Columns aligned to the right (numbers); same size as header, or empty = all left.
  std::vector<bool> right_align;
};

/// \brief A table without rows whose header is the field names of `schema`, numbers
/// (integers, floating point, decimals) aligned to the right.
TextTable TableFor(const arrow::Schema& schema);

/// \brief Display width of UTF-8 text: its code points (no East Asian wide handling).
size_t DisplayWidth(const std::string& text);

/// \brief Cut `text` to at most `max_width` code points, ending with "…" when cut.
/// Newlines and tabs become spaces so a cell stays on one line.
std::string FitCell(const std::string& text, size_t max_width);

/// \brief The table as lines: header, then rows; columns separated by two spaces,
/// each as wide as its widest cell; no trailing spaces; each line ends with '\n'.
std::string RenderTable(const TextTable& table);

/// \brief The cells of a record batch as text: one row per record, values as Arrow
/// prints them, nulls as "null", each cut to `max_cell_width` by FitCell.
std::vector<std::vector<std::string>> BatchCells(const arrow::RecordBatch& batch,
                                                 size_t max_cell_width);

}  // namespace quiver::cli
