#pragma once

#include <string_view>

#include <arrow/status.h>

#include "quiver/store/model/dataset_name.h"
#include "quiver/store/model/storage_error.h"

namespace quiver::store {

/// \file
/// Named constructors of the errors the store returns, by class (storage_error.h
/// states the classes and marks the store's own failures). The server maps each class
/// onto its Flight status by the detail's type, never by a message's text.

/// \brief A storage failure (IOError marked with StorageFailureDetail) for `what` on
/// dataset `name` that names no server path; the detailed cause is logged
/// server-side, and its errno (e.g. of a full disk) is kept so that callers can
/// classify it (StorageFailure, storage_error.h).
arrow::Status StorageError(const arrow::Status& cause, std::string_view what,
                           const DatasetName& name);

/// \brief The client's data of dataset `name` refused by the code that encodes it
/// (Parquet's writer): `cause` is an error that code raised about the data or its
/// types, not about the storage (a storage failure is returned unchanged). Keeps
/// NotImplemented (a type the store cannot keep: UNIMPLEMENTED) and OutOfMemory;
/// anything else becomes Invalid (INVALID_ARGUMENT). The message names the dataset
/// and keeps the cause's text, which is about data, not files; it is logged too.
arrow::Status UnstorableData(const arrow::Status& cause, const DatasetName& name);

/// \brief The client's filter could not be evaluated on the rows (an overflow, a
/// division by zero...): Invalid (NotImplemented kept), marked as the client's error
/// (ClientErrorDetail) so that the read's storage-failure wrapper keeps it.
/// OutOfMemory and Cancelled are returned unchanged.
arrow::Status FilterFailed(const arrow::Status& cause);

/// \brief KeyError "dataset '<name>' not found".
arrow::Status DatasetNotFound(const DatasetName& name);

}  // namespace quiver::store
