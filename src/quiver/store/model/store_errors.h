#pragma once

#include <string_view>

#include <arrow/status.h>

#include "quiver/store/model/dataset_name.h"

namespace quiver::store {

/// \brief An IOError for `what` on dataset `name` that names no server path; the
/// detailed cause is logged server-side, and its errno (e.g. of a full disk) is kept
/// so that callers can classify it (StorageFailure, storage_error.h).
arrow::Status StorageError(const arrow::Status& cause, std::string_view what,
                           const DatasetName& name);

/// \brief KeyError "dataset '<name>' not found".
arrow::Status DatasetNotFound(const DatasetName& name);

}  // namespace quiver::store
