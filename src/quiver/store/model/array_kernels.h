#pragma once

/// \file
/// Shared by the encoding and decoding of storage forms (storage_type.h), and by the
/// readers that filter restored batches.

#include <memory>

#include <arrow/array.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

namespace quiver::store {

/// \brief `dense` (values of the dictionary type `type`, one per row) as a dictionary
/// array of `type`: a dictionary of the distinct values, without nulls (null rows are
/// null indices). \return Invalid if the indices of `type` cannot address the values.
arrow::Result<std::shared_ptr<arrow::Array>> ReencodeDictionary(
    const std::shared_ptr<arrow::Array>& dense,
    const std::shared_ptr<arrow::DataType>& type);

/// \brief Rows `indices` of `values` (null indices: null rows), for every value type,
/// views included (Arrow's take has no kernel for them).
arrow::Result<std::shared_ptr<arrow::Array>> TakeRows(const arrow::Array& values,
                                                      const arrow::Array& indices);

/// \brief The rows of `batch` where `mask` (boolean, one per row) is true, for every
/// column type: Arrow's filter has no kernel for view types, whose columns are taken.
arrow::Result<std::shared_ptr<arrow::RecordBatch>> FilterRows(
    const std::shared_ptr<arrow::RecordBatch>& batch, const arrow::Array& mask);

}  // namespace quiver::store
