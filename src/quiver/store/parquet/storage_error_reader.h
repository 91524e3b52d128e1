#pragma once

#include <memory>

#include <arrow/record_batch.h>

#include "quiver/store/model/dataset_name.h"

namespace quiver::store {

/// \brief Wrap a dataset's reader so that an error raised while it streams (a failed
/// read of the file, a page that does not decode) reaches the caller as a storage
/// failure of `name`: an IOError naming the dataset and no server path, keeping the
/// errno of its cause (storage_error.h). The cause is logged.
///
/// OpenReader wraps its errors this way; without this, errors raised after it (in
/// ReadNext) would be handed to the client as Arrow raised them, paths included.
std::shared_ptr<arrow::RecordBatchReader> MakeStorageErrorReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, DatasetName name);

}  // namespace quiver::store
